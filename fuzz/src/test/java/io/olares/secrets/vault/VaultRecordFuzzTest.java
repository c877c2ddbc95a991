package io.olares.secrets.vault;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.olares.secrets.IntegrityException;
import java.util.Arrays;

/**
 * The vault's record decoders ({@code ItemCodec}, over {@code Decoder}) on arbitrary plaintexts: a
 * name or an item value either decodes or fails with {@link IntegrityException}, never anything
 * else; a value that decodes encodes back to exactly the same bytes (the layout gives every item
 * one encoding). The first input byte picks the expected kind; the rest is the plaintext.
 *
 * <p>This class sits in the vault's package (on the class path) to reach the package-private codec.
 */
class VaultRecordFuzzTest {
  private static final ItemKind[] KINDS = ItemKind.values();

  @FuzzTest(maxDuration = "60s")
  void recordsDecodeOrFailWithTheIntegrityError(byte[] input) {
    if (input.length == 0) {
      return;
    }
    ItemKind expected = KINDS[(input[0] & 0xff) % KINDS.length];
    byte[] plaintext = Arrays.copyOfRange(input, 1, input.length);
    try {
      ItemCodec.Name name = ItemCodec.decodeName(plaintext.clone());
      if (name.kind() == null || name.name() == null) {
        throw new AssertionError("a decoded name lacks its kind or text");
      }
    } catch (IntegrityException e) {
      // malformed: the documented outcome
    } catch (RuntimeException e) {
      throw new AssertionError("name decoding threw " + e.getClass().getName(), e);
    }
    VaultItem item;
    try {
      item = ItemCodec.decodeValue(plaintext.clone(), expected);
    } catch (IntegrityException e) {
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("value decoding threw " + e.getClass().getName(), e);
    }
    try (item;
        VaultItem again = ItemCodec.decodeValue(ItemCodec.encodeValue(item), expected)) {
      if (again.kind() != item.kind() || !again.fieldNames().equals(item.fieldNames())) {
        throw new AssertionError("a re-encoded item value decodes to other fields");
      }
      for (String field : item.fieldNames()) {
        if (!again.field(field).orElseThrow().equalsConstantTime(item.field(field).orElseThrow())) {
          throw new AssertionError("a re-encoded item value decodes to another value");
        }
      }
      item.toString();
    }
  }
}
