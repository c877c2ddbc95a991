package io.olares.secrets.testing;

import io.olares.secrets.Classification;
import io.olares.secrets.policy.DefaultPolicy;
import io.olares.secrets.policy.Policy;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test a ready {@link io.olares.secrets.Secrets} over memory stores: declare a parameter of
 * type {@code Secrets} (and, where useful, {@link MemoryStore} or {@link RecordingAuditSink}). Each
 * test method gets a fresh instance, closed after the test.
 *
 * <pre>{@code
 * @WithSecrets(
 *     app = "myapp",
 *     stores = @WithSecrets.Store(name = "own", classification = APPLICATION_CREDENTIAL),
 *     seed = @WithSecrets.Seed(ref = "own://myapp/api-key", value = "made-up-key"),
 *     grants = "own://myapp/**")
 * class ClientTest {
 *   @Test
 *   void readsItsKey(Secrets secrets) { ... }
 * }
 * }</pre>
 *
 * <p>On a method it replaces the annotation of the class. Seed values sit in test source: use
 * made-up values only.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SecretsExtension.class)
public @interface WithSecrets {
  /** The app the facade acts as, for policy and audit. */
  String app() default SecretsExtension.DEFAULT_APP;

  /** The Olares user the app runs for; empty for none. */
  String user() default "";

  /** The memory stores; by default one store of credentials named {@code mem}. */
  Store[] stores() default @Store(name = SecretsExtension.DEFAULT_STORE);

  /** Secrets the stores start with; each reference names one of {@link #stores()}. */
  Seed[] seed() default {};

  /**
   * The policy. By default it is {@link DefaultPolicy}, the rules an app meets in production, with
   * {@link #grants()}; any other policy is created through its public no-argument constructor, e.g.
   * {@link AllowAllPolicy} where policy is not what the test is about.
   */
  Class<? extends Policy> policy() default DefaultPolicy.class;

  /**
   * Reference patterns the app is granted every operation on, as {@link DefaultPolicy} reads them:
   * {@code mem://shared/**}. Only for the default policy.
   */
  String[] grants() default {};

  /** Whether reads go through the facade's cache (with default options); off by default. */
  boolean cache() default false;

  /** One memory store. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({})
  @interface Store {
    /** The store's name: references to it start with {@code name://}. */
    String name();

    /** The classification of every secret in it. */
    Classification classification() default Classification.CREDENTIAL;

    /** A fixed owner for application credentials and pod secrets; empty to use the container. */
    String owner() default "";

    /** Whether the container names the owner where no {@link #owner()} is set. */
    boolean ownerFromContainer() default true;
  }

  /** One secret a store starts with. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({})
  @interface Seed {
    /** Its reference, e.g. {@code mem://myapp/token}. */
    String ref();

    /** Its value, stored as UTF-8. */
    String value();
  }

  /** Selects which memory store a {@link MemoryStore} parameter receives. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @Documented
  @interface StoreName {
    /** The store's name. */
    String value();
  }
}
