package io.olares.secrets.testing;

import io.olares.secrets.Classification;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.SecretRef;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens {@link MemoryStore}s: {@code type: memory}. Options, all optional:
 *
 * <ul>
 *   <li>{@code classification}: the kind of every secret in the store, e.g. {@code
 *       application_credential} (case and {@code -}/{@code _} do not matter); {@code credential} by
 *       default.
 *   <li>{@code owner}: the owning app (application credentials) or namespace (pod secrets) of every
 *       secret; by default the reference's container.
 *   <li>{@code ownerFromContainer}: {@code false} leaves application credentials and pod secrets
 *       without an owner where no {@code owner} is set; {@code true} by default.
 *   <li>{@code maxVersions}: how many versions of a secret are kept; {@value
 *       MemoryStore#DEFAULT_MAX_VERSIONS} by default.
 *   <li>{@code seed}: a mapping from a secret's path ({@code container/path#field}, or a whole
 *       reference to this store) to its value as text, for demos; each becomes version 1.
 * </ul>
 *
 * <p>Seed values sit in the configuration in plain text: use them for made-up demo data only.
 */
public final class MemoryStoreProvider implements SecretStoreProvider {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryStoreProvider.class);
  private static final Set<String> OPTIONS =
      Set.of("type", "classification", "owner", "ownerFromContainer", "maxVersions", "seed");

  /** Creates the provider; discovery calls this. */
  public MemoryStoreProvider() {}

  @Override
  public String type() {
    return MemoryStore.TYPE;
  }

  /** Every classification: a memory store holds whichever kind it is configured with. */
  @Override
  public Set<Classification> classifications() {
    return Set.copyOf(EnumSet.allOf(Classification.class));
  }

  @Override
  public String description() {
    return "in-memory store for tests and demos; values vanish when it is closed";
  }

  @Override
  public SecretStore open(StoreConfig config, StoreContext context) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(context, "context");
    for (String key : config.options().keySet()) {
      if (!OPTIONS.contains(key)) {
        LOG.warn(
            "store '{}' ({}): option '{}' is not known and is ignored; known options: {}",
            config.name(),
            MemoryStore.TYPE,
            key,
            List.of("classification", "owner", "ownerFromContainer", "maxVersions", "seed"));
      }
    }
    MemoryStore.Builder builder;
    try {
      builder = MemoryStore.builder(config.name());
    } catch (InvalidReferenceException e) {
      throw new ConfigurationException(
          "store name '" + config.name() + "' is not usable in references: " + e.getMessage(), e);
    }
    builder.clock(context.clock());
    config
        .string("classification")
        .ifPresent(c -> builder.classification(classification(config, c)));
    config.string("owner").ifPresent(builder::owner);
    config.bool("ownerFromContainer").ifPresent(builder::ownerFromContainer);
    config
        .integer("maxVersions")
        .ifPresent(
            n -> {
              if (n < 1) {
                throw config.bad("maxVersions", "must be at least 1");
              }
              builder.maxVersions(n);
            });
    config.map("seed").ifPresent(seed -> seed(config, builder, seed));
    return builder.build();
  }

  private static Classification classification(StoreConfig config, String text) {
    String normalized = text.trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (Classification c : Classification.values()) {
      if (c.name().equals(normalized)) {
        return c;
      }
    }
    throw config.bad(
        "classification",
        "must be one of "
            + Arrays.stream(Classification.values())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .toList());
  }

  private static void seed(StoreConfig config, MemoryStore.Builder builder, Map<String, ?> seed) {
    for (Map.Entry<String, ?> e : seed.entrySet()) {
      String path = String.valueOf(e.getKey());
      Object value = e.getValue();
      if (value == null || value instanceof Map || value instanceof List) {
        throw config.bad("seed", "entry '" + path + "' must have a single text value");
      }
      SecretRef ref;
      try {
        ref = SecretRef.parse(path.contains("://") ? path : config.name() + "://" + path);
      } catch (InvalidReferenceException ex) {
        throw config.bad("seed", "entry '" + path + "' is not a valid path: " + ex.getMessage());
      }
      if (!ref.store().equals(config.name())) {
        throw config.bad("seed", "entry '" + path + "' names another store");
      }
      if (ref.version().isPresent()) {
        throw config.bad("seed", "entry '" + path + "' must not name a version");
      }
      byte[] bytes = value.toString().getBytes(StandardCharsets.UTF_8);
      try {
        builder.seed(ref, bytes);
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    }
  }
}
