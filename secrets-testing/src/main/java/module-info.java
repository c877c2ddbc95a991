/** Test support: an in-memory store, the SPI conformance kit, fakes of the Olares APIs. */
module io.olares.secrets.testing {
  requires transitive io.olares.secrets.api;
  requires org.junit.jupiter.api;
  requires org.assertj.core;
  requires mockwebserver3;
  requires okhttp3;
  requires com.fasterxml.jackson.databind;

  exports io.olares.secrets.testing.fake.infisical;
}
