package io.olares.secrets.infisical.internal;

import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.SecretRef;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a reference points in Infisical: {@code infisical://<project>/<environment>/<folder...>/
 * <NAME>[?version=<n>]}. The project is an id (a UUID) or a slug; folders form the secret path.
 *
 * @param project project id or slug, as written
 * @param environment environment slug
 * @param folders folder names below the environment's root
 * @param name the secret's name; null for a listing prefix
 * @param version the requested version, or null
 */
public record Location(
    String project, String environment, List<String> folders, String name, Integer version) {

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** Copies the folders. */
  public Location {
    folders = List.copyOf(folders);
  }

  /** The location of a secret. */
  public static Location of(SecretRef ref) {
    if (ref.field().isPresent()) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' has a #field, but Infisical secrets are single values");
    }
    List<String> path = ref.path();
    if (path.size() < 2) {
      throw new InvalidReferenceException(
          "reference '"
              + ref
              + "' needs an environment and a name: expected <store>://<project>/<environment>/"
              + "[<folder>/...]<NAME>");
    }
    Integer version = null;
    if (ref.version().isPresent()) {
      String v = ref.version().get();
      try {
        version = Integer.valueOf(v);
      } catch (NumberFormatException e) {
        version = -1;
      }
      if (version < 1) {
        throw new InvalidReferenceException(
            "reference '"
                + ref
                + "' asks for version '"
                + v
                + "'; Infisical versions are 1, 2, ...");
      }
    }
    return new Location(
        ref.container(),
        path.get(0),
        path.subList(1, path.size() - 1),
        path.get(path.size() - 1),
        version);
  }

  /** The location of a listing: an environment and optionally folders below it. */
  public static Location prefix(SecretRef ref) {
    if (ref.field().isPresent() || ref.version().isPresent()) {
      throw new InvalidReferenceException(
          "listing prefix '" + ref + "' must not carry a version or a field");
    }
    List<String> path = ref.path();
    if (path.isEmpty()) {
      throw new InvalidReferenceException(
          "listing prefix '"
              + ref
              + "' needs an environment: expected <store>://<project>/<environment>[/<folder>...]");
    }
    return new Location(ref.container(), path.get(0), path.subList(1, path.size()), null, null);
  }

  /** True where the project is given by id. */
  public boolean projectIsId() {
    return UUID.matcher(project).matches();
  }

  /** The secret path, {@code /} or {@code /a/b}. */
  public String secretPath() {
    return folders.isEmpty() ? "/" : "/" + String.join("/", folders);
  }

  /** A description for messages: {@code project/env/a/b/NAME}. */
  public String describe() {
    StringBuilder sb = new StringBuilder(project).append('/').append(environment);
    folders.forEach(f -> sb.append('/').append(f));
    if (name != null) {
      sb.append('/').append(name);
    }
    return sb.toString();
  }
}
