package io.olares.secrets.spi;

import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.approval.ApprovalRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One configured store instance. Implementations must be thread-safe; the facade calls them from
 * many threads and has already applied policy before any call here.
 *
 * <p>Contract for every method: exceptions are {@link io.olares.secrets.SecretsException}
 * subclasses whose messages never contain a value; a failed write leaves what was stored before
 * intact.
 */
public interface SecretStore extends AutoCloseable {
  /** The instance name references use as {@code <store>}. */
  String name();

  /** The provider type that opened this store. */
  String type();

  /** What this store supports. */
  Set<Capability> capabilities();

  /** Classifies a reference for {@code app} without reading anything. */
  ResourceInfo describe(SecretRef ref, String app);

  /**
   * Classifies a reference for {@code app} and one operation on it, without reading anything. The
   * facade asks this before every access, so that a store whose permissions differ by operation (a
   * provider op per read, write, delete and list) can name the one the access needs. By default the
   * same as {@link #describe(SecretRef, String)}.
   */
  default ResourceInfo describe(SecretRef ref, String app, io.olares.secrets.Operation operation) {
    return describe(ref, app);
  }

  /** Reads a secret; empty where it does not exist. */
  Optional<Secret> read(SecretRef ref, AccessContext context);

  /** Creates or replaces a secret. */
  void write(SecretRef ref, SecretValue value, AccessContext context);

  /** Deletes a secret; false where there was nothing to delete. */
  boolean delete(SecretRef ref, AccessContext context);

  /** Lists the secrets at or below {@code prefix}, without values. */
  List<SecretInfo> list(SecretRef prefix, AccessContext context);

  /**
   * Issues an approval request for this use, bound to what only the store knows (its identity and
   * the item's). Stores with {@link Capability#APPROVAL} implement this.
   */
  default ApprovalRequest approvalRequest(SecretRef ref, Operation operation, String app) {
    throw new UnsupportedOperationException(type() + " stores do not issue approval requests");
  }

  /** Signs {@code message} with a key kept in the store. Stores with {@link Capability#SIGN}. */
  default byte[] sign(SecretRef ref, byte[] message, AccessContext context) {
    throw new UnsupportedOperationException(type() + " stores cannot sign");
  }

  /**
   * Subscribes to changes of stored secrets; empty where the store cannot notify. Closing the
   * returned handle ends the subscription.
   */
  default Optional<AutoCloseable> watch(ChangeListener listener) {
    return Optional.empty();
  }

  /** Releases connections and threads; idempotent. */
  @Override
  void close();
}
