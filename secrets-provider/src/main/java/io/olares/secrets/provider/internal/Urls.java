package io.olares.secrets.provider.internal;

import io.olares.secrets.ConfigurationException;
import okhttp3.HttpUrl;

/** Parses the hosts and base URLs that configuration and the environment give. */
public final class Urls {
  private Urls() {}

  /**
   * A base URL from a host ({@code system-server.user-system-alice}, meaning {@code http://...}), a
   * host and port, or a full http(s) URL.
   *
   * @param what names the setting in the error, e.g. {@code environment variable OS_SYSTEM_SERVER}
   * @throws ConfigurationException where the value is not a usable URL
   */
  public static HttpUrl endpoint(String what, String hostOrUrl) {
    if (hostOrUrl == null || hostOrUrl.isBlank()) {
      throw new ConfigurationException(what + " is empty");
    }
    String text = hostOrUrl.trim();
    if (!text.contains("://")) {
      text = "http://" + text;
    }
    HttpUrl url = HttpUrl.parse(text);
    if (url == null) {
      throw new ConfigurationException(
          what + " '" + hostOrUrl.trim() + "' is not a host name or an http(s) URL");
    }
    if (url.query() != null || url.fragment() != null) {
      throw new ConfigurationException(what + " must not have a query or a fragment");
    }
    return url;
  }

  /** {@code base} with {@code pathAndQuery} (which starts with {@code /}) appended. */
  public static HttpUrl resolve(HttpUrl base, String pathAndQuery) {
    if (!pathAndQuery.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/'");
    }
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    HttpUrl.Builder b = base.newBuilder();
    String basePath = base.encodedPath();
    if (basePath.endsWith("/")) {
      b.encodedPath(basePath + path.substring(1));
    } else {
      b.encodedPath(basePath + path);
    }
    if (q >= 0) {
      b.encodedQuery(pathAndQuery.substring(q + 1));
    }
    return b.build();
  }
}
