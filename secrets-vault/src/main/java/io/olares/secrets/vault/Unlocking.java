package io.olares.secrets.vault;

import io.olares.secrets.IntegrityException;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.vault.internal.AesGcm;
import io.olares.secrets.vault.internal.Argon2id;
import io.olares.secrets.vault.internal.HeaderRow;
import io.olares.secrets.vault.internal.KeyRing;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * From passphrase to vault key: the checks on a header's key-derivation fields (format, algorithm,
 * floor, ceiling, salt), Argon2id and HKDF to the key-encryption key, and the AES-GCM wrap of the
 * vault key. Stateless.
 */
final class Unlocking {
  /** Length of a new salt. */
  static final int SALT_BYTES = 16;

  private Unlocking() {}

  static void requirePassphrase(char[] passphrase) {
    if (passphrase == null || passphrase.length == 0) {
      throw new IllegalArgumentException("the vault passphrase is empty");
    }
  }

  static void checkParams(KdfParams params, VaultOptions options) {
    if (!params.atLeast(options.kdfFloor())) {
      throw new IllegalArgumentException(
          "Argon2id parameters " + params + " lie below the floor " + options.kdfFloor());
    }
    if (!params.atMost(options.kdfCeiling())) {
      throw new IllegalArgumentException(
          "Argon2id parameters " + params + " exceed the ceiling " + options.kdfCeiling());
    }
  }

  static KdfParams paramsOf(HeaderRow header) {
    return new KdfParams(header.memoryKib(), header.iterations(), header.parallelism());
  }

  /**
   * Checks the header's KDF fields against the floor and ceiling, derives the key-encryption key
   * from the passphrase, and unwraps the vault key.
   */
  static byte[] unlock(HeaderRow header, char[] passphrase, VaultOptions options) {
    checkKdfFields(header, options);
    byte[] kek = keyEncryptionKey(passphrase, header);
    try {
      return unwrap(header, kek);
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  static void checkKdfFields(HeaderRow header, VaultOptions options) {
    if (header.format() != HeaderRow.FORMAT) {
      throw new IntegrityException(
          "vault header has format " + header.format() + "; this library reads format 1");
    }
    if (!HeaderRow.KDF.equals(header.kdfAlgorithm()) || header.kdfVersion() != Argon2id.VERSION) {
      throw new IntegrityException(
          "vault header names key derivation '"
              + header.kdfAlgorithm()
              + "' version "
              + header.kdfVersion()
              + "; only argon2id version 19 is accepted");
    }
    KdfParams params;
    try {
      params = paramsOf(header);
    } catch (IllegalArgumentException e) {
      throw new IntegrityException("vault header has invalid Argon2id parameters");
    }
    if (!params.atLeast(options.kdfFloor())) {
      throw new IntegrityException(
          "vault header's Argon2id parameters "
              + params
              + " lie below the floor "
              + options.kdfFloor()
              + ": refusing to derive a key (the header may have been downgraded)");
    }
    if (!params.atMost(options.kdfCeiling())) {
      throw new IntegrityException(
          "vault header's Argon2id parameters "
              + params
              + " exceed the ceiling "
              + options.kdfCeiling()
              + ": refusing to derive a key");
    }
    if (header.salt() == null || header.salt().length < SALT_BYTES) {
      throw new IntegrityException("vault header's salt is shorter than 16 bytes");
    }
  }

  static byte[] keyEncryptionKey(char[] passphrase, HeaderRow header) {
    byte[] password = utf8(passphrase);
    byte[] master = null;
    try {
      master =
          Argon2id.derive(
              password,
              header.salt(),
              header.memoryKib(),
              header.iterations(),
              header.parallelism(),
              null,
              null,
              32);
      return KeyRing.keyEncryptionKey(master, header.vaultId());
    } finally {
      Arrays.fill(password, (byte) 0);
      if (master != null) {
        Arrays.fill(master, (byte) 0);
      }
    }
  }

  static byte[] unwrap(HeaderRow header, byte[] kek) {
    byte[] wrapped = header.wrappedKey();
    if (wrapped == null
        || wrapped.length != AesGcm.NONCE_BYTES + AesGcm.KEY_BYTES + AesGcm.TAG_BYTES) {
      throw new IntegrityException("vault header's wrapped key has the wrong length");
    }
    try {
      return AesGcm.decrypt(
          kek,
          Arrays.copyOf(wrapped, AesGcm.NONCE_BYTES),
          Arrays.copyOfRange(wrapped, AesGcm.NONCE_BYTES, wrapped.length),
          header.wrapAssociatedData());
    } catch (IntegrityException e) {
      throw new VaultUnlockException(
          "the passphrase does not unlock vault "
              + header.vaultId()
              + " (or the header's salt, parameters or wrapped key were altered)");
    }
  }

  static HeaderRow withWrappedKey(
      HeaderRow header, byte[] kek, byte[] vaultKey, VaultOptions options) {
    byte[] nonce = AesGcm.newNonce(options.random());
    byte[] ct = AesGcm.encrypt(kek, nonce, vaultKey, header.wrapAssociatedData());
    byte[] wrapped = new byte[nonce.length + ct.length];
    System.arraycopy(nonce, 0, wrapped, 0, nonce.length);
    System.arraycopy(ct, 0, wrapped, nonce.length, ct.length);
    return header.withWrappedKey(wrapped);
  }

  static byte[] utf8(char[] chars) {
    ByteBuffer buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    if (buf.hasArray()) {
      Arrays.fill(buf.array(), (byte) 0);
    }
    return out;
  }

  static void requireSameWrap(HeaderRow current, HeaderRow expected) {
    if (!Arrays.equals(current.wrapAssociatedData(), expected.wrapAssociatedData())
        || !Arrays.equals(current.wrappedKey(), expected.wrappedKey())) {
      throw new StoreUnavailableException(
          "vault "
              + current.vaultId()
              + " was rekeyed or rotated by another process since it was unlocked; unlock it"
              + " again");
    }
  }
}
