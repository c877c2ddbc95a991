package io.olares.secrets.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.Classification;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretMetadata;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.SecretsException;
import io.olares.secrets.provider.ProviderClient;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ProviderPermission;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code secret.infisical} provider ops as a store (see {@link OlaresSecretStoreProvider}).
 * Values are text, as the provider keeps them: a value that is not UTF-8 is refused before any
 * call. Thread-safe.
 */
final class OlaresSecretStore implements SecretStore {
  static final String DATA_TYPE = "secret";
  static final String GROUP = "secret.infisical";
  static final String VERSION = "v1";
  static final List<String> ENVIRONMENTS = List.of("test", "dev", "staging", "prod");
  private static final Pattern WORKSPACE = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final String name;
  private final ProviderClient client;
  private volatile boolean closed;

  OlaresSecretStore(String name, ProviderClient client) {
    this.name = Objects.requireNonNull(name, "name");
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return OlaresSecretStoreProvider.TYPE;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.READ, Capability.WRITE, Capability.DELETE, Capability.LIST);
  }

  /**
   * The app's own workspace holds its application credentials; another workspace's credentials need
   * the {@code RetrieveSecret?workspace=<w>} permission (or the bare op) from a grant.
   */
  @Override
  public ResourceInfo describe(SecretRef ref, String app) {
    String workspace = workspace(ref);
    if (workspace.equals(app)) {
      return new ResourceInfo(Classification.APPLICATION_CREDENTIAL, app, null);
    }
    return new ResourceInfo(
        Classification.CREDENTIAL,
        workspace,
        ProviderPermission.sysData(DATA_TYPE, GROUP, VERSION, op("RetrieveSecret", workspace)));
  }

  @Override
  public Optional<Secret> read(SecretRef ref, AccessContext context) {
    Target t = target(ref);
    if (ref.version().isPresent() || ref.field().isPresent()) {
      throw new InvalidReferenceException(
          "olares-secret references take no version or field: " + ref);
    }
    JsonNode data;
    try {
      data = call("RetrieveSecret", t.workspace, body(t.name, null, t.env));
    } catch (SecretNotFoundException e) {
      return Optional.empty();
    }
    JsonNode value = data == null ? null : data.get("value");
    if (value == null || !value.isTextual()) {
      throw new SecretsException(
          "store '" + name + "': the secret provider's reply for " + ref + " has no text value");
    }
    return Optional.of(
        new Secret(
            ref,
            describe(ref, context.app()).classification(),
            SecretValue.ofString(value.asText()),
            new SecretMetadata(null, null, null, null, java.util.Map.of("env", t.env))));
  }

  @Override
  public void write(SecretRef ref, SecretValue value, AccessContext context) {
    Target t = target(ref);
    if (!value.isUtf8()) {
      throw new SecretsException(
          "store '" + name + "' keeps text only: the value for " + ref + " is not UTF-8");
    }
    String text = value.revealString();
    try {
      call("UpdateSecret", t.workspace, body(t.name, text, t.env));
    } catch (SecretNotFoundException e) {
      // Not there yet (or the workspace does not exist): the first CreateSecret makes both.
      call("CreateSecret", t.workspace, body(t.name, text, t.env));
    }
  }

  @Override
  public boolean delete(SecretRef ref, AccessContext context) {
    Target t = target(ref);
    try {
      call("DeleteSecret", t.workspace, body(t.name, null, t.env));
      return true;
    } catch (SecretNotFoundException e) {
      return false;
    }
  }

  @Override
  public List<SecretInfo> list(SecretRef prefix, AccessContext context) {
    checkOpen();
    String workspace = workspace(prefix);
    if (prefix.path().size() > 2) {
      throw new InvalidReferenceException(
          "olares-secret references are <store>://<workspace>/<env>/<NAME>: " + prefix);
    }
    List<String> envs = prefix.path().isEmpty() ? ENVIRONMENTS : List.of(env(prefix));
    Classification classification = describe(prefix, context.app()).classification();
    List<SecretInfo> out = new ArrayList<>();
    for (String env : envs) {
      JsonNode data;
      try {
        data = call("ListSecret", workspace, body(null, null, env));
      } catch (SecretNotFoundException e) {
        continue; // the workspace has no secrets yet
      }
      if (data == null || !data.isArray()) {
        continue;
      }
      for (JsonNode item : data) {
        String secretName = item.path("name").asText("");
        if (secretName.isEmpty()) {
          continue;
        }
        SecretRef ref = SecretRef.of(name, workspace, env, secretName);
        if (prefix.covers(ref)) {
          out.add(new SecretInfo(ref, classification, SecretMetadata.EMPTY));
        }
      }
    }
    out.sort(
        java.util.Comparator.comparing(
            SecretInfo::ref, java.util.Comparator.comparing(Object::toString)));
    return out;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      client.close();
    }
  }

  private JsonNode call(String op, String workspace, ObjectNode body) {
    checkOpen();
    return client.call(DATA_TYPE, GROUP, VERSION, op(op, workspace), body);
  }

  private static String op(String op, String workspace) {
    return op + "?workspace=" + workspace;
  }

  private static ObjectNode body(String secretName, String value, String env) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    if (secretName != null) {
      body.put("name", secretName);
    }
    if (value != null) {
      body.put("value", value);
    }
    body.put("env", env);
    return body;
  }

  private record Target(String workspace, String env, String name) {}

  private Target target(SecretRef ref) {
    checkOwn(ref);
    if (ref.path().size() != 2) {
      throw new InvalidReferenceException(
          "olares-secret references are <store>://<workspace>/<env>/<NAME>: " + ref);
    }
    return new Target(workspace(ref), env(ref), ref.path().get(1));
  }

  private String workspace(SecretRef ref) {
    checkOwn(ref);
    String w = ref.container();
    if (!WORKSPACE.matcher(w).matches()) {
      throw new InvalidReferenceException(
          "workspace '"
              + w
              + "' in "
              + ref
              + " is not an app name (lower-case letters, digits and '-')");
    }
    return w;
  }

  private static String env(SecretRef ref) {
    String env = ref.path().get(0);
    if (!ENVIRONMENTS.contains(env)) {
      throw new InvalidReferenceException(
          "environment '" + env + "' in " + ref + " is not one of " + ENVIRONMENTS);
    }
    return env;
  }

  private void checkOwn(SecretRef ref) {
    if (!ref.store().equals(name)) {
      throw new InvalidReferenceException(
          "reference " + ref + " names store '" + ref.store() + "', not '" + name + "'");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("store '" + name + "' is closed");
    }
  }

  @Override
  public String toString() {
    return "OlaresSecretStore[" + name + ", " + client.generation() + "]";
  }
}
