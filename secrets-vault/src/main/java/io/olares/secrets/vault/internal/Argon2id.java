package io.olares.secrets.vault.internal;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Argon2id (RFC 9106), version 0x13, through Bouncy Castle. Thread-safe. */
public final class Argon2id {
  /** The Argon2 version number this vault writes and accepts (1.3). */
  public static final int VERSION = Argon2Parameters.ARGON2_VERSION_13;

  private Argon2id() {}

  /** Derives {@code length} bytes; {@code secret} and {@code associatedData} may be null. */
  public static byte[] derive(
      byte[] password,
      byte[] salt,
      int memoryKib,
      int iterations,
      int parallelism,
      byte[] secret,
      byte[] associatedData,
      int length) {
    Argon2Parameters.Builder params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(VERSION)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt);
    if (secret != null) {
      params.withSecret(secret);
    }
    if (associatedData != null) {
      params.withAdditional(associatedData);
    }
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params.build());
    byte[] out = new byte[length];
    generator.generateBytes(password, out);
    return out;
  }
}
