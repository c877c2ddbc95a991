package io.olares.secrets.spi;

/** What a store can do beyond reading. */
public enum Capability {
  READ,
  WRITE,
  DELETE,
  LIST,
  /** Keeps versions and reads {@code ?version=}. */
  VERSIONS,
  /** Holds arbitrary bytes, not only UTF-8 text. */
  BINARY,
  /** Notifies about changes ({@link SecretStore#watch}). */
  WATCH,
  /** Issues and verifies approval requests itself ({@link SecretStore#approvalRequest}). */
  APPROVAL,
  /** Signs messages with a key that never leaves the store ({@link SecretStore#sign}). */
  SIGN
}
