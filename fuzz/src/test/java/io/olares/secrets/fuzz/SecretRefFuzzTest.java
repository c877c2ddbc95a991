package io.olares.secrets.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.SecretRef;
import java.nio.charset.StandardCharsets;

/**
 * {@link SecretRef#parse} and {@link SecretRef#parsePrefix} on arbitrary text: they either throw
 * {@link InvalidReferenceException} or return a reference whose text form parses back to an equal
 * reference, as documented.
 */
class SecretRefFuzzTest {
  @FuzzTest(maxDuration = "60s")
  void referencesParseOrAreRejectedWithTheDocumentedError(byte[] input) {
    // the text is the input as UTF-8; a trailing '/' byte asks for the prefix form
    boolean prefix = input.length > 0 && input[input.length - 1] == '/';
    String text = new String(input, StandardCharsets.UTF_8);
    SecretRef ref;
    try {
      ref = prefix ? SecretRef.parsePrefix(text) : SecretRef.parse(text);
    } catch (RuntimeException e) {
      Findings.allowOnly(e, InvalidReferenceException.class);
      return;
    }
    String canonical = ref.toString();
    if (canonical.length() > SecretRef.MAX_LENGTH) {
      throw Findings.property("a parsed reference prints to a text beyond MAX_LENGTH");
    }
    SecretRef again;
    try {
      again = prefix ? SecretRef.parsePrefix(canonical) : SecretRef.parse(canonical);
    } catch (InvalidReferenceException e) {
      throw Findings.property("the text form of a parsed reference does not parse: " + e);
    }
    if (!again.equals(ref) || again.hashCode() != ref.hashCode()) {
      throw Findings.property("the text form of a parsed reference parses to another reference");
    }
    if (!again.toString().equals(canonical)) {
      throw Findings.property("the text form is not stable under a second round trip");
    }
    if (!ref.base().covers(ref) || !ref.covers(ref)) {
      throw Findings.property("a reference does not cover itself");
    }
  }
}
