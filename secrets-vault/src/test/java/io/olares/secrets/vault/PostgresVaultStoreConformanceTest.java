package io.olares.secrets.vault;

import io.olares.secrets.spi.SecretStore;
import org.junit.jupiter.api.AfterEach;

/** The same conformance kit against a vault in PostgreSQL (skipped without a server). */
class PostgresVaultStoreConformanceTest extends VaultStoreConformanceTest {
  private Postgres.Schema schema;

  @Override
  protected String url() {
    schema = Postgres.freshSchema();
    return schema.url();
  }

  @Override
  protected SecretStore createStore() {
    return openVaultStore(url(), dir, device);
  }

  @AfterEach
  void dropSchema() {
    if (schema != null) {
      schema.close();
    }
  }
}
