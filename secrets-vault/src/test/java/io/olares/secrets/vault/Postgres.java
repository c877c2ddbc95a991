package io.olares.secrets.vault;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The PostgreSQL server the tests may use: {@code OLARES_TEST_PG_URL} names it (see {@code
 * .ci/start-postgres.sh}). Each test gets its own schema, dropped afterwards. Where the variable is
 * unset, PostgreSQL tests are skipped with a message that says so.
 */
public final class Postgres {
  /** The environment variable holding the JDBC URL. */
  public static final String ENV = "OLARES_TEST_PG_URL";

  private static final SecureRandom RANDOM = new SecureRandom();

  private Postgres() {}

  /** The server's JDBC URL; skips the calling test where none is configured. */
  public static String serverUrl() {
    String url = System.getenv(ENV);
    if (url == null || url.isBlank()) {
      System.out.println(
          "PostgreSQL vault tests skipped: " + ENV + " is not set (run .ci/start-postgres.sh)");
    }
    assumeTrue(url != null && !url.isBlank(), ENV + " is not set; PostgreSQL tests skipped");
    return url;
  }

  /** A fresh schema on the server, and the URL that uses it. */
  public static Schema freshSchema() {
    String server = serverUrl();
    byte[] id = new byte[6];
    RANDOM.nextBytes(id);
    String name = "vault_test_" + HexFormat.of().formatHex(id);
    Sql.update(server, "CREATE SCHEMA " + name);
    String sep = server.contains("?") ? "&" : "?";
    return new Schema(server, name, server + sep + "currentSchema=" + name);
  }

  /** One schema made for a test; closing drops it with everything in it. */
  public record Schema(String serverUrl, String name, String url) implements AutoCloseable {
    @Override
    public void close() {
      Sql.update(serverUrl, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }
}
