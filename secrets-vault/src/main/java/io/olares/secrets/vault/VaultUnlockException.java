package io.olares.secrets.vault;

import io.olares.secrets.AccessDeniedException;

/**
 * The passphrase did not unlock the vault: either it is wrong, or the key material in the vault
 * header (salt, parameters, wrapped key) was altered; the two cannot be told apart without the key.
 */
public class VaultUnlockException extends AccessDeniedException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the vault, never the passphrase. */
  public VaultUnlockException(String message) {
    super(message);
  }
}
