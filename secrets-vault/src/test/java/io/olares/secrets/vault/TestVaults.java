package io.olares.secrets.vault;

import io.olares.secrets.Operation;
import io.olares.secrets.SecretValue;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DeviceKeyApprover;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Shared set-up for vault tests: cheap Argon2id parameters above a test-only floor (the real floor
 * is exercised where a test says so), a hand-moved clock, and a trusted device key that signs
 * approvals.
 */
public final class TestVaults {
  /** The floor tests configure, far below {@link KdfParams#FLOOR}, so tests stay fast. */
  public static final KdfParams TEST_FLOOR = new KdfParams(64, 1, 1);

  /** The parameters test vaults are created with: above the test floor, cheap to derive. */
  public static final KdfParams CHEAP = new KdfParams(256, 2, 1);

  /** The passphrase of test vaults. */
  public static final String PASSPHRASE = "correct horse battery staple";

  /** The app tests act as. */
  public static final String APP = "tests";

  private TestVaults() {}

  /** A fresh copy of the passphrase (callers may wipe it). */
  public static char[] passphrase() {
    return PASSPHRASE.toCharArray();
  }

  /** Options with the test floor and {@code clock}. */
  public static VaultOptions options(Clock clock) {
    return VaultOptions.builder().clock(clock).kdfFloor(TEST_FLOOR).build();
  }

  /** A SQLite URL for a file in {@code dir}. */
  public static String sqlite(Path dir) {
    return "jdbc:sqlite:" + dir.resolve("vault.db");
  }

  /** A vault with one trusted device, and helpers to approve uses of its items. */
  public static final class Fixture implements AutoCloseable {
    public final String url;
    public final MutableClock clock;
    public final DeviceKey device;
    public final DeviceKeyApprover approver;
    public Vault vault;

    private Fixture(String url, MutableClock clock, DeviceKey device, Vault vault) {
      this.url = url;
      this.clock = clock;
      this.device = device;
      this.approver = new DeviceKeyApprover(device, "alice@olares.com", "olares.com", clock);
      this.vault = vault;
    }

    /** Creates a vault at {@code url} trusting a new device key. */
    public static Fixture create(String url) {
      MutableClock clock = MutableClock.standing();
      Vault vault = Vault.init(url, passphrase(), CHEAP, options(clock));
      DeviceKey device = DeviceKey.generate();
      try (VaultAdmin admin = vault.admin(passphrase())) {
        admin.trust(device.did());
      }
      return new Fixture(url, clock, device, vault);
    }

    /** Creates a SQLite vault in {@code dir}. */
    public static Fixture create(Path dir) {
      return create(sqlite(dir));
    }

    /** Opens the same vault again (a second process would do the same). */
    public Vault reopen() {
      return Vault.open(url, passphrase(), options(clock));
    }

    /** Closes the vault and opens it again in its place. */
    public void restart() {
      vault.close();
      vault = reopen();
    }

    /** A fresh approval of {@code operation} on {@code name} by {@link #APP}. */
    public Approval approve(String name, Operation operation) {
      return approver.approve(vault.approvalRequest(name, operation, APP));
    }

    /** Reads the default field of {@code name} with a fresh approval, as text. */
    public String readText(String name) {
      return readText(name, null);
    }

    /** Reads {@code field} of {@code name} with a fresh approval, as text. */
    public String readText(String name, String field) {
      try (SecretValue v = vault.readField(name, field, APP, approve(name, Operation.READ))) {
        return v.revealString();
      }
    }

    /** Reads {@code field} of {@code name} with a fresh approval, as bytes. */
    public byte[] readBytes(String name, String field) {
      try (SecretValue v = vault.readField(name, field, APP, approve(name, Operation.READ))) {
        return v.revealBytes();
      }
    }

    /** Stores text in the default field of an API-secret item. */
    public ItemInfo put(String name, String text) {
      try (SecretValue v = SecretValue.ofString(text)) {
        return vault.putField(name, null, v);
      }
    }

    @Override
    public void close() {
      vault.close();
    }
  }
}
