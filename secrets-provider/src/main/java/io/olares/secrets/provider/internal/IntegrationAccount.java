package io.olares.secrets.provider.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One connected account as either API returns it, with {@code rawData} fields under their camelCase
 * names (the legacy API's snake_case names are translated). Holds secrets: never log it; {@link
 * #toString()} shows no field values.
 *
 * @param type the account type
 * @param name the account name
 * @param available false where Settings gave up refreshing the token
 * @param expiresAt when the token expires; null where it does not
 * @param createAt when the token was created; null where unknown
 * @param fields the rawData fields as text
 */
record IntegrationAccount(
    String type,
    String name,
    boolean available,
    Instant expiresAt,
    Instant createAt,
    Map<String, String> fields) {

  IntegrationAccount {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    fields = Map.copyOf(fields);
  }

  /** Reads a current-API account: {@code {name, type, rawData: {...}}}. */
  static IntegrationAccount current(JsonNode data, String type, String name) {
    return parse(data, "rawData", type, name);
  }

  /** Reads a legacy-API account: {@code {name, type, raw_data: {...}}}, snake_case fields. */
  static IntegrationAccount legacy(JsonNode data, String type, String name) {
    return parse(data, "raw_data", type, name);
  }

  private static IntegrationAccount parse(JsonNode data, String rawKey, String type, String name) {
    JsonNode raw = data.path(rawKey);
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : raw.properties()) {
      if (e.getValue().isValueNode() && !e.getValue().isNull()) {
        fields.put(camel(e.getKey()), e.getValue().asText());
      }
    }
    boolean available = raw.path("available").asBoolean(data.path("available").asBoolean(true));
    return new IntegrationAccount(
        type,
        name,
        available,
        instant(
            raw.path("expiresAt").isMissingNode() ? raw.path("expires_at") : raw.path("expiresAt")),
        instant(
            raw.path("createAt").isMissingNode() ? raw.path("create_at") : raw.path("createAt")),
        fields);
  }

  /** {@code access_token} → {@code accessToken}; camelCase names stay. */
  static String camel(String key) {
    StringBuilder sb = new StringBuilder(key.length());
    boolean upper = false;
    for (char c : key.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return sb.toString();
  }

  /**
   * An epoch time in milliseconds (as Settings writes), or in seconds where the number is too small
   * to be milliseconds of this century; 0 or absent is none.
   */
  static Instant instant(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return null;
    }
    long n = node.isNumber() ? node.asLong() : parseLong(node.asText());
    if (n <= 0) {
      return null;
    }
    return n < 100_000_000_000L ? Instant.ofEpochSecond(n) : Instant.ofEpochMilli(n);
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** True where the token counts as expired at {@code now}, {@code margin} early. */
  boolean expired(Instant now, java.time.Duration margin) {
    return expiresAt != null && !now.isBefore(expiresAt.minus(margin));
  }

  @Override
  public String toString() {
    return "IntegrationAccount["
        + type
        + "/"
        + name
        + ", available="
        + available
        + ", expiresAt="
        + expiresAt
        + ", fields="
        + fields.keySet()
        + "]";
  }
}
