package io.olares.secrets.infisical;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.StoreContext;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Against a real Infisical server, only where one is configured: {@code INFISICAL_IT_URL}, {@code
 * INFISICAL_IT_CLIENT_ID}, {@code INFISICAL_IT_CLIENT_SECRET}, {@code INFISICAL_IT_PROJECT_ID} (and
 * optionally {@code INFISICAL_IT_ENVIRONMENT}, default {@code dev}). It writes, reads, versions,
 * lists and deletes secrets under a folder of its own and removes them again.
 */
class InfisicalRealServerTest {
  private static final List<String> REQUIRED =
      List.of(
          "INFISICAL_IT_URL",
          "INFISICAL_IT_CLIENT_ID",
          "INFISICAL_IT_CLIENT_SECRET",
          "INFISICAL_IT_PROJECT_ID");

  @Test
  void writesReadsListsAndDeletesOnARealServer() {
    List<String> missing =
        REQUIRED.stream()
            .filter(n -> System.getenv(n) == null || System.getenv(n).isBlank())
            .toList();
    if (!missing.isEmpty()) {
      String reason = "real-server test skipped: set " + String.join(", ", missing);
      System.out.println(reason);
      Assumptions.abort(reason);
    }
    String env = Optional.ofNullable(System.getenv("INFISICAL_IT_ENVIRONMENT")).orElse("dev");
    String folder = "olares-it-" + HexFormat.of().formatHex(randomBytes());
    InfisicalOptions options =
        InfisicalOptions.builder(
                System.getenv("INFISICAL_IT_URL"),
                InfisicalAuth.universal(
                    System.getenv("INFISICAL_IT_CLIENT_ID"),
                    SecretValue.ofString(System.getenv("INFISICAL_IT_CLIENT_SECRET"))))
            .build();
    AccessContext ctx = AccessContext.of("it", Operation.WRITE);
    String base = "it://" + System.getenv("INFISICAL_IT_PROJECT_ID") + "/" + env + "/" + folder;
    SecretRef text = SecretRef.parse(base + "/IT_TEXT");
    SecretRef binary = SecretRef.parse(base + "/IT_BINARY");
    byte[] bytes = {0, 1, (byte) 0xff, ' ', '\n'};
    try (InfisicalStore store = InfisicalStore.open("it", options, StoreContext.system("it"))) {
      try {
        store.write(text, SecretValue.ofString("first é✓"), ctx);
        store.write(text, SecretValue.ofString("second"), ctx);
        store.write(binary, SecretValue.ofBytes(bytes), ctx);

        try (Secret s = store.read(text, ctx).orElseThrow()) {
          assertThat(s.value().revealString()).isEqualTo("second");
        }
        try (Secret s = store.read(binary, ctx).orElseThrow()) {
          assertThat(s.value().revealBytes()).isEqualTo(bytes);
        }
        assertThat(store.list(SecretRef.parsePrefix(base), ctx))
            .extracting(i -> i.ref().name().orElseThrow())
            .containsExactlyInAnyOrder("IT_TEXT", "IT_BINARY");
      } finally {
        store.delete(text, ctx);
        store.delete(binary, ctx);
      }
      assertThat(store.read(text, ctx)).isEmpty();
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[4];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }
}
