package io.olares.secrets.approval;

import static io.olares.secrets.approval.TestData.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class Slip10Test {

  /** SLIP-0010 ed25519 vectors: master keys (path m) and hardened chains. */
  @TestFactory
  Stream<DynamicTest> reproducesEverySlip10Ed25519Vector() {
    JsonNode vectors = TestData.json("slip10/ed25519.json").get("vectors");
    List<DynamicTest> tests = new ArrayList<>();
    int masters = 0;
    for (JsonNode v : vectors) {
      byte[] seed = hex(v.get("seed").asText());
      String path = v.get("path").asText();
      masters += path.equals("m") ? 1 : 0;
      tests.add(
          dynamicTest(
              v.get("seed").asText().substring(0, 8) + "... " + path,
              () -> {
                Slip10.ExtendedKey key = Slip10.derive(seed, path);
                assertThat(hex(key.chainCode())).isEqualTo(v.get("chainCode").asText());
                assertThat(hex(key.privateKey())).isEqualTo(v.get("private").asText());
                assertThat("00" + hex(key.publicKey())).isEqualTo(v.get("public").asText());
                assertThat(key.depth()).isEqualTo(path.split("/").length - 1);
              }));
    }
    assertThat(masters).isEqualTo(2);
    return tests.stream();
  }

  @Test
  void theMasterKeyIsPathM() {
    byte[] seed = hex("000102030405060708090a0b0c0d0e0f");

    assertThat(Slip10.master(seed).privateKey()).isEqualTo(Slip10.derive(seed, "m").privateKey());
  }

  @Test
  void acceptsTheUsualHardenedMarkers() {
    byte[] seed = hex("000102030405060708090a0b0c0d0e0f");

    assertThat(Slip10.derive(seed, "m/0h/1H").privateKey())
        .isEqualTo(Slip10.derive(seed, "m/0'/1'").privateKey());
  }

  @Test
  void refusesBadPathsAndSeeds() {
    byte[] seed = new byte[16];
    assertThatThrownBy(() -> Slip10.derive(seed, "m/0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hardened children only");
    assertThatThrownBy(() -> Slip10.derive(seed, "0'")).hasMessageContaining("starts with 'm'");
    assertThatThrownBy(() -> Slip10.derive(seed, "m//0'")).hasMessageContaining("is empty");
    assertThatThrownBy(() -> Slip10.derive(seed, "m/x'")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> Slip10.derive(seed, "m/-1'")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> Slip10.derive(seed, "m/2147483648'"))
        .hasMessageContaining("above 2^31 - 1");
    assertThatThrownBy(() -> Slip10.master(new byte[15]))
        .hasMessageContaining("16 to 64 bytes, not 15");
    assertThatThrownBy(() -> Slip10.master(new byte[65]))
        .hasMessageContaining("16 to 64 bytes, not 65");
    assertThatThrownBy(() -> Slip10.master(seed).hardenedChild(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringAndDestroyKeepTheKeyPrivate() {
    Slip10.ExtendedKey key = Slip10.master(hex("000102030405060708090a0b0c0d0e0f"));
    String privateHex = hex(key.privateKey());

    assertThat(key.toString()).doesNotContain(privateHex).contains("redacted");
    key.destroy();
    assertThat(key.privateKey()).containsOnly(0);
    assertThat(key.chainCode()).containsOnly(0);
  }
}
