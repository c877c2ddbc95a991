package io.olares.secrets.vault;

/** Told how far a full key rotation has come; called on the rotating thread. */
@FunctionalInterface
public interface RotationProgress {
  /** A rotation that reports nothing. */
  RotationProgress NONE = (done, total) -> {};

  /** {@code done} of {@code total} items are re-encrypted (not yet committed). */
  void progress(long done, long total);
}
