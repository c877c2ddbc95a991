package io.olares.secrets.spi;

import io.olares.secrets.SecretRef;

/** Told when a stored secret changes or disappears; called from the store's own thread. */
@FunctionalInterface
public interface ChangeListener {
  /** The secret at {@code ref} (a base reference, or a container prefix) changed or was removed. */
  void changed(SecretRef ref);
}
