package io.olares.secrets.spi;

import io.olares.secrets.Classification;
import io.olares.secrets.internal.StoreRegistry;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link java.util.ServiceLoader} discovery finds on the module and class path: the store
 * providers that can be used, and the ones that were skipped with the reason. {@code olares-secrets
 * stores} prints this.
 *
 * @param providers usable providers, sorted by type
 * @param problems providers that were skipped, and types claimed by more than one provider
 */
public record StoreProviders(List<Entry> providers, List<Problem> problems) {

  /**
   * One usable provider.
   *
   * @param type the store type it opens
   * @param classifications the kinds of secret its stores hold
   * @param apiVersion the SPI version it speaks
   * @param description its one-line description
   * @param providerClass its class name
   * @param module its module name, or the jar it came from on the class path
   * @param explicit true where it was registered in code rather than discovered
   */
  public record Entry(
      String type,
      Set<Classification> classifications,
      int apiVersion,
      String description,
      String providerClass,
      String module,
      boolean explicit) {
    /** Validates. */
    public Entry {
      Objects.requireNonNull(type, "type");
      classifications = Set.copyOf(classifications);
      Objects.requireNonNull(providerClass, "providerClass");
    }
  }

  /**
   * A provider that cannot be used, or a type claimed twice.
   *
   * @param providerClass the class name(s) concerned, or what the service loader reported
   * @param problem what is wrong
   */
  public record Problem(String providerClass, String problem) {}

  /** Copies the lists. */
  public StoreProviders {
    providers = List.copyOf(providers);
    problems = List.copyOf(problems);
  }

  /** Discovers the providers visible to this module through {@link java.util.ServiceLoader}. */
  public static StoreProviders discover() {
    return StoreRegistry.discover(List.of()).listing();
  }
}
