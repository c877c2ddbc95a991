package io.olares.secrets.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.olares.secrets.provider.internal.Replies;
import io.olares.secrets.provider.internal.Transport;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * The provider client's reply mapping ({@code Replies.read}) on arbitrary status codes and bodies:
 * it returns the unwrapped data or throws a {@link io.olares.secrets.SecretsException} subclass,
 * never anything else; the data it returns is never itself an error envelope.
 */
class ProviderRepliesFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpUrl URL = HttpUrl.get("http://127.0.0.1:1/system-server/v1alpha1/x");
  private static final int[] STATUSES = {
    200, 200, 200, 201, 204, 400, 401, 403, 404, 429, 500, 503
  };

  @FuzzTest(maxDuration = "60s")
  void repliesMapToDataOrToTheSdkErrors(FuzzedDataProvider data) {
    int status = data.consumeBoolean() ? data.pickValue(STATUSES) : data.consumeInt(100, 599);
    byte[] body = data.consumeRemainingAsBytes();
    JsonNode result;
    try {
      result =
          Replies.read(new Transport.Reply(status, body, Headers.of(), URL), "fuzz call", JSON);
    } catch (RuntimeException e) {
      Findings.allowSdkErrors(e);
      return;
    }
    if (status < 200 || status > 299) {
      throw Findings.property("an HTTP " + status + " reply was read as data");
    }
    if (result == null) {
      throw Findings.property("a reply was read as Java null");
    }
  }
}
