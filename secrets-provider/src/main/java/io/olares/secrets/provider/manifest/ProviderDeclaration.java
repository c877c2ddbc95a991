package io.olares.secrets.provider.manifest;

import java.util.List;
import java.util.Objects;

/**
 * A provider an app offers to other apps (generation 2), from the manifest's top-level {@code
 * provider} list: the API under {@code entrance} at {@code paths}, with the RBAC {@code verbs}
 * consumers are bound to.
 *
 * @param name the provider's name, which consumers name as {@code providerName}
 * @param entrance the app entrance that serves it
 * @param paths the URL paths, e.g. {@code /api/frames/*}
 * @param verbs the verbs, e.g. {@code get}, {@code list}, or {@code *}
 */
public record ProviderDeclaration(
    String name, String entrance, List<String> paths, List<String> verbs) {
  /** Validates. */
  public ProviderDeclaration {
    Objects.requireNonNull(name, "name");
    paths = List.copyOf(paths);
    verbs = List.copyOf(verbs);
  }
}
