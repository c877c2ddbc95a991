package io.olares.secrets.k8s.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * A Secret as read from the API server: the metadata this module uses and the decoded data. The
 * byte arrays belong to this object; {@link #wipe()} overwrites them. {@link #toString()} shows no
 * data.
 *
 * @param name the Secret's name
 * @param namespace its namespace
 * @param resourceVersion its resourceVersion
 * @param created its creation time, or null
 * @param labels its labels
 * @param immutable whether it is marked {@code immutable: true}
 * @param type its type
 * @param data its data, decoded from base64
 */
public record KubeSecret(
    String name,
    String namespace,
    String resourceVersion,
    Instant created,
    Map<String, String> labels,
    boolean immutable,
    String type,
    Map<String, byte[]> data) {

  /** Overwrites every value with zeros. */
  public void wipe() {
    for (byte[] v : data.values()) {
      Arrays.fill(v, (byte) 0);
    }
  }

  /** The sum of the value sizes, as the API server counts it against the 1 MiB limit. */
  public long dataBytes() {
    long total = 0;
    for (byte[] v : data.values()) {
      total += v.length;
    }
    return total;
  }

  @Override
  public String toString() {
    return "KubeSecret["
        + namespace
        + "/"
        + name
        + ", rv="
        + resourceVersion
        + ", keys="
        + data.keySet()
        + "]";
  }
}
