package io.olares.secrets.k8s;

import io.olares.secrets.Classification;
import io.olares.secrets.k8s.internal.Connections;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Opens {@link PodSecretStore}s (type {@code pod}). Options: {@code pollInterval} (10s), {@code
 * roots} (directories file references must lie below), {@code namespace} (the owner policy sees;
 * default {@code $POD_NAMESPACE}, then the service account's {@code namespace} file, then {@code
 * <app>-<user>}).
 */
public final class PodStoreProvider implements SecretStoreProvider {
  /** Creates the provider; cheap, as discovery requires. */
  public PodStoreProvider() {}

  @Override
  public String type() {
    return PodSecretStore.TYPE;
  }

  @Override
  public Set<Classification> classifications() {
    return Set.of(Classification.POD_SECRET);
  }

  @Override
  public String description() {
    return "the pod's injected Secrets: pod://env/<NAME>, pod://file/<mount-path>/<key>";
  }

  @Override
  public SecretStore open(StoreConfig config, StoreContext context) {
    Duration poll = config.duration("pollInterval").orElse(Duration.ofSeconds(10));
    if (poll.toMillis() < 1) {
      throw config.bad("pollInterval", "must be at least 1ms");
    }
    List<Path> roots = new ArrayList<>();
    for (String r : config.list("roots")) {
      Path p = Path.of(r);
      if (!p.isAbsolute()) {
        throw config.bad("roots", "must name absolute directories");
      }
      roots.add(p);
    }
    return PodSecretStore.builder()
        .name(config.name())
        .namespace(namespace(config, context).orElse(null))
        .environment(context.environment())
        .pollInterval(poll)
        .roots(roots)
        .build();
  }

  private static Optional<String> namespace(StoreConfig config, StoreContext context) {
    Optional<String> configured = config.string("namespace");
    if (configured.isPresent()) {
      return configured;
    }
    Optional<String> env = context.env("POD_NAMESPACE");
    if (env.isPresent()) {
      return env;
    }
    Path file =
        Path.of(
            config
                .string("namespaceFile")
                .orElse(Connections.SERVICE_ACCOUNT.resolve("namespace").toString()));
    try {
      if (Files.isRegularFile(file)) {
        String ns = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!ns.isEmpty()) {
          return Optional.of(ns);
        }
      }
    } catch (IOException e) {
      // fall through to the Olares convention
    }
    return context.userOpt().map(user -> context.app() + "-" + user);
  }
}
