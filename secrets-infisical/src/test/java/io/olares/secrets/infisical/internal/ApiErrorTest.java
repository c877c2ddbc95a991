package io.olares.secrets.infisical.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.infisical.internal.ApiError.Kind;
import io.olares.secrets.testing.fake.infisical.Captures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Every error shape captured from the real server is classified as the store needs it. */
class ApiErrorTest {

  private static Captures captures() {
    String dir = System.getProperty("olares.shared.testdata");
    Path file = dir == null ? null : Captures.file(Path.of(dir));
    Assumptions.assumeTrue(
        file != null && Files.isRegularFile(file),
        "shared test data with infisical/captures.json is absent; set olares.shared.testdata");
    return Captures.load(file);
  }

  @Test
  void classifiesEveryCapturedErrorAnswer() {
    Map<String, Kind> expected =
        Map.of(
            "login_bad_secret", Kind.TOKEN_REJECTED,
            "login_malformed", Kind.INVALID_REQUEST,
            "create_dup", Kind.ALREADY_EXISTS,
            "get_missing", Kind.SECRET_NOT_FOUND,
            "get_bad_env", Kind.FOLDER_NOT_FOUND,
            "get_no_auth", Kind.TOKEN_REJECTED,
            "get_bad_token", Kind.TOKEN_REJECTED,
            "delete_missing", Kind.SECRET_NOT_FOUND,
            "v4_get", Kind.ROUTE_NOT_FOUND,
            "get_after_revoke", Kind.TOKEN_REJECTED);
    Captures captures = captures();
    int errors = 0;
    for (Captures.Exchange e : captures.exchanges()) {
      if (e.status() < 300 || e.name().equals("rate_limited_read")) {
        continue;
      }
      errors++;
      ApiError error =
          ApiError.parse(e.status(), e.responseJson().getBytes(StandardCharsets.UTF_8));
      assertThat(error.kind()).as(e.name()).isEqualTo(expected.get(e.name()));
    }
    assertThat(errors).isEqualTo(expected.size());
  }

  @Test
  void theRateLimitedAnswerIsAServerSideFailure() {
    Captures.Exchange e = captures().exchange("rate_limited_read");

    ApiError error = ApiError.parse(e.status(), e.responseJson().getBytes(StandardCharsets.UTF_8));

    assertThat(error.kind()).isEqualTo(Kind.SERVER_BUSY);
    assertThat(e.headers()).containsEntry("retry-after", "60");
  }

  @Test
  void flattensValidationIssuesIntoOneReadableLine() {
    Captures.Exchange e = captures().exchange("login_malformed");

    ApiError error = ApiError.parse(e.status(), e.responseJson().getBytes(StandardCharsets.UTF_8));

    assertThat(error.describe())
        .isEqualTo(
            "401 ValidationFailure: clientId: Expected string, received number; clientSecret:"
                + " Required");
  }

  @Test
  void anAnswerThatIsNotJsonStillYieldsAnError() {
    ApiError error =
        ApiError.parse(502, "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8));

    assertThat(error.kind()).isEqualTo(Kind.SERVER_BUSY);
    assertThat(error.describe()).isEqualTo("502: (answer is not JSON)");
  }
}
