package io.olares.secrets.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.olares.secrets.approval.DidKey;
import io.olares.secrets.approval.InvalidDidException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@link DidKey#decode} on arbitrary text: it throws {@link InvalidDidException} or returns 32
 * bytes that encode back to the same text, and {@link DidKey#isValid} agrees with it.
 */
class DidKeyFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void didKeysDecodeToThirtyTwoBytesOrAreRejected(byte[] input) {
    String did = new String(input, StandardCharsets.UTF_8);
    byte[] key;
    try {
      key = DidKey.decode(did);
    } catch (RuntimeException e) {
      Findings.allowOnly(e, InvalidDidException.class);
      if (DidKey.isValid(did)) {
        throw Findings.property("isValid accepts a did that decode rejects");
      }
      return;
    }
    if (key.length != 32) {
      throw Findings.property("decode returned " + key.length + " bytes");
    }
    if (!DidKey.isValid(did)) {
      throw Findings.property("isValid rejects a did that decode accepts");
    }
    if (!DidKey.encode(key).equals(did)) {
      throw Findings.property("a decoded did:key does not encode back to its text");
    }
    if (!Arrays.equals(DidKey.decode(DidKey.encode(key)), key)) {
      throw Findings.property("encode and decode disagree");
    }
  }
}
