package io.olares.secrets.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.Operation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyConfigTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String text) {
    try {
      return YAML.readValue(text, Map.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void parsesEveryGrantFormAndTheAppLists() {
    PolicyConfig config =
        PolicyConfig.fromMap(
            yaml(
                String.join(
                    "\n",
                    "app: myapp",
                    "user: alice",
                    "grants:",
                    "  - { ref: \"infisical://shared/prod/**\", ops: [read, list] }",
                    "  - { dataType: secret, group: secret.infisical, version: v1,",
                    "      ops: [\"RetrieveSecret?workspace=a\"], appName: infisical, svc: api,",
                    "      port: 8080, namespace: os-framework }",
                    "  - { appName: settings, providerName: integration }",
                    "  - { grantee: other, ref: \"infisical://shared/other/**\", ops: [READ] }",
                    "apps:",
                    "  myapp: { allow: [\"k8s://shared-db/**\"], deny: [\"infisical://x/y\"] }",
                    "  other: { deny: [\"vault://**\"] }")));

    assertThat(config.app()).contains("myapp");
    assertThat(config.user()).contains("alice");
    assertThat(config.grants())
        .containsExactly(
            new Grant.RefGrant(
                null, "infisical://shared/prod/**", Set.of(Operation.READ, Operation.LIST)),
            new Grant.SysDataGrant(
                null,
                "secret",
                "secret.infisical",
                "v1",
                List.of("RetrieveSecret?workspace=a"),
                "infisical",
                "api",
                8080,
                "os-framework"),
            new Grant.ProviderGrant(null, "settings", "integration", null),
            new Grant.RefGrant("other", "infisical://shared/other/**", Set.of(Operation.READ)));
    assertThat(config.rulesFor("myapp").allow())
        .containsExactly(RefPattern.compile("k8s://shared-db/**"));
    assertThat(config.rulesFor("myapp").deny())
        .containsExactly(RefPattern.compile("infisical://x/y"));
    assertThat(config.rulesFor("other").allow()).isEmpty();
    assertThat(config.rulesFor("other").deny()).containsExactly(RefPattern.compile("vault://**"));
    assertThat(config.rulesFor("nobody")).isEqualTo(PolicyConfig.AppRules.NONE);
  }

  @Test
  void anEmptyMapGivesTheEmptyConfiguration() {
    assertThat(PolicyConfig.fromMap(Map.of())).isEqualTo(PolicyConfig.empty());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "grants: [{ ref: 'infisical://a/b', ops: [read, fly] }]"
            + "| grants[0].ops[1]: unknown operation 'fly'",
        "grants: [{ ref: 'infisical://a/b' }]| grants[0].ops: is required",
        "grants: [{ ref: 'infisical://a/b', ops: [] }]| grants[0].ops: is required",
        "grants: [{ ref: 'a/b', ops: [read] }]| grants[0].ref: pattern 'a/b' is not of the form",
        "grants: [{ ref: 'infisical://a/b', ops: [read], grantee: '' }]"
            + "| grants[0].grantee: must not be blank",
        "grants: [{ ops: [read] }]| grants[0]: a grant needs 'ref'",
        "grants: [{ dataType: secret, group: g, ops: [x] }]| grants[0].version: is required",
        "grants: [{ dataType: secret, group: g, version: 1, ops: [x] }]"
            + "| grants[0].version: expected a string, found a number",
        "grants: [{ dataType: s, group: g, version: v1, ops: [x], port: http }]"
            + "| grants[0].port: expected an integer port",
        "grants: [{ dataType: s, group: g, version: v1, ops: [x], port: 70000 }]"
            + "| grants[0].port: port 70000 is outside",
        "grants: [{ appName: settings }]| grants[0].providerName: is required",
        "grants: [{ ref: 'infisical://a/b', ops: [read], dataType: s }]"
            + "| grants[0].dataType: unknown key",
        "grants: { ref: 'infisical://a/b' }| grants: expected a list, found a map",
        "grants: [ 'infisical://a/b' ]| grants[0]: expected a map, found a string",
        "apps: { myapp: { allow: ['nope'] } }| apps.myapp.allow[0]: pattern 'nope'",
        "apps: { myapp: { allow: ['infisical://a/**'], permit: [] } }"
            + "| apps.myapp.permit: unknown key",
        "apps: { myapp: }| apps.myapp: expected a map, found nothing",
        "apps: [ myapp ]| apps: expected a map, found a list",
        "rules: []| rules: unknown key",
        "user: 'al ice'| user: an app or user name must not contain whitespace",
      })
  void namesTheKeyPathOfEachProblem(String yaml, String message) {
    assertThatThrownBy(() -> PolicyConfig.fromMap(yaml(yaml)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void prefixesErrorsWithTheEnclosingPath() {
    assertThatThrownBy(
            () -> PolicyConfig.fromMap(yaml("grants: [{ ref: x, ops: [read] }]"), "policy"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("policy.grants[0].ref: ");
  }

  @Test
  void withGrantsAppendsManifestGrantsAndLeavesTheOriginalAlone() {
    PolicyConfig base =
        PolicyConfig.fromMap(yaml("grants: [{ ref: 'infisical://a/**', ops: [read] }]"));
    Grant fromManifest = new Grant.ProviderGrant(null, "settings", "integration", null);

    PolicyConfig merged = base.withGrants(List.of(fromManifest));

    assertThat(merged.grants()).hasSize(2).endsWith(fromManifest);
    assertThat(base.grants()).hasSize(1);
  }

  @Test
  void withGrantsRejectsAReferenceGrantWithABadPattern() {
    assertThatThrownBy(
            () ->
                PolicyConfig.empty()
                    .withGrants(List.of(new Grant.RefGrant(null, "bad", Set.of(Operation.READ)))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("grants[0].ref: ");
  }

  @Test
  void aReferenceGrantMustGrantSomeOperation() {
    assertThatThrownBy(
            () ->
                PolicyConfig.builder()
                    .grant(new Grant.RefGrant(null, "infisical://a/**", Set.of()))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("grants[0].ops: no operation is granted");
  }

  @Test
  void theBuilderValidatesListPatterns() {
    assertThatThrownBy(() -> PolicyConfig.builder().allow("myapp", "infisical://a/b", "oops"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("apps.myapp.allow[1]: ");
  }

  @Test
  void withAppAndWithUserReplaceOnlyThoseFields() {
    PolicyConfig base = PolicyConfig.builder().app("a").user("u").allow("a", "k8s://x/**").build();

    PolicyConfig changed = base.withApp("b").withUser("v");

    assertThat(changed.app()).contains("b");
    assertThat(changed.user()).contains("v");
    assertThat(changed.apps()).isEqualTo(base.apps());
  }

  @Test
  void theReturnedCollectionsAreImmutable() {
    PolicyConfig config =
        PolicyConfig.builder()
            .grant(new Grant.RefGrant(null, "infisical://a/**", Set.of(Operation.READ)))
            .allow("a", "k8s://x/**")
            .build();

    assertThatThrownBy(() -> config.grants().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.apps().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> config.rulesFor("a").allow().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
