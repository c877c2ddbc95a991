package io.olares.secrets.vault;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.ApprovalRequiredException;
import io.olares.secrets.Classification;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.IntegrityException;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Operation;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.StoreUnavailableException;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.ApprovalRequest;
import io.olares.secrets.approval.ApprovalVerifier;
import io.olares.secrets.approval.Bip39;
import io.olares.secrets.approval.DidKey;
import io.olares.secrets.approval.Slip10;
import io.olares.secrets.vault.internal.AesGcm;
import io.olares.secrets.vault.internal.Argon2id;
import io.olares.secrets.vault.internal.Bip32;
import io.olares.secrets.vault.internal.BucketRow;
import io.olares.secrets.vault.internal.Calibrator;
import io.olares.secrets.vault.internal.Database;
import io.olares.secrets.vault.internal.HeaderRow;
import io.olares.secrets.vault.internal.ItemRow;
import io.olares.secrets.vault.internal.JdbcNonceLedger;
import io.olares.secrets.vault.internal.KeyRing;
import io.olares.secrets.vault.internal.Schema;
import io.olares.secrets.vault.internal.Secp256k1;
import io.olares.secrets.vault.internal.StorageCopy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An end-to-end encrypted vault kept in a JDBC database (SQLite embedded, or PostgreSQL shared by
 * several nodes). The database only ever holds ciphertext, keyed blind indexes and public metadata;
 * every key lives in this object, derived from the passphrase when the vault is opened.
 *
 * <p><b>Keys.</b> Argon2id (parameters stored in the header, authenticated, and checked against a
 * floor before anything is derived) turns the passphrase into a master key; HKDF-SHA256 turns that
 * into a key-encryption key, which unwraps (AES-256-GCM, the header fields as associated data) a
 * random 256-bit vault key. HKDF subkeys of the vault key encrypt item fields and names, compute
 * the blind index of names, and authenticate the header and the bucket rows. See {@code
 * docs/vault.md}.
 *
 * <p><b>Items.</b> Each item is AES-256-GCM with a fresh 96-bit nonce per write and its vault id,
 * item id, blind index, version, classification and times as associated data, so a row that is
 * moved, swapped or edited fails with {@link IntegrityException}. Items are filed into 4096 buckets
 * by blind index; each bucket row carries a MAC'd counter and the XOR of keyed tags of its items'
 * public columns: a read checks all three against the items filed there, a write checks the MAC and
 * counter and changes the digest by the one item it writes, so an item rolled back to an older row
 * of its own (or removed, or added) is detected by every later read of its bucket.
 *
 * <p><b>Use.</b> Reading a value or signing with a key needs an {@link Approval}: a compact JWS
 * from a trusted device key over the challenge of an {@link ApprovalRequest} bound to this vault,
 * this item, the operation, the app, a fresh nonce and the time ({@link #approvalRequest}). Nonces
 * are recorded in the vault's own database, so a replay fails even after a restart. Listing
 * decrypts names, never values.
 *
 * <p>Thread-safe; several processes may open the same vault at once. Nothing secret is logged or
 * put in an exception message.
 */
public final class Vault implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Vault.class);
  private static final HexFormat HEX = HexFormat.of();
  private static final String CLASSIFICATION =
      Classification.VAULT_ITEM.name().toLowerCase(java.util.Locale.ROOT);
  private static final int ID_BYTES = 16;

  private final Database db;
  private final VaultOptions options;
  private final String vaultId;
  private final ApprovalVerifier verifier;
  private final JdbcNonceLedger ledger;
  private final ReentrantReadWriteLock keyLock = new ReentrantReadWriteLock();
  private final Map<Integer, Long> bucketSeen = new ConcurrentHashMap<>();
  private final AtomicLong trustSeen = new AtomicLong(-1);
  private KeyRing keys;
  private int keyGeneration;
  private KdfParams kdfParams;
  private volatile boolean closed;

  private Vault(Database db, VaultOptions options, HeaderRow header, KeyRing keys) {
    this.db = db;
    this.options = options;
    this.vaultId = header.vaultId();
    this.keys = keys;
    this.keyGeneration = header.keyGeneration();
    this.kdfParams = Unlocking.paramsOf(header);
    this.trustSeen.set(header.trustRevision());
    this.ledger = new JdbcNonceLedger(db, options.clock());
    this.verifier =
        options
            .verifierFactory()
            .create(
                this::trusted,
                ledger,
                options.clock(),
                options.approvalMaxAge(),
                options.approvalMaxSkew());
  }

  // ---------------------------------------------------------------- creating and opening

  /** Creates a vault at {@code url} with {@link KdfParams#DEFAULT} and default options. */
  public static Vault init(String url, char[] passphrase) {
    return init(url, passphrase, KdfParams.DEFAULT, VaultOptions.defaults());
  }

  /**
   * Creates a vault at {@code url} (a SQLite file is created, readable by its owner only) and
   * returns it open. The vault trusts no device yet: add one with {@link VaultAdmin#trust}.
   *
   * @throws ConfigurationException where a vault already exists there, or the URL is unusable
   * @throws IllegalArgumentException where {@code params} lie outside the options' floor and
   *     ceiling, or the passphrase is empty
   */
  public static Vault init(String url, char[] passphrase, KdfParams params, VaultOptions options) {
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(options, "options");
    Unlocking.requirePassphrase(passphrase);
    Unlocking.checkParams(params, options);
    Database db = Database.connect(url, true, options.busyTimeout(), options.maxConnections());
    byte[] vaultKey = new byte[AesGcm.KEY_BYTES];
    KeyRing keys = null;
    try {
      byte[] idBytes = new byte[ID_BYTES];
      options.random().nextBytes(idBytes);
      String vaultId = HEX.formatHex(idBytes);
      byte[] salt = new byte[Unlocking.SALT_BYTES];
      options.random().nextBytes(salt);
      options.random().nextBytes(vaultKey);
      long now = options.clock().millis();
      HeaderRow unwrapped =
          HeaderRow.fresh(
              vaultId, params.memoryKib(), params.iterations(), params.parallelism(), salt, now);
      byte[] kek = Unlocking.keyEncryptionKey(passphrase, unwrapped);
      HeaderRow header;
      try {
        header = Unlocking.withWrappedKey(unwrapped, kek, vaultKey, options);
      } finally {
        Arrays.fill(kek, (byte) 0);
      }
      keys = KeyRing.derive(vaultKey, vaultId);
      HeaderRow signed = header.withMac(keys.headerMac(header));
      db.write(
          c -> {
            Schema.migrate(c, db.dialect(), db.description(), now);
            if (HeaderRow.read(c) != null) {
              throw new ConfigurationException(
                  "a vault already exists at '" + db.description() + "'");
            }
            signed.insert(c);
            return null;
          });
      LOG.info("vault {} created at {} (Argon2id {})", vaultId, db.description(), params);
      return new Vault(db, options, signed, keys);
    } catch (RuntimeException e) {
      if (keys != null) {
        keys.close();
      }
      db.close();
      throw e;
    } finally {
      Arrays.fill(vaultKey, (byte) 0);
    }
  }

  /** Opens the vault at {@code url} with default options. */
  public static Vault open(String url, char[] passphrase) {
    return open(url, passphrase, VaultOptions.defaults());
  }

  /**
   * Opens the vault at {@code url}. The header's Argon2id parameters are checked against the
   * options' floor and ceiling before any key is derived; a header below the floor (a downgraded
   * file) does not open.
   *
   * @throws ConfigurationException where no vault exists there, or its schema is newer than this
   *     library
   * @throws IntegrityException where the header is malformed, below the floor, or fails its MAC
   * @throws VaultUnlockException where the passphrase does not unwrap the vault key
   */
  public static Vault open(String url, char[] passphrase, VaultOptions options) {
    Objects.requireNonNull(options, "options");
    Unlocking.requirePassphrase(passphrase);
    Database db = Database.connect(url, false, options.busyTimeout(), options.maxConnections());
    KeyRing keys = null;
    try {
      int installed = db.read(c -> Schema.installedVersion(c, db.dialect()));
      if (installed == 0) {
        throw new ConfigurationException("no vault exists at '" + db.description() + "'");
      }
      Schema.check(installed, db.description());
      if (installed < Schema.CURRENT) {
        long now = options.clock().millis();
        db.write(
            c -> {
              Schema.migrate(c, db.dialect(), db.description(), now);
              return null;
            });
      }
      HeaderRow header = db.read(HeaderRow::read);
      if (header == null) {
        throw new ConfigurationException(
            "storage '" + db.description() + "' has the vault schema but no vault header");
      }
      byte[] vaultKey = Unlocking.unlock(header, passphrase, options);
      try {
        keys = KeyRing.derive(vaultKey, header.vaultId());
      } finally {
        Arrays.fill(vaultKey, (byte) 0);
      }
      if (!keys.verifyHeader(header)) {
        throw new IntegrityException(
            "the header of vault " + header.vaultId() + " failed authentication: it was altered");
      }
      LOG.info("vault {} opened at {}", header.vaultId(), db.description());
      return new Vault(db, options, header, keys);
    } catch (RuntimeException e) {
      if (keys != null) {
        keys.close();
      }
      db.close();
      throw e;
    }
  }

  /**
   * True where a vault exists at {@code url}. For SQLite this looks at the file without creating
   * it.
   */
  public static boolean exists(String url) {
    java.nio.file.Path file = Database.sqliteFile(url);
    if (Database.dialectOf(url) == Database.Dialect.SQLITE
        && (file == null || !java.nio.file.Files.exists(file))) {
      return false;
    }
    try (Database db = Database.connect(url, false, Duration.ofSeconds(15), 1)) {
      return db.read(
          c -> Schema.installedVersion(c, db.dialect()) > 0 && HeaderRow.read(c) != null);
    }
  }

  /**
   * Copies a vault's rows unchanged from one storage to another (for example from a SQLite file to
   * a PostgreSQL database); the target must hold no vault yet. No key is needed: only ciphertext
   * moves, and the copy opens with the same passphrase.
   *
   * @return the number of rows copied
   */
  public static long copyStorage(String fromUrl, String toUrl) {
    return StorageCopy.copy(fromUrl, toUrl, Duration.ofSeconds(15));
  }

  /**
   * Argon2id parameters that take about {@code target} on this machine, never below {@link
   * KdfParams#FLOOR}; memory grows first (up to a quarter of the heap, at most 1 GiB), then passes.
   */
  public static KdfParams calibrate(Duration target) {
    long heapKib = Runtime.getRuntime().maxMemory() / 1024 / 4;
    int cap = (int) Math.min(1024 * 1024, heapKib);
    byte[] salt = new byte[Unlocking.SALT_BYTES];
    byte[] password = "calibration".getBytes(StandardCharsets.US_ASCII);
    return Calibrator.calibrate(
        target,
        KdfParams.FLOOR,
        cap,
        KdfParams.CEILING.iterations(),
        p -> {
          long best = Long.MAX_VALUE;
          for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            Argon2id.derive(
                password, salt, p.memoryKib(), p.iterations(), p.parallelism(), null, null, 32);
            best = Math.min(best, System.nanoTime() - start);
          }
          return best;
        });
  }

  // ---------------------------------------------------------------- identity and trust

  /** The vault's random id: the audience of its approval requests. */
  public String id() {
    return vaultId;
  }

  /** The Argon2id parameters of the current header. */
  public KdfParams kdfParams() {
    keyLock.readLock().lock();
    try {
      return kdfParams;
    } finally {
      keyLock.readLock().unlock();
    }
  }

  /** Where the vault lives (the URL without query string or credentials). */
  public String storage() {
    return db.description();
  }

  /** The options it was opened with. */
  public VaultOptions options() {
    return options;
  }

  /**
   * The DIDs whose approvals this vault accepts, read from storage and authenticated on every call
   * (so a change made by another process is seen at once).
   *
   * @throws IntegrityException where the stored list was altered or rolled back
   */
  public SortedSet<String> trusted() {
    long floor = trustSeen.get();
    return withKeys(
        () -> {
          HeaderRow header = db.read(HeaderRow::read);
          checkHeader(header, floor);
          return header.trustedSet();
        });
  }

  /**
   * Unlocks the administrative operations (trust list, rekey, rotation) with the passphrase, which
   * is checked again here even though the vault is open.
   *
   * @throws VaultUnlockException where the passphrase is wrong
   */
  public VaultAdmin admin(char[] passphrase) {
    Unlocking.requirePassphrase(passphrase);
    long floor = trustSeen.get();
    return withKeys(
        () -> {
          HeaderRow header = db.read(HeaderRow::read);
          checkHeader(header, floor);
          byte[] kek = Unlocking.keyEncryptionKey(passphrase, header);
          byte[] vaultKey;
          try {
            vaultKey = Unlocking.unwrap(header, kek);
          } catch (VaultUnlockException e) {
            Arrays.fill(kek, (byte) 0);
            throw e;
          }
          return new VaultAdmin(this, header, kek, vaultKey);
        });
  }

  /** Changes the passphrase: the vault key is rewrapped, items are untouched. */
  public void rekey(char[] oldPassphrase, char[] newPassphrase) {
    try (VaultAdmin admin = admin(oldPassphrase)) {
      admin.rekey(newPassphrase);
    }
  }

  // ---------------------------------------------------------------- items: writing

  /**
   * Stores {@code item} under {@code name}, replacing any item of that name (its version goes up by
   * one). Private-key items are made with {@link #generateKey} or {@link #importKey} instead.
   *
   * @throws AccessDeniedException where an existing private-key item would be replaced
   */
  public ItemInfo put(String name, VaultItem item) {
    Objects.requireNonNull(item, "item");
    if (item.kind() == ItemKind.PRIVATE_KEY) {
      throw new InvalidReferenceException(
          "private-key items are created with generateKey or importKey, not put");
    }
    String canonical = ItemNames.canonical(name);
    return write(
        canonical,
        old -> {
          refuseKeyOverwrite(canonical, old);
          return copyOf(item);
        });
  }

  /**
   * Sets one field of the item {@code name}, keeping its other fields; where the item does not
   * exist, creates an {@link ItemKind#API_SECRET} item holding that field.
   */
  public ItemInfo putField(String name, String field, SecretValue value) {
    return putField(name, field, value, ItemKind.API_SECRET);
  }

  /**
   * Sets one field of the item {@code name} ({@code null} field: the kind's default field), keeping
   * its other fields; where the item does not exist, creates one of {@code kindIfNew}.
   *
   * @throws AccessDeniedException where the item is a private key (whose fields the vault keeps)
   */
  public ItemInfo putField(String name, String field, SecretValue value, ItemKind kindIfNew) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(kindIfNew, "kindIfNew");
    if (kindIfNew == ItemKind.PRIVATE_KEY) {
      throw new InvalidReferenceException(
          "private-key items are created with generateKey or importKey, not by writing a field");
    }
    if (field != null) {
      VaultItem.checkFieldName(field);
    }
    String canonical = ItemNames.canonical(name);
    return write(
        canonical,
        old -> {
          refuseKeyOverwrite(canonical, old);
          ItemKind kind = old == null ? kindIfNew : old.kind();
          VaultItem.Builder b = VaultItem.builder(kind);
          if (old != null) {
            old.fields().forEach(b::field);
          }
          b.field(field == null ? kind.defaultField() : field, value);
          return b.build();
        });
  }

  /**
   * Generates a private key of {@code algorithm} inside the vault under {@code name}, which must
   * not exist yet; the key never leaves the vault. Returns its public half.
   */
  public KeyInfo generateKey(String name, KeyAlgorithm algorithm) {
    Objects.requireNonNull(algorithm, "algorithm");
    byte[] key = new byte[32];
    try {
      do {
        options.random().nextBytes(key);
      } while (algorithm == KeyAlgorithm.SECP256K1 && !Secp256k1.isValidPrivateKey(key));
      try (SecretValue v = SecretValue.ofBytes(key)) {
        return importKey(name, algorithm, v);
      }
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Stores an existing 32-byte private key (an Ed25519 seed, or a secp256k1 scalar) under {@code
   * name}, which must not exist yet. Returns its public half.
   *
   * @throws InvalidReferenceException where the key is not 32 bytes or not a valid scalar
   */
  public KeyInfo importKey(String name, KeyAlgorithm algorithm, SecretValue privateKey) {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(privateKey, "privateKey");
    String canonical = ItemNames.canonical(name);
    byte[] key = privateKey.revealBytes();
    try {
      byte[] publicKey = KeyItems.publicKeyOf(algorithm, key);
      String address = KeyItems.addressOf(algorithm, publicKey);
      VaultItem item =
          VaultItem.builder(ItemKind.PRIVATE_KEY)
              .field("algorithm", algorithm.wireName())
              .field("privateKey", privateKey)
              .field("publicKey", SecretValue.ofBytes(publicKey))
              .field("address", address)
              .build();
      ItemInfo info = createOnly(canonical, item);
      return new KeyInfo(info, algorithm, publicKey, address);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * Stores a BIP39 mnemonic (English, checksum verified, empty BIP39 passphrase) under {@code
   * name}, which must not exist yet, together with the key it yields: for Ed25519 the SLIP-0010
   * master key, exactly the device key LarePass derives from the same words; for secp256k1 the
   * BIP32 key at Ethereum's first account path {@code m/44'/60'/0'/0/0}. The mnemonic and the key
   * never leave the vault; the item signs like any private-key item.
   *
   * @throws ConfigurationException where the mnemonic is not valid (the message quotes no word)
   */
  public KeyInfo importMnemonic(String name, SecretValue mnemonic, KeyAlgorithm algorithm) {
    Objects.requireNonNull(mnemonic, "mnemonic");
    Objects.requireNonNull(algorithm, "algorithm");
    String canonical = ItemNames.canonical(name);
    String words = Bip39.canonical(mnemonic.revealString());
    Bip39.validate(words);
    byte[] seed = Bip39.seed(words, "");
    byte[] key = null;
    try {
      String path;
      if (algorithm == KeyAlgorithm.ED25519) {
        Slip10.ExtendedKey master = Slip10.master(seed);
        key = master.privateKey();
        master.destroy();
        path = "m";
      } else {
        Bip32.Node node = Bip32.derive(seed, Bip32.ETHEREUM_FIRST_ACCOUNT);
        key = node.privateKey();
        node.destroy();
        path = Bip32.ETHEREUM_FIRST_ACCOUNT;
      }
      byte[] publicKey = KeyItems.publicKeyOf(algorithm, key);
      String address = KeyItems.addressOf(algorithm, publicKey);
      VaultItem item;
      try (SecretValue keyValue = SecretValue.ofBytes(key);
          SecretValue wordsValue = SecretValue.ofString(words)) {
        item =
            VaultItem.builder(ItemKind.PRIVATE_KEY)
                .field("algorithm", algorithm.wireName())
                .field("privateKey", keyValue)
                .field("mnemonic", wordsValue)
                .field("path", path)
                .field("publicKey", SecretValue.ofBytes(publicKey))
                .field("address", address)
                .build();
      }
      ItemInfo info = createOnly(canonical, item);
      return new KeyInfo(info, algorithm, publicKey, address);
    } finally {
      Arrays.fill(seed, (byte) 0);
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
  }

  /**
   * Deletes the item {@code name}; false where it did not exist.
   *
   * @throws IntegrityException where the item's bucket fails its MAC or counter check (nothing is
   *     deleted)
   */
  public boolean delete(String name) {
    String canonical = ItemNames.canonical(name);
    return withKeys(
        () -> {
          byte[] index = keys.nameIndex(canonical);
          int bucket = KeyRing.bucketOf(index);
          long floor = bucketSeen.getOrDefault(bucket, -1L);
          long trustFloor = trustSeen.get();
          Long counter =
              db.write(
                  c -> {
                    checkHeader(HeaderRow.read(c), trustFloor);
                    ItemRow row = ItemRow.findByIndex(c, index);
                    BucketState state = checkBucketForWrite(c, bucket, floor);
                    if (row == null) {
                      return null;
                    }
                    byte[] digest = state.digest.clone();
                    KeyRing.xorInto(digest, keys.leafTag(row.leaf()));
                    ItemRow.delete(c, row.itemId());
                    return saveBucket(c, bucket, state.counter + 1, digest);
                  });
          if (counter == null) {
            return false;
          }
          bucketSeen.merge(bucket, counter, Math::max);
          return true;
        });
  }

  // ---------------------------------------------------------------- items: reading

  /** What is known about {@code name} without decrypting its value; empty where it is absent. */
  public Optional<ItemInfo> info(String name) {
    String canonical = ItemNames.canonical(name);
    return withKeys(() -> load(canonical).map(Loaded::info));
  }

  /**
   * Every item at or below {@code prefix} ({@code <container>[/<path>]}; null or empty: all),
   * sorted by name. Decrypts names only, never values; needs no approval.
   *
   * @throws IntegrityException where any stored name fails authentication
   */
  public List<ItemInfo> list(String prefix) {
    SecretRef cover = ItemNames.prefix(prefix);
    long trustFloor = trustSeen.get();
    return withKeys(
        () ->
            db.read(
                c -> {
                  checkHeader(HeaderRow.read(c), trustFloor);
                  List<ItemInfo> out = new ArrayList<>();
                  for (ItemRow row : ItemRow.allWithoutValues(c)) {
                    ItemInfo info = infoOf(row);
                    if (ItemNames.covers(cover, info.name())) {
                      out.add(info);
                    }
                  }
                  out.sort(Comparator.comparing(ItemInfo::name));
                  return out;
                }));
  }

  /**
   * An approval request for one use of the item {@code name}: audience this vault's id, subject the
   * item's id, a fresh nonce and the current time. Its challenge is what the device signs.
   *
   * @throws SecretNotFoundException where the item does not exist
   */
  public ApprovalRequest approvalRequest(String name, Operation operation, String app) {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(app, "app");
    String canonical = ItemNames.canonical(name);
    Loaded loaded = withKeys(() -> load(canonical)).orElseThrow(() -> notFound(canonical));
    return ApprovalRequest.create(
        vaultId, loaded.itemId(), operation, app, options.clock().instant());
  }

  /**
   * Reads the whole item {@code name} after verifying {@code approval} for a {@code read} by {@code
   * app}. A private-key item comes back without its private key or mnemonic.
   *
   * @throws SecretNotFoundException where the item does not exist
   * @throws ApprovalRequiredException where {@code approval} is null (it carries the request)
   * @throws io.olares.secrets.ApprovalRejectedException where the approval does not hold
   * @throws IntegrityException where the stored item fails authentication
   */
  public VaultItem read(String name, String app, Approval approval) {
    String canonical = ItemNames.canonical(name);
    return withKeys(
        () -> {
          Loaded loaded = load(canonical).orElseThrow(() -> notFound(canonical));
          verifyApproval(canonical, loaded, Operation.READ, app, approval);
          VaultItem item = decryptValue(loaded);
          if (item.kind() != ItemKind.PRIVATE_KEY) {
            return item;
          }
          Map<String, SecretValue> visible = new HashMap<>();
          item.fields()
              .forEach(
                  (field, value) -> {
                    if (ItemKind.PRIVATE_KEY.readable(field)) {
                      visible.put(field, value.copy());
                    }
                  });
          item.close();
          return VaultItem.adopt(ItemKind.PRIVATE_KEY, visible);
        });
  }

  /**
   * Reads one field of {@code name} ({@code null}: the kind's default field) after verifying {@code
   * approval}. The caller owns (and should close) the returned value.
   *
   * @throws AccessDeniedException for the private key or mnemonic of a private-key item, which
   *     never leave the vault (checked before the approval is spent)
   * @throws SecretNotFoundException where the item or the field does not exist
   */
  public SecretValue readField(String name, String field, String app, Approval approval) {
    String canonical = ItemNames.canonical(name);
    return withKeys(
        () -> {
          Loaded loaded = load(canonical).orElseThrow(() -> notFound(canonical));
          String f = field == null ? loaded.info().kind().defaultField() : field;
          checkReadable(canonical, loaded.info().kind(), f);
          verifyApproval(canonical, loaded, Operation.READ, app, approval);
          try (VaultItem item = decryptValue(loaded)) {
            return item.field(f)
                .map(SecretValue::copy)
                .orElseThrow(
                    () ->
                        new SecretNotFoundException(
                            "vault item '" + canonical + "' has no field '" + f + "'"));
          }
        });
  }

  /** A field read through the SPI: the item's metadata and the value (owned by the caller). */
  record FieldRead(ItemInfo info, SecretValue value) {}

  /**
   * The SPI's read: empty where the item does not exist (no approval needed to learn that, as a
   * listing shows it anyway); otherwise verifies the approval and returns the field.
   */
  Optional<FieldRead> readFieldIfPresent(
      String name, String field, String version, String app, Approval approval) {
    String canonical = ItemNames.canonical(name);
    return withKeys(
        () -> {
          Optional<Loaded> found = load(canonical);
          if (found.isEmpty()
              || (version != null && !version.equals(Long.toString(found.get().row().version())))) {
            return Optional.empty();
          }
          Loaded loaded = found.get();
          String f = field == null ? loaded.info().kind().defaultField() : field;
          checkReadable(canonical, loaded.info().kind(), f);
          verifyApproval(canonical, loaded, Operation.READ, app, approval);
          try (VaultItem item = decryptValue(loaded)) {
            SecretValue value =
                item.field(f)
                    .map(SecretValue::copy)
                    .orElseThrow(
                        () ->
                            new SecretNotFoundException(
                                "vault item '" + canonical + "' has no field '" + f + "'"));
            return Optional.of(new FieldRead(loaded.info(), value));
          }
        });
  }

  /**
   * Signs {@code message} with the private-key item {@code name} after verifying {@code approval}
   * for a {@code sign} by {@code app}. Ed25519 signs the message itself (64 bytes); secp256k1 signs
   * its Keccak-256 hash and returns {@code r ‖ s ‖ v} (65 bytes, low s, {@code v = 27 + recovery
   * id}).
   */
  public byte[] sign(String name, byte[] message, String app, Approval approval) {
    Objects.requireNonNull(message, "message");
    return signWith(name, app, approval, null, message);
  }

  /**
   * Signs a 32-byte digest (a transaction hash, say) with the secp256k1 item {@code name}, after
   * verifying {@code approval} for a {@code sign}; returns {@code r ‖ s ‖ v} as {@link #sign}.
   *
   * @throws InvalidReferenceException where the item is not a secp256k1 key, or the digest is not
   *     32 bytes
   */
  public byte[] signDigest(String name, byte[] digest, String app, Approval approval) {
    Objects.requireNonNull(digest, "digest");
    if (digest.length != 32) {
      throw new InvalidReferenceException("a digest to sign is 32 bytes, not " + digest.length);
    }
    return signWith(name, app, approval, digest, null);
  }

  /**
   * Checks the whole vault without decrypting any value: the header, every bucket's counter and
   * digest against its items, and every item name. Returns the number of items checked.
   *
   * @throws IntegrityException naming the first thing that fails
   */
  public long verifyIntegrity() {
    long trustFloor = trustSeen.get();
    Map<Integer, Long> floors = new HashMap<>(bucketSeen);
    return withKeys(
        () ->
            db.read(
                c -> {
                  checkHeader(HeaderRow.read(c), trustFloor);
                  Map<Integer, List<ItemRow.Leaf>> byBucket = new HashMap<>();
                  List<ItemRow> rows = ItemRow.allWithoutValues(c);
                  for (ItemRow row : rows) {
                    byBucket.computeIfAbsent(row.bucket(), b -> new ArrayList<>()).add(row.leaf());
                    infoOf(row);
                  }
                  for (int bucket : bucketsInUse(c, byBucket.keySet())) {
                    checkBucket(c, bucket, floors.getOrDefault(bucket, -1L));
                  }
                  return (long) rows.size();
                }));
  }

  /** Closes the storage and wipes the keys. Idempotent. */
  @Override
  public void close() {
    keyLock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      keys.close();
      db.close();
    } finally {
      keyLock.writeLock().unlock();
    }
    LOG.debug("vault {} closed", vaultId);
  }

  @Override
  public String toString() {
    return "Vault[" + vaultId + " at " + db.description() + "]";
  }

  // ---------------------------------------------------------------- package-private for admin

  /** Runs a trust-list change: {@code change} maps the current set to the new one. */
  SortedSet<String> changeTrust(UnaryOperator<SortedSet<String>> change) {
    long floor = trustSeen.get();
    HeaderRow written =
        withKeys(
            () ->
                db.write(
                    c -> {
                      HeaderRow header = HeaderRow.read(c);
                      checkHeader(header, floor);
                      SortedSet<String> next = change.apply(header.trustedSet());
                      long now = Math.max(options.clock().millis(), header.updatedAt());
                      HeaderRow changed =
                          header.withTrust(
                              HeaderRow.joinDids(next), header.trustRevision() + 1, now);
                      HeaderRow signed = changed.withMac(keys.headerMac(changed));
                      signed.update(c);
                      return signed;
                    }));
    trustSeen.accumulateAndGet(written.trustRevision(), Math::max);
    return written.trustedSet();
  }

  /** Replaces the header's KDF fields and wrapped key (rekey), if the header is unchanged. */
  void replaceKeyWrap(HeaderRow expected, HeaderRow rewrapped) {
    long floor = trustSeen.get();
    withKeys(
        () ->
            db.write(
                c -> {
                  HeaderRow header = HeaderRow.read(c);
                  checkHeader(header, floor);
                  Unlocking.requireSameWrap(header, expected);
                  HeaderRow next =
                      header
                          .withKdf(
                              rewrapped.memoryKib(),
                              rewrapped.iterations(),
                              rewrapped.parallelism(),
                              rewrapped.salt(),
                              options.clock().millis())
                          .withWrappedKey(rewrapped.wrappedKey());
                  HeaderRow signed = next.withMac(keys.headerMac(next));
                  signed.update(c);
                  return null;
                }));
    keyLock.writeLock().lock();
    try {
      kdfParams = Unlocking.paramsOf(rewrapped);
    } finally {
      keyLock.writeLock().unlock();
    }
  }

  /**
   * Re-encrypts every item under {@code newVaultKey} in one transaction, after checking every
   * bucket, and installs the new key wrapped under {@code kek}. Afterwards this object uses the new
   * keys; other processes must open the vault again.
   */
  HeaderRow rotateTo(
      HeaderRow expected, byte[] kek, byte[] newVaultKey, RotationProgress progress) {
    keyLock.writeLock().lock();
    try {
      checkOpen();
      KeyRing next = KeyRing.derive(newVaultKey, vaultId);
      Map<Integer, Long> counters;
      HeaderRow written;
      try {
        long floor = trustSeen.get();
        Object[] result =
            db.write(
                c -> {
                  HeaderRow header = HeaderRow.read(c);
                  checkHeader(header, floor);
                  Unlocking.requireSameWrap(header, expected);
                  return rotateRows(c, header, kek, newVaultKey, next, progress);
                });
        written = (HeaderRow) result[0];
        @SuppressWarnings("unchecked")
        Map<Integer, Long> c = (Map<Integer, Long>) result[1];
        counters = c;
      } catch (RuntimeException e) {
        next.close();
        throw e;
      }
      KeyRing old = keys;
      keys = next;
      keyGeneration = written.keyGeneration();
      old.close();
      counters.forEach((bucket, counter) -> bucketSeen.merge(bucket, counter, Math::max));
      LOG.info("vault {} rotated to key generation {}", vaultId, keyGeneration);
      return written;
    } finally {
      keyLock.writeLock().unlock();
    }
  }

  private Object[] rotateRows(
      Connection c,
      HeaderRow header,
      byte[] kek,
      byte[] newVaultKey,
      KeyRing next,
      RotationProgress progress)
      throws SQLException {
    List<ItemRow> leaves = ItemRow.allWithoutValues(c);
    Map<Integer, List<ItemRow.Leaf>> byBucket = new HashMap<>();
    for (ItemRow row : leaves) {
      byBucket.computeIfAbsent(row.bucket(), b -> new ArrayList<>()).add(row.leaf());
    }
    Map<Integer, Long> oldCounters = new HashMap<>();
    for (int bucket : bucketsInUse(c, byBucket.keySet())) {
      oldCounters.put(bucket, checkBucket(c, bucket, bucketSeen.getOrDefault(bucket, -1L)).counter);
    }
    long total = leaves.size();
    long done = 0;
    Map<Integer, byte[]> digests = new HashMap<>();
    for (ItemRow meta : leaves) {
      ItemRow row = ItemRow.findById(c, meta.itemId());
      Loaded loaded = new Loaded(row, infoOf(row));
      byte[] index = next.nameIndex(loaded.info().name());
      ItemRow.Leaf leaf =
          new ItemRow.Leaf(
              row.itemId(),
              index,
              KeyRing.bucketOf(index),
              row.version(),
              row.classification(),
              row.createdAt(),
              row.updatedAt());
      ItemRow rewritten;
      try (VaultItem item = decryptValue(loaded)) {
        rewritten = encryptRow(next, loaded.info().name(), item, leaf);
      }
      rewritten.upsert(c);
      KeyRing.xorInto(
          digests.computeIfAbsent(leaf.bucket(), b -> new byte[32]), next.leafTag(leaf));
      progress.progress(++done, total);
    }
    BucketRow.deleteAll(c);
    Map<Integer, Long> counters = new HashMap<>();
    for (Map.Entry<Integer, byte[]> e : digests.entrySet()) {
      long counter = oldCounters.getOrDefault(e.getKey(), 0L) + 1;
      new BucketRow(
              e.getKey(), counter, e.getValue(), next.bucketMac(e.getKey(), counter, e.getValue()))
          .upsert(c);
      counters.put(e.getKey(), counter);
    }
    HeaderRow unwrapped = header.nextGeneration(options.clock().millis());
    HeaderRow wrapped = Unlocking.withWrappedKey(unwrapped, kek, newVaultKey, options);
    HeaderRow proven = wrapped.withRotationProof(keys.rotationProof(wrapped));
    HeaderRow signed = proven.withMac(next.headerMac(proven));
    signed.update(c);
    return new Object[] {signed, counters};
  }

  // ---------------------------------------------------------------- internals: header

  /**
   * Verifies a header read from storage: same vault, same key generation, a valid MAC, and a trust
   * revision no older than one seen before this read began.
   */
  private void checkHeader(HeaderRow header, long trustFloor) {
    if (header == null) {
      throw new IntegrityException("the header of vault " + vaultId + " is missing");
    }
    if (!vaultId.equals(header.vaultId())) {
      throw new IntegrityException(
          "storage " + db.description() + " now holds another vault's header");
    }
    if (header.keyGeneration() == keyGeneration + 1 && keys.verifyRotationProof(header)) {
      throw new StoreUnavailableException(
          "vault "
              + vaultId
              + " was rotated to a new key by another process; open it again to use it");
    }
    if (header.keyGeneration() != keyGeneration || !keys.verifyHeader(header)) {
      throw new IntegrityException(
          "the header of vault " + vaultId + " failed authentication: it was altered");
    }
    if (header.trustRevision() < trustFloor) {
      throw new IntegrityException(
          "the trust list of vault " + vaultId + " was rolled back to an older revision");
    }
    trustSeen.accumulateAndGet(header.trustRevision(), Math::max);
  }

  // ---------------------------------------------------------------- internals: items

  /** An item row with its decrypted name and kind. */
  private record Loaded(ItemRow row, ItemInfo info) {
    String itemId() {
      return HEX.formatHex(row.itemId());
    }
  }

  private record BucketState(long counter, byte[] digest) {}

  private Optional<Loaded> load(String name) {
    byte[] index = keys.nameIndex(name);
    int bucket = KeyRing.bucketOf(index);
    long floor = bucketSeen.getOrDefault(bucket, -1L);
    long trustFloor = trustSeen.get();
    Loaded loaded =
        db.read(
            c -> {
              checkHeader(HeaderRow.read(c), trustFloor);
              ItemRow row = ItemRow.findByIndex(c, index);
              checkBucket(c, bucket, floor);
              if (row == null) {
                return null;
              }
              if (row.bucket() != bucket) {
                throw new IntegrityException(
                    "vault item '" + name + "' is filed under the wrong bucket");
              }
              Loaded l = new Loaded(row, infoOf(row));
              if (!l.info().name().equals(name)) {
                throw new IntegrityException("vault item '" + name + "' holds another item's name");
              }
              return l;
            });
    return Optional.ofNullable(loaded);
  }

  /**
   * Checks one bucket: its MAC, its counter against what this process saw before the current
   * transaction began, and its digest against the items filed under it.
   */
  private BucketState checkBucket(Connection c, int bucket, long floor) throws SQLException {
    return checkBucket(c, bucket, floor, true);
  }

  /**
   * The bucket check a write needs: its MAC and its counter, but not its digest against every item
   * filed there, which costs a row and a MAC per item and so grows with the vault. A write changes
   * the digest by the tags of the one item it replaces and writes, so the digest stays that of the
   * items as they should be: an item altered, added or removed behind the vault's back still fails
   * the next read of that bucket and {@link #verifyIntegrity()}; a write never makes it pass.
   */
  private BucketState checkBucketForWrite(Connection c, int bucket, long floor)
      throws SQLException {
    return checkBucket(c, bucket, floor, false);
  }

  private BucketState checkBucket(Connection c, int bucket, long floor, boolean items)
      throws SQLException {
    BucketRow stored = BucketRow.read(c, bucket);
    long counter = 0;
    byte[] digest = new byte[32];
    if (stored != null) {
      if (!keys.verifyBucket(stored)) {
        throw new IntegrityException(
            "bucket " + bucket + " of vault " + vaultId + " failed authentication");
      }
      counter = stored.counter();
      digest = stored.digest();
    }
    if (counter < floor) {
      throw new IntegrityException(
          "bucket " + bucket + " of vault " + vaultId + " was rolled back to an older state");
    }
    if (items && !MessageDigest.isEqual(keys.digest(ItemRow.leavesOf(c, bucket)), digest)) {
      throw new IntegrityException(
          "the items in bucket "
              + bucket
              + " of vault "
              + vaultId
              + " do not match its digest: an item was altered, removed, added or rolled back");
    }
    bucketSeen.merge(bucket, counter, Math::max);
    return new BucketState(counter, digest);
  }

  private List<Integer> bucketsInUse(Connection c, Set<Integer> withItems) throws SQLException {
    java.util.TreeSet<Integer> all = new java.util.TreeSet<>(withItems);
    try (var ps = c.prepareStatement("SELECT bucket FROM buckets");
        var rs = ps.executeQuery()) {
      while (rs.next()) {
        all.add(rs.getInt(1));
      }
    }
    return new ArrayList<>(all);
  }

  private long saveBucket(Connection c, int bucket, long counter, byte[] digest)
      throws SQLException {
    new BucketRow(bucket, counter, digest, keys.bucketMac(bucket, counter, digest)).upsert(c);
    return counter;
  }

  private ItemInfo infoOf(ItemRow row) {
    byte[] plain =
        AesGcm.decrypt(
            keys.nameKey(),
            row.nameNonce(),
            row.nameCiphertext(),
            keys.itemAssociatedData("name", row.leaf()));
    ItemCodec.Name name = ItemCodec.decodeName(plain);
    return new ItemInfo(
        name.name(),
        name.kind(),
        row.version(),
        Instant.ofEpochMilli(row.createdAt()),
        Instant.ofEpochMilli(row.updatedAt()));
  }

  private VaultItem decryptValue(Loaded loaded) {
    ItemRow row = loaded.row();
    byte[] plain =
        AesGcm.decrypt(
            keys.valueKey(),
            row.valueNonce(),
            row.valueCiphertext(),
            keys.itemAssociatedData("value", row.leaf()));
    try {
      return ItemCodec.decodeValue(plain, loaded.info().kind());
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private ItemRow encryptRow(KeyRing ring, String name, VaultItem item, ItemRow.Leaf leaf) {
    byte[] nameNonce = AesGcm.newNonce(options.random());
    byte[] valueNonce = AesGcm.newNonce(options.random());
    byte[] namePlain = ItemCodec.encodeName(item.kind(), name);
    byte[] valuePlain = ItemCodec.encodeValue(item);
    try {
      byte[] nameCt =
          AesGcm.encrypt(
              ring.nameKey(), nameNonce, namePlain, ring.itemAssociatedData("name", leaf));
      byte[] valueCt =
          AesGcm.encrypt(
              ring.valueKey(), valueNonce, valuePlain, ring.itemAssociatedData("value", leaf));
      return new ItemRow(
          leaf.itemId(),
          leaf.nameIndex(),
          leaf.bucket(),
          leaf.version(),
          leaf.classification(),
          leaf.createdAt(),
          leaf.updatedAt(),
          nameNonce,
          nameCt,
          valueNonce,
          valueCt);
    } finally {
      Arrays.fill(valuePlain, (byte) 0);
    }
  }

  /**
   * The write path: under the write lock, checks the header and the bucket, decrypts the old item
   * (if any), asks {@code change} for the new one, encrypts it as the next version, and updates the
   * bucket's digest and counter in the same transaction.
   */
  private ItemInfo write(String name, java.util.function.Function<VaultItem, VaultItem> change) {
    return withKeys(
        () -> {
          byte[] index = keys.nameIndex(name);
          int bucket = KeyRing.bucketOf(index);
          long floor = bucketSeen.getOrDefault(bucket, -1L);
          long trustFloor = trustSeen.get();
          Object[] result =
              db.write(
                  c -> {
                    checkHeader(HeaderRow.read(c), trustFloor);
                    ItemRow old = ItemRow.findByIndex(c, index);
                    BucketState state = checkBucketForWrite(c, bucket, floor);
                    VaultItem oldItem = null;
                    if (old != null) {
                      Loaded loaded = new Loaded(old, infoOf(old));
                      if (!loaded.info().name().equals(name)) {
                        throw new IntegrityException(
                            "vault item '" + name + "' holds another item's name");
                      }
                      oldItem = decryptValue(loaded);
                    }
                    VaultItem next;
                    try {
                      next = change.apply(oldItem);
                    } finally {
                      if (oldItem != null) {
                        oldItem.close();
                      }
                    }
                    try {
                      ItemRow row = encryptRow(keys, name, next, nextLeaf(old, index, bucket));
                      row.upsert(c);
                      byte[] digest = state.digest.clone();
                      if (old != null) {
                        KeyRing.xorInto(digest, keys.leafTag(old.leaf()));
                      }
                      KeyRing.xorInto(digest, keys.leafTag(row.leaf()));
                      long counter = saveBucket(c, bucket, state.counter + 1, digest);
                      ItemInfo info =
                          new ItemInfo(
                              name,
                              next.kind(),
                              row.version(),
                              Instant.ofEpochMilli(row.createdAt()),
                              Instant.ofEpochMilli(row.updatedAt()));
                      return new Object[] {info, counter};
                    } finally {
                      next.close();
                    }
                  });
          bucketSeen.merge(bucket, (Long) result[1], Math::max);
          return (ItemInfo) result[0];
        });
  }

  private ItemInfo createOnly(String name, VaultItem item) {
    try {
      return write(
          name,
          old -> {
            if (old != null) {
              throw new AccessDeniedException(
                  "vault item '" + name + "' already exists; delete it before storing a key there");
            }
            return copyOf(item);
          });
    } finally {
      item.close();
    }
  }

  private ItemRow.Leaf nextLeaf(ItemRow old, byte[] index, int bucket) {
    long now = options.clock().millis();
    if (old == null) {
      byte[] id = new byte[ID_BYTES];
      options.random().nextBytes(id);
      return new ItemRow.Leaf(id, index, bucket, 1, CLASSIFICATION, now, now);
    }
    return new ItemRow.Leaf(
        old.itemId(),
        index,
        bucket,
        old.version() + 1,
        CLASSIFICATION,
        old.createdAt(),
        Math.max(now, old.updatedAt()));
  }

  private static VaultItem copyOf(VaultItem item) {
    VaultItem.Builder b = VaultItem.builder(item.kind());
    item.fields().forEach(b::field);
    return b.build();
  }

  private static void refuseKeyOverwrite(String name, VaultItem old) {
    if (old != null && old.kind() == ItemKind.PRIVATE_KEY) {
      throw new AccessDeniedException(
          "vault item '" + name + "' is a private key; delete it before storing something else");
    }
  }

  private static void checkReadable(String name, ItemKind kind, String field) {
    if (!kind.readable(field)) {
      throw new AccessDeniedException(
          "field '"
              + field
              + "' of private-key item '"
              + name
              + "' never leaves the vault; use sign");
    }
  }

  private void verifyApproval(
      String name, Loaded loaded, Operation operation, String app, Approval approval) {
    Objects.requireNonNull(app, "app");
    if (approval == null) {
      ApprovalRequest request =
          ApprovalRequest.create(
              vaultId, loaded.itemId(), operation, app, options.clock().instant());
      throw new ApprovalRequiredException(
          "vault item '" + name + "' needs a signed approval to " + operation.wireName(), request);
    }
    ApprovalRequest presented = approval.request();
    ApprovalRequest expected =
        new ApprovalRequest(
            vaultId, loaded.itemId(), operation, app, presented.nonce(), presented.issuedAt());
    verifier.verify(approval, expected);
  }

  private byte[] signWith(
      String name, String app, Approval approval, byte[] digest, byte[] message) {
    String canonical = ItemNames.canonical(name);
    return withKeys(
        () -> {
          Loaded loaded = load(canonical).orElseThrow(() -> notFound(canonical));
          if (loaded.info().kind() != ItemKind.PRIVATE_KEY) {
            throw new InvalidReferenceException(
                "vault item '"
                    + canonical
                    + "' is a "
                    + loaded.info().kind().wireName()
                    + " item; only private-key items sign");
          }
          verifyApproval(canonical, loaded, Operation.SIGN, app, approval);
          try (VaultItem item = decryptValue(loaded)) {
            return KeyItems.sign(canonical, item, digest, message);
          }
        });
  }

  static String checkDid(String did) {
    if (did == null || !DidKey.isValid(did)) {
      throw new InvalidReferenceException(
          "'" + (did == null ? "null" : printable(did)) + "' is not an Ed25519 did:key");
    }
    return did;
  }

  private static String printable(String text) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < text.length() && i < 120; i++) {
      char c = text.charAt(i);
      sb.append(Character.isISOControl(c) ? '?' : c);
    }
    return sb.toString();
  }

  private SecretNotFoundException notFound(String name) {
    return new SecretNotFoundException("vault item '" + name + "' does not exist");
  }

  private <T> T withKeys(java.util.function.Supplier<T> work) {
    keyLock.readLock().lock();
    try {
      checkOpen();
      return work.get();
    } finally {
      keyLock.readLock().unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("vault " + vaultId + " is closed");
    }
  }
}
