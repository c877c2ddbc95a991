package io.olares.secrets.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.audit.JsonLinesAuditSink.Durability;
import io.olares.secrets.cache.CacheOptions;
import io.olares.secrets.spi.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsConfigTest {
  private static final String CANARY = "s3cr3t-canary-7f1e";
  private static final Map<String, String> VARS =
      Map.of("user.home", "/home/alice", "INFISICAL_CLIENT_SECRET", CANARY, "APP", "myapp");
  private static final Function<String, String> LOOKUP = VARS::get;

  @TempDir Path dir;

  @Test
  void readsTheDocumentedShape() {
    SecretsConfig config =
        parse(
            """
            app: myapp
            user: alice
            stores:
              personal: { type: vault, url: "jdbc:sqlite:${user.home}/.olares-secrets/personal.db" }
              infisical: { type: infisical, site: "https://app.infisical.com", auth: { universal: { clientId: "id-1", clientSecret: "${INFISICAL_CLIENT_SECRET}" } } }
              k8s: { type: kubernetes }
              integration: { type: olares-integration }
            cache: { ttl: 5m, refreshAhead: 30s, staleIfError: 1h, maxEntries: 10000 }
            audit: { file: "${user.home}/.olares-secrets/audit.jsonl" }
            """);

    assertThat(config.app()).contains("myapp");
    assertThat(config.user()).contains("alice");
    assertThat(config.stores().keySet())
        .containsExactly("personal", "infisical", "k8s", "integration");
    StoreConfig personal = config.stores().get("personal");
    assertThat(personal.type()).isEqualTo("vault");
    assertThat(personal.requireString("url"))
        .isEqualTo("jdbc:sqlite:/home/alice/.olares-secrets/personal.db");
    assertThat(personal.options()).doesNotContainKey("type");
    Map<String, Object> auth = config.stores().get("infisical").map("auth").orElseThrow();
    @SuppressWarnings("unchecked")
    Map<String, Object> universal = (Map<String, Object>) auth.get("universal");
    assertThat(universal).containsEntry("clientSecret", CANARY);
    assertThat(config.stores().get("k8s").type()).isEqualTo("kubernetes");
    assertThat(config.cache())
        .isEqualTo(
            new CacheOptions(
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                Duration.ofHours(1),
                CacheOptions.DEFAULTS.negativeTtl(),
                10_000));
    assertThat(config.audit().file()).isEqualTo(Path.of("/home/alice/.olares-secrets/audit.jsonl"));
    assertThat(config.audit().durability()).isEqualTo(Durability.SYNC_ON_FLUSH);
    assertThat(config.audit().log()).isTrue();
  }

  @Test
  void anUnsetVariableIsAnErrorNamingItTheKeyAndTheLine() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    app: myapp
                    stores:
                      infisical:
                        type: infisical
                        token: "${INFISICAL_TOKEN}"
                    """))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "test.yaml line 5: stores.infisical.token uses ${INFISICAL_TOKEN}, which is not set"
                + " (as an environment variable or a system property)");
  }

  @Test
  void aDoubleDollarEscapesExpansion() {
    SecretsConfig config =
        parse(
            """
            app: myapp
            stores: { s: { type: t, template: "$${APP} is ${APP}, $$ and $ stay" } }
            """);

    assertThat(config.stores().get("s").requireString("template"))
        .isEqualTo("${APP} is myapp, $$ and $ stay");
  }

  @Test
  void aFallbackStandsInForAnUnsetVariable() {
    SecretsConfig config = parse("app: ${OLARES_APP:-demo}\nuser: ${APP:-nobody}\n");

    assertThat(config.app()).contains("demo");
    assertThat(config.user()).contains("myapp");
  }

  @Test
  void expandedTextIsNotExpandedAgainNorParsedAsYaml() {
    Function<String, String> vars =
        Map.of("TRICKY", "${INFISICAL_CLIENT_SECRET}\nstores: {}", "N", "x")::get;

    SecretsConfig config =
        SecretsConfig.parse(
            "app: myapp\nstores: { s: { type: t, v: \"${TRICKY}\" } }\n", "test.yaml", vars);

    assertThat(config.stores().get("s").requireString("v"))
        .isEqualTo("${INFISICAL_CLIENT_SECRET}\nstores: {}");
  }

  @Test
  void systemPropertiesAnswerWhereNoEnvironmentVariableIsSet() {
    SecretsConfig config = SecretsConfig.parse("home: ${user.home}/.olares-secrets\n", "test.yaml");

    assertThat(config.home()).contains(Path.of(System.getProperty("user.home"), ".olares-secrets"));
  }

  @Test
  void anUnclosedOrEmptyExpressionIsAnErrorThatDoesNotQuoteTheValue() {
    assertThatThrownBy(
            () -> parse("app: myapp\nstores: { s: { type: t, pw: \"ab${cd " + CANARY + "\" } }\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("test.yaml line 2: stores.s.pw has a '${' without its closing '}'")
        .message()
        .doesNotContain(CANARY);
    assertThatThrownBy(() -> parse("app: \"x${" + CANARY + " y}\"\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("app has a '${' not followed by a variable name")
        .message()
        .doesNotContain(CANARY);
  }

  @Test
  void anUnknownKeyIsNamedWithTheKnownOnes() {
    assertThatThrownBy(() -> parse("app: myapp\ncaches: { ttl: 5m }\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("test.yaml line 2: caches is not a known setting; expected one of")
        .hasMessageContaining("cache");
    assertThatThrownBy(() -> parse("cache: { ttl: 5m, tll: 4m }\n"))
        .hasMessageStartingWith("test.yaml line 1: cache.tll is not a known setting");
  }

  @Test
  void aBadDurationNamesTheKeyPathAndLineButNotTheValue() {
    assertThatThrownBy(() -> parse("app: a\ncache:\n  ttl: " + CANARY + "\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("test.yaml line 3: cache.ttl must be a duration like 500ms, 30s, 5m, 1h or 2d");
  }

  @Test
  void inconsistentCacheOptionsNameTheCacheSection() {
    assertThatThrownBy(() -> parse("cache: { ttl: 10s, refreshAhead: 1m }\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("test.yaml line 1: cache is invalid: refreshAhead must not exceed ttl");
  }

  @Test
  void cachingCanBeTurnedOff() {
    assertThat(parse("cache: false\n").cache()).isEqualTo(CacheOptions.DISABLED);
    assertThat(parse("cache: { enabled: false }\n").cache().enabled()).isFalse();
    assertThat(parse("app: a\n").cache()).isEqualTo(CacheOptions.DEFAULTS);
  }

  @Test
  void aStoreNeedsATypeAndAValidName() {
    assertThatThrownBy(() -> parse("stores:\n  personal: { url: x }\n"))
        .hasMessage("test.yaml line 2: stores.personal.type is required");
    assertThatThrownBy(() -> parse("stores:\n  personal:\n"))
        .hasMessage("test.yaml line 2: stores.personal needs at least a type");
    assertThatThrownBy(() -> parse("stores:\n  9lives: { type: vault }\n"))
        .hasMessageStartingWith("test.yaml line 2: stores.9lives is not a valid store name");
  }

  @Test
  void readsAuditSettings() {
    AuditSettings audit =
        parse("audit: { file: /var/log/a.jsonl, fsync: event, queue: 16, log: false }\n").audit();

    assertThat(audit)
        .isEqualTo(
            new AuditSettings(Path.of("/var/log/a.jsonl"), Durability.SYNC_EACH_EVENT, 16, false));
    assertThatThrownBy(() -> parse("audit: { fsync: sometimes }\n"))
        .hasMessage("test.yaml line 1: audit.fsync must be 'batch' or 'event'");
  }

  @Test
  void aZeroTtlTurnsTheCacheOffAndAShortTtlGetsAShortRefreshAhead() {
    assertThat(parse("cache: { ttl: 0 }\n").cache().enabled()).isFalse();
    assertThat(parse("cache: { ttl: 0s }\n").cache().enabled()).isFalse();
    assertThat(parse("cache: { ttl: 10s }\n").cache().refreshAhead())
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(parse("cache: { ttl: 1h }\n").cache().refreshAhead())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(parse("cache: { ttl: 10s, refreshAhead: 5s }\n").cache().refreshAhead())
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void readsTheAuditTallyWindow() {
    assertThat(parse("audit: { log: true }\n").audit().tally()).isEqualTo(Duration.ofSeconds(1));
    assertThat(parse("audit: { tally: 250ms }\n").audit().tally())
        .isEqualTo(Duration.ofMillis(250));
    assertThat(parse("audit: { tally: 0 }\n").audit().tally()).isZero();
    assertThat(parse("audit: { tally: 0s }\n").audit().tally()).isZero();
    assertThatThrownBy(() -> parse("audit: { tally: -1s }\n"))
        .hasMessage("test.yaml line 1: audit.tally cannot be negative");
    assertThatThrownBy(() -> parse("audit: { tally: 2d }\n"))
        .hasMessage("test.yaml line 1: audit.tally must be at most 1d");
    assertThatThrownBy(() -> parse("audit: { tally: 9999999999d }\n"))
        .isInstanceOf(io.olares.secrets.ConfigurationException.class);
    assertThatThrownBy(() -> parse("audit: { tally: often }\n"))
        .hasMessage(
            "test.yaml line 1: audit.tally must be a duration like 500ms, 30s, 5m, 1h or 2d");
  }

  @Test
  void readsApprovalSettings() {
    String a = DeviceKey.generate().did();
    String b = DeviceKey.generate().did();
    ApprovalSettings approval =
        parse(
                """
                approval:
                  trustedDids: [ "%s", "%s" ]
                  deviceKey: ${user.home}/.olares-secrets/device.key
                  name: alice@olares.com
                  maxAge: 2m
                """
                    .formatted(a, b))
            .approval();

    assertThat(approval.trustedDids()).containsExactly(a, b);
    assertThat(approval.deviceKey()).isEqualTo(Path.of("/home/alice/.olares-secrets/device.key"));
    assertThat(approval.name()).isEqualTo("alice@olares.com");
    assertThat(approval.maxAge()).isEqualTo(Duration.ofMinutes(2));
    assertThat(approval.maxSkew()).isEqualTo(ApprovalSettings.DEFAULTS.maxSkew());
    assertThatThrownBy(
            () -> parse("approval:\n  trustedDids:\n    - " + a + "\n    - did:key:bob\n"))
        .hasMessage(
            "test.yaml line 4: approval.trustedDids[1] must be an Ed25519 did:key"
                + " (did:key:z6Mk...)");
  }

  @Test
  void keepsThePolicySectionAsWrittenAndReadOnly() {
    SecretsConfig config =
        parse(
            """
            policy:
              grants:
                - { ref: "infisical://shared/prod/**", ops: [read, list] }
              apps:
                myapp: { deny: ["k8s://other/**"] }
            """);

    Map<String, Object> policy = config.policy().orElseThrow();
    assertThat(policy).containsOnlyKeys("grants", "apps");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> grants = (List<Map<String, Object>>) policy.get("grants");
    assertThat(grants.get(0)).containsEntry("ref", "infisical://shared/prod/**");
    assertThat(grants.get(0).get("ops")).isEqualTo(List.of("read", "list"));
    assertThatThrownBy(() -> grants.get(0).put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(parse("app: a\n").policy()).isEmpty();
  }

  @Test
  void aSyntaxErrorNamesTheLineWithoutQuotingTheText() {
    assertThatThrownBy(
            () -> parse("app: myapp\nstores:\n  s: { type: t, pw: \"" + CANARY + "\"\n  bad: [\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("test.yaml line ")
        .hasMessageContaining("not valid YAML")
        .message()
        .doesNotContain(CANARY);
  }

  @Test
  void aKeyGivenTwiceIsAnError() {
    assertThatThrownBy(() -> parse("app: a\napp: b\n"))
        .hasMessage("test.yaml line 2: app is given twice");
  }

  @Test
  void aDocumentThatIsNotAMappingIsAnError() {
    assertThatThrownBy(() -> parse("- a\n- b\n"))
        .hasMessageContaining("the document must be a mapping");
  }

  @Test
  void anEmptyDocumentGivesTheDefaults() {
    SecretsConfig config = parse("");

    assertThat(config.app()).isEmpty();
    assertThat(config.stores()).isEmpty();
    assertThat(config.cache()).isEqualTo(CacheOptions.DEFAULTS);
    assertThat(config.audit()).isEqualTo(AuditSettings.DEFAULTS);
    assertThat(config.approval()).isEqualTo(ApprovalSettings.DEFAULTS);
  }

  @Test
  void loadsAFileAndNamesItInErrors() throws Exception {
    Path file = dir.resolve("secrets.yaml");
    Files.writeString(file, "app: fromfile\ncache: { ttl: soon }\n", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> SecretsConfig.load(file, LOOKUP))
        .hasMessage(file + " line 2: cache.ttl must be a duration like 500ms, 30s, 5m, 1h or 2d");
    assertThatThrownBy(() -> SecretsConfig.load(dir.resolve("missing.yaml"), LOOKUP))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("missing.yaml does not exist");
  }

  @Test
  void findsTheFileThroughOlaresSecretsConfig() throws Exception {
    Path file = dir.resolve("secrets.yaml");
    Files.writeString(file, "app: ${APP}\n", StandardCharsets.UTF_8);
    Function<String, String> env =
        Map.of(SecretsConfig.ENV_VAR, file.toString(), "APP", "fromenv")::get;

    assertThat(SecretsConfig.fromEnvironment(env).app()).contains("fromenv");
    assertThatThrownBy(() -> SecretsConfig.fromEnvironment(name -> null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("OLARES_SECRETS_CONFIG is not set");
  }

  @Test
  void toStringNamesStoresButNoOptionValues() {
    SecretsConfig config =
        parse(
            "app: myapp\nstores: { infisical: { type: infisical, clientSecret:"
                + " \"${INFISICAL_CLIENT_SECRET}\" } }\n");

    assertThat(config.toString()).contains("infisical:infisical").doesNotContain(CANARY);
    assertThat(config.stores().get("infisical").toString()).doesNotContain(CANARY);
  }

  @Test
  void buildsInCode() {
    SecretsConfig config =
        SecretsConfig.builder()
            .app("myapp")
            .store("mem", "memory", Map.of())
            .policy(Map.of("grants", List.of()))
            .cache(CacheOptions.DISABLED)
            .build();

    assertThat(config.source()).isEqualTo("<code>");
    assertThat(config.stores().get("mem").type()).isEqualTo("memory");
    assertThat(config.policy()).contains(Map.of("grants", List.of()));
    assertThat(config.toBuilder().app("other").build().app()).contains("other");
  }

  private static SecretsConfig parse(String yaml) {
    return SecretsConfig.parse(yaml, "test.yaml", LOOKUP);
  }
}
