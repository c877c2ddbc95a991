package io.olares.secrets.spi;

import io.olares.secrets.ConfigurationException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The options of one configured store, as written under {@code stores.<name>} in the YAML file
 * (after {@code ${NAME}} expansion) or given programmatically. Getters name the store and the
 * option in their errors; option values are never echoed, since they may hold credentials.
 */
public final class StoreConfig {
  private final String name;
  private final String type;
  private final Map<String, Object> options;

  /** Creates a config; {@code options} is copied. */
  public StoreConfig(String name, String type, Map<String, ?> options) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.options = options == null ? Map.of() : new LinkedHashMap<>(options);
  }

  /** The instance name. */
  public String name() {
    return name;
  }

  /** The store type. */
  public String type() {
    return type;
  }

  /** All options, read-only. */
  public Map<String, Object> options() {
    return java.util.Collections.unmodifiableMap(options);
  }

  /** An optional string option. */
  public Optional<String> string(String key) {
    Object v = options.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Map || v instanceof List) {
      throw bad(key, "must be a single value");
    }
    return Optional.of(v.toString());
  }

  /** A required string option. */
  public String requireString(String key) {
    return string(key).orElseThrow(() -> bad(key, "is required"));
  }

  /** An optional integer option. */
  public Optional<Integer> integer(String key) {
    return string(key)
        .map(
            s -> {
              try {
                return Integer.valueOf(s.trim());
              } catch (NumberFormatException e) {
                throw bad(key, "must be an integer");
              }
            });
  }

  /** An optional boolean option ({@code true} or {@code false}). */
  public Optional<Boolean> bool(String key) {
    return string(key)
        .map(
            s -> {
              if (s.equalsIgnoreCase("true")) {
                return true;
              }
              if (s.equalsIgnoreCase("false")) {
                return false;
              }
              throw bad(key, "must be true or false");
            });
  }

  /**
   * An optional duration option: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}.
   */
  public Optional<Duration> duration(String key) {
    return string(key).map(s -> parseDuration(s, () -> bad(key, "must be a duration like 30s")));
  }

  /** A nested map option. */
  @SuppressWarnings("unchecked")
  public Optional<Map<String, Object>> map(String key) {
    Object v = options.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Map)) {
      throw bad(key, "must be a mapping");
    }
    return Optional.of((Map<String, Object>) v);
  }

  /** A list option; a single value reads as a one-element list. */
  public List<String> list(String key) {
    Object v = options.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List) {
      return ((List<?>) v).stream().map(String::valueOf).toList();
    }
    return List.of(v.toString());
  }

  /** A configuration error naming this store and the option. */
  public ConfigurationException bad(String key, String problem) {
    return new ConfigurationException(
        "store '" + name + "' (" + type + "): option '" + key + "' " + problem);
  }

  /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601. */
  public static Duration parseDuration(
      String text, java.util.function.Supplier<? extends RuntimeException> error) {
    String s = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (s.startsWith("p")) {
        return Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
      }
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      switch (s.charAt(s.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        case 'd':
          return Duration.ofDays(n);
        default:
          throw error.get();
      }
    } catch (RuntimeException e) {
      throw error.get();
    }
  }

  @Override
  public String toString() {
    return "StoreConfig[" + name + ", type=" + type + ", options=" + options.keySet() + "]";
  }
}
