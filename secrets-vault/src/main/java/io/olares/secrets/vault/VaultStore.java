package io.olares.secrets.vault;

import io.olares.secrets.Classification;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.approval.ApprovalRequest;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link Vault} seen through the store SPI. A reference {@code <store>://<container>/<path>}
 * names the item {@code <container>/<path>}; {@code #field} picks a field (else the kind's default
 * field); {@code ?version=} reads only the current version. Every read and sign verifies the
 * approval in the {@link AccessContext} against a request from {@link #approvalRequest}; a read
 * without one throws {@link io.olares.secrets.ApprovalRequiredException} carrying the request. A
 * write to a new item creates an item of the store's default kind. Thread-safe.
 */
public final class VaultStore implements SecretStore {
  private static final Set<Capability> CAPABILITIES =
      EnumSet.of(
          Capability.READ,
          Capability.WRITE,
          Capability.DELETE,
          Capability.LIST,
          Capability.BINARY,
          Capability.APPROVAL,
          Capability.SIGN);

  private final String name;
  private final Vault vault;
  private final ItemKind defaultKind;

  /** Wraps {@code vault} as the store {@code name}; closing the store closes the vault. */
  public VaultStore(String name, Vault vault, ItemKind defaultKind) {
    this.name = Objects.requireNonNull(name, "name");
    this.vault = Objects.requireNonNull(vault, "vault");
    this.defaultKind = Objects.requireNonNull(defaultKind, "defaultKind");
  }

  /** The vault behind this store. */
  public Vault vault() {
    return vault;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return VaultStoreProvider.TYPE;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public ResourceInfo describe(SecretRef ref, String app) {
    return ResourceInfo.of(Classification.VAULT_ITEM);
  }

  @Override
  public Optional<Secret> read(SecretRef ref, AccessContext context) {
    checkStore(ref);
    return vault
        .readFieldIfPresent(
            ItemNames.of(ref),
            ref.field().orElse(null),
            ref.version().orElse(null),
            context.app(),
            context.approval())
        .map(r -> new Secret(ref, Classification.VAULT_ITEM, r.value(), r.info().metadata()));
  }

  @Override
  public void write(SecretRef ref, SecretValue value, AccessContext context) {
    checkStore(ref);
    if (ref.version().isPresent()) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' names a version; a write always makes the next one");
    }
    vault.putField(ItemNames.of(ref), ref.field().orElse(null), value, defaultKind);
  }

  @Override
  public boolean delete(SecretRef ref, AccessContext context) {
    checkStore(ref);
    if (ref.field().isPresent() || ref.version().isPresent()) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' names a field or version; delete removes whole items");
    }
    return vault.delete(ItemNames.of(ref));
  }

  @Override
  public List<SecretInfo> list(SecretRef prefix, AccessContext context) {
    checkStore(prefix);
    return vault.list(ItemNames.prefixOf(prefix)).stream()
        .map(i -> new SecretInfo(i.ref(name), Classification.VAULT_ITEM, i.metadata()))
        .toList();
  }

  @Override
  public ApprovalRequest approvalRequest(SecretRef ref, Operation operation, String app) {
    checkStore(ref);
    return vault.approvalRequest(ItemNames.of(ref), operation, app);
  }

  @Override
  public byte[] sign(SecretRef ref, byte[] message, AccessContext context) {
    checkStore(ref);
    return vault.sign(ItemNames.of(ref), message, context.app(), context.approval());
  }

  @Override
  public void close() {
    vault.close();
  }

  private void checkStore(SecretRef ref) {
    if (!ref.store().equals(name)) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' names store '" + ref.store() + "', not '" + name + "'");
    }
  }

  @Override
  public String toString() {
    return "VaultStore[" + name + ", " + vault + "]";
  }
}
