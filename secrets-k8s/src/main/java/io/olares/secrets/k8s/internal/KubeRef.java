package io.olares.secrets.k8s.internal;

import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.SecretRef;

/**
 * A reference to Kubernetes Secret data: {@code k8s://<namespace>} (every Secret in it), {@code
 * k8s://<namespace>/<secret>} (a whole Secret) or {@code k8s://<namespace>/<secret>#<key>} (one
 * key). Each part is checked with the API server's own rules.
 *
 * @param namespace the namespace
 * @param secret the Secret's name; null for a namespace
 * @param key the data key; null for a whole Secret
 */
public record KubeRef(String namespace, String secret, String key) {

  /** Parses a reference that names at least a Secret. */
  public static KubeRef of(SecretRef ref) {
    KubeRef k = ofPrefix(ref);
    if (k.secret == null) {
      throw new InvalidReferenceException(
          "reference '"
              + ref
              + "' names a namespace; expected "
              + ref.store()
              + "://<namespace>/<secret>#<key>");
    }
    return k;
  }

  /** Parses a reference that may stop at the namespace. */
  public static KubeRef ofPrefix(SecretRef ref) {
    if (ref.version().isPresent()) {
      throw new InvalidReferenceException(
          "reference '" + ref + "': Kubernetes Secrets keep no versions; remove '?version='");
    }
    if (ref.path().size() > 1) {
      throw new InvalidReferenceException(
          "reference '"
              + ref
              + "' has too many path segments; expected "
              + ref.store()
              + "://<namespace>/<secret>#<key>");
    }
    KubeNames.checkNamespace(ref.container());
    String secret = ref.path().isEmpty() ? null : ref.path().get(0);
    if (secret != null) {
      KubeNames.checkSecretName(secret);
    }
    String key = ref.field().orElse(null);
    if (key != null) {
      if (secret == null) {
        throw new InvalidReferenceException("reference '" + ref + "' names a key but no Secret");
      }
      KubeNames.checkKey(key);
    }
    return new KubeRef(ref.container(), secret, key);
  }

  /** Requires a key, explaining how to name one. */
  public KubeRef requireKey(SecretRef ref) {
    if (key == null) {
      throw new InvalidReferenceException(
          "reference '"
              + ref
              + "' names the whole Secret "
              + namespace
              + "/"
              + secret
              + "; name one key with '#<key>' (list the reference to see its keys)");
    }
    return this;
  }

  /** {@code namespace/secret}. */
  public String qualifiedSecret() {
    return namespace + "/" + secret;
  }
}
