package io.olares.secrets.internal;

import io.olares.secrets.Classification;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreProviders;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store providers a {@code Secrets} instance may open stores with: those registered in code,
 * and those {@link ServiceLoader} finds on the module and class path.
 *
 * <p>Discovery is defensive. A provider that cannot be loaded, whose constructor or {@code type()}
 * throws, whose type is not a valid name, or that speaks another SPI version is logged at WARN by
 * class name, listed as a problem and skipped; discovery goes on with the others. Two discovered
 * providers claiming one type are listed as a problem, and opening a store of that type is a {@link
 * ConfigurationException} naming both classes, unless a provider of that type was registered in
 * code: an explicit registration always wins. Immutable and thread-safe once built.
 */
public final class StoreRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(StoreRegistry.class);
  private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9._-]{0,62}");
  private static final int MAX_LOADER_ERRORS = 1000;

  private final Map<String, SecretStoreProvider> byType;
  private final Map<String, List<String>> conflicts;
  private final StoreProviders listing;

  private StoreRegistry(
      Map<String, SecretStoreProvider> byType,
      Map<String, List<String>> conflicts,
      StoreProviders listing) {
    this.byType = Map.copyOf(byType);
    this.conflicts = Map.copyOf(conflicts);
    this.listing = listing;
  }

  /** Explicit providers, then whatever the service loader finds. */
  public static StoreRegistry discover(Collection<? extends SecretStoreProvider> explicit) {
    ServiceLoader<SecretStoreProvider> loader = ServiceLoader.load(SecretStoreProvider.class);
    return build(explicit, loader.stream().iterator());
  }

  /** Explicit providers only: nothing is discovered. */
  public static StoreRegistry explicitOnly(Collection<? extends SecretStoreProvider> explicit) {
    return build(explicit, java.util.Collections.emptyIterator());
  }

  /**
   * Explicit providers, then the given candidates (as a {@link ServiceLoader} stream would yield
   * them; the iterator itself may throw {@link ServiceConfigurationError}).
   *
   * @throws ConfigurationException where an explicit provider is unusable, or two claim one type
   */
  public static StoreRegistry build(
      Collection<? extends SecretStoreProvider> explicit,
      Iterator<? extends ServiceLoader.Provider<? extends SecretStoreProvider>> candidates) {
    Map<String, SecretStoreProvider> byType = new TreeMap<>();
    Map<String, StoreProviders.Entry> entries = new TreeMap<>();
    List<StoreProviders.Problem> problems = new ArrayList<>();

    for (SecretStoreProvider p : explicit) {
      Objects.requireNonNull(p, "provider");
      String cls = p.getClass().getName();
      StoreProviders.Entry entry;
      try {
        entry = describe(p, true);
      } catch (RuntimeException e) {
        throw new ConfigurationException("store provider " + cls + " is unusable: " + e, e);
      }
      if (entry.apiVersion() != SecretStoreProvider.API_VERSION) {
        throw new ConfigurationException(versionProblem(cls, entry.apiVersion()));
      }
      SecretStoreProvider before = byType.putIfAbsent(entry.type(), p);
      if (before != null) {
        throw new ConfigurationException(
            "store type '"
                + entry.type()
                + "' is registered twice: by "
                + before.getClass().getName()
                + " and by "
                + cls);
      }
      entries.put(entry.type(), entry);
    }

    Map<String, List<SecretStoreProvider>> found = new LinkedHashMap<>();
    Map<String, StoreProviders.Entry> foundEntries = new LinkedHashMap<>();
    int loaderErrors = 0;
    while (true) {
      ServiceLoader.Provider<? extends SecretStoreProvider> candidate;
      try {
        if (!candidates.hasNext()) {
          break;
        }
        candidate = candidates.next();
      } catch (ServiceConfigurationError e) {
        problems.add(skip("?", "the service loader failed: " + e.getMessage()));
        if (++loaderErrors >= MAX_LOADER_ERRORS) {
          break;
        }
        continue;
      }
      String cls = className(candidate);
      StoreProviders.Entry entry;
      SecretStoreProvider p;
      try {
        p = candidate.get();
        entry = describe(p, false);
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        problems.add(skip(cls, "failed to load: " + rootCause(e)));
        continue;
      }
      if (entry.apiVersion() != SecretStoreProvider.API_VERSION) {
        problems.add(skip(cls, versionProblem(cls, entry.apiVersion())));
        continue;
      }
      found.computeIfAbsent(entry.type(), t -> new ArrayList<>()).add(p);
      foundEntries.putIfAbsent(entry.type() + "\u0000" + cls, entry);
    }

    Map<String, List<String>> conflicts = new TreeMap<>();
    for (Map.Entry<String, List<SecretStoreProvider>> e : found.entrySet()) {
      String type = e.getKey();
      List<SecretStoreProvider> claimants = e.getValue();
      if (byType.containsKey(type)) {
        for (SecretStoreProvider shadowed : claimants) {
          LOG.debug(
              "store type '{}': {} registered in code wins over discovered {}",
              type,
              byType.get(type).getClass().getName(),
              shadowed.getClass().getName());
        }
        continue;
      }
      List<String> classes = claimants.stream().map(p -> p.getClass().getName()).toList();
      if (classes.size() > 1) {
        conflicts.put(type, classes);
        String problem = "store type '" + type + "' is claimed by " + String.join(" and ", classes);
        LOG.warn("{}; stores of that type cannot be opened", problem);
        problems.add(new StoreProviders.Problem(String.join(", ", classes), problem));
        continue;
      }
      SecretStoreProvider chosen = claimants.get(0);
      byType.put(type, chosen);
      entries.put(type, foundEntries.get(type + "\u0000" + chosen.getClass().getName()));
      LOG.debug("store type '{}' is provided by {}", type, chosen.getClass().getName());
    }
    return new StoreRegistry(
        byType, conflicts, new StoreProviders(new ArrayList<>(entries.values()), problems));
  }

  /**
   * The provider of {@code type}.
   *
   * @throws ConfigurationException where no provider, or more than one, offers that type
   */
  public SecretStoreProvider provider(String type) {
    SecretStoreProvider p = byType.get(type);
    if (p != null) {
      return p;
    }
    List<String> claimants = conflicts.get(type);
    if (claimants != null) {
      throw new ConfigurationException(
          "store type '"
              + type
              + "' is claimed by "
              + String.join(" and ", claimants)
              + "; remove one from the class path, or register the one to use with"
              + " Secrets.builder().provider(...)");
    }
    throw new ConfigurationException(
        "no store provider offers type '"
            + type
            + "'; known types: "
            + (byType.isEmpty() ? "none" : String.join(", ", byType.keySet()))
            + " (is the module that provides it on the class path?)");
  }

  /** The usable types. */
  public Set<String> types() {
    return byType.keySet();
  }

  /** The usable providers and the problems found, for display. */
  public StoreProviders listing() {
    return listing;
  }

  private static StoreProviders.Entry describe(SecretStoreProvider p, boolean explicit) {
    String cls = p.getClass().getName();
    String type = p.type();
    if (type == null || !TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException(
          "its type is not a lower-case name of letters, digits, '.', '_' or '-'");
    }
    Set<Classification> classifications = p.classifications();
    if (classifications == null) {
      throw new IllegalArgumentException("it names no classifications");
    }
    String description = p.description();
    return new StoreProviders.Entry(
        type,
        classifications,
        p.apiVersion(),
        description == null ? type : description,
        cls,
        origin(p.getClass()),
        explicit);
  }

  private static String versionProblem(String cls, int version) {
    return cls
        + " speaks store SPI version "
        + version
        + " but this olares-secrets speaks version "
        + SecretStoreProvider.API_VERSION;
  }

  private static StoreProviders.Problem skip(String cls, String problem) {
    LOG.warn("skipping store provider {}: {}", cls, problem);
    return new StoreProviders.Problem(cls, problem);
  }

  private static String className(ServiceLoader.Provider<? extends SecretStoreProvider> c) {
    try {
      return c.type().getName();
    } catch (RuntimeException | LinkageError e) {
      return "?";
    }
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return t.getClass().getName() + (message == null ? "" : ": " + message);
  }

  /** The module name, or the jar a class-path class came from. */
  static String origin(Class<?> cls) {
    Module m = cls.getModule();
    if (m.isNamed()) {
      return m.getName();
    }
    try {
      CodeSource source = cls.getProtectionDomain().getCodeSource();
      URL location = source == null ? null : source.getLocation();
      if (location != null && "file".equals(location.getProtocol())) {
        Path file = Path.of(location.toURI()).getFileName();
        return file == null ? "class path" : file.toString();
      }
    } catch (Exception e) {
      LOG.debug("cannot tell where {} was loaded from: {}", cls.getName(), e.toString());
    }
    return "class path";
  }
}
