/**
 * The credential tier over Infisical: its REST API directly (store type {@code infisical}) and,
 * through the Olares provider transport, the {@code secret.infisical} provider ops.
 */
module io.olares.secrets.infisical {
  requires transitive io.olares.secrets.api;
  requires okhttp3;
  requires com.fasterxml.jackson.databind;
  requires transitive io.olares.secrets.provider;

  exports io.olares.secrets.infisical;

  provides io.olares.secrets.spi.SecretStoreProvider with
      io.olares.secrets.infisical.InfisicalStoreProvider,
      io.olares.secrets.infisical.OlaresSecretStoreProvider;
}
