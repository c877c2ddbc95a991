package io.olares.secrets.k8s.chart;

import io.olares.secrets.k8s.internal.KubeNames;
import java.util.Objects;

/**
 * A {@code secretKeyRef}: one key of one Secret. The name may hold Helm template actions ({@code {{
 * .Release.Name }}-secrets}); otherwise it must be a valid Secret name. The key must be a valid
 * data key.
 *
 * @param name the Secret's name
 * @param key the data key
 */
public record SecretKeyRef(String name, String key) {
  /** Validates both parts with the API server's rules. */
  public SecretKeyRef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
    if (!name.contains("{{")) {
      KubeNames.checkSecretName(name);
    }
    if (!key.contains("{{")) {
      KubeNames.checkKey(key);
    }
  }
}
