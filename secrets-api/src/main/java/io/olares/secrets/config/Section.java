package io.olares.secrets.config;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.spi.StoreConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One mapping of a configuration document, read with typed getters whose errors name the key path
 * and line. Values are never quoted in errors: they may hold credentials.
 */
final class Section {
  private final YamlDocument doc;
  private final String path;
  private final Map<String, Object> map;

  Section(YamlDocument doc, String path, Map<String, Object> map) {
    this.doc = doc;
    this.path = path;
    this.map = map;
  }

  Map<String, Object> map() {
    return map;
  }

  String path() {
    return path;
  }

  String source() {
    return doc.source();
  }

  int lineOf(String keyPath) {
    return doc.lineOf(keyPath);
  }

  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  ConfigurationException error(String key, String problem) {
    return doc.error(pathOf(key), problem);
  }

  ConfigurationException error(String problem) {
    return doc.error(path, problem);
  }

  /** Fails on the first key not in {@code known}, listing the known ones. */
  void onlyKeys(String... known) {
    Set<String> allowed = Set.of(known);
    for (String key : map.keySet()) {
      if (!allowed.contains(key)) {
        throw error(key, "is not a known setting; expected one of " + new TreeSet<>(allowed));
      }
    }
  }

  Optional<String> string(String key) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Map || v instanceof List) {
      throw error(key, "must be a single value");
    }
    String s = v.toString();
    if (s.isBlank()) {
      throw error(key, "must not be empty");
    }
    return Optional.of(s);
  }

  Optional<Path> path(String key) {
    return string(key)
        .map(
            s -> {
              try {
                return Path.of(s);
              } catch (InvalidPathException e) {
                throw error(key, "is not a valid file path");
              }
            });
  }

  /** A duration like {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, or 0. */
  Optional<Duration> duration(String key) {
    return string(key)
        .map(
            s ->
                s.trim().equals("0")
                    ? Duration.ZERO
                    : StoreConfig.parseDuration(
                        s, () -> error(key, "must be a duration like 500ms, 30s, 5m, 1h or 2d")));
  }

  Optional<Integer> integer(String key) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Integer) {
      return Optional.of((Integer) v);
    }
    try {
      return Optional.of(Integer.valueOf(string(key).orElseThrow().trim()));
    } catch (NumberFormatException e) {
      throw error(key, "must be a whole number");
    }
  }

  Optional<Boolean> bool(String key) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Boolean) {
      return Optional.of((Boolean) v);
    }
    String s = string(key).orElseThrow();
    if (s.equalsIgnoreCase("true")) {
      return Optional.of(true);
    }
    if (s.equalsIgnoreCase("false")) {
      return Optional.of(false);
    }
    throw error(key, "must be true or false");
  }

  List<String> strings(String key) {
    Object v = map.get(key);
    if (v == null) {
      return List.of();
    }
    List<?> items = v instanceof List ? (List<?>) v : Arrays.asList(v);
    List<String> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (item == null || item instanceof Map || item instanceof List) {
        throw doc.error(pathOf(key) + "[" + i + "]", "must be a single value");
      }
      out.add(item.toString());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  Optional<Section> section(String key) {
    Object v = map.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof Map)) {
      throw error(key, "must be a mapping of keys to values");
    }
    return Optional.of(new Section(doc, pathOf(key), (Map<String, Object>) v));
  }
}
