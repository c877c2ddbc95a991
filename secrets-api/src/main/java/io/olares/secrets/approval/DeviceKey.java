package io.olares.secrets.approval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.IntegrityException;
import io.olares.secrets.SecretValue;
import io.olares.secrets.StoreUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The user's device key: an Ed25519 key pair whose {@code did:key} a vault trusts, and which signs
 * approvals as LarePass does. It is generated at random, taken from a 32-byte seed, or derived from
 * a BIP39 mnemonic exactly as LarePass derives it (empty passphrase, SLIP-0010 ed25519 master key),
 * so the same words give the same DID on the phone and here.
 *
 * <p>A key file is JSON holding the DID and the base64url private key; it is created atomically
 * with permissions {@code 0600} (there is no moment when another user could read it) and is refused
 * on load where group or others have any access to it.
 *
 * <p>Instances are immutable and thread-safe. The private key never appears in {@link #toString()},
 * messages or logs.
 */
public final class DeviceKey {
  private static final String FILE_TYPE = "olares-secrets-device-key";
  private static final int FILE_VERSION = 1;
  private static final int MAX_FILE_SIZE = 4096;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);
  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private final byte[] seed;
  private final PrivateKey privateKey;
  private final byte[] publicKey;
  private final String did;

  private DeviceKey(byte[] seed) {
    this.seed = seed.clone();
    this.privateKey = Ed25519.privateKey(this.seed);
    this.publicKey = Ed25519.publicKeyOf(this.seed);
    this.did = DidKey.encode(publicKey);
  }

  /** A new random key from a fresh {@link SecureRandom}. */
  public static DeviceKey generate() {
    return generate(new SecureRandom());
  }

  /** A new random key from {@code random}. */
  public static DeviceKey generate(SecureRandom random) {
    byte[] seed = new byte[Ed25519.KEY_LENGTH];
    random.nextBytes(seed);
    try {
      return new DeviceKey(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * The key whose RFC 8032 private key is the 32-byte {@code seed}; the array is copied.
   *
   * @throws IllegalArgumentException where the seed is not 32 bytes
   */
  public static DeviceKey fromSeed(byte[] seed) {
    Objects.requireNonNull(seed, "seed");
    if (seed.length != Ed25519.KEY_LENGTH) {
      throw new IllegalArgumentException("a device key seed has 32 bytes, not " + seed.length);
    }
    return new DeviceKey(seed);
  }

  /**
   * LarePass' key for an English BIP39 mnemonic: the SLIP-0010 ed25519 master key of the BIP39 seed
   * with an empty passphrase. The words are taken in {@link Bip39#canonical canonical form} (case
   * and spacing do not matter) and validated with their checksum first.
   *
   * @throws ConfigurationException where the mnemonic is not valid; the message never quotes it
   */
  public static DeviceKey fromMnemonic(String mnemonic) {
    String words = Bip39.canonical(mnemonic);
    Bip39.validate(words);
    byte[] bip39Seed = Bip39.seed(words, "");
    Slip10.ExtendedKey master = Slip10.master(bip39Seed);
    byte[] key = master.privateKey();
    try {
      return new DeviceKey(key);
    } finally {
      Arrays.fill(bip39Seed, (byte) 0);
      Arrays.fill(key, (byte) 0);
      master.destroy();
    }
  }

  /**
   * As {@link #fromMnemonic(String)}, for a mnemonic held as UTF-8 bytes.
   *
   * @throws ConfigurationException where the mnemonic is not valid
   */
  public static DeviceKey fromMnemonic(SecretValue mnemonic) {
    return fromMnemonic(mnemonic.revealString());
  }

  /** The key's {@code did:key}. */
  public String did() {
    return did;
  }

  /** A copy of the raw 32-byte Ed25519 public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The Ed25519 signature (64 bytes) of {@code message}. */
  public byte[] sign(byte[] message) {
    return Ed25519.sign(privateKey, Objects.requireNonNull(message, "message"));
  }

  /**
   * Writes the key to a new file readable by its owner only ({@code 0600}), creating missing parent
   * directories with {@code 0700}. The file appears complete or not at all.
   *
   * @throws ConfigurationException where the file exists already (a device key is never
   *     overwritten) or the file system has no POSIX permissions
   * @throws StoreUnavailableException where writing fails
   */
  public void save(Path file) {
    Objects.requireNonNull(file, "file");
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw exists(target);
    }
    byte[] content = fileContent();
    Path tmp = null;
    try {
      if (!Files.isDirectory(dir)) {
        createDirectories(dir);
      }
      tmp =
          Files.createTempFile(
              dir, ".device-key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      publish(tmp, target);
      syncDirectory(dir);
    } catch (UnsupportedOperationException e) {
      throw new ConfigurationException(
          "cannot save the device key to "
              + target
              + ": its file system has no POSIX permissions, so the key could not be kept private");
    } catch (FileAlreadyExistsException e) {
      throw exists(target);
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "cannot save the device key to " + target + ": " + e.getClass().getSimpleName(), e);
    } finally {
      Arrays.fill(content, (byte) 0);
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // the temporary name is unique and owner-only; nothing else to do
        }
      }
    }
  }

  private static void createDirectories(Path dir) throws IOException {
    Path parent = dir.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createDirectories(parent);
    }
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  /** Makes {@code tmp} visible as {@code target}, failing where target exists. */
  private static void publish(Path tmp, Path target) throws IOException {
    try {
      Files.createLink(target, tmp);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException | UnsupportedOperationException e) {
      // no hard links here: a plain move still refuses an existing target
      Files.move(tmp, target);
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // some platforms cannot open a directory; the file itself is synced
    }
  }

  private static ConfigurationException exists(Path target) {
    return new ConfigurationException(
        target + " already exists; a device key file is never overwritten");
  }

  private byte[] fileContent() {
    byte[] encoded = Base64.getUrlEncoder().withoutPadding().encode(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(
        ("{\"type\":\""
                + FILE_TYPE
                + "\",\"version\":"
                + FILE_VERSION
                + ",\"did\":\""
                + did
                + "\",\"privateKey\":\"")
            .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(encoded);
    out.writeBytes("\"}\n".getBytes(StandardCharsets.US_ASCII));
    Arrays.fill(encoded, (byte) 0);
    return out.toByteArray();
  }

  /**
   * Reads a key file written by {@link #save}.
   *
   * @throws ConfigurationException where the file is missing, not a device key file, or accessible
   *     to group or others
   * @throws IntegrityException where the private key does not match the DID written beside it
   * @throws StoreUnavailableException where reading fails
   */
  public static DeviceKey load(Path file) {
    Objects.requireNonNull(file, "file");
    PosixFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, PosixFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("device key file " + file + " does not exist");
    } catch (UnsupportedOperationException e) {
      throw new ConfigurationException(
          "cannot check who may read device key file "
              + file
              + ": its file system has no POSIX permissions");
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "cannot read device key file " + file + ": " + e.getClass().getSimpleName(), e);
    }
    if (!attrs.isRegularFile()) {
      throw new ConfigurationException("device key file " + file + " is not a regular file");
    }
    Set<PosixFilePermission> extra = EnumSet.noneOf(PosixFilePermission.class);
    extra.addAll(attrs.permissions());
    extra.removeAll(OWNER_DIRECTORY);
    if (!extra.isEmpty()) {
      throw new ConfigurationException(
          "device key file "
              + file
              + " is accessible to group or others ("
              + PosixFilePermissions.toString(attrs.permissions())
              + "); allow its owner only, e.g. chmod 600 "
              + file);
    }
    if (attrs.size() > MAX_FILE_SIZE) {
      throw new ConfigurationException("device key file " + file + " is too large to be one");
    }
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "cannot read device key file " + file + ": " + e.getClass().getSimpleName(), e);
    }
    byte[] seed = null;
    try {
      JsonNode node;
      try {
        node = JSON.readTree(data);
      } catch (IOException e) {
        throw notAKeyFile(file, "it is not JSON");
      }
      if (node == null || !node.isObject() || !FILE_TYPE.equals(node.path("type").asText(null))) {
        throw notAKeyFile(file, "its type is not " + FILE_TYPE);
      }
      if (!node.path("version").isInt() || node.path("version").intValue() != FILE_VERSION) {
        throw notAKeyFile(file, "its version is not " + FILE_VERSION);
      }
      String did = node.path("did").asText(null);
      String privateKey = node.path("privateKey").asText(null);
      if (did == null || privateKey == null) {
        throw notAKeyFile(file, "it lacks did or privateKey");
      }
      try {
        seed = Base64.getUrlDecoder().decode(privateKey);
      } catch (IllegalArgumentException e) {
        throw notAKeyFile(file, "its privateKey is not base64url");
      }
      if (seed.length != Ed25519.KEY_LENGTH) {
        throw notAKeyFile(file, "its privateKey is not 32 bytes");
      }
      DeviceKey key = new DeviceKey(seed);
      if (!key.did.equals(did)) {
        throw new IntegrityException(
            "device key file " + file + " is damaged: its private key does not match its did");
      }
      return key;
    } finally {
      Arrays.fill(data, (byte) 0);
      if (seed != null) {
        Arrays.fill(seed, (byte) 0);
      }
    }
  }

  private static ConfigurationException notAKeyFile(Path file, String why) {
    return new ConfigurationException(
        "device key file " + file + " is not a device key file: " + why);
  }

  /** Equal where the public keys are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceKey && ((DeviceKey) o).did.equals(did);
  }

  @Override
  public int hashCode() {
    return did.hashCode();
  }

  /** The DID only; the private key is redacted. */
  @Override
  public String toString() {
    return "DeviceKey[" + did + ", private key redacted]";
  }
}
