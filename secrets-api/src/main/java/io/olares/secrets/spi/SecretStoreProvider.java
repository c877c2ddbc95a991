package io.olares.secrets.spi;

import io.olares.secrets.Classification;
import java.util.Set;

/**
 * Creates stores of one type. Found through {@link java.util.ServiceLoader} (each backend module
 * {@code provides} it) or registered explicitly with {@code Secrets.builder().provider(...)}.
 *
 * <p>Implementations must be thread-safe and cheap to construct: discovery instantiates every
 * provider on the module or class path, and a provider whose constructor or {@link #type()} throws
 * is reported and skipped.
 */
public interface SecretStoreProvider {
  /** The SPI version this build of the API speaks. */
  int API_VERSION = 1;

  /** The store type named by configuration ({@code type: vault}); unique across providers. */
  String type();

  /** The classifications secrets in stores of this type can have. */
  Set<Classification> classifications();

  /** The SPI version the provider was built against; a mismatch is reported and skipped. */
  default int apiVersion() {
    return API_VERSION;
  }

  /** A one-line, human description for {@code olares-secrets stores}. */
  default String description() {
    return type();
  }

  /**
   * Opens a store instance.
   *
   * @throws io.olares.secrets.ConfigurationException where the options are wrong or incomplete
   * @throws io.olares.secrets.StoreUnavailableException where the backend cannot be reached
   */
  SecretStore open(StoreConfig config, StoreContext context);
}
