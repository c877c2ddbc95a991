package io.olares.secrets.policy;

import static io.olares.secrets.Classification.APPLICATION_CREDENTIAL;
import static io.olares.secrets.Classification.CREDENTIAL;
import static io.olares.secrets.Classification.INTEGRATION_CREDENTIAL;
import static io.olares.secrets.Classification.POD_SECRET;
import static io.olares.secrets.Classification.VAULT_ITEM;
import static io.olares.secrets.Operation.DELETE;
import static io.olares.secrets.Operation.LIST;
import static io.olares.secrets.Operation.READ;
import static io.olares.secrets.Operation.SIGN;
import static io.olares.secrets.Operation.WRITE;
import static io.olares.secrets.policy.Decision.Verdict.ALLOW;
import static io.olares.secrets.policy.Decision.Verdict.APPROVAL_REQUIRED;
import static io.olares.secrets.policy.Decision.Verdict.DENY;
import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.Classification;
import io.olares.secrets.Operation;
import io.olares.secrets.SecretRef;
import io.olares.secrets.spi.ProviderPermission;
import io.olares.secrets.spi.ResourceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultPolicyTest {

  /** The configuration most rows run against: app myapp of user alice. */
  private static final PolicyConfig CONFIG =
      PolicyConfig.builder()
          .app("myapp")
          .user("alice")
          .grant(new Grant.RefGrant(null, "infisical://shared/prod/**", Set.of(READ, LIST)))
          .grant(new Grant.RefGrant(null, "infisical://apps/otherapp/**", Set.of(READ)))
          .grant(new Grant.RefGrant(null, "vault://personal/**", Set.of(READ, SIGN)))
          .grant(
              new Grant.SysDataGrant(
                  null,
                  "secret",
                  "secret.infisical",
                  "v1",
                  List.of("RetrieveSecret?workspace=a", "ListSecret"),
                  null,
                  null,
                  null,
                  null))
          .grant(new Grant.ProviderGrant(null, "settings", "integration", null))
          .grant(new Grant.RefGrant("other", "infisical://shared/other/**", Set.of(READ)))
          .grant(new Grant.ProviderGrant("other", "settings", "calendar", null))
          .allow(
              "myapp",
              "infisical://shared/extra/*",
              "k8s://shared-db/**",
              "vault://personal/**",
              "infisical://apps/otherapp/**",
              "k8s://user-system-alice/**")
          .deny(
              "myapp",
              "infisical://shared/prod/root-*",
              "vault://personal/forbidden",
              "infisical://apps/myapp/blocked",
              "k8s://myapp-alice/blocked")
          .build();

  /** The same lists, without a configured app or user. */
  private static final PolicyConfig NO_APP_NO_USER =
      PolicyConfig.builder()
          .grant(new Grant.RefGrant(null, "infisical://shared/prod/**", Set.of(READ)))
          .allow("myapp", "k8s://shared-db/**")
          .build();

  private static final PolicyConfig BARE_OP_GRANT =
      PolicyConfig.builder()
          .app("myapp")
          .grant(
              new Grant.SysDataGrant(
                  null,
                  "secret",
                  "secret.infisical",
                  "v1",
                  List.of("RetrieveSecret"),
                  null,
                  null,
                  null,
                  null))
          .build();

  private static final ProviderPermission SYS_A =
      ProviderPermission.sysData("secret", "secret.infisical", "v1", "RetrieveSecret?workspace=a");

  record Row(
      PolicyConfig config,
      String app,
      Operation op,
      String ref,
      ResourceInfo resource,
      Decision.Verdict verdict,
      String reasonContains) {}

  private static final List<Arguments> ROWS = new ArrayList<>();

  private static void row(
      String description,
      PolicyConfig config,
      String app,
      Operation op,
      String ref,
      ResourceInfo resource,
      Decision.Verdict verdict,
      String reasonContains) {
    ROWS.add(
        Arguments.of(
            Named.of(
                description, new Row(config, app, op, ref, resource, verdict, reasonContains))));
  }

  private static ResourceInfo res(Classification c) {
    return ResourceInfo.of(c);
  }

  private static ResourceInfo owned(Classification c, String owner) {
    return new ResourceInfo(c, owner, null);
  }

  private static ResourceInfo perm(Classification c, ProviderPermission p) {
    return new ResourceInfo(c, null, p);
  }

  static {
    // deny lists win over every rule
    row(
        "deny list beats a vault write",
        CONFIG,
        "myapp",
        WRITE,
        "vault://personal/forbidden",
        res(VAULT_ITEM),
        DENY,
        "deny list entry 'vault://personal/forbidden'");
    row(
        "deny list beats the vault approval",
        CONFIG,
        "myapp",
        READ,
        "vault://personal/forbidden",
        res(VAULT_ITEM),
        DENY,
        "deny list");
    row(
        "deny list beats the owner of an application credential",
        CONFIG,
        "myapp",
        READ,
        "infisical://apps/myapp/blocked",
        owned(APPLICATION_CREDENTIAL, "myapp"),
        DENY,
        "deny list");
    row(
        "deny list beats a matching grant",
        CONFIG,
        "myapp",
        READ,
        "infisical://shared/prod/root-password",
        res(CREDENTIAL),
        DENY,
        "deny list entry 'infisical://shared/prod/root-*'");
    row(
        "deny list beats the own namespace",
        CONFIG,
        "myapp",
        READ,
        "k8s://myapp-alice/blocked",
        owned(POD_SECRET, "myapp-alice"),
        DENY,
        "deny list");
    row(
        "another app's deny list does not apply",
        CONFIG,
        "other",
        WRITE,
        "vault://personal/forbidden",
        res(VAULT_ITEM),
        ALLOW,
        "needs no approval");

    // vault items: approval per read and sign, never lifted
    row(
        "vault read needs approval even with a grant and an allow entry",
        CONFIG,
        "myapp",
        READ,
        "vault://personal/github",
        res(VAULT_ITEM),
        APPROVAL_REQUIRED,
        "fresh signature");
    row(
        "vault sign needs approval even with a grant",
        CONFIG,
        "myapp",
        SIGN,
        "vault://personal/eth-key",
        res(VAULT_ITEM),
        APPROVAL_REQUIRED,
        "every sign");
    row(
        "vault read needs approval without any grant",
        CONFIG,
        "stranger",
        READ,
        "vault://personal/github",
        res(VAULT_ITEM),
        APPROVAL_REQUIRED,
        "device key");
    row(
        "vault write is allowed",
        CONFIG,
        "myapp",
        WRITE,
        "vault://personal/github",
        res(VAULT_ITEM),
        ALLOW,
        "needs no approval");
    row(
        "vault delete is allowed",
        CONFIG,
        "myapp",
        DELETE,
        "vault://personal/github",
        res(VAULT_ITEM),
        ALLOW,
        "delete needs no approval");
    row(
        "vault list is allowed",
        CONFIG,
        "myapp",
        LIST,
        "vault://personal",
        res(VAULT_ITEM),
        ALLOW,
        "list needs no approval");

    // application credentials: the owner alone
    row(
        "the owner reads its application credential",
        CONFIG,
        "myapp",
        READ,
        "infisical://apps/myapp/token",
        owned(APPLICATION_CREDENTIAL, "myapp"),
        ALLOW,
        "belongs to app 'myapp'");
    row(
        "the owner writes its application credential",
        CONFIG,
        "myapp",
        WRITE,
        "infisical://apps/myapp/token",
        owned(APPLICATION_CREDENTIAL, "myapp"),
        ALLOW,
        "myapp");
    row(
        "another app's application credential stays closed despite grant and allow entry",
        CONFIG,
        "myapp",
        READ,
        "infisical://apps/otherapp/token",
        owned(APPLICATION_CREDENTIAL, "otherapp"),
        DENY,
        "application credentials of app 'otherapp' are for 'otherapp' alone");
    row(
        "another app's application credential stays closed for listing",
        CONFIG,
        "myapp",
        LIST,
        "infisical://apps/otherapp",
        owned(APPLICATION_CREDENTIAL, "otherapp"),
        DENY,
        "alone");
    row(
        "an application credential without an owner is denied",
        CONFIG,
        "myapp",
        READ,
        "infisical://apps/myapp/token",
        res(APPLICATION_CREDENTIAL),
        DENY,
        "no known owner");

    // credentials: grants and allow lists
    row(
        "a reference grant allows read",
        CONFIG,
        "myapp",
        READ,
        "infisical://shared/prod/db",
        res(CREDENTIAL),
        ALLOW,
        "reference grant 'infisical://shared/prod/**'");
    row(
        "a reference grant allows listing its prefix",
        CONFIG,
        "myapp",
        LIST,
        "infisical://shared/prod",
        res(CREDENTIAL),
        ALLOW,
        "reference grant");
    row(
        "a reference grant covers deeper paths",
        CONFIG,
        "myapp",
        READ,
        "infisical://shared/prod/db/password",
        res(CREDENTIAL),
        ALLOW,
        "reference grant");
    row(
        "a reference grant does not give an operation it lacks",
        CONFIG,
        "myapp",
        WRITE,
        "infisical://shared/prod/db",
        res(CREDENTIAL),
        DENY,
        "has no grant to write credential");
    row(
        "a reference grant does not cover a sibling",
        CONFIG,
        "myapp",
        READ,
        "infisical://shared/dev/db",
        res(CREDENTIAL),
        DENY,
        "a reference grant covering it for read");
    row(
        "a reference grant matches on the base reference",
        CONFIG,
        "myapp",
        READ,
        "infisical://shared/prod/db?version=2#password",
        res(CREDENTIAL),
        ALLOW,
        "reference grant");
    row(
        "a sysData grant allows its exact op",
        CONFIG,
        "myapp",
        READ,
        "infisical://ws/a/key",
        perm(CREDENTIAL, SYS_A),
        ALLOW,
        "sysData grant (dataType secret, group secret.infisical");
    row(
        "a sysData grant with a bare op covers any query of that op",
        CONFIG,
        "myapp",
        LIST,
        "infisical://ws/a",
        perm(
            CREDENTIAL,
            ProviderPermission.sysData("secret", "secret.infisical", "v1", "ListSecret?x=y")),
        ALLOW,
        "sysData grant");
    row(
        "a sysData grant does not cover another query",
        CONFIG,
        "myapp",
        READ,
        "infisical://ws/b/key",
        perm(
            CREDENTIAL,
            ProviderPermission.sysData(
                "secret", "secret.infisical", "v1", "RetrieveSecret?workspace=b")),
        DENY,
        "op 'RetrieveSecret?workspace=b'");
    row(
        "a sysData grant does not cover another group",
        CONFIG,
        "myapp",
        READ,
        "infisical://ws/a/key",
        perm(
            CREDENTIAL,
            ProviderPermission.sysData(
                "secret", "secret.vault", "v1", "RetrieveSecret?workspace=a")),
        DENY,
        "group secret.vault");
    row(
        "a sysData grant does not cover another version",
        CONFIG,
        "myapp",
        READ,
        "infisical://ws/a/key",
        perm(
            CREDENTIAL,
            ProviderPermission.sysData(
                "secret", "secret.infisical", "v2", "RetrieveSecret?workspace=a")),
        DENY,
        "version v2");
    row(
        "a sysData grant does not cover another data type",
        CONFIG,
        "myapp",
        READ,
        "infisical://ws/a/key",
        perm(
            CREDENTIAL,
            ProviderPermission.sysData(
                "token", "secret.infisical", "v1", "RetrieveSecret?workspace=a")),
        DENY,
        "dataType token");
    row(
        "a bare sysData op covers a query",
        BARE_OP_GRANT,
        "myapp",
        READ,
        "infisical://ws/z/key",
        perm(
            CREDENTIAL,
            ProviderPermission.sysData(
                "secret", "secret.infisical", "v1", "RetrieveSecret?workspace=z")),
        ALLOW,
        "sysData grant");
    row(
        "a provider grant allows an integration credential",
        CONFIG,
        "myapp",
        READ,
        "integration://google/alice@example.com",
        perm(
            INTEGRATION_CREDENTIAL,
            new ProviderPermission(null, null, null, null, "settings", "integration")),
        ALLOW,
        "provider grant settings/integration");
    row(
        "a provider grant does not cover another provider",
        CONFIG,
        "myapp",
        READ,
        "integration://google/alice@example.com",
        perm(
            INTEGRATION_CREDENTIAL,
            new ProviderPermission(null, null, null, null, "settings", "calendar")),
        DENY,
        "a provider grant settings/calendar");
    row(
        "a provider grant for another app does not apply",
        CONFIG,
        "myapp",
        READ,
        "integration://cal/alice",
        perm(
            INTEGRATION_CREDENTIAL,
            new ProviderPermission(null, null, null, null, "settings", "calendar")),
        DENY,
        "has no grant");
    row(
        "the other app's own provider grant applies to it",
        CONFIG,
        "other",
        READ,
        "integration://cal/alice",
        perm(
            INTEGRATION_CREDENTIAL,
            new ProviderPermission(null, null, null, null, "settings", "calendar")),
        ALLOW,
        "provider grant settings/calendar");
    row(
        "a grant naming another grantee does not apply",
        CONFIG,
        "myapp",
        READ,
        "infisical://shared/other/x",
        res(CREDENTIAL),
        DENY,
        "has no grant");
    row(
        "a grant naming the caller applies",
        CONFIG,
        "other",
        READ,
        "infisical://shared/other/x",
        res(CREDENTIAL),
        ALLOW,
        "reference grant 'infisical://shared/other/**'");
    row(
        "a grant without grantee is for the configured app only",
        CONFIG,
        "third",
        READ,
        "infisical://shared/prod/db",
        res(CREDENTIAL),
        DENY,
        "app 'third' has no grant");
    row(
        "a grant without grantee applies to any caller where no app is configured",
        NO_APP_NO_USER,
        "third",
        READ,
        "infisical://shared/prod/db",
        res(CREDENTIAL),
        ALLOW,
        "reference grant");
    row(
        "an allow list entry allows a credential",
        CONFIG,
        "myapp",
        READ,
        "infisical://shared/extra/key",
        res(CREDENTIAL),
        ALLOW,
        "allow list entry 'infisical://shared/extra/*'");
    row(
        "an allow list star stays within one segment",
        CONFIG,
        "myapp",
        READ,
        "infisical://shared/extra/deep/key",
        res(CREDENTIAL),
        DENY,
        "has no grant");
    row(
        "another app's allow list does not apply",
        CONFIG,
        "other",
        READ,
        "infisical://shared/extra/key",
        res(CREDENTIAL),
        DENY,
        "app 'other' has no grant");
    row(
        "no grant at all is denied for an integration credential",
        PolicyConfig.empty(),
        "myapp",
        READ,
        "integration://google/alice",
        res(INTEGRATION_CREDENTIAL),
        DENY,
        "has no grant to read integration credential integration://google/alice");

    // pod secrets: own namespace, else the allow list
    row(
        "the own namespace of app and user",
        CONFIG,
        "myapp",
        READ,
        "k8s://myapp-alice/db",
        owned(POD_SECRET, "myapp-alice"),
        ALLOW,
        "own namespace 'myapp-alice'");
    row(
        "another user's namespace of the same app",
        CONFIG,
        "myapp",
        READ,
        "k8s://myapp-bob/db",
        owned(POD_SECRET, "myapp-bob"),
        DENY,
        "not in app 'myapp''s own namespace 'myapp-alice'");
    row(
        "a namespace of another app",
        CONFIG,
        "myapp",
        READ,
        "k8s://otherapp-alice/db",
        owned(POD_SECRET, "otherapp-alice"),
        DENY,
        "namespace 'otherapp-alice'");
    row(
        "another namespace on the allow list",
        CONFIG,
        "myapp",
        READ,
        "k8s://shared-db/password",
        owned(POD_SECRET, "shared-db"),
        ALLOW,
        "allow list entry 'k8s://shared-db/**'");
    row(
        "a system namespace on the allow list",
        CONFIG,
        "myapp",
        READ,
        "k8s://user-system-alice/x",
        owned(POD_SECRET, "user-system-alice"),
        ALLOW,
        "allow list");
    row(
        "a pod secret whose namespace is unknown",
        CONFIG,
        "myapp",
        READ,
        "k8s://myapp-alice/db",
        res(POD_SECRET),
        DENY,
        "an unknown namespace");
    row(
        "without a user, app-<segment> is the own namespace",
        NO_APP_NO_USER,
        "myapp",
        READ,
        "k8s://myapp-bob/db",
        owned(POD_SECRET, "myapp-bob"),
        ALLOW,
        "own namespace");
    row(
        "without a user, two segments after the app are not own",
        NO_APP_NO_USER,
        "myapp",
        READ,
        "k8s://myapp-bob-x/db",
        owned(POD_SECRET, "myapp-bob-x"),
        DENY,
        "own namespace 'myapp-<user>'");
    row(
        "without a user, a longer app name is not own",
        NO_APP_NO_USER,
        "myapp",
        READ,
        "k8s://myappx-bob/db",
        owned(POD_SECRET, "myappx-bob"),
        DENY,
        "own namespace");
    row(
        "without a user, an empty user segment is not own",
        NO_APP_NO_USER,
        "myapp",
        READ,
        "k8s://myapp-/db",
        owned(POD_SECRET, "myapp-"),
        DENY,
        "own namespace");
    row(
        "without a user, an upper-case user segment is not own",
        NO_APP_NO_USER,
        "myapp",
        READ,
        "k8s://myapp-Bob/db",
        owned(POD_SECRET, "myapp-Bob"),
        DENY,
        "own namespace");
    row(
        "without a user, the allow list still opens another namespace",
        NO_APP_NO_USER,
        "myapp",
        READ,
        "k8s://shared-db/password",
        owned(POD_SECRET, "shared-db"),
        ALLOW,
        "allow list");
    row(
        "an app named like a system namespace prefix gets no system namespace",
        NO_APP_NO_USER,
        "user-system",
        READ,
        "k8s://user-system-alice/x",
        owned(POD_SECRET, "user-system-alice"),
        DENY,
        "not in app 'user-system''s own namespace");
    row(
        "an app named like a system namespace prefix, with a user",
        CONFIG.withApp("user-space"),
        "user-space",
        READ,
        "k8s://user-space-alice/x",
        owned(POD_SECRET, "user-space-alice"),
        DENY,
        "own namespace 'user-space-alice'");
    row(
        "an app named os gets no cluster namespace",
        NO_APP_NO_USER,
        "os",
        READ,
        "k8s://os-framework/x",
        owned(POD_SECRET, "os-framework"),
        DENY,
        "own namespace");
  }

  static Stream<Arguments> rows() {
    return ROWS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decidesByTheRuleOfTheClassification(Row row) {
    Decision decision =
        new DefaultPolicy(row.config())
            .decide(
                new AccessRequest(
                    row.app(), row.op(), SecretRef.parsePrefix(row.ref()), "any", row.resource()));

    assertThat(decision.verdict()).as(decision.reason()).isEqualTo(row.verdict());
    assertThat(decision.reason()).contains(row.reasonContains());
  }

  @Test
  void theBuiltInPolicyDeniesCredentialsAndPodSecretsOfOthersByDefault() {
    DefaultPolicy policy = DefaultPolicy.builtIn();

    assertThat(
            policy.decide(
                new AccessRequest(
                    "myapp",
                    READ,
                    SecretRef.parse("infisical://shared/prod/db"),
                    "infisical",
                    ResourceInfo.of(CREDENTIAL))))
        .extracting(Decision::verdict)
        .isEqualTo(DENY);
    assertThat(
            policy.decide(
                new AccessRequest(
                    "myapp",
                    READ,
                    SecretRef.parse("k8s://other-bob/db"),
                    "kubernetes",
                    new ResourceInfo(POD_SECRET, "other-bob", null))))
        .extracting(Decision::verdict)
        .isEqualTo(DENY);
  }

  @Test
  void noAllowEntryOrGrantLiftsVaultApprovalForAnyPattern() {
    PolicyConfig everything =
        PolicyConfig.builder()
            .app("myapp")
            .grant(new Grant.RefGrant(null, "*://**", Set.of(Operation.values())))
            .allow("myapp", "*://**")
            .build();
    DefaultPolicy policy = new DefaultPolicy(everything);

    for (Operation op : List.of(READ, SIGN)) {
      Decision d =
          policy.decide(
              new AccessRequest(
                  "myapp", op, SecretRef.parse("vault://v/item"), "vault", res(VAULT_ITEM)));
      assertThat(d.verdict()).isEqualTo(APPROVAL_REQUIRED);
    }
    for (Operation op : Operation.values()) {
      Decision d =
          policy.decide(
              new AccessRequest(
                  "myapp",
                  op,
                  SecretRef.parse("infisical://apps/other/token"),
                  "infisical",
                  owned(APPLICATION_CREDENTIAL, "other")));
      assertThat(d.verdict()).isEqualTo(DENY);
    }
  }

  @Test
  void everyReasonNamesTheReferenceAndNothingElseIsNeededToExplainIt() {
    for (Arguments a : ROWS) {
      Row row = (Row) ((Named<?>) a.get()[0]).getPayload();
      Decision d =
          new DefaultPolicy(row.config())
              .decide(
                  new AccessRequest(
                      row.app(),
                      row.op(),
                      SecretRef.parsePrefix(row.ref()),
                      "any",
                      row.resource()));
      assertThat(d.reason())
          .isNotBlank()
          .contains(SecretRef.parsePrefix(row.ref()).base().toString())
          .doesNotContain("\n");
    }
  }
}
