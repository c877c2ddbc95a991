/**
 * Olares Service Provider access (both generations), integration credentials and grants parsed from
 * an app's {@code OlaresManifest.yaml}.
 */
module io.olares.secrets.provider {
  requires transitive io.olares.secrets.api;
  requires transitive okhttp3;
  requires transitive com.fasterxml.jackson.databind;
  requires org.bouncycastle.provider;
  requires org.yaml.snakeyaml;

  exports io.olares.secrets.provider;
  exports io.olares.secrets.provider.manifest;

  provides io.olares.secrets.spi.SecretStoreProvider with
      io.olares.secrets.provider.IntegrationStoreProvider;
}
