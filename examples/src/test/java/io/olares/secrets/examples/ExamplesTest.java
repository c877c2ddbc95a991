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
