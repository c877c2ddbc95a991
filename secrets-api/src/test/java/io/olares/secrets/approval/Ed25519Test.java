package io.olares.secrets.approval;

import static io.olares.secrets.approval.TestData.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class Ed25519Test {
  private static final byte[] RFC8032_SECRET =
      hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final String RFC8032_PUBLIC =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  private static final String RFC8032_SIGNATURE =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

  @Test
  void derivesThePublicKeyOfRfc8032TestOne() {
    assertThat(hex(Ed25519.publicKeyOf(RFC8032_SECRET))).isEqualTo(RFC8032_PUBLIC);
  }

  @Test
  void signsTheEmptyMessageOfRfc8032TestOne() {
    byte[] sig = Ed25519.sign(Ed25519.privateKey(RFC8032_SECRET), new byte[0]);

    assertThat(hex(sig)).isEqualTo(RFC8032_SIGNATURE);
    assertThat(Ed25519.verify(hex(RFC8032_PUBLIC), new byte[0], sig)).isTrue();
  }

  @Test
  void malformedInputsAreFalseNotExceptions() {
    byte[] pub = hex(RFC8032_PUBLIC);
    byte[] sig = hex(RFC8032_SIGNATURE);
    byte[] msg = new byte[0];
    byte[] nonCanonical = new byte[32];
    java.util.Arrays.fill(nonCanonical, (byte) 0xff);
    nonCanonical[31] = 0x7f;

    assertThat(Ed25519.verify(null, msg, sig)).isFalse();
    assertThat(Ed25519.verify(new byte[31], msg, sig)).isFalse();
    assertThat(Ed25519.verify(pub, msg, null)).isFalse();
    assertThat(Ed25519.verify(pub, msg, new byte[63])).isFalse();
    assertThat(Ed25519.verify(pub, msg, new byte[65])).isFalse();
    assertThat(Ed25519.verify(pub, msg, new byte[64])).isFalse();
    assertThat(Ed25519.verify(nonCanonical, msg, sig)).isFalse();
    assertThat(Ed25519.verify(pub, "x".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
  }

  @Test
  void refusesKeysOfTheWrongLength() {
    assertThatThrownBy(() -> Ed25519.privateKey(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes, not 33");
    assertThatThrownBy(() -> Ed25519.publicKeyOf(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Every Wycheproof EdDSA verification vector, through the same verifier Jws.verify uses: valid
   * signatures verify and every invalid one (malleable S, bad encodings, edge-case points, garbage)
   * is refused.
   */
  @TestFactory
  Stream<DynamicTest> agreesWithEveryWycheproofVector() {
    JsonNode root = TestData.json("wycheproof/ed25519_test.json");
    List<DynamicTest> tests = new ArrayList<>();
    int[] counts = new int[2];
    for (JsonNode group : root.get("testGroups")) {
      byte[] pk = hex(group.get("publicKey").get("pk").asText());
      for (JsonNode t : group.get("tests")) {
        String result = t.get("result").asText();
        assertThat(result).isIn("valid", "invalid");
        boolean valid = result.equals("valid");
        counts[valid ? 0 : 1]++;
        byte[] msg = hex(t.get("msg").asText());
        byte[] sig = hex(t.get("sig").asText());
        String name = "tcId " + t.get("tcId").asInt() + " " + result + " " + t.get("comment");
        tests.add(
            dynamicTest(name, () -> assertThat(Ed25519.verify(pk, msg, sig)).isEqualTo(valid)));
      }
    }
    assertThat(counts[0] + counts[1]).isEqualTo(root.get("numberOfTests").asInt());
    assertThat(counts[0]).isPositive();
    assertThat(counts[1]).isPositive();
    return tests.stream();
  }
}
