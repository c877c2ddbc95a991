package io.olares.secrets.benchmarks;

import io.olares.secrets.Operation;
import io.olares.secrets.SecretValue;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DeviceKeyApprover;
import io.olares.secrets.vault.Vault;
import io.olares.secrets.vault.internal.AesGcm;
import io.olares.secrets.vault.internal.ItemRow;
import io.olares.secrets.vault.internal.KeyRing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The vault's item decrypt step beside raw JCE AES-256-GCM on the same bytes, and a whole item read
 * with and without approval verification beside the JDK's raw Ed25519 verify of the same approval.
 *
 * <p>The decrypt step is what a read does once the row is loaded: build the associated data from
 * the vault id and the row's public columns, then authenticate and decrypt the value ciphertext
 * ({@code AesGcm.decrypt}). The baseline decrypts the same ciphertext with the same key, nonce and
 * associated data straight through {@link Cipher}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VaultCryptoBenchmark {
  private static final byte[] ED25519_SPKI_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");

  /** One encrypted item value, as a vault row holds it. */
  @State(Scope.Benchmark)
  public static class Ciphertext {
    KeyRing ring;
    ItemRow.Leaf leaf;
    byte[] key;
    byte[] nonce;
    byte[] ciphertext;
    byte[] associatedData;

    @Setup(Level.Trial)
    public void setUp() {
      SecureRandom random = new SecureRandom();
      byte[] vaultKey = new byte[32];
      random.nextBytes(vaultKey);
      ring = KeyRing.derive(vaultKey, "vault-bench-0001");
      byte[] itemId = new byte[16];
      random.nextBytes(itemId);
      byte[] index = ring.nameIndex("prod/payments-api");
      long now = System.currentTimeMillis();
      leaf = new ItemRow.Leaf(itemId, index, KeyRing.bucketOf(index), 3, "VAULT_ITEM", now, now);
      byte[] plaintext = new byte[96];
      random.nextBytes(plaintext);
      nonce = AesGcm.newNonce(random);
      associatedData = ring.itemAssociatedData("value", leaf);
      ciphertext = AesGcm.encrypt(ring.valueKey(), nonce, plaintext, associatedData);
      key = ring.valueKey();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      ring.close();
    }
  }

  /** A vault holding one item, opened twice: verifying approvals, and accepting any. */
  @State(Scope.Benchmark)
  public static class Reads {
    static final String NAME = "prod/payments-api";
    Path dir;
    Vault verified;
    Vault unverified;
    DeviceKeyApprover approver;
    PublicKey devicePublicKey;
    byte[] signingInput;
    byte[] signature;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      dir = Files.createTempDirectory("olares-bench-vault-read");
      Path file = dir.resolve("vault.db");
      DeviceKey device = DeviceKey.generate();
      approver = new DeviceKeyApprover(device, "alice@olares.com", "olares.com");
      verified = BenchVaults.create(file, device);
      BenchVaults.put(verified, NAME, "sk_live_0123456789abcdefghijklmnop");
      unverified =
          Vault.open(
              BenchVaults.url(file),
              BenchVaults.PASSPHRASE.toCharArray(),
              BenchVaults.unverified());
      // one approval, taken apart for the raw Ed25519 baseline
      Approval sample = approver.approve(verified.approvalRequest(NAME, Operation.READ, "x"));
      String compact = sample.jws();
      int lastDot = compact.lastIndexOf('.');
      signingInput = compact.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII);
      signature = Base64.getUrlDecoder().decode(compact.substring(lastDot + 1));
      byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
      System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
      System.arraycopy(device.publicKey(), 0, spki, ED25519_SPKI_PREFIX.length, 32);
      devicePublicKey =
          KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      verified.close();
      unverified.close();
      BenchVaults.deleteTree(dir);
    }
  }

  /** A fresh approval for each read, made outside the measured time. */
  @State(Scope.Thread)
  public static class FreshApproval {
    Approval forVerified;
    Approval forUnverified;

    @Setup(Level.Invocation)
    public void approve(Reads r) {
      forVerified =
          r.approver.approve(
              r.verified.approvalRequest(Reads.NAME, Operation.READ, BenchVaults.APP));
      forUnverified =
          r.approver.approve(
              r.unverified.approvalRequest(Reads.NAME, Operation.READ, BenchVaults.APP));
    }
  }

  @Benchmark
  public byte[] itemDecrypt(Ciphertext c) {
    return AesGcm.decrypt(
        c.ring.valueKey(), c.nonce, c.ciphertext, c.ring.itemAssociatedData("value", c.leaf));
  }

  @Benchmark
  public byte[] jceAesGcmDecrypt(Ciphertext c) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE, new SecretKeySpec(c.key, "AES"), new GCMParameterSpec(128, c.nonce));
    cipher.updateAAD(c.associatedData);
    return cipher.doFinal(c.ciphertext);
  }

  @Benchmark
  public int readWithApproval(Reads r, FreshApproval a) {
    try (SecretValue v = r.verified.readField(Reads.NAME, null, BenchVaults.APP, a.forVerified)) {
      return v.length();
    }
  }

  @Benchmark
  public int readWithoutApproval(Reads r, FreshApproval a) {
    try (SecretValue v =
        r.unverified.readField(Reads.NAME, null, BenchVaults.APP, a.forUnverified)) {
      return v.length();
    }
  }

  @Benchmark
  public boolean jdkEd25519Verify(Reads r) throws GeneralSecurityException {
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(r.devicePublicKey);
    verifier.update(r.signingInput);
    return verifier.verify(r.signature);
  }
}
