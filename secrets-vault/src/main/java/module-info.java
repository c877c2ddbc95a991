/**
 * The end-to-end encrypted vault tier: items encrypted on the client, stored in SQLite or
 * PostgreSQL, every use approved by a device signature.
 */
module io.olares.secrets.vault {
  requires transitive io.olares.secrets.api;
  requires java.sql;
  requires org.bouncycastle.provider;
  requires org.xerial.sqlitejdbc;
  requires org.postgresql.jdbc;

  exports io.olares.secrets.vault;

  provides io.olares.secrets.spi.SecretStoreProvider with
      io.olares.secrets.vault.VaultStoreProvider;
}
