package io.olares.secrets.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.ApprovalRejectedException;
import io.olares.secrets.Operation;
import io.olares.secrets.approval.Approval;
import io.olares.secrets.approval.ApprovalRequest;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.JwsApprovalVerifier;
import io.olares.secrets.approval.MemoryNonceLedger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * {@link JwsApprovalVerifier} against approvals built from fuzzed parts: some signed honestly by
 * the trusted device key over the right challenge, most with one or more parts wrong (header,
 * signer, payload fields, time, challenge, signature bytes, the request presented).
 *
 * <p>Properties: the verifier throws nothing but {@link ApprovalRejectedException}; it accepts an
 * approval only where every part is right; an accepted approval is refused as a replay the second
 * time.
 */
class JwsApprovalVerifierFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final DeviceKey TRUSTED = DeviceKey.fromSeed(seed(7));
  private static final DeviceKey STRANGER = DeviceKey.fromSeed(seed(9));
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration MAX_AGE = Duration.ofMinutes(5);
  private static final Duration MAX_SKEW = Duration.ofSeconds(30);

  private static byte[] seed(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }

  @FuzzTest(maxDuration = "60s")
  void onlyAnEntirelyRightApprovalIsAcceptedAndOnlyOnce(FuzzedDataProvider data) {
    ApprovalRequest expected =
        new ApprovalRequest(
            "vault-1", "item-42", Operation.READ, "notes", "nonce-" + data.consumeInt(), NOW);

    // the request the caller presents with the approval: the expected one, or another use
    ApprovalRequest presented = expected;
    if (data.consumeBoolean()) {
      presented =
          new ApprovalRequest(
              expected.audience(),
              expected.subject(),
              data.pickValue(Operation.values()),
              data.consumeString(12),
              expected.nonce(),
              expected.issuedAt());
    }
    DeviceKey signer = data.consumeBoolean() ? STRANGER : TRUSTED;

    ObjectNode header = JSON.createObjectNode();
    String alg = data.consumeBoolean() ? data.consumeString(8) : "EdDSA";
    header.put("alg", alg);
    String kid = data.consumeBoolean() ? data.consumeString(60) : signer.did();
    header.put("kid", kid);
    boolean extraHeader = data.consumeBoolean();
    if (extraHeader) {
      header.put("x" + data.consumeString(6), data.consumeString(6));
    }

    ObjectNode payload = JSON.createObjectNode();
    payload.put("name", data.consumeString(16));
    String did = data.consumeBoolean() ? data.consumeString(60) : signer.did();
    payload.put("did", did);
    payload.put("domain", data.consumeString(16));
    long offsetMillis = data.consumeLong(-2 * MAX_AGE.toMillis(), 2 * MAX_SKEW.toMillis());
    String canonicalTime = Long.toString(NOW.plusMillis(offsetMillis).toEpochMilli());
    String time = data.consumeBoolean() ? data.consumeString(20) : canonicalTime;
    payload.put("time", time);
    String challenge = data.consumeBoolean() ? data.consumeString(44) : presented.challenge();
    payload.put("challenge", challenge);

    String input =
        B64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8))
            + "."
            + B64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
    byte[] signature = signer.sign(input.getBytes(StandardCharsets.US_ASCII));
    byte flip = 0;
    if (data.consumeBoolean()) {
      flip = data.consumeByte();
      signature[data.consumeInt(0, signature.length - 1)] ^= flip;
    }
    String compact = input + "." + B64.encodeToString(signature);
    boolean replaced = data.consumeBoolean();
    if (replaced) {
      compact = data.consumeRemainingAsString();
    }

    JwsApprovalVerifier verifier =
        new JwsApprovalVerifier(
            () -> Set.of(TRUSTED.did()),
            new MemoryNonceLedger(CLOCK, 1000),
            CLOCK,
            MAX_AGE,
            MAX_SKEW);
    Approval approval = new Approval(presented, compact);
    try {
      verifier.verify(approval, expected);
    } catch (RuntimeException e) {
      Findings.allowOnly(e, ApprovalRejectedException.class);
      return;
    }

    if (replaced) {
      throw Findings.property("an approval made of arbitrary text was accepted");
    }
    if (!alg.equals("EdDSA") || extraHeader) {
      throw Findings.property("an approval with a foreign header was accepted");
    }
    if (signer != TRUSTED || !kid.equals(TRUSTED.did()) || !did.equals(TRUSTED.did())) {
      throw Findings.property("an approval not signed by the trusted device was accepted");
    }
    if (flip != 0) {
      throw Findings.property("an approval with a damaged signature was accepted");
    }
    if (!challenge.equals(expected.challenge())) {
      throw Findings.property("an approval over another challenge was accepted");
    }
    if (!presented.app().equals(expected.app()) || presented.operation() != expected.operation()) {
      throw Findings.property("an approval presented for another use was accepted");
    }
    if (!time.matches("[0-9]{1,15}")) {
      throw Findings.property("an approval whose time is not epoch milliseconds was accepted");
    }
    long signedAgo = NOW.toEpochMilli() - Long.parseLong(time);
    if (signedAgo > MAX_AGE.toMillis() || -signedAgo > MAX_SKEW.toMillis()) {
      throw Findings.property("an approval signed outside the time window was accepted");
    }
    try {
      verifier.verify(approval, expected);
    } catch (ApprovalRejectedException e) {
      if (e.reason() != ApprovalRejectedException.Reason.REPLAYED) {
        throw Findings.property("a replay was refused for " + e.reason() + ", not as a replay");
      }
      return;
    }
    throw Findings.property("an accepted approval was accepted a second time");
  }
}
