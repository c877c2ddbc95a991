package io.olares.secrets.k8s.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartScannerTest {
  @TempDir Path chart;

  @BeforeEach
  void chartYaml() throws Exception {
    Files.writeString(chart.resolve("Chart.yaml"), "apiVersion: v2\nname: demo\nversion: 0.1.0\n");
    Files.createDirectories(chart.resolve("templates"));
  }

  private void template(String name, String text) throws Exception {
    Path file = chart.resolve("templates").resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static String deployment(String env) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: demo
        spec:
          template:
            spec:
              containers:
              - name: app
                image: example.invalid/app:1
                env:
        %s
        """
        .formatted(env.indent(8).stripTrailing());
  }

  private List<String> findings() {
    return ChartScanner.scan(chart).findings().stream().map(Finding::describe).toList();
  }

  @Test
  void controlStructuresAndPipelinesDoNotHideFindings() throws Exception {
    template(
        "deployment.yaml",
        deployment(
            """
            {{- if .Values.auth.enabled }}
            - name: API_KEY
              value: {{ .Values.auth.apiKey | quote }}
            {{- else }}
            - name: API_KEY
              value: {{ default "none" .Values.auth.fallbackToken | quote }}
            {{- end }}
            {{- range $k, $v := .Values.extraEnv }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
            - name: DSN
              value: "mysql://{{ .Values.db.user }}:{{ .Values.db.password }}@tcp(db:3306)/app"
            - name: OPTS
              value: "--token={{ .Values.cli.token }} --verbose\""""));

    assertThat(findings())
        .containsExactly(
            "templates/deployment.yaml, container app, env API_KEY: plaintext from"
                + " .Values.auth.apiKey",
            "templates/deployment.yaml, container app, env API_KEY: plaintext from"
                + " .Values.auth.fallbackToken",
            "templates/deployment.yaml, container app, env DSN: connection URL embeds"
                + " .Values.db.password",
            "templates/deployment.yaml, container app, env OPTS: value embeds .Values.cli.token");
  }

  @Test
  void literalsAreFindingsOnlyInSecretLikeVariables() throws Exception {
    template(
        "deployment.yaml",
        deployment(
            """
            - name: DB_PASS
              value: letmein
            - name: JWT_SIGNING_KEY
              value: "abc123"
            - name: PUBLIC_KEY
              value: ssh-ed25519 AAAA
            - name: PASSWORD_FILE
              value: /run/secrets/db
            - name: TOKEN_TTL
              value: "3600"
            - name: KEYCLOAK_URL
              value: https://auth.example.invalid
            - name: FEATURE_TOKEN_AUTH
              value: "true"
            - name: DB_PASSWORD
              value: $(POSTGRES_PASSWORD)
            - name: EMPTY_SECRET
              value: ""
            - name: BROKER
              value: amqp://guest:guest@rabbit:5672/"""));

    assertThat(findings())
        .containsExactly(
            "templates/deployment.yaml, container app, env DB_PASS: literal value in a"
                + " secret-like variable",
            "templates/deployment.yaml, container app, env JWT_SIGNING_KEY: literal value in a"
                + " secret-like variable",
            "templates/deployment.yaml, container app, env BROKER: connection URL embeds a"
                + " literal password");
  }

  @Test
  void referencesAreCheckedAgainstTheSecretsTheChartDefines() throws Exception {
    template(
        "secret.yaml",
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: {{ include "demo.fullname" . }}-db
        data:
          password: {{ .Values.db.password | b64enc | quote }}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: {{ .Chart.Name }}-api
        stringData:
          token: {{ .Values.api.token | quote }}
        """);
    template(
        "deployment.yaml",
        deployment(
                """
                - name: DB_PASSWORD
                  valueFrom:
                    secretKeyRef:
                      name: {{ include  "demo.fullname"  . }}-db
                      key: password
                - name: DB_USER
                  valueFrom:
                    secretKeyRef:
                      name: {{ include "demo.fullname" . }}-db
                      key: username
                - name: API_TOKEN
                  valueFrom:
                    secretKeyRef:
                      name: demo-api
                      key: token""")
            + """
                envFrom:
                - secretRef:
                    name: shared-env
            """
                .indent(4));

    assertThat(findings())
        .containsExactly(
            "templates/deployment.yaml, container app, env DB_USER: secretKeyRef to key"
                + " username, which Secret {{ include \"demo.fullname\" . }}-db (defined in"
                + " templates/secret.yaml) does not have",
            "templates/deployment.yaml, container app, envFrom: envFrom secretRef to Secret"
                + " shared-env, which the chart does not define (it may exist in the cluster: a"
                + " warning, not an error)");
  }

  @Test
  void aSecretWhoseKeysComeFromATemplateIsNotCheckedForKeys() throws Exception {
    template(
        "secret.yaml",
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: generated
        stringData:
          {{- toYaml .Values.secrets | nindent 2 }}
        """);
    template(
        "deployment.yaml",
        deployment(
            """
            - name: ANYTHING
              valueFrom:
                secretKeyRef:
                  name: generated
                  key: whatever"""));

    ScanResult result = ChartScanner.scan(chart);

    assertThat(result.findings()).isEmpty();
    assertThat(result.skipped())
        .extracting(Skipped::describe)
        .containsExactly("templates/secret.yaml:6: text produced by 'toYaml' was not analysed");
  }

  @Test
  void initContainersCronJobsAndUnknownKindsAreSearched() throws Exception {
    template(
        "cronjob.yaml",
        """
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: backup
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  initContainers:
                  - name: wait
                    env:
                    - name: PGPASSWORD
                      value: {{ .Values.postgres.password }}
        """);

    assertThat(findings())
        .containsExactly(
            "templates/cronjob.yaml, container wait, env PGPASSWORD: plaintext from"
                + " .Values.postgres.password");
  }

  @Test
  void partsThatCannotBeReadAreReportedAndTheRestIsStillScanned() throws Exception {
    template(
        "broken.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        data:
          a: [unclosed
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
          - name: c
            env:
            - name: SECRET_TOKEN
              value: {{ .Values.token
        """);
    Path binary = chart.resolve("templates/binary.yaml");
    Files.write(binary, new byte[] {'a', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
    template("_helpers.tpl", "{{- define \"x\" -}}{{- end -}}");
    Files.createDirectories(chart.resolve("charts"));
    Files.write(chart.resolve("charts/redis-1.0.0.tgz"), new byte[] {31, -117});

    ScanResult result = ChartScanner.scan(chart);

    assertThat(result.skipped())
        .extracting(Skipped::describe)
        .contains(
            "charts/redis-1.0.0.tgz: packaged subchart not scanned; unpack it to scan",
            "templates/binary.yaml: not UTF-8 text; not scanned",
            "templates/broken.yaml:15: a template action is not closed; the rest of the line was"
                + " ignored");
    assertThat(result.skipped()).anySatisfy(s -> assertThat(s.line()).isEqualTo(4));
    assertThat(result.findings())
        .extracting(Finding::describe)
        .containsExactly(
            "templates/broken.yaml, container c, env SECRET_TOKEN: plaintext from .Values.token");
  }

  @Test
  void unpackedSubchartsAreScannedToo() throws Exception {
    Path sub = chart.resolve("charts/db/templates");
    Files.createDirectories(sub);
    Files.writeString(
        sub.resolve("pod.yaml"),
        """
        kind: Pod
        spec:
          containers:
          - name: db
            env:
            - name: ROOT_PASSWORD
              value: root
        """);

    assertThat(findings())
        .containsExactly(
            "charts/db/templates/pod.yaml, container db, env ROOT_PASSWORD: literal value in a"
                + " secret-like variable");
  }

  @Test
  void aDirectoryThatIsNoChartIsRefused() throws Exception {
    Path empty = Files.createDirectory(chart.resolve("empty"));
    assertThatThrownBy(() -> ChartScanner.scan(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Helm chart");
    assertThatThrownBy(() -> ChartScanner.scan(chart.resolve("absent")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aChartWithoutProblemsHasNoFindings() throws Exception {
    template(
        "deployment.yaml",
        deployment(
            """
            - name: PORT
              value: "8080"
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: demo-db
                  key: password"""));
    template(
        "secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: demo-db\ntype: Opaque\ndata:\n"
            + "  password: {{ .Values.db.password | b64enc }}\n");

    ScanResult result = ChartScanner.scan(chart);

    assertThat(result.hasFindings()).isFalse();
    assertThat(result.toText()).isEqualTo("0 findings (0 errors, 0 warnings), 0 parts skipped\n");
    assertThat(new String(result.toJson().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
        .contains("\"findings\" : [ ]");
  }
}
