package io.olares.secrets.approval;

import io.olares.secrets.ConfigurationException;
import java.util.Objects;

/**
 * A text that should be an Ed25519 {@code did:key} is not one; {@link #problem()} says what is
 * wrong. DIDs are public identifiers, but the message quotes at most a short prefix of the text.
 */
public class InvalidDidException extends ConfigurationException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the DID. */
  public enum Problem {
    /** The text does not start with {@code did:key:z}. */
    WRONG_PREFIX,
    /** The text after {@code did:key:z} is not base58btc. */
    BAD_BASE58,
    /** The multicodec prefix is not {@code 0xed 0x01} (Ed25519 public key). */
    WRONG_MULTICODEC,
    /** The key is not 32 bytes long, or the text is too long to be a did:key. */
    WRONG_LENGTH
  }

  private final Problem problem;

  /** Creates the exception. */
  public InvalidDidException(Problem problem, String message) {
    super(message);
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** What is wrong with the DID. */
  public Problem problem() {
    return problem;
  }
}
