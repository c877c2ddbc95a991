package io.olares.secrets.vault;

import io.olares.secrets.vault.internal.AesGcm;
import io.olares.secrets.vault.internal.HeaderRow;
import java.util.Arrays;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The administrative side of an open vault, unlocked by presenting the passphrase again ({@link
 * Vault#admin}): the trusted DIDs, the passphrase (rekey), and the vault key (rotation). Holds the
 * key-encryption key and the vault key until closed; closing wipes them. Not meant to be kept
 * around: open, change, close. Thread-safe.
 */
public final class VaultAdmin implements AutoCloseable {
  private final Vault vault;
  private HeaderRow unlocked;
  private byte[] kek;
  private byte[] vaultKey;
  private boolean closed;

  VaultAdmin(Vault vault, HeaderRow unlocked, byte[] kek, byte[] vaultKey) {
    this.vault = vault;
    this.unlocked = unlocked;
    this.kek = kek;
    this.vaultKey = vaultKey;
  }

  /** The DIDs whose approvals the vault accepts. */
  public SortedSet<String> trusted() {
    return vault.trusted();
  }

  /**
   * Adds an Ed25519 {@code did:key} to the trusted list (a no-op where present) and returns the new
   * list. The change is authenticated under the vault key.
   */
  public synchronized SortedSet<String> trust(String did) {
    checkOpen();
    String checked = Vault.checkDid(did);
    return vault.changeTrust(
        current -> {
          SortedSet<String> next = new TreeSet<>(current);
          next.add(checked);
          return next;
        });
  }

  /** Removes a DID from the trusted list (a no-op where absent) and returns the new list. */
  public synchronized SortedSet<String> untrust(String did) {
    checkOpen();
    Objects.requireNonNull(did, "did");
    return vault.changeTrust(
        current -> {
          SortedSet<String> next = new TreeSet<>(current);
          next.remove(did);
          return next;
        });
  }

  /** Changes the passphrase, keeping the Argon2id parameters; items are untouched. */
  public void rekey(char[] newPassphrase) {
    rekey(newPassphrase, vault.kdfParams());
  }

  /**
   * Changes the passphrase and the Argon2id parameters (a fresh salt either way): the vault key is
   * rewrapped under the new key-encryption key; items are untouched. Other processes that have the
   * vault open keep working. A copy of the old header still opens with the old passphrase, so after
   * a suspected leak of the passphrase use {@link #rotate} as well.
   *
   * @throws IllegalArgumentException where the parameters lie outside the vault's floor and ceiling
   */
  public synchronized void rekey(char[] newPassphrase, KdfParams params) {
    checkOpen();
    Objects.requireNonNull(params, "params");
    if (newPassphrase == null || newPassphrase.length == 0) {
      throw new IllegalArgumentException("the new vault passphrase is empty");
    }
    VaultOptions options = vault.options();
    if (!params.atLeast(options.kdfFloor()) || !params.atMost(options.kdfCeiling())) {
      throw new IllegalArgumentException(
          "Argon2id parameters "
              + params
              + " lie outside "
              + options.kdfFloor()
              + " .. "
              + options.kdfCeiling());
    }
    byte[] salt = new byte[Unlocking.SALT_BYTES];
    options.random().nextBytes(salt);
    HeaderRow fresh =
        unlocked.withKdf(
            params.memoryKib(),
            params.iterations(),
            params.parallelism(),
            salt,
            options.clock().millis());
    byte[] newKek = Unlocking.keyEncryptionKey(newPassphrase, fresh);
    try {
      HeaderRow rewrapped = Unlocking.withWrappedKey(fresh, newKek, vaultKey, options);
      vault.replaceKeyWrap(unlocked, rewrapped);
      Arrays.fill(kek, (byte) 0);
      kek = newKek;
      newKek = null;
      unlocked = rewrapped;
    } finally {
      if (newKek != null) {
        Arrays.fill(newKek, (byte) 0);
      }
    }
  }

  /**
   * Replaces the vault key with a new random one and re-encrypts every item under it, in one
   * transaction (all or nothing), after checking every bucket so that nothing tampered is
   * re-authenticated. {@code progress} hears of each item. Processes that have the vault open
   * elsewhere must open it again.
   */
  public synchronized void rotate(RotationProgress progress) {
    checkOpen();
    Objects.requireNonNull(progress, "progress");
    byte[] next = new byte[AesGcm.KEY_BYTES];
    vault.options().random().nextBytes(next);
    try {
      HeaderRow written = vault.rotateTo(unlocked, kek, next, progress);
      Arrays.fill(vaultKey, (byte) 0);
      vaultKey = next.clone();
      unlocked = written;
    } finally {
      Arrays.fill(next, (byte) 0);
    }
  }

  /** Wipes the keys. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Arrays.fill(kek, (byte) 0);
    Arrays.fill(vaultKey, (byte) 0);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this vault admin session is closed");
    }
  }

  @Override
  public String toString() {
    return "VaultAdmin[" + vault.id() + "]";
  }
}
