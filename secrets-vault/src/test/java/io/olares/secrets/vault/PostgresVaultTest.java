package io.olares.secrets.vault;

import static io.olares.secrets.vault.TestVaults.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.IntegrityException;
import io.olares.secrets.Operation;
import io.olares.secrets.SecretValue;
import io.olares.secrets.approval.Approval;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vault shared through PostgreSQL, and one moved there from SQLite (skipped without a server).
 */
class PostgresVaultTest {
  @TempDir Path dir;
  Postgres.Schema schema;

  @BeforeEach
  void createSchema() {
    schema = Postgres.freshSchema();
  }

  @AfterEach
  void dropSchema() {
    if (schema != null) {
      schema.close();
    }
  }

  @Test
  void aVaultMadeInSqliteCopiesIntoPostgresRowForRowAndOpensThere() {
    String sqlite = TestVaults.sqlite(dir);
    try (TestVaults.Fixture f = TestVaults.Fixture.create(sqlite)) {
      try (VaultItem login =
          VaultItem.builder(ItemKind.LOGIN)
              .field("username", "alice")
              .field("password", "s3cret")
              .build()) {
        f.vault.put("personal/github", login);
      }
      f.put("work/api", "token-123");
      f.vault.generateKey("keys/eth", KeyAlgorithm.SECP256K1);
      f.vault.readField("work/api", null, APP, f.approve("work/api", Operation.READ)).close();
      f.close();

      long rows = Vault.copyStorage(sqlite, schema.url());

      assertThat(rows).isGreaterThan(5);
      for (String table :
          List.of("schema_version", "vault_header", "items", "buckets", "used_nonces")) {
        String order = table.equals("items") ? "item_id" : table.equals("buckets") ? "bucket" : "1";
        List<Map<String, Object>> from =
            Sql.query(sqlite, "SELECT * FROM " + table + " ORDER BY " + order);
        List<Map<String, Object>> to =
            Sql.query(schema.url(), "SELECT * FROM " + table + " ORDER BY " + order);
        assertThat(normalized(to)).as(table).usingRecursiveComparison().isEqualTo(normalized(from));
      }
      f.vault = Vault.open(schema.url(), TestVaults.passphrase(), TestVaults.options(f.clock));
      assertThat(f.readText("personal/github", "username")).isEqualTo("alice");
      assertThat(f.readText("work/api")).isEqualTo("token-123");
      assertThat(f.vault.verifyIntegrity()).isEqualTo(3);
    }
  }

  @Test
  void copyingIntoStorageThatAlreadyHoldsAVaultIsRefused() {
    String sqlite = TestVaults.sqlite(dir);
    try (TestVaults.Fixture f = TestVaults.Fixture.create(sqlite);
        TestVaults.Fixture g = TestVaults.Fixture.create(schema.url())) {
      assertThatThrownBy(() -> Vault.copyStorage(sqlite, schema.url()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("already holds a vault");
    }
  }

  @Test
  void twoNodesShareOneVaultAndSeeEachOthersWritesAndUsedNonces() {
    try (TestVaults.Fixture f = TestVaults.Fixture.create(schema.url());
        Vault node2 = f.reopen()) {
      f.put("shared/a", "written by node 1");
      try (SecretValue v = SecretValue.ofString("written by node 2")) {
        node2.putField("shared/b", null, v);
      }
      Approval approval = f.approve("shared/b", Operation.READ);

      try (SecretValue v = f.vault.readField("shared/b", null, APP, approval)) {
        assertThat(v.revealString()).isEqualTo("written by node 2");
      }
      assertThatThrownBy(() -> node2.readField("shared/b", null, APP, approval))
          .isInstanceOf(io.olares.secrets.ApprovalRejectedException.class)
          .hasMessageContaining("used before");
      assertThat(node2.list("shared"))
          .extracting(ItemInfo::name)
          .containsExactly("shared/a", "shared/b");
    }
  }

  @Test
  void tamperingInPostgresIsDetectedToo() {
    try (TestVaults.Fixture f = TestVaults.Fixture.create(schema.url())) {
      f.put("shared/a", "alpha");
      Sql.update(schema.url(), "UPDATE items SET version = version + 1");

      assertThatThrownBy(() -> f.readText("shared/a")).isInstanceOf(IntegrityException.class);
    }
  }

  private static List<Map<String, Object>> normalized(List<Map<String, Object>> rows) {
    return rows.stream()
        .map(
            row -> {
              Map<String, Object> out = new java.util.TreeMap<>();
              row.forEach((k, v) -> out.put(k, v instanceof Number n ? (Object) n.longValue() : v));
              return out;
            })
        .toList();
  }
}
