package io.olares.secrets.k8s.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.SecretValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretManifestTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void rendersASecretWhoseDataDecodesToTheExactBytes() throws Exception {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    try (SecretManifest m =
        SecretManifest.builder("notes-secrets")
            .namespace("notes-alice")
            .app("notes")
            .put("blob.bin", SecretValue.ofBytes(all))
            .put("SESSION_SECRET", SecretValue.ofString("s3ss!on"))
            .build()) {

      JsonNode yaml = YAML.readTree(m.toYaml());

      assertThat(yaml.get("apiVersion").asText()).isEqualTo("v1");
      assertThat(yaml.get("kind").asText()).isEqualTo("Secret");
      assertThat(yaml.at("/metadata/name").asText()).isEqualTo("notes-secrets");
      assertThat(yaml.at("/metadata/namespace").asText()).isEqualTo("notes-alice");
      assertThat(yaml.at("/metadata/labels").get("applications.app.bytetrade.io/name").asText())
          .isEqualTo("notes");
      assertThat(yaml.get("type").asText()).isEqualTo("Opaque");
      assertThat(Base64.getDecoder().decode(yaml.at("/data/blob.bin").asText())).isEqualTo(all);
      assertThat(Base64.getDecoder().decode(yaml.at("/data/SESSION_SECRET").asText()))
          .isEqualTo("s3ss!on".getBytes());
      assertThat(yaml.has("stringData")).isFalse();
      assertThat(m.toString()).doesNotContain("s3ss!on").contains("SESSION_SECRET");
    }
  }

  @Test
  void rendersEnvEntriesThatReadTheSecretThroughSecretKeyRef() throws Exception {
    SecretManifest m =
        SecretManifest.builder("notes-secrets")
            .putTemplate("DB_PASSWORD", "{{ .Values.postgres.password }}")
            .putTemplate("ADMIN_TOKEN", "{{ .Values.admin.token }}")
            .build();

    String env = EnvEntry.toYaml(m.envForAllKeys());

    assertThat(env)
        .isEqualTo(
            """
            - name: ADMIN_TOKEN
              valueFrom:
                secretKeyRef:
                  name: notes-secrets
                  key: ADMIN_TOKEN
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: notes-secrets
                  key: DB_PASSWORD
            """);
    JsonNode yaml = YAML.readTree(m.toYaml());
    assertThat(yaml.at("/stringData/DB_PASSWORD").asText())
        .isEqualTo("{{ .Values.postgres.password }}");
    assertThat(m.toYaml()).contains("DB_PASSWORD: \"{{ .Values.postgres.password }}\"");
  }

  @Test
  void namesAMiddlewarePasswordTheOlaresWay() throws Exception {
    SecretKeyRef ref = OlaresNames.middlewarePassword("notes", "notes-alice", "postgres");

    assertThat(ref.name()).isEqualTo("notes-notes-alice-postgres-password");
    assertThat(ref.key()).isEqualTo("password");
    assertThat(OlaresNames.appNamespace("notes", "alice")).isEqualTo("notes-alice");
    assertThat(new EnvEntry("PGPASSWORD", ref).toYaml())
        .isEqualTo(
            """
            - name: PGPASSWORD
              valueFrom:
                secretKeyRef:
                  name: notes-notes-alice-postgres-password
                  key: password
            """);
  }

  @Test
  void refusesNamesAndKeysKubernetesWouldRefuse() {
    assertThatThrownBy(() -> SecretManifest.builder("Bad_Name"))
        .isInstanceOf(InvalidReferenceException.class);
    assertThatThrownBy(() -> SecretManifest.builder("ok").put("bad/key", SecretValue.ofString("x")))
        .isInstanceOf(InvalidReferenceException.class);
    assertThatThrownBy(
            () ->
                SecretManifest.builder("ok")
                    .put("k", SecretValue.ofBytes(new byte[1024 * 1024 + 1]))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 MiB");
    assertThatThrownBy(() -> new SecretKeyRef("ok", "..hidden"))
        .isInstanceOf(InvalidReferenceException.class);
    assertThatThrownBy(() -> new EnvEntry("A=B", new SecretKeyRef("ok", "k")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SecretManifest.builder("ok").putTemplate("k", "x").build().ref("nope"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aChartBuiltFromTheRenderedPiecesScansClean(@TempDir Path chart) throws Exception {
    SecretManifest secret =
        SecretManifest.builder("{{ .Release.Name }}-secrets")
            .namespace("{{ .Release.Namespace }}")
            .putTemplate("DB_PASSWORD", "{{ .Values.postgres.password }}")
            .build();
    List<EnvEntry> env =
        List.of(
            secret.env("DB_PASSWORD", "DB_PASSWORD"),
            new EnvEntry(
                "PGPASSWORD", OlaresNames.middlewarePassword("notes", "notes-alice", "postgres")));
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: notes\nversion: 1.0.0\n");
    Files.writeString(chart.resolve("templates/secret.yaml"), secret.toYaml());
    Files.writeString(
        chart.resolve("templates/deployment.yaml"),
        "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: notes\n"
            + "        env:\n"
            + EnvEntry.toYaml(env).indent(8));

    ScanResult result = ChartScanner.scan(chart);

    // the Olares middleware Secret is created by Olares, not the chart: a warning only
    assertThat(result.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.variable()).isEqualTo("PGPASSWORD");
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
            });
    assertThat(result.skipped()).isEmpty();
  }
}
