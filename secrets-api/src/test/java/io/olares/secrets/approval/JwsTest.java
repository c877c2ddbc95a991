package io.olares.secrets.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.ApprovalRejectedException;
import io.olares.secrets.ApprovalRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JwsTest {
  private static final DeviceKey KEY = DeviceKey.fromSeed(new byte[32]);
  private static final DeviceKey OTHER = DeviceKey.generate();
  private static final Instant TIME = Instant.ofEpochMilli(1_717_000_000_123L);
  private static final Jws.Payload PAYLOAD =
      new Jws.Payload(
          "alice@olares.com", KEY.did(), "vault.alice.olares.com", TIME, "Y2hhbGxlbmdl");

  private static String b64(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeSegment(String jws, int i) {
    return new String(Base64.getUrlDecoder().decode(jws.split("\\.")[i]), StandardCharsets.UTF_8);
  }

  private static String header() {
    return "{\"alg\":\"EdDSA\",\"kid\":\"" + KEY.did() + "\"}";
  }

  private static String payload() {
    return "{\"name\":\"alice@olares.com\",\"did\":\""
        + KEY.did()
        + "\",\"domain\":\"d\",\"time\":\"1717000000123\",\"challenge\":\"c\"}";
  }

  @Test
  void signsInLarePassShape() {
    String jws = Jws.sign(KEY, PAYLOAD);

    assertThat(jws.split("\\.")).hasSize(3);
    assertThat(jws).doesNotContain("=");
    assertThat(decodeSegment(jws, 0))
        .isEqualTo("{\"alg\":\"EdDSA\",\"kid\":\"" + KEY.did() + "\"}");
    assertThat(decodeSegment(jws, 1))
        .isEqualTo(
            "{\"name\":\"alice@olares.com\",\"did\":\""
                + KEY.did()
                + "\",\"domain\":\"vault.alice.olares.com\",\"time\":\"1717000000123\","
                + "\"challenge\":\"Y2hhbGxlbmdl\"}");
  }

  @Test
  void parsesWhatItSignsAndTheSignatureVerifies() {
    Jws jws = Jws.parse(Jws.sign(KEY, PAYLOAD));

    assertThat(jws.kid()).isEqualTo(KEY.did());
    assertThat(jws.payload()).isEqualTo(PAYLOAD);
    assertThat(jws.publicKey()).isEqualTo(KEY.publicKey());
    assertThat(jws.verify()).isTrue();
    assertThat(jws.verify(KEY.publicKey())).isTrue();
    assertThat(jws.verify(OTHER.publicKey())).isFalse();
    assertThat(jws.toString()).contains(KEY.did()).contains("alice@olares.com");
  }

  @Test
  void aTamperedPayloadParsesButDoesNotVerify() {
    String[] parts = Jws.sign(KEY, PAYLOAD).split("\\.");
    String tampered =
        parts[0]
            + "."
            + b64(decodeSegment(String.join(".", parts), 1).replace("alice", "mallory"))
            + "."
            + parts[2];

    Jws jws = Jws.parse(tampered);

    assertThat(jws.payload().name()).isEqualTo("mallory@olares.com");
    assertThat(jws.verify()).isFalse();
  }

  @Test
  void refusesToSignAPayloadNamingAnotherDid() {
    Jws.Payload foreign = new Jws.Payload("a", OTHER.did(), "d", TIME, "c");

    assertThatThrownBy(() -> Jws.sign(KEY, foreign)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertMalformed(String jws, String message) {
    assertThatThrownBy(() -> Jws.parse(jws))
        .isInstanceOfSatisfying(
            ApprovalRejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining(message);
  }

  /** Headers forged and properly signed: each must be refused before any signature check. */
  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "{'alg':'none','kid':'KID'}| header alg 'none' is not accepted",
        "{'alg':'HS256','kid':'KID'}| header alg 'HS256' is not accepted",
        "{'alg':'ES256K','kid':'KID'}| header alg 'ES256K' is not accepted",
        "{'alg':'eddsa','kid':'KID'}| header alg 'eddsa' is not accepted",
        "{'alg':1,'kid':'KID'}| header alg of the wrong type",
        "{'kid':'KID'}| header has no alg",
        "{'alg':'EdDSA','kid':'KID','crit':['exp']}| header has crit",
        "{'alg':'EdDSA','kid':'KID','crit':[]}| header has crit",
        "{'alg':'EdDSA','kid':'KID','typ':'JWT'}| header member 'typ' is not allowed",
        "{'alg':'EdDSA','kid':'KID','jwk':{}}| header member 'jwk' is not allowed",
        "{'alg':'EdDSA'}| header has no kid",
        "{'alg':'EdDSA','kid':7}| header has no kid",
        "{'alg':'EdDSA','kid':'did:web:example.com'}| kid is not an Ed25519 did:key (WRONG_PREFIX)",
        "{'alg':'EdDSA','kid':'did:key:z6LSeu9HkTHSfLLeUs2nnzUSNedgDUevfNQgQjQC23ZCit6F'}"
            + "| (WRONG_MULTICODEC)",
        "{'alg':'none','alg':'EdDSA','kid':'KID'}| duplicate member",
        "{'alg':'EdDSA','kid':'KID'} {}| header is not a JSON object",
        "['EdDSA']| header is not a JSON object",
        "\"EdDSA\"| header is not a JSON object",
        "{alg:'EdDSA'}| header is not a JSON object",
      })
  void refusesEveryOtherHeader(String headerJson, String message) {
    String header = headerJson.replace('\'', '"').replace("KID", KEY.did());

    assertMalformed(Jws.assemble(KEY, header, payload()), message);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "{'name':'a','did':'D','domain':'d','time':'1'}| payload has no challenge",
        "{'did':'D','domain':'d','time':'1','challenge':'c'}| payload has no name",
        "{'name':'a','domain':'d','time':'1','challenge':'c'}| payload has no did",
        "{'name':'a','did':'D','time':'1','challenge':'c'}| payload has no domain",
        "{'name':'a','did':'D','domain':'d','challenge':'c'}| payload has no time",
        "{'name':'a','did':'D','domain':'d','time':1,'challenge':'c'}| payload time is not a string",
        "{'name':'a','did':'D','domain':'d','time':'1e3','challenge':'c'}| time is not epoch",
        "{'name':'a','did':'D','domain':'d','time':'-1','challenge':'c'}| time is not epoch",
        "{'name':'a','did':'D','domain':'d','time':'','challenge':'c'}| time is not epoch",
        "{'name':'a','did':'D','domain':'d','time':'1234567890123456','challenge':'c'}"
            + "| time is not epoch",
        "{'name':'a','did':'D','domain':'d','time':'1','challenge':null}"
            + "| payload challenge is not a string",
        "{'name':'a','did':'D','domain':'d','time':'1','challenge':'c','name':'b'}"
            + "| duplicate member",
        "not json| payload is not a JSON object",
        "[]| payload is not a JSON object",
      })
  void refusesPayloadsNotInLarePassShape(String payloadJson, String message) {
    String payload = payloadJson.replace('\'', '"').replace("\"D\"", "\"" + KEY.did() + "\"");

    assertMalformed(Jws.assemble(KEY, header(), payload), message);
  }

  @Test
  void toleratesAndIgnoresExtraPayloadMembers() {
    String payload = payload().replace("}", ",\"extra\":{\"x\":1}}");

    Jws jws = Jws.parse(Jws.assemble(KEY, header(), payload));

    assertThat(jws.verify()).isTrue();
    assertThat(jws.payload().challenge()).isEqualTo("c");
  }

  @Test
  void refusesBadSegmentEncodings() {
    String good = Jws.sign(KEY, PAYLOAD);
    String[] p = good.split("\\.");
    String sig = p[2];
    String h = p[0];

    assertMalformed(p[0] + "." + p[1] + "." + sig + "=", "signature segment is not base64url");
    assertMalformed(h + "==." + p[1] + "." + sig, "header segment is not base64url");
    assertMalformed(
        p[0] + "." + p[1] + "." + sig.replace('-', '+').replace('_', '/') + "+/",
        "signature segment is not base64url");
    assertMalformed(p[0] + "." + p[1] + ". " + sig, "signature segment is not base64url");
    assertMalformed(p[0] + "." + p[1] + "." + sig + "AAA", "impossible base64url length");
    // 64 bytes take 86 characters; the last carries 2 spare bits that must be zero
    char last = sig.charAt(sig.length() - 1);
    String nonCanonical = sig.substring(0, sig.length() - 1) + (char) (last + 1);
    assertThat(Base64.getUrlDecoder().decode(nonCanonical))
        .isEqualTo(Base64.getUrlDecoder().decode(sig));
    assertMalformed(p[0] + "." + p[1] + "." + nonCanonical, "signature segment is not canonical");
  }

  @Test
  void refusesTheWrongNumberOfSegments() {
    String good = Jws.sign(KEY, PAYLOAD);
    String[] p = good.split("\\.");

    assertMalformed(p[0] + "." + p[1], "three segments");
    assertMalformed(p[0], "three segments");
    assertMalformed("", "three segments");
    assertMalformed(good + "." + p[2], "more than three segments");
    assertMalformed(good + ".", "more than three segments");
    assertMalformed(p[0] + ".." + p[2], "payload segment is empty");
    assertMalformed(p[0] + "." + p[1] + ".", "signature segment is empty");
    assertMalformed("." + p[1] + "." + p[2], "header segment is empty");
    assertMalformed(null, "no JWS");
  }

  @Test
  void refusesASignatureOfTheWrongLength() {
    String[] p = Jws.sign(KEY, PAYLOAD).split("\\.");
    String shortSig = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[63]);

    assertMalformed(p[0] + "." + p[1] + "." + shortSig, "signature has 63 bytes");
  }

  @Test
  void refusesInvalidUtf8() {
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(new byte[] {'{', '"', (byte) 0xc3, '"', ':', '1', '}'});
    String[] p = Jws.sign(KEY, PAYLOAD).split("\\.");

    assertMalformed(header + "." + p[1] + "." + p[2], "header is not UTF-8");
  }

  @Test
  void refusesATokenAboveTheSizeLimitBeforeDecodingIt() {
    String big = "{\"name\":\"" + "a".repeat(Jws.MAX_LENGTH) + "\"}";
    String jws = Jws.assemble(KEY, header(), big);

    assertMalformed(jws, "at most " + Jws.MAX_LENGTH + " are accepted");
  }
}
