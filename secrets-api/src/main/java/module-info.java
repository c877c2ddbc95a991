/** The olares-secrets core: types, policy, approvals, audit, cache, the facade and the SPI. */
module io.olares.secrets.api {
  requires transitive org.slf4j;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;

  exports io.olares.secrets;
  exports io.olares.secrets.spi;
  exports io.olares.secrets.policy;
  exports io.olares.secrets.approval;
  exports io.olares.secrets.audit;
  exports io.olares.secrets.cache;
  exports io.olares.secrets.config;

  uses io.olares.secrets.spi.SecretStoreProvider;
}
