/** Test support: an in-memory store, the SPI conformance kit, fakes of the Olares APIs. */
module io.olares.secrets.testing {
  requires transitive io.olares.secrets.api;
  requires org.junit.jupiter.api;
  requires org.assertj.core;
  requires transitive mockwebserver3;
  requires transitive okhttp3;
  requires transitive com.fasterxml.jackson.databind;
  requires org.bouncycastle.provider;

  exports io.olares.secrets.testing.fake.olares;
}
