package io.olares.secrets.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.policy.Grant;
import io.olares.secrets.provider.manifest.OlaresManifest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@link OlaresManifest#parse(String, String, Map)} on arbitrary manifest text (a Helm template):
 * it throws {@link ConfigurationException} or returns a manifest whose grants are all well formed.
 * Each input is parsed twice: without Helm values and with a small set of them.
 */
class OlaresManifestFuzzTest {
  private static final Map<String, Object> VALUES =
      Map.of(
          "admin", "alice",
          "bfl", Map.of("username", "alice"),
          "gpu", true,
          "llm", Map.of("port", 8080),
          "list", List.of("a", "b"));

  @FuzzTest(maxDuration = "60s")
  void manifestsParseOrAreRejectedWithAConfigurationError(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    check(text, null);
    check(text, VALUES);
  }

  private static void check(String text, Map<String, Object> values) {
    OlaresManifest manifest;
    try {
      manifest = OlaresManifest.parse(text, "fuzz/OlaresManifest.yaml", values);
    } catch (RuntimeException e) {
      Findings.allowOnly(e, ConfigurationException.class);
      if (e.getMessage() == null || !e.getMessage().contains("fuzz/OlaresManifest.yaml")) {
        throw Findings.property("a manifest error does not name its source: " + e.getMessage());
      }
      return;
    }
    for (Grant grant : manifest.grants()) {
      if (grant == null) {
        throw Findings.property("a manifest yielded a null grant");
      }
      grant.toString();
    }
    manifest.sysDataGrants().forEach(Grant.SysDataGrant::toString);
    manifest.app();
    manifest.toMap();
    manifest.toYaml();
    manifest.toString();
  }
}
