package io.olares.secrets.testing.fake.olares;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The integration provider as a fake: the accounts a user connected in Settings, served by the
 * current API ({@code api/account/list} and {@code api/account/retrieve}, camelCase {@code
 * rawData}) and by the legacy one on system-server ({@code api/account/retrieve} with the key
 * {@code integration-account:<type>:<name>} and {@code api/account/all}, snake_case {@code
 * raw_data}). A missing account answers {@code {"code": 1, "message": ""}}.
 *
 * <p>Accounts are mutable so tests can expire tokens, mark accounts unavailable, or let the next
 * retrieve change an account (as Settings refreshing a token between two reads). Thread-safe.
 */
public final class FakeIntegrationProvider {
  /** The account types Settings knows. */
  public static final List<String> TYPES =
      List.of("space", "google", "dropbox", "awss3", "tencent");

  /** The rawData fields of the current API, in the order they are written. */
  public static final List<String> RAW_FIELDS =
      List.of(
          "accessToken",
          "refreshToken",
          "expiresAt",
          "createAt",
          "available",
          "endpoint",
          "bucket",
          "userId",
          "scope",
          "idToken",
          "clientId",
          "cloudUrl");

  private final Object lock = new Object();
  private final Map<String, Map<String, Account>> accounts = new LinkedHashMap<>();

  /** Creates a provider without accounts. */
  public FakeIntegrationProvider() {}

  /** Connects an account of {@code type} named {@code name} for {@code user}; available. */
  public Account addAccount(String user, String type, String name) {
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("unknown integration type " + type);
    }
    synchronized (lock) {
      Account a = new Account(type, name);
      accounts.computeIfAbsent(user, u -> new LinkedHashMap<>()).put(type + ":" + name, a);
      return a;
    }
  }

  /** Disconnects an account; true where it existed. */
  public boolean removeAccount(String user, String type, String name) {
    synchronized (lock) {
      Map<String, Account> m = accounts.get(user);
      return m != null && m.remove(type + ":" + name) != null;
    }
  }

  /** One connected account; setters return this. Guarded by the provider's lock. */
  public final class Account {
    private final String type;
    private final String name;
    private final Map<String, Object> raw = new LinkedHashMap<>();
    private Consumer<Account> afterNextRetrieve;

    private Account(String type, String name) {
      this.type = type;
      this.name = name;
      raw.put("available", true);
      raw.put("createAt", 0L);
      raw.put("expiresAt", 0L);
    }

    /** The account type. */
    public String type() {
      return type;
    }

    /** The account name (for awss3 and tencent, the access key id). */
    public String name() {
      return name;
    }

    /** Sets the access token (for awss3 and tencent, the secret key). */
    public Account accessToken(String token) {
      return field("accessToken", token);
    }

    /** Sets the refresh token. */
    public Account refreshToken(String token) {
      return field("refreshToken", token);
    }

    /** Sets the expiry, epoch milliseconds; 0 for none. */
    public Account expiresAt(long epochMillis) {
      return field("expiresAt", epochMillis);
    }

    /** Sets the creation time, epoch milliseconds. */
    public Account createAt(long epochMillis) {
      return field("createAt", epochMillis);
    }

    /** Marks the account available or not (Settings sets false when a refresh failed). */
    public Account available(boolean available) {
      return field("available", available);
    }

    /** Sets any rawData field by its camelCase name. */
    public Account field(String field, Object value) {
      synchronized (lock) {
        raw.put(field, Objects.requireNonNull(value, "value"));
      }
      return this;
    }

    /** Changes the account right after the next retrieve was answered, once. */
    public Account afterNextRetrieve(Consumer<Account> change) {
      synchronized (lock) {
        afterNextRetrieve = change;
      }
      return this;
    }

    Object get(String field) {
      return raw.get(field);
    }

    private void served() {
      Consumer<Account> c = afterNextRetrieve;
      afterNextRetrieve = null;
      if (c != null) {
        c.accept(this);
      }
    }
  }

  /** Answers the current API: {@code op} is {@code api/account/list} or {@code .../retrieve}. */
  FakeReply handleCurrent(String op, JsonNode body) {
    String user = body.path("user").asText("");
    synchronized (lock) {
      switch (op) {
        case "api/account/list":
          {
            ArrayNode list = FakeReply.JSON.createArrayNode();
            for (Account a : accounts.getOrDefault(user, Map.of()).values()) {
              ObjectNode n = list.addObject();
              n.put("name", a.name);
              n.put("type", a.type);
              n.put("available", (Boolean) a.get("available"));
              n.put("createAt", ((Number) a.get("createAt")).longValue());
              n.put("expiresAt", ((Number) a.get("expiresAt")).longValue());
            }
            return FakeReply.envelope(0, "", list);
          }
        case "api/account/retrieve":
          {
            String type = body.path("type").asText("");
            String name = body.path("name").asText("");
            Account a = accounts.getOrDefault(user, Map.of()).get(type + ":" + name);
            if (a == null) {
              return FakeReply.error(1, "");
            }
            ObjectNode data = FakeReply.JSON.createObjectNode();
            data.put("name", a.name);
            data.put("type", a.type);
            ObjectNode raw = data.putObject("rawData");
            for (String f : RAW_FIELDS) {
              raw.set(f, FakeReply.JSON.valueToTree(a.raw.getOrDefault(f, "")));
            }
            FakeReply reply = FakeReply.envelope(0, "", data);
            a.served();
            return reply;
          }
        default:
          return FakeReply.text(404, "404 page not found");
      }
    }
  }

  /** Answers the legacy API for {@code user}: {@code api/account/retrieve} or {@code .../all}. */
  FakeReply handleLegacy(String op, JsonNode body, String user) {
    synchronized (lock) {
      switch (op) {
        case "api/account/all":
          {
            ArrayNode list = FakeReply.JSON.createArrayNode();
            for (Account a : accounts.getOrDefault(user, Map.of()).values()) {
              ObjectNode n = list.addObject();
              n.put("name", a.name);
              n.put("type", a.type);
              n.put("available", (Boolean) a.get("available"));
              n.put("create_at", ((Number) a.get("createAt")).longValue());
              n.put("expires_at", ((Number) a.get("expiresAt")).longValue());
            }
            return FakeReply.envelope(0, "", list);
          }
        case "api/account/retrieve":
          {
            String key = body.path("name").asText("");
            String prefix = "integration-account:";
            if (!key.startsWith(prefix)) {
              return FakeReply.error(1, "");
            }
            Account a = accounts.getOrDefault(user, Map.of()).get(key.substring(prefix.length()));
            if (a == null) {
              return FakeReply.error(1, "");
            }
            ObjectNode data = FakeReply.JSON.createObjectNode();
            data.put("name", a.name);
            data.put("type", a.type);
            ObjectNode raw = data.putObject("raw_data");
            raw.put("access_token", String.valueOf(a.raw.getOrDefault("accessToken", "")));
            raw.put("refresh_token", String.valueOf(a.raw.getOrDefault("refreshToken", "")));
            long expiresAt = ((Number) a.get("expiresAt")).longValue();
            long createAt = ((Number) a.get("createAt")).longValue();
            raw.put("expires_in", expiresAt == 0 ? 0 : Math.max(0, (expiresAt - createAt) / 1000));
            raw.put("expires_at", expiresAt);
            raw.put("create_at", createAt);
            raw.put("available", (Boolean) a.get("available"));
            FakeReply reply = FakeReply.envelope(0, "", data);
            a.served();
            return reply;
          }
        default:
          return FakeReply.text(404, "404 page not found");
      }
    }
  }
}
