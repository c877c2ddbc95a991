/**
 * Test support: an in-memory store (type {@code memory}), the SPI conformance kit, log capture for
 * canary checks, a JUnit 5 extension that hands a test a ready {@code Secrets}, and in-process
 * fakes of the Olares provider APIs.
 */
module io.olares.secrets.testing {
  requires transitive io.olares.secrets.api;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;
  requires java.logging;
  requires transitive mockwebserver3;
  requires transitive okhttp3;
  requires transitive com.fasterxml.jackson.databind;
  requires org.bouncycastle.provider;

  exports io.olares.secrets.testing;
  exports io.olares.secrets.testing.fake.infisical;
  exports io.olares.secrets.testing.fake.olares;
  exports io.olares.secrets.testing.fault;

  provides io.olares.secrets.spi.SecretStoreProvider with
      io.olares.secrets.testing.MemoryStoreProvider;
}
