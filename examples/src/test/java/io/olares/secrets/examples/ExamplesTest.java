package io.olares.secrets.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.SecretValue;
import io.olares.secrets.Secrets;
import io.olares.secrets.approval.DeviceKey;
import io.olares.secrets.approval.DeviceKeyApprover;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.vault.Vault;
import io.olares.secrets.vault.VaultAdmin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesTest {
  @TempDir Path dir;

  @Test
  void theVaultOnlyProgramStoresAndReadsBackAnApprovedPassword() {
    System.setProperty(VaultOnly.ENV, "a passphrase for the example");
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      VaultOnly.main(new String[] {dir.toString()});
    } finally {
      System.setOut(saved);
      System.clearProperty(VaultOnly.ENV);
    }
    assertThat(buf.toString(StandardCharsets.UTF_8))
        .contains("read vault://personal/github#password (VAULT_ITEM): 28 bytes")
        .doesNotContain("correct horse");
  }

  @Test
  void anOlaresAppReadsItsOwnCredentialAnIntegrationTokenAndAPodSecretThroughOneFacade()
      throws Exception {
    try (io.olares.secrets.testing.fake.olares.FakeOlares olares =
        io.olares.secrets.testing.fake.olares.FakeOlares.start(
            "alice", java.time.Clock.systemUTC())) {
      olares.serviceAccount("sa-myapp", "myapp");
      olares.grantProvider(
          "myapp",
          io.olares.secrets.testing.fake.olares.FakeOlares.SECRET_PROVIDER_APP,
          io.olares.secrets.testing.fake.olares.FakeOlares.SECRET_PROVIDER_NAME);
      olares.grantProvider(
          "myapp",
          io.olares.secrets.testing.fake.olares.FakeOlares.INTEGRATION_PROVIDER_APP,
          io.olares.secrets.testing.fake.olares.FakeOlares.INTEGRATION_PROVIDER_NAME);
      olares.secrets().put("alice", "myapp", "prod", "API_TOKEN", "tok-123456");
      olares
          .integrations()
          .addAccount("alice", "dropbox", "alice")
          .accessToken("sl.abcdefgh")
          .expiresAt(System.currentTimeMillis() + 3_600_000);
      Path token = dir.resolve("sa-token");
      java.nio.file.Files.writeString(token, "sa-myapp");
      Path mount = dir.resolve("secrets");
      java.nio.file.Files.createDirectories(mount);
      java.nio.file.Files.writeString(mount.resolve("password"), "pg-pass");
      Path config = dir.resolve("olares-secrets.yaml");
      java.nio.file.Files.writeString(
          config,
          String.join(
              "\n",
              "app: myapp",
              "user: alice",
              "stores:",
              "  app: { type: olares-secret, generation: 2, endpoint: \""
                  + olares.secretProviderUrl()
                  + "\", tokenFile: \""
                  + token
                  + "\" }",
              "  integration: { type: olares-integration, endpoint: \""
                  + olares.integrationProviderUrl()
                  + "\", tokenFile: \""
                  + token
                  + "\", user: alice }",
              "  pod: { type: pod, namespace: myapp-alice }",
              "policy:",
              "  grants: [ { appName: integration, providerName: account } ]",
              ""));

      String out =
          captureOut(
              () ->
                  OlaresApp.main(
                      new String[] {
                        config.toString(),
                        "app://myapp/prod/API_TOKEN",
                        "integration://dropbox/alice#accessToken",
                        "pod://file" + mount + "/password"
                      }));

      assertThat(out)
          .contains("APPLICATION_CREDENTIAL app://myapp/prod/API_TOKEN: 10 bytes")
          .contains("INTEGRATION_CREDENTIAL integration://dropbox/alice#accessToken: 11 bytes")
          .contains("POD_SECRET pod://file" + mount + "/password: 7 bytes")
          .doesNotContain("tok-123456");
    }
  }

  private static String captureOut(Runnable body) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(saved);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theApprovalRoundTripSignsTheChallengeAndRetries() {
    String url = "jdbc:sqlite:" + dir.resolve("v.db");
    char[] pass = "example passphrase".toCharArray();
    DeviceKey device = DeviceKey.generate();
    try (Vault vault = Vault.init(url, pass);
        VaultAdmin admin = vault.admin(pass)) {
      admin.trust(device.did());
    }
    try (Secrets secrets =
        Secrets.builder()
            .app("example")
            .environment(n -> n.equals("OLARES_VAULT_PASSPHRASE") ? "example passphrase" : null)
            .storeConfig(new StoreConfig("vault", "vault", Map.of("url", url)))
            .build()) {
      try (SecretValue v = SecretValue.ofString("12345")) {
        secrets.put("vault://work/db#password", v);
      }
      int length =
          ApprovalRoundTrip.readWithApproval(
              secrets,
              "vault://work/db#password",
              new DeviceKeyApprover(device, "alice@olares.com", "example"));
      assertThat(length).isEqualTo(5);
    }
  }
}
