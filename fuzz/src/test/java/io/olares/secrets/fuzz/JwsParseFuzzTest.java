package io.olares.secrets.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.olares.secrets.ApprovalRejectedException;
import io.olares.secrets.approval.DidKey;
import io.olares.secrets.approval.Jws;
import java.nio.charset.StandardCharsets;

/**
 * {@link Jws#parse} on arbitrary text: it throws {@link ApprovalRejectedException} (reason {@code
 * MALFORMED}) or returns a JWS whose parts are consistent, and checking its signature never throws.
 */
class JwsParseFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void compactJwsParsesOrIsRejectedAsMalformed(byte[] input) {
    String compact = new String(input, StandardCharsets.UTF_8);
    Jws jws;
    try {
      jws = Jws.parse(compact);
    } catch (RuntimeException e) {
      Findings.allowOnly(e, ApprovalRejectedException.class);
      if (((ApprovalRejectedException) e).reason() != ApprovalRejectedException.Reason.MALFORMED) {
        throw Findings.property(
            "parse rejected with reason " + ((ApprovalRejectedException) e).reason());
      }
      return;
    }
    if (!jws.compact().equals(compact)) {
      throw Findings.property("the parsed JWS does not keep its compact form");
    }
    if (!DidKey.isValid(jws.kid()) || jws.publicKey().length != 32) {
      throw Findings.property("a parsed JWS names a key that is not an Ed25519 did:key");
    }
    jws.verify();
    jws.toString();
  }
}
