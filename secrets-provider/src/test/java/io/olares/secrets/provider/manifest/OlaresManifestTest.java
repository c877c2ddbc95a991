package io.olares.secrets.provider.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.policy.Grant;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

class OlaresManifestTest {

  private static Path example(String name) {
    String dir = System.getProperty("olares.shared.testdata");
    Assumptions.assumeTrue(
        dir != null && Files.isDirectory(Path.of(dir, "olares", "manifests")),
        "the shared test data (olares/manifests) is not available");
    return Path.of(dir, "olares", "manifests", name);
  }

  private static Path resource(String name) {
    try {
      return Path.of(OlaresManifestTest.class.getResource("/manifests/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> expected(String name) throws IOException {
    try (InputStream in = Files.newInputStream(resource(name))) {
      return new Yaml(new LoaderOptions()).load(in);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"legacy-sysdata", "provider-v2", "templated"})
  void theExampleManifestsGiveExactlyTheExpectedGrants(String name) throws IOException {
    OlaresManifest manifest = OlaresManifest.parse(example(name + ".yaml"), null);

    assertThat(manifest.toMap()).isEqualTo(expected(name + ".expected.yaml"));
  }

  @Test
  void theTemplatedManifestRenderedWithValuesGivesItsSysDataGrant() throws IOException {
    OlaresManifest manifest =
        OlaresManifest.parse(example("templated.yaml"), resource("templated.values.yaml"));

    assertThat(manifest.toMap()).isEqualTo(expected("templated.with-values.expected.yaml"));
    assertThat(manifest.notes()).contains("line 16: .Values.llm.port is not set");
  }

  @Test
  void withoutValuesTheNotesNameTheValuesTheTemplateLookedFor() {
    OlaresManifest manifest = OlaresManifest.parse(example("templated.yaml"), null);

    assertThat(manifest.notes())
        .containsExactly(
            "line 11: .Values.admin is not set",
            "line 11: .Values.bfl.username is not set",
            "line 29: .Values.gpu is not set");
  }

  @Test
  void grantsAreTypedAndMatchOpsByTheServersRule() {
    OlaresManifest manifest = OlaresManifest.parse(example("legacy-sysdata.yaml"), null);

    Grant.SysDataGrant secrets = manifest.sysDataGrants().get(0);
    assertThat(secrets.grantee()).isEqualTo("notes");
    assertThat(secrets.covers("RetrieveSecret?workspace=notes")).isTrue();
    assertThat(secrets.covers("RetrieveSecret?workspace=other")).isFalse();
    assertThat(secrets.covers("DeleteSecret?workspace=notes")).isFalse();
    assertThat(manifest.grants()).hasSize(2).allMatch(g -> g instanceof Grant.SysDataGrant);
  }

  @Test
  void providerGrantsAndDeclarationsAreSeparate() {
    OlaresManifest manifest = OlaresManifest.parse(example("provider-v2.yaml"), null);

    assertThat(manifest.providerGrants())
        .containsExactly(
            new Grant.ProviderGrant("photoframe", "files", "files-api", null),
            new Grant.ProviderGrant("photoframe", "integration", "account", "os-protected"));
    assertThat(manifest.providers())
        .containsExactly(
            new ProviderDeclaration(
                "frames",
                "photoframe",
                java.util.List.of("/api/frames/*"),
                java.util.List.of("get", "list")));
  }

  @Test
  void inlineExpressionsRenderValuesAndFunctions() {
    String text =
        "metadata:\n"
            + "  name: {{ .Values.app | default \"demo\" }}\n"
            + "permission:\n"
            + "  sysData:\n"
            + "  - dataType: secret\n"
            + "    group: secret.infisical\n"
            + "    version: {{ .Values.v | quote }}\n"
            + "    ops: [ \"RetrieveSecret?workspace={{ .Values.ws }}\" ]\n"
            + "{{- /* a comment {{ that }} is dropped */}}\n"
            + "{{- with .Values.extra }}\n"
            + "  - dataType: {{ .type }}\n"
            + "    group: g\n"
            + "    version: v1\n"
            + "    ops: [All]\n"
            + "{{- end }}\n";
    Map<String, Object> values =
        Map.of("v", "v1", "ws", "myapp", "extra", Map.of("type", "legacy_x"));

    OlaresManifest manifest = OlaresManifest.parse(text, "inline", values);

    assertThat(manifest.app()).isEqualTo("demo");
    assertThat(manifest.sysDataGrants()).hasSize(2);
    assertThat(manifest.sysDataGrants().get(0).version()).isEqualTo("v1");
    assertThat(manifest.sysDataGrants().get(0).ops())
        .containsExactly("RetrieveSecret?workspace=myapp");
    assertThat(manifest.sysDataGrants().get(1).dataType()).isEqualTo("legacy_x");
  }

  @Test
  void elseIfChainsTakeTheFirstTrueBranch() {
    String text =
        "metadata: {name: a}\n"
            + "permission:\n"
            + "{{- if eq .Values.mode \"one\" }}\n"
            + "  provider: [{appName: one, providerName: p}]\n"
            + "{{- else if eq .Values.mode \"two\" }}\n"
            + "  provider: [{appName: two, providerName: p}]\n"
            + "{{- else }}\n"
            + "  provider: [{appName: other, providerName: p}]\n"
            + "{{- end }}\n";

    assertThat(OlaresManifest.parse(text, "m", Map.of("mode", "two")).providerGrants())
        .extracting(Grant.ProviderGrant::appName)
        .containsExactly("two");
    assertThat(OlaresManifest.parse(text, "m", Map.of()).providerGrants())
        .extracting(Grant.ProviderGrant::appName)
        .containsExactly("other");
  }

  static Stream<Arguments> brokenManifests() {
    return Stream.of(
        Arguments.of("metadata:\n  name: a\n   bad: indent\n", "line 3"),
        Arguments.of(
            "permission:\n  sysData:\n  - group: g\n    version: v1\n    ops: [A]\n",
            "line 3: a permission.sysData entry needs 'dataType'"),
        Arguments.of(
            "permission:\n  sysData:\n  - dataType: d\n    group: g\n    version: v1\n",
            "line 3: a permission.sysData entry needs at least one op"),
        Arguments.of(
            "permission:\n  sysData:\n  - dataType: d\n    group: g\n    version: v1\n"
                + "    ops: [A]\n    port: http\n",
            "line 7: port 'http' is not a number"),
        Arguments.of("metadata:\n  name: a\n  name: b\n", "line 3: the key 'name' appears twice"),
        Arguments.of("metadata:\n  name: {{ .Values.x\n", "line 2: a template action '{{'"),
        Arguments.of("a: 1\n{{- end }}\n", "line 2: 'end' without"),
        Arguments.of("a: 1\n{{ if .Values.x }}\nb: 2\n", "line 2: 'if' is never closed"),
        Arguments.of("permission: [1, 2]\n", "line 1: permission must be a mapping"),
        Arguments.of("- just\n- a list\n", "line 1: the manifest must be a mapping"),
        Arguments.of("metadata:\n  name: {{ frobnicate .Values.x }}\n", "line 2:"));
  }

  @ParameterizedTest
  @MethodSource("brokenManifests")
  void anUnreadableManifestIsAConfigurationErrorNamingTheLine(String text, String expected) {
    assertThatThrownBy(() -> OlaresManifest.parse(text, "OlaresManifest.yaml", null))
        .isExactlyInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("OlaresManifest.yaml")
        .hasMessageContaining(expected);
  }

  @Test
  void aMissingFileIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) {
    assertThatThrownBy(() -> OlaresManifest.parse(dir.resolve("absent.yaml"), null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("absent.yaml: no such file");
  }

  @Test
  void thePrintableFormReadsBackAsTheSameDataWithNotesAsComments() {
    OlaresManifest manifest = OlaresManifest.parse(example("templated.yaml"), null);

    String printed = manifest.toYaml();

    Map<String, Object> back = new Yaml(new LoaderOptions()).load(printed);
    assertThat(back).isEqualTo(manifest.toMap());
    assertThat(printed).contains("# line 11: .Values.admin is not set");
  }
}
