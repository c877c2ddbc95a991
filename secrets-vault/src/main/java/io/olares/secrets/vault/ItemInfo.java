package io.olares.secrets.vault;

import io.olares.secrets.SecretMetadata;
import io.olares.secrets.SecretRef;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the vault tells about an item without decrypting its value: its name, kind, version and
 * times. Holds nothing secret.
 *
 * @param name the item's name, {@code <container>/<path>} in reference syntax
 * @param kind its kind
 * @param version increases by one on every write
 * @param created when it was first written
 * @param updated when it was last written
 */
public record ItemInfo(String name, ItemKind kind, long version, Instant created, Instant updated) {
  /** Validates. */
  public ItemInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(updated, "updated");
  }

  /** The reference to this item in the store named {@code store}. */
  public SecretRef ref(String store) {
    return ItemNames.toRef(store, name);
  }

  /** The metadata the SPI reports: version, times, and the kind as label {@code kind}. */
  public SecretMetadata metadata() {
    return new SecretMetadata(
        Long.toString(version), created, updated, null, Map.of("kind", kind.wireName()));
  }
}
