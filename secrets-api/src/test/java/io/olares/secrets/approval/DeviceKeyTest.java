package io.olares.secrets.approval;

import static io.olares.secrets.approval.TestData.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.IntegrityException;
import io.olares.secrets.SecretValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceKeyTest {
  private static final String ABANDON =
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
  private static final byte[] RFC8032_SECRET =
      hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

  @TempDir Path dir;

  @Test
  void aSeedGivesItsRfc8032PublicKeyAndItsDid() {
    DeviceKey key = DeviceKey.fromSeed(RFC8032_SECRET);

    assertThat(hex(key.publicKey()))
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    assertThat(key.did()).isEqualTo(DidKey.encode(key.publicKey()));
  }

  /**
   * The DIDs below were computed independently (Python: hashlib PBKDF2, HMAC-SHA512, the
   * cryptography package's Ed25519), from BIP39 with an empty passphrase and the SLIP-0010 master.
   */
  @ParameterizedTest(name = "{1}")
  @CsvSource({
    "'" + ABANDON + "', did:key:z6MkvARmXmTXnwyJz9uXbzJjEVKVb9PegegGZMqiuQQCHzo2",
    "'legal winner thank year wave sausage worth useful legal winner thank yellow',"
        + " did:key:z6Mkg31j619vWiZjm8qPXtc8ptN894zhmTDFjMJ71PELsyeg",
  })
  void aMnemonicGivesLarePassKey(String mnemonic, String did) {
    assertThat(DeviceKey.fromMnemonic(mnemonic).did()).isEqualTo(did);
  }

  @Test
  void aMnemonicKeyIsTheSlip10MasterOfTheBip39SeedWithoutPassphrase() {
    byte[] master = Slip10.master(Bip39.seed(ABANDON, "")).privateKey();

    assertThat(DeviceKey.fromMnemonic(ABANDON)).isEqualTo(DeviceKey.fromSeed(master));
  }

  @Test
  void caseAndSpacingOfTheWordsDoNotChangeTheKey() {
    String sloppy = "  " + ABANDON.toUpperCase().replace(" ", "   ") + "\n";

    assertThat(DeviceKey.fromMnemonic(sloppy).did())
        .isEqualTo(DeviceKey.fromMnemonic(ABANDON).did());
    assertThat(DeviceKey.fromMnemonic(SecretValue.ofString(ABANDON)).did())
        .isEqualTo(DeviceKey.fromMnemonic(ABANDON).did());
  }

  @Test
  void anInvalidMnemonicIsRefusedWithoutQuotingIt() {
    String wrong = ABANDON.replace("about", "zoo");

    assertThatThrownBy(() -> DeviceKey.fromMnemonic(wrong))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("checksum")
        .hasMessageNotContaining("zoo")
        .hasMessageNotContaining("abandon");
  }

  @Test
  void signaturesVerifyUnderItsPublicKeyOnly() {
    DeviceKey key = DeviceKey.generate();
    DeviceKey other = DeviceKey.generate();
    byte[] msg = "approve".getBytes(StandardCharsets.UTF_8);

    byte[] sig = key.sign(msg);

    assertThat(sig).hasSize(64);
    assertThat(Ed25519.verify(key.publicKey(), msg, sig)).isTrue();
    assertThat(Ed25519.verify(other.publicKey(), msg, sig)).isFalse();
    assertThat(key.did()).isNotEqualTo(other.did());
  }

  @Test
  void toStringShowsTheDidAndNoKeyMaterial() {
    DeviceKey key = DeviceKey.fromSeed(RFC8032_SECRET);

    assertThat(key.toString())
        .contains(key.did())
        .contains("redacted")
        .doesNotContain(hex(RFC8032_SECRET))
        .doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(RFC8032_SECRET))
        .doesNotContain(Base64.getEncoder().encodeToString(RFC8032_SECRET));
  }

  @Test
  void refusesASeedOfTheWrongLength() {
    assertThatThrownBy(() -> DeviceKey.fromSeed(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes, not 31");
  }

  @Test
  void savesAnOwnerOnlyFileAndLoadsTheSameKey() throws Exception {
    DeviceKey key = DeviceKey.generate();
    Path file = dir.resolve("device.key");

    key.save(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    DeviceKey loaded = DeviceKey.load(file);
    assertThat(loaded).isEqualTo(key);
    byte[] msg = {1, 2, 3};
    assertThat(loaded.sign(msg)).isEqualTo(key.sign(msg));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void createsMissingParentDirectoriesForTheOwnerOnly() throws Exception {
    Path file = dir.resolve("a/b/device.key");

    DeviceKey.generate().save(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a"))))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b"))))
        .isEqualTo("rwx------");
  }

  @Test
  void neverOverwritesAKeyFile() throws Exception {
    Path file = dir.resolve("device.key");
    DeviceKey first = DeviceKey.generate();
    first.save(file);

    assertThatThrownBy(() -> DeviceKey.generate().save(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("already exists");
    assertThat(DeviceKey.load(file)).isEqualTo(first);
  }

  @ParameterizedTest(name = "refuses mode {0}")
  @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-rw-rw-", "rw--w----", "rw------x"})
  void refusesAKeyFileOthersMayAccess(String mode) throws Exception {
    Path file = dir.resolve("device.key");
    DeviceKey.generate().save(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

    assertThatThrownBy(() -> DeviceKey.load(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("accessible to group or others (" + mode + ")")
        .hasMessageContaining("chmod 600");
  }

  @Test
  void loadsAKeyFileTheOwnerMayOnlyRead() throws Exception {
    Path file = dir.resolve("device.key");
    DeviceKey key = DeviceKey.generate();
    key.save(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));

    assertThat(DeviceKey.load(file)).isEqualTo(key);
  }

  @Test
  void explainsAMissingFile() {
    Path file = dir.resolve("nope.key");

    assertThatThrownBy(() -> DeviceKey.load(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("device key file " + file + " does not exist");
  }

  @Test
  void refusesADirectory() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));

    assertThatThrownBy(() -> DeviceKey.load(sub))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("not a regular file");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "not json at all| it is not JSON",
        "[1,2]| its type is not olares-secrets-device-key",
        "{'type':'other','version':1}| its type is not olares-secrets-device-key",
        "{'type':'olares-secrets-device-key','version':2}| its version is not 1",
        "{'type':'olares-secrets-device-key','version':1,'did':'x'}| it lacks did or privateKey",
        "{'type':'olares-secrets-device-key','version':1,'did':'x','privateKey':'***'}"
            + "| its privateKey is not base64url",
        "{'type':'olares-secrets-device-key','version':1,'did':'x','privateKey':'AAAA'}"
            + "| its privateKey is not 32 bytes",
      })
  void explainsAFileThatIsNotADeviceKey(String content, String why) throws Exception {
    Path file = writeOwnerOnly(content.replace('\'', '"'));

    assertThatThrownBy(() -> DeviceKey.load(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("device key file " + file + " is not a device key file: " + why);
  }

  @Test
  void detectsAPrivateKeyThatDoesNotMatchItsDid() throws Exception {
    DeviceKey other = DeviceKey.generate();
    String seed = Base64.getUrlEncoder().withoutPadding().encodeToString(RFC8032_SECRET);
    Path file =
        writeOwnerOnly(
            "{\"type\":\"olares-secrets-device-key\",\"version\":1,\"did\":\""
                + other.did()
                + "\",\"privateKey\":\""
                + seed
                + "\"}");

    assertThatThrownBy(() -> DeviceKey.load(file))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("does not match its did")
        .hasMessageNotContaining(seed);
  }

  @Test
  void theFileHoldsTheDidBesideTheKey() throws Exception {
    DeviceKey key = DeviceKey.fromSeed(RFC8032_SECRET);
    Path file = dir.resolve("device.key");

    key.save(file);

    assertThat(Files.readString(file))
        .contains("\"did\":\"" + key.did() + "\"")
        .contains("\"type\":\"olares-secrets-device-key\"");
  }

  private Path writeOwnerOnly(String content) throws Exception {
    Path file = dir.resolve("device.key");
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content);
    return file;
  }
}
