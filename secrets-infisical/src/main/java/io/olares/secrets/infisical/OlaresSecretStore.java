package io.olares.secrets.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.Classification;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretMetadata;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.SecretsException;
import io.olares.secrets.infisical.internal.ValueCodec;
import io.olares.secrets.provider.ProviderClient;
import io.olares.secrets.provider.ProviderOp;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ProviderPermission;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credentials kept by Olares' secret provider ({@code secret.infisical}), which stores them in
 * Infisical on the user's behalf (store type {@code olares-secret}). References read {@code
 * <store>://<workspace>/<env>/<NAME>}; {@code env} is one of test, dev, staging, prod.
 *
 * <p>Calls go through a {@link ProviderClient} of either access generation: {@code CreateSecret},
 * {@code RetrieveSecret}, {@code ListSecret}, {@code UpdateSecret} and {@code DeleteSecret}, each
 * with {@code ?workspace=<workspace>}, body {@code {"name", "value", "env"}}.
 *
 * <p>The calling app's own workspace holds its {@link Classification#APPLICATION_CREDENTIAL
 * application credentials}, owned by that app; any other workspace holds {@link
 * Classification#CREDENTIAL credentials} whose use needs a grant of the provider op ({@link
 * #permission(String, Operation)}). {@link #describe} cannot know the operation, so it names the op
 * of a read ({@code RetrieveSecret}) for a secret and of a listing ({@code ListSecret}) for a
 * prefix; system-server checks the op of every call against the app's grants in any case.
 *
 * <p>The provider keeps no versions. Values are carried as in {@link InfisicalStore} (text as
 * itself, anything the server would alter as marked Base64). Thread-safe; values never reach logs,
 * messages or {@code toString}.
 */
public final class OlaresSecretStore implements SecretStore {
  /** The store type. */
  public static final String TYPE = "olares-secret";

  /** The provider's data type. */
  public static final String DATA_TYPE = "secret";

  /** The provider's group. */
  public static final String GROUP = "secret.infisical";

  /** The provider's API version. */
  public static final String VERSION = "v1";

  /** The environments the provider accepts. */
  public static final List<String> ENVIRONMENTS = List.of("test", "dev", "staging", "prod");

  private static final Logger LOG = LoggerFactory.getLogger(OlaresSecretStore.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern WORKSPACE = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Set<Capability> CAPABILITIES =
      Set.copyOf(
          EnumSet.of(
              Capability.READ,
              Capability.WRITE,
              Capability.DELETE,
              Capability.LIST,
              Capability.BINARY));

  private final String name;
  private final String app;
  private final ProviderClient client;
  private final boolean ownsClient;
  private final AtomicBoolean closed = new AtomicBoolean();

  private OlaresSecretStore(String name, String app, ProviderClient client, boolean ownsClient) {
    this.name = Objects.requireNonNull(name, "name");
    this.app = Objects.requireNonNull(app, "app");
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    LOG.info("Olares secret store {} opened for app {} ({})", name, app, client.generation());
  }

  /**
   * A store named {@code name} for {@code app}, calling through {@code client}; the caller keeps
   * ownership of the client.
   */
  public static OlaresSecretStore open(String name, String app, ProviderClient client) {
    return new OlaresSecretStore(name, app, client, false);
  }

  /** As {@link #open}, but closing the store closes the client. */
  static OlaresSecretStore owning(String name, String app, ProviderClient client) {
    return new OlaresSecretStore(name, app, client, true);
  }

  /** The provider op an operation on {@code workspace} needs. */
  public static ProviderPermission permission(String workspace, Operation operation) {
    String op;
    switch (operation) {
      case READ:
        op = "RetrieveSecret";
        break;
      case LIST:
        op = "ListSecret";
        break;
      case DELETE:
        op = "DeleteSecret";
        break;
      case WRITE:
        op = "CreateSecret";
        break;
      default:
        throw new IllegalArgumentException("the secret provider cannot " + operation.wireName());
    }
    return ProviderPermission.sysData(DATA_TYPE, GROUP, VERSION, op + "?workspace=" + workspace);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** Read, write, delete, list and binary values (as marked Base64); no versions. */
  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public ResourceInfo describe(SecretRef ref, String caller) {
    return describe(ref, caller, ref.path().size() < 2 ? Operation.LIST : Operation.READ);
  }

  /**
   * Names the provider op the access needs in its permission: {@code RetrieveSecret}, {@code
   * CreateSecret}, {@code DeleteSecret} or {@code ListSecret} (the read op for signing, which this
   * store cannot do anyway), so that a grant for another workspace's reads does not cover writes.
   */
  @Override
  public ResourceInfo describe(SecretRef ref, String caller, Operation operation) {
    checkStore(ref);
    String workspace = workspace(ref);
    Operation op =
        operation == Operation.SIGN
            ? Operation.READ
            : ref.path().size() < 2 && operation == Operation.READ ? Operation.LIST : operation;
    ProviderPermission permission = permission(workspace, op);
    return workspace.equals(caller)
        ? new ResourceInfo(Classification.APPLICATION_CREDENTIAL, caller, permission)
        : new ResourceInfo(Classification.CREDENTIAL, workspace, permission);
  }

  @Override
  public Optional<Secret> read(SecretRef ref, AccessContext context) {
    Target t = target(ref);
    JsonNode data;
    try {
      data = call("RetrieveSecret", t.workspace, body(t.secret, t.env, null));
    } catch (SecretNotFoundException e) {
      return Optional.empty();
    }
    JsonNode value = data == null ? null : data.get("value");
    if (value == null || !value.isTextual()) {
      throw new SecretsException(
          "the secret provider answered a read of " + ref + " without a value");
    }
    char[] stored = value.asText().toCharArray();
    try {
      byte[] bytes = ValueCodec.decode(stored);
      return Optional.of(
          new Secret(
              ref,
              describe(ref, context.app()).classification(),
              SecretValue.adopt(bytes),
              new SecretMetadata(null, null, null, null, Map.of("env", t.env))));
    } finally {
      Arrays.fill(stored, '\0');
    }
  }

  @Override
  public void write(SecretRef ref, SecretValue value, AccessContext context) {
    Objects.requireNonNull(value, "value");
    Target t = target(ref);
    byte[] bytes = value.revealBytes();
    char[] text = ValueCodec.encode(bytes);
    Arrays.fill(bytes, (byte) 0);
    try {
      long size = utf8Length(text);
      if (size > InfisicalStore.MAX_REQUEST_BYTES - 1024) {
        throw new SecretTooLargeException(
            "the value for "
                + ref
                + " needs "
                + size
                + " bytes; the provider's Infisical takes at most "
                + (InfisicalStore.MAX_REQUEST_BYTES - 1024));
      }
      ObjectNode body = body(t.secret, t.env, text);
      try {
        call("UpdateSecret", t.workspace, body);
        return;
      } catch (SecretNotFoundException missing) {
        // not there yet (or the workspace is new): create it
      }
      try {
        call("CreateSecret", t.workspace, body);
      } catch (SecretsException e) {
        if (!saysExists(e)) {
          throw e;
        }
        call("UpdateSecret", t.workspace, body);
      }
    } finally {
      Arrays.fill(text, '\0');
    }
  }

  @Override
  public boolean delete(SecretRef ref, AccessContext context) {
    Target t = target(ref);
    try {
      call("DeleteSecret", t.workspace, body(t.secret, t.env, null));
      return true;
    } catch (SecretNotFoundException e) {
      return false;
    }
  }

  @Override
  public List<SecretInfo> list(SecretRef prefix, AccessContext context) {
    checkOpen();
    checkStore(prefix);
    if (prefix.version().isPresent() || prefix.field().isPresent() || prefix.path().size() > 1) {
      throw new InvalidReferenceException(
          "listing prefix '" + prefix + "' must be <store>://<workspace>[/<env>]");
    }
    String workspace = workspace(prefix);
    List<String> envs = prefix.path().isEmpty() ? ENVIRONMENTS : List.of(env(prefix));
    Classification classification = describe(prefix, context.app()).classification();
    List<SecretInfo> out = new ArrayList<>();
    for (String env : envs) {
      JsonNode data;
      try {
        data = call("ListSecret", workspace, body(null, env, null));
      } catch (SecretNotFoundException e) {
        continue;
      }
      if (data == null || !data.isArray()) {
        continue;
      }
      for (JsonNode item : data) {
        String secret = item.path("name").asText("");
        if (secret.isEmpty()) {
          continue;
        }
        try {
          SecretRef ref = SecretRef.of(name, workspace, env, secret);
          if (prefix.covers(ref)) {
            out.add(new SecretInfo(ref, classification, SecretMetadata.EMPTY));
          }
        } catch (InvalidReferenceException skipped) {
          LOG.debug("Olares secret store {}: skipping a name that cannot be referenced", name);
        }
      }
    }
    out.sort(Comparator.comparing(info -> info.ref().toString()));
    return out;
  }

  private record Target(String workspace, String env, String secret) {}

  private Target target(SecretRef ref) {
    checkOpen();
    checkStore(ref);
    if (ref.version().isPresent()) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' asks for a version; the secret provider keeps none");
    }
    if (ref.field().isPresent()) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' has a #field, but provider secrets are single values");
    }
    if (ref.path().size() != 2) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' must be <store>://<workspace>/<env>/<NAME>");
    }
    return new Target(workspace(ref), env(ref), ref.path().get(1));
  }

  private static String workspace(SecretRef ref) {
    String w = ref.container();
    if (!WORKSPACE.matcher(w).matches()) {
      throw new InvalidReferenceException(
          "workspace '"
              + w
              + "' of '"
              + ref
              + "' must be an app name (lower-case letters,"
              + " digits and '-')");
    }
    return w;
  }

  private static String env(SecretRef ref) {
    String env = ref.path().get(0);
    if (!ENVIRONMENTS.contains(env)) {
      throw new InvalidReferenceException(
          "environment '" + env + "' of '" + ref + "' must be one of " + ENVIRONMENTS);
    }
    return env;
  }

  private static long utf8Length(char[] text) {
    long n = 0;
    for (int i = 0; i < text.length; i++) {
      char c = text[i];
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static ObjectNode body(String secret, String env, char[] value) {
    ObjectNode body = NODES.objectNode();
    if (secret != null) {
      body.put("name", secret);
    }
    if (value != null) {
      body.put("value", new String(value));
    }
    body.put("env", env);
    return body;
  }

  private JsonNode call(String op, String workspace, JsonNode body) {
    checkOpen();
    return client.call(
        ProviderOp.of(DATA_TYPE, GROUP, VERSION, op + "?workspace=" + workspace), body);
  }

  private static boolean saysExists(SecretsException e) {
    String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    return m.contains("already exist");
  }

  private void checkStore(SecretRef ref) {
    Objects.requireNonNull(ref, "ref");
    if (!ref.store().equals(name)) {
      throw new InvalidReferenceException(
          "reference '" + ref + "' names store '" + ref.store() + "', not '" + name + "'");
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new IllegalStateException("Olares secret store " + name + " is closed");
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "OlaresSecretStore[" + name + ", app=" + app + ", " + client.generation() + "]";
  }
}
