package io.olares.secrets.testing;

import io.olares.secrets.Classification;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Operation;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import io.olares.secrets.cache.CacheOptions;
import io.olares.secrets.policy.DefaultPolicy;
import io.olares.secrets.policy.Grant;
import io.olares.secrets.policy.Policy;
import io.olares.secrets.policy.PolicyConfig;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A JUnit 5 extension that hands a test a ready {@link Secrets} over {@link MemoryStore}s. Test
 * methods (and {@code @BeforeEach}/{@code @AfterEach} methods) may declare parameters of type
 * {@link Secrets}, {@link MemoryStore} (annotated with {@link WithSecrets.StoreName} where there
 * are several) and {@link RecordingAuditSink} (every audit event of the facade). Each test method
 * gets a fresh facade over fresh stores; it is closed, and the stores wiped, after the test.
 * Parameters resolved at class level (a {@code @BeforeAll} method, or a constructor) get one facade
 * for the whole class, which the test methods then share.
 *
 * <p>Configure it with {@link WithSecrets} on the class or method, or register a configured
 * instance:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SecretsExtension SECRETS =
 *     SecretsExtension.builder()
 *         .app("myapp")
 *         .store("creds", Classification.CREDENTIAL)
 *         .seed("creds://myapp/token", "made-up-token")
 *         .build();
 * }</pre>
 *
 * Use one way or the other in a class: both together would compete to resolve the parameters.
 * Unless told otherwise, the facade decides with {@link DefaultPolicy}, the rules an app meets in
 * production, plus the grants given here; nothing is cached, and stores are passed in directly (no
 * provider discovery).
 */
public final class SecretsExtension implements ParameterResolver {
  /** The app a facade acts as unless configured otherwise. */
  public static final String DEFAULT_APP = "test-app";

  /** The name of the store created where none is declared. */
  public static final String DEFAULT_STORE = "mem";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SecretsExtension.class);

  private final Setup setup;

  /** The extension as {@link WithSecrets} registers it: configured by the annotation. */
  public SecretsExtension() {
    this.setup = null;
  }

  private SecretsExtension(Setup setup) {
    this.setup = setup;
  }

  /** What a built extension was configured with; null for the annotation-driven one. */
  Setup setup() {
    return setup;
  }

  /** A builder for an extension to register with {@code @RegisterExtension}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Secrets.class || type == MemoryStore.class || type == RecordingAuditSink.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Fixture fixture =
        context
            .getStore(NAMESPACE)
            .computeIfAbsent(Fixture.class, k -> Fixture.open(setupFor(context)), Fixture.class);
    Class<?> type = parameter.getParameter().getType();
    if (type == Secrets.class) {
      return fixture.secrets;
    }
    if (type == RecordingAuditSink.class) {
      return fixture.audit;
    }
    return fixture.store(parameter.findAnnotation(WithSecrets.StoreName.class));
  }

  private Setup setupFor(ExtensionContext context) {
    if (setup != null) {
      return setup;
    }
    for (Optional<ExtensionContext> c = Optional.of(context);
        c.isPresent();
        c = c.get().getParent()) {
      Optional<AnnotatedElement> element = c.get().getElement();
      Optional<WithSecrets> found = AnnotationSupport.findAnnotation(element, WithSecrets.class);
      if (found.isPresent()) {
        return Setup.from(found.get());
      }
    }
    // registered with @ExtendWith(SecretsExtension.class) alone: the defaults
    return builder().setup();
  }

  /** What one facade is built from. */
  static final class Setup {
    final String app;
    final String user;
    final Map<String, StoreSpec> stores;
    final Map<SecretRef, String> seeds;
    final Supplier<Policy> policy;
    final List<Grant> grants;
    final CacheOptions cache;
    final Consumer<Secrets.Builder> customizer;

    private Setup(Builder b) {
      this.app = b.app;
      this.user = b.user;
      this.stores = Collections.unmodifiableMap(new LinkedHashMap<>(b.stores));
      this.seeds = Collections.unmodifiableMap(new LinkedHashMap<>(b.seeds));
      this.policy = b.policy;
      this.grants = List.copyOf(b.grants);
      this.cache = b.cache;
      this.customizer = b.customizer;
    }

    /** The named policy, or {@link DefaultPolicy} with the grants for this app and user. */
    Policy policy() {
      if (policy != null) {
        return policy.get();
      }
      return new DefaultPolicy(PolicyConfig.builder().app(app).user(user).grants(grants).build());
    }

    static Setup from(WithSecrets annotation) {
      Builder b = builder().app(annotation.app());
      if (!annotation.user().isEmpty()) {
        b.user(annotation.user());
      }
      Class<? extends Policy> policyClass = annotation.policy();
      if (policyClass != DefaultPolicy.class) {
        if (annotation.grants().length > 0) {
          throw new ExtensionConfigurationException(
              "@WithSecrets: grants apply to DefaultPolicy only, not to " + policyClass.getName());
        }
        b.policySupplier(() -> instantiate(policyClass));
      }
      for (String pattern : annotation.grants()) {
        b.grant(pattern);
      }
      b.cache(annotation.cache() ? CacheOptions.DEFAULTS : CacheOptions.DISABLED);
      try {
        for (WithSecrets.Store store : annotation.stores()) {
          b.store(
              store.name(),
              store.classification(),
              store.owner().isEmpty() ? null : store.owner(),
              store.ownerFromContainer());
        }
        for (WithSecrets.Seed seed : annotation.seed()) {
          b.seed(seed.ref(), seed.value());
        }
        return b.setup();
      } catch (IllegalArgumentException | InvalidReferenceException | ConfigurationException e) {
        throw new ExtensionConfigurationException("@WithSecrets: " + e.getMessage(), e);
      }
    }

    private static Policy instantiate(Class<? extends Policy> type) {
      try {
        Constructor<? extends Policy> constructor = type.getDeclaredConstructor();
        return constructor.newInstance();
      } catch (NoSuchMethodException
          | InstantiationException
          | IllegalAccessException
          | InvocationTargetException e) {
        throw new ExtensionConfigurationException(
            "@WithSecrets: policy "
                + type.getName()
                + " needs a public no-argument constructor that succeeds ("
                + e
                + ")",
            e);
      }
    }
  }

  /** One declared memory store. */
  record StoreSpec(
      String name, Classification classification, String owner, boolean ownerFromContainer) {

    MemoryStore.Builder builder() {
      MemoryStore.Builder b =
          MemoryStore.builder(name)
              .classification(classification)
              .ownerFromContainer(ownerFromContainer);
      return owner == null ? b : b.owner(owner);
    }
  }

  /** One test's facade, stores and audit record; JUnit closes it when the test ends. */
  static final class Fixture implements AutoCloseable {
    final Secrets secrets;
    final Map<String, MemoryStore> stores;
    final RecordingAuditSink audit;

    private Fixture(Secrets secrets, Map<String, MemoryStore> stores, RecordingAuditSink audit) {
      this.secrets = secrets;
      this.stores = stores;
      this.audit = audit;
    }

    static Fixture open(Setup setup) {
      Map<String, MemoryStore> stores = new LinkedHashMap<>();
      try {
        for (StoreSpec spec : setup.stores.values()) {
          MemoryStore.Builder builder = spec.builder();
          for (Map.Entry<SecretRef, String> seed : setup.seeds.entrySet()) {
            if (seed.getKey().store().equals(spec.name())) {
              try (SecretValue value = SecretValue.ofString(seed.getValue())) {
                builder.seed(seed.getKey(), value);
              }
            }
          }
          stores.put(spec.name(), builder.build());
        }
        RecordingAuditSink audit = new RecordingAuditSink();
        Secrets.Builder builder =
            Secrets.builder()
                .app(setup.app)
                .discovery(false)
                .policy(setup.policy())
                .cache(setup.cache)
                .audit(audit);
        if (setup.user != null) {
          builder.user(setup.user);
        }
        stores.values().forEach(builder::store);
        setup.customizer.accept(builder);
        return new Fixture(builder.build(), Collections.unmodifiableMap(stores), audit);
      } catch (RuntimeException | Error e) {
        stores.values().forEach(MemoryStore::close);
        throw e;
      }
    }

    MemoryStore store(Optional<WithSecrets.StoreName> name) {
      if (name.isPresent()) {
        MemoryStore store = stores.get(name.get().value());
        if (store == null) {
          throw new ParameterResolutionException(
              "no memory store named '"
                  + name.get().value()
                  + "'; the stores are "
                  + stores.keySet());
        }
        return store;
      }
      if (stores.size() != 1) {
        throw new ParameterResolutionException(
            "there are several memory stores "
                + stores.keySet()
                + ": annotate the parameter with @WithSecrets.StoreName");
      }
      return stores.values().iterator().next();
    }

    @Override
    public void close() {
      secrets.close();
    }
  }

  /** Configures a {@link SecretsExtension}. Not thread-safe; build once. */
  public static final class Builder {
    private String app = DEFAULT_APP;
    private String user;
    private final Map<String, StoreSpec> stores = new LinkedHashMap<>();
    private final Map<SecretRef, String> seeds = new LinkedHashMap<>();
    private Supplier<Policy> policy;
    private final List<Grant> grants = new ArrayList<>();
    private CacheOptions cache = CacheOptions.DISABLED;
    private Consumer<Secrets.Builder> customizer = b -> {};

    private Builder() {}

    /** The app the facade acts as; {@value SecretsExtension#DEFAULT_APP} by default. */
    public Builder app(String name) {
      this.app = Objects.requireNonNull(name, "app");
      return this;
    }

    /** The Olares user the app runs for. */
    public Builder user(String name) {
      this.user = Objects.requireNonNull(name, "user");
      return this;
    }

    /** Adds a memory store whose secrets are all of {@code classification}. */
    public Builder store(String name, Classification classification) {
      return store(name, classification, null, true);
    }

    /**
     * Adds a memory store of application credentials or pod secrets with a fixed owner; a null
     * owner means the container names it.
     */
    public Builder store(String name, Classification classification, String owner) {
      return store(name, classification, owner, true);
    }

    private Builder store(
        String name, Classification classification, String owner, boolean ownerFromContainer) {
      Objects.requireNonNull(name, "name");
      if (stores.containsKey(name)) {
        throw new IllegalArgumentException("memory store '" + name + "' is declared twice");
      }
      StoreSpec spec =
          new StoreSpec(
              name,
              Objects.requireNonNull(classification, "classification"),
              owner,
              ownerFromContainer);
      spec.builder(); // validates the name now rather than in the test
      stores.put(name, spec);
      return this;
    }

    /**
     * A secret a store starts with, stored as UTF-8. The reference must name a declared store (or
     * {@value SecretsExtension#DEFAULT_STORE} where none is declared).
     */
    public Builder seed(String ref, String value) {
      SecretRef parsed = SecretRef.parse(ref);
      if (parsed.version().isPresent()) {
        throw new IllegalArgumentException("seed '" + ref + "' must not name a version");
      }
      seeds.put(parsed, Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Grants the app {@code operations} (every operation where none are named) on the references
     * {@code pattern} matches, e.g. {@code mem://shared/**}; for {@link DefaultPolicy} only.
     */
    public Builder grant(String pattern, Operation... operations) {
      Objects.requireNonNull(pattern, "pattern");
      Set<Operation> ops =
          operations.length == 0 ? EnumSet.allOf(Operation.class) : Set.of(operations);
      grants.add(new Grant.RefGrant(null, pattern, ops));
      return this;
    }

    /** A policy in place of {@link DefaultPolicy}; {@link AllowAllPolicy} lifts every rule. */
    public Builder policy(Policy policy) {
      Objects.requireNonNull(policy, "policy");
      this.policy = () -> policy;
      return this;
    }

    private Builder policySupplier(Supplier<Policy> supplier) {
      this.policy = supplier;
      return this;
    }

    /** Cache options; {@link CacheOptions#DISABLED} by default. */
    public Builder cache(CacheOptions options) {
      this.cache = Objects.requireNonNull(options, "cache");
      return this;
    }

    /**
     * Adjusts the facade's builder before each build, e.g. to add an approver, an approval
     * verifier, a clock or more stores.
     */
    public Builder customize(Consumer<Secrets.Builder> customizer) {
      this.customizer = Objects.requireNonNull(customizer, "customizer");
      return this;
    }

    /**
     * The extension.
     *
     * @throws IllegalArgumentException where a seed names a store that was not declared, or grants
     *     are given with a policy other than {@link DefaultPolicy}
     * @throws io.olares.secrets.ConfigurationException where a grant's pattern is invalid
     */
    public SecretsExtension build() {
      return new SecretsExtension(setup());
    }

    Setup setup() {
      if (policy != null && !grants.isEmpty()) {
        throw new IllegalArgumentException(
            "grants apply to DefaultPolicy only; the policy given decides by itself");
      }
      if (policy == null) {
        // checks the patterns now rather than in the test
        new DefaultPolicy(PolicyConfig.builder().app(app).user(user).grants(grants).build());
      }
      if (stores.isEmpty()) {
        store(DEFAULT_STORE, Classification.CREDENTIAL);
      }
      for (SecretRef ref : seeds.keySet()) {
        if (!stores.containsKey(ref.store())) {
          throw new IllegalArgumentException(
              "seed '"
                  + ref
                  + "' names store '"
                  + ref.store()
                  + "', which is not declared; declared stores: "
                  + new ArrayList<>(stores.keySet()));
        }
      }
      return new Setup(this);
    }
  }
}
