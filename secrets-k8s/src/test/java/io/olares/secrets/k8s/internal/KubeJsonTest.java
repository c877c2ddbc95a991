package io.olares.secrets.k8s.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.k8s.internal.KubeJson.WatchEvent;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KubeJsonTest {
  private static final String CANARY = "canary-4417";
  private static final String CANARY_B64 =
      Base64.getEncoder().encodeToString(CANARY.getBytes(UTF_8));

  @Test
  void fieldsANewerServerAddsAreSkipped() throws Exception {
    String json =
        """
        {"kind":"Secret","apiVersion":"v1","newTop":{"deep":[1,{"x":null}]},
         "metadata":{"name":"s","namespace":"ns","resourceVersion":"7","newMeta":true,
                     "creationTimestamp":"2026-12-04T16:02:13Z","labels":{"a":"b"},
                     "managedFields":[{"manager":"curl"}]},
         "data":{"k":"%s","empty":""},"immutable":true,"type":"Opaque"}
        """
            .formatted(CANARY_B64);

    KubeSecret s = KubeJson.secret(json.getBytes(UTF_8));

    assertThat(s.name()).isEqualTo("s");
    assertThat(s.namespace()).isEqualTo("ns");
    assertThat(s.resourceVersion()).isEqualTo("7");
    assertThat(s.created()).isEqualTo("2026-12-04T16:02:13Z");
    assertThat(s.labels()).containsEntry("a", "b");
    assertThat(s.immutable()).isTrue();
    assertThat(s.data().get("k")).isEqualTo(CANARY.getBytes(UTF_8));
    assertThat(s.data().get("empty")).isEmpty();
    assertThat(s.toString()).doesNotContain(CANARY).doesNotContain(CANARY_B64);
  }

  @Test
  void aMalformedDocumentFailsWithoutQuotingIt() {
    String broken = "{\"kind\":\"Secret\",\"data\":{\"k\":\"" + CANARY_B64 + "\" " + CANARY + "}";
    String badBase64 = "{\"kind\":\"Secret\",\"data\":{\"k\":\"" + CANARY + "!!\"}}";

    for (String json : new String[] {broken, badBase64, "[" + CANARY + "]"}) {
      assertThatThrownBy(() -> KubeJson.secret(json.getBytes(UTF_8)))
          .isInstanceOf(KubeJson.MalformedException.class)
          .satisfies(
              e ->
                  assertThat(String.valueOf(e) + e.getCause())
                      .doesNotContain(CANARY)
                      .doesNotContain(CANARY_B64));
    }
  }

  @Test
  void watchEventsCarryASecretOrAStatus() throws Exception {
    WatchEvent modified =
        KubeJson.watchEvent(
            "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\","
                + "\"resourceVersion\":\"9\"},\"data\":{\"k\":\"eA==\"}}}");
    WatchEvent expired =
        KubeJson.watchEvent(
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version:"
                + " 1 (243)\",\"reason\":\"Expired\",\"code\":410}}");

    assertThat(modified.secret().resourceVersion()).isEqualTo("9");
    assertThat(modified.status()).isNull();
    assertThat(expired.secret()).isNull();
    assertThat(expired.status().code()).isEqualTo(410);
    assertThat(expired.status().reason()).isEqualTo("Expired");
  }

  @Test
  void aStatusKeepsItsCauses() {
    KubeJson.Status st =
        KubeJson.status(
            ("{\"kind\":\"Status\",\"code\":422,\"reason\":\"Invalid\",\"message\":\"m\","
                    + "\"details\":{\"name\":\"x\",\"causes\":[{\"reason\":\"FieldValueInvalid\","
                    + "\"message\":\"bad\",\"field\":\"data[a/b]\"}]}}")
                .getBytes(UTF_8));

    assertThat(st.code()).isEqualTo(422);
    assertThat(st.causes())
        .singleElement()
        .satisfies(c -> assertThat(c.field()).isEqualTo("data[a/b]"));
    assertThat(KubeJson.status("<html>proxy error</html>".getBytes(UTF_8))).isNull();
  }

  @Test
  void patchesCarryOnlyTheKeyAndOptionallyTheVersion() {
    assertThat(new String(KubeJson.keyPatch(null, "k", new byte[] {0, -1}), UTF_8))
        .isEqualTo("{\"data\":{\"k\":\"AP8=\"}}");
    assertThat(new String(KubeJson.keyPatch("12", "k", null), UTF_8))
        .isEqualTo("{\"metadata\":{\"resourceVersion\":\"12\"},\"data\":{\"k\":null}}");
  }
}
