package io.olares.secrets.k8s.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.k8s.support.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fake API server answers the requests recorded in {@code kubernetes/captures.json} with the
 * same status codes and the same bodies as the real kube-apiserver 1.36 did, up to uids, timestamps
 * and managedFields (which the fake does not keep).
 */
class FakeKubeApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType APPLICATION_JSON = MediaType.get("application/json");
  private static final Pattern UID = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
  private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

  private final OkHttpClient http = new OkHttpClient();
  private FakeKubeApiServer fake;
  private Map<String, JsonNode> captured;

  @BeforeEach
  void start() throws IOException {
    JsonNode captures = JSON.readTree(TestData.path("kubernetes/captures.json").toFile());
    captured = new java.util.LinkedHashMap<>();
    for (JsonNode e : captures.get("exchanges")) {
      captured.put(e.get("name").asText(), e);
    }
    // the capture's server had reached revision 250 and compacted below 243
    fake = FakeKubeApiServer.start(250, 243);
    fake.acceptToken("admin", "admin").acceptToken("limited", "limited");
    fake.forbid("limited", "myapp-alice");
  }

  @AfterEach
  void stop() {
    fake.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  @Test
  void answersEveryCapturedExchangeWithTheCapturedStatusAndBody() throws IOException {
    String ns = "/api/v1/namespaces";
    String secrets = ns + "/myapp-alice/secrets";
    expect("ns", call("POST", ns, "{\"metadata\":{\"name\":\"myapp-alice\"}}", "admin"));

    ObjectNode create = secret("myapp-secrets");
    ((ObjectNode) create.get("metadata"))
        .putObject("labels")
        .put("applications.app.bytetrade.io/name", "myapp");
    ObjectNode data = create.putObject("data");
    data.put("DATABASE_URL", b64("postgres://u:p%40ss@db:5432/app"));
    data.put("blob.bin", Base64.getEncoder().encodeToString(new byte[] {0, -1, -2, 1}));
    create.putObject("stringData").put("HF_TOKEN", "hf_x");
    expect("create", call("POST", secrets, create.toString(), "admin"));
    expect("create_dup", call("POST", secrets, create.toString(), "admin"));
    expect("get", call("GET", secrets + "/myapp-secrets", null, "admin"));
    expect("get_missing", call("GET", secrets + "/nope", null, "admin"));
    expect("get_forbidden", call("GET", secrets + "/myapp-secrets", null, "limited"));
    expect("get_unauth", call("GET", secrets + "/myapp-secrets", null, "unknown"));

    ObjectNode replace = (ObjectNode) call("GET", secrets + "/myapp-secrets", null, "admin").body;
    ((ObjectNode) replace.get("data")).put("DATABASE_URL", b64("rotated"));
    expect("replace", call("PUT", secrets + "/myapp-secrets", replace.toString(), "admin"));
    expect("replace_stale", call("PUT", secrets + "/myapp-secrets", replace.toString(), "admin"));

    ObjectNode badKey = secret("badkey");
    badKey.putObject("data").put("bad/key", b64("x"));
    expect("bad_key", call("POST", secrets, badKey.toString(), "admin"));
    ObjectNode badName = secret("Bad_Name");
    badName.putObject("data").put("k", b64("x"));
    expect("bad_name", call("POST", secrets, badName.toString(), "admin"));
    ObjectNode badB64 = secret("badb64");
    badB64.putObject("data").put("k", "%%%");
    expect("bad_b64", call("POST", secrets, badB64.toString(), "admin"));
    ObjectNode tooLarge = secret("toolarge");
    tooLarge.putObject("data").put("k", new byte[1024 * 1024 + 1]);
    expect("too_large", call("POST", secrets, tooLarge.toString(), "admin"));

    ObjectNode frozen = secret("frozen");
    frozen.put("immutable", true);
    frozen.putObject("data").put("k", b64("x"));
    expect("immutable_create", call("POST", secrets, frozen.toString(), "admin"));
    expect(
        "immutable_update",
        call("PATCH", secrets + "/frozen", "{\"data\":{\"k\":\"" + b64("y") + "\"}}", "admin"));
    expect(
        "list",
        call(
            "GET",
            secrets + "?labelSelector=applications.app.bytetrade.io%2Fname%3Dmyapp",
            null,
            "admin"));

    // not captured as exchanges, but seen by the captured watch: a stringData merge patch
    call("PATCH", secrets + "/myapp-secrets", "{\"stringData\":{\"HF_TOKEN\":\"hf_y\"}}", "admin");
    expect("delete", call("DELETE", secrets + "/myapp-secrets", null, "admin"));
    expect(
        "watch_too_old",
        call("GET", secrets + "?watch=1&resourceVersion=1&timeoutSeconds=2", null, "admin"));

    Answer watch =
        call("GET", secrets + "?watch=1&resourceVersion=252&timeoutSeconds=1", null, "admin");
    JsonNode expected = captured.get("watch").get("response");
    assertThat(watch.status).isEqualTo(expected.get("status").asInt());
    assertThat(watch.events).hasSameSizeAs(expected.get("events"));
    for (int i = 0; i < watch.events.size(); i++) {
      assertSameShape("watch event " + i, expected.get("events").get(i), watch.events.get(i));
    }
  }

  private void expect(String name, Answer actual) {
    JsonNode response = captured.get(name).get("response");
    assertThat(actual.status).as(name + " status").isEqualTo(response.get("status").asInt());
    assertSameShape(name, response.get("body"), actual.body);
  }

  private static void assertSameShape(String what, JsonNode expected, JsonNode actual) {
    assertThat(normalize(actual)).as(what).isEqualTo(normalize(expected));
  }

  /** Drops managedFields and replaces uids and timestamps by their kind. */
  private static JsonNode normalize(JsonNode node) {
    JsonNode copy = node.deepCopy();
    normalizeInPlace(copy);
    return copy;
  }

  private static void normalizeInPlace(JsonNode node) {
    if (node instanceof ObjectNode o) {
      o.remove("managedFields");
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String f : names) {
        JsonNode v = o.get(f);
        if (v.isTextual() && f.equals("uid") && UID.matcher(v.asText()).matches()) {
          o.put(f, "<uid>");
        } else if (v.isTextual() && TIME.matcher(v.asText()).matches()) {
          o.put(f, "<time>");
        } else {
          normalizeInPlace(v);
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (Iterator<JsonNode> it = a.elements(); it.hasNext(); ) {
        normalizeInPlace(it.next());
      }
    }
  }

  private static ObjectNode secret(String name) {
    ObjectNode s = JSON.createObjectNode();
    s.put("apiVersion", "v1").put("kind", "Secret");
    s.putObject("metadata").put("name", name);
    return s;
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private record Answer(int status, JsonNode body, List<JsonNode> events) {}

  private Answer call(String method, String path, String body, String token) throws IOException {
    String contentType =
        method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
    RequestBody rb =
        body == null
            ? (method.equals("DELETE") ? RequestBody.create(new byte[0], APPLICATION_JSON) : null)
            : RequestBody.create(body.getBytes(StandardCharsets.UTF_8), MediaType.get(contentType));
    Request request =
        new Request.Builder()
            .url(fake.basePath() + path)
            .method(method, rb)
            .header("Authorization", "Bearer " + token)
            .build();
    try (Response response = http.newCall(request).execute()) {
      String text = response.body().string();
      if (path.contains("watch=1")) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : text.split("\n")) {
          if (!line.isBlank()) {
            events.add(JSON.readTree(line));
          }
        }
        return new Answer(response.code(), events.isEmpty() ? null : events.get(0), events);
      }
      return new Answer(response.code(), JSON.readTree(text), List.of());
    }
  }
}
