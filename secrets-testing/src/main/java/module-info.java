/**
 * Test support: an in-memory store (type {@code memory}), the SPI conformance kit, log capture for
 * canary checks, and a JUnit 5 extension that hands a test a ready {@code Secrets}.
 */
module io.olares.secrets.testing {
  requires transitive io.olares.secrets.api;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;
  requires java.logging;
  requires mockwebserver3;
  requires okhttp3;
  requires com.fasterxml.jackson.databind;

  exports io.olares.secrets.testing;
  exports io.olares.secrets.testing.fake.infisical;

  provides io.olares.secrets.spi.SecretStoreProvider with
      io.olares.secrets.testing.MemoryStoreProvider;
}
