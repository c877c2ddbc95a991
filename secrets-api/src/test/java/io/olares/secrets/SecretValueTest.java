package io.olares.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretValueTest {

  @Test
  void neverShowsTheValueInToString() {
    SecretValue value = SecretValue.ofString("hunter2-canary");
    assertThat(value.toString()).doesNotContain("hunter2").isEqualTo("SecretValue[redacted]");
    Secret secret =
        new Secret(
            SecretRef.parse("x://c/p"), Classification.CREDENTIAL, value, SecretMetadata.EMPTY);
    assertThat(secret.toString()).doesNotContain("hunter2");
  }

  @Test
  void copiesInputSoTheCallerMayWipeItsArray() {
    byte[] raw = {1, 2, 3};
    SecretValue value = SecretValue.ofBytes(raw);
    raw[0] = 9;
    assertThat(value.revealBytes()).containsExactly(1, 2, 3);
  }

  @Test
  void handsOutCopiesSoCallersCannotChangeIt() {
    SecretValue value = SecretValue.ofBytes(new byte[] {1, 2, 3});
    value.revealBytes()[0] = 9;
    assertThat(value.revealBytes()).containsExactly(1, 2, 3);
  }

  @Test
  void wipesOnCloseAndRefusesToRevealAfterwards() {
    byte[] owned = "secret".getBytes(StandardCharsets.UTF_8);
    SecretValue value = SecretValue.adopt(owned);
    value.close();
    assertThat(owned).containsOnly(0);
    assertThat(value.isClosed()).isTrue();
    assertThatThrownBy(value::revealBytes).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(value::revealString).isInstanceOf(IllegalStateException.class);
    value.close();
  }

  @Test
  void comparesContentsWithTheConstantTimeMethodOnly() {
    SecretValue a = SecretValue.ofString("same");
    SecretValue b = SecretValue.ofString("same");
    assertThat(a.equalsConstantTime(b)).isTrue();
    assertThat(a.equalsConstantTime(SecretValue.ofString("other"))).isFalse();
    assertThat(a.equalsConstantTime("same".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void isNotSerializable() throws Exception {
    assertThat(Serializable.class.isAssignableFrom(SecretValue.class)).isFalse();
    assertThat(Serializable.class.isAssignableFrom(Secret.class)).isFalse();
    try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
      assertThatThrownBy(() -> out.writeObject(SecretValue.ofString("x")))
          .isInstanceOf(NotSerializableException.class);
    }
  }

  @Test
  void roundTripsCharsAndDetectsUtf8() {
    SecretValue text = SecretValue.ofChars("pässwörd 🔑".toCharArray());
    assertThat(new String(text.revealChars())).isEqualTo("pässwörd 🔑");
    assertThat(text.isUtf8()).isTrue();
    assertThat(SecretValue.ofBytes(new byte[] {(byte) 0xff, 0}).isUtf8()).isFalse();
  }

  @Test
  void keepsEveryByteValue() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    assertThat(SecretValue.ofBytes(all).revealBytes()).isEqualTo(all);
  }
}
