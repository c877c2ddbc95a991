package io.olares.secrets.vault;

import io.olares.secrets.IntegrityException;
import io.olares.secrets.SecretValue;
import io.olares.secrets.vault.internal.Decoder;
import io.olares.secrets.vault.internal.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plaintext layouts inside item ciphertexts.
 *
 * <pre>
 * name  = u8 format(1) ‖ u8 kind ‖ UTF-8 name
 * value = u8 format(1) ‖ u8 kind ‖ u16 count ‖ count × (u16 len ‖ field name ‖ u32 len ‖ bytes)
 * </pre>
 *
 * Fields are written in sorted order, so an item has exactly one encoding.
 */
final class ItemCodec {
  static final int FORMAT = 1;

  /** A decrypted name and the kind stored beside it. */
  record Name(ItemKind kind, String name) {}

  private ItemCodec() {}

  static byte[] encodeName(ItemKind kind, String name) {
    return new Encoder()
        .u8(FORMAT)
        .u8(kind.code())
        .raw(name.getBytes(StandardCharsets.UTF_8))
        .toByteArray();
  }

  static Name decodeName(byte[] plaintext) {
    Decoder d = new Decoder(plaintext, "item name");
    checkFormat(d.u8());
    ItemKind kind = kind(d.u8());
    return new Name(kind, d.utf8(d.rest()));
  }

  static byte[] encodeValue(VaultItem item) {
    Encoder e = new Encoder().u8(FORMAT).u8(item.kind().code()).u16(item.fields().size());
    for (Map.Entry<String, SecretValue> f : new TreeMap<>(item.fields()).entrySet()) {
      e.shortBytes(f.getKey().getBytes(StandardCharsets.UTF_8));
      byte[] value = f.getValue().revealBytes();
      try {
        e.bytes(value);
      } finally {
        Arrays.fill(value, (byte) 0);
      }
    }
    return e.toByteArrayAndWipe();
  }

  static VaultItem decodeValue(byte[] plaintext, ItemKind expectedKind) {
    Decoder d = new Decoder(plaintext, "item value");
    checkFormat(d.u8());
    ItemKind kind = kind(d.u8());
    if (kind != expectedKind) {
      throw new IntegrityException("item value's kind differs from its name's");
    }
    int count = d.u16();
    TreeMap<String, SecretValue> fields = new TreeMap<>();
    try {
      for (int i = 0; i < count; i++) {
        String field = d.shortText();
        SecretValue value = SecretValue.adopt(d.bytes());
        if (fields.put(field, value) != null) {
          throw new IntegrityException("item value repeats a field");
        }
      }
      d.end();
    } catch (RuntimeException e) {
      fields.values().forEach(SecretValue::close);
      throw e;
    }
    return VaultItem.adopt(kind, fields);
  }

  private static void checkFormat(int format) {
    if (format != FORMAT) {
      throw new IntegrityException("item plaintext has unknown format " + format);
    }
  }

  private static ItemKind kind(int code) {
    ItemKind kind = ItemKind.fromCode(code);
    if (kind == null) {
      throw new IntegrityException("item plaintext has unknown kind " + code);
    }
    return kind;
  }
}
