package io.olares.secrets.infisical;

import io.olares.secrets.Classification;
import io.olares.secrets.IntegrityException;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretMetadata;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.infisical.internal.InfisicalApi;
import io.olares.secrets.infisical.internal.Location;
import io.olares.secrets.infisical.internal.SecretEntry;
import io.olares.secrets.infisical.internal.TokenManager;
import io.olares.secrets.infisical.internal.Transport;
import io.olares.secrets.infisical.internal.ValueCodec;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.Capability;
import io.olares.secrets.spi.ResourceInfo;
import io.olares.secrets.spi.SecretInfo;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.StoreContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credentials kept in Infisical, reached directly over its REST API (store type {@code infisical}).
 * References read {@code <store>://<project>/<environment>/[<folder>/...]<NAME>} with {@code
 * ?version=<n>} allowed on reads; the project is its id (a UUID) or its slug.
 *
 * <p>Reads, lists, writes and deletes go to the v3 raw secrets API as {@code shared} secrets. A
 * write creates the secret, or updates it where it exists (a new version), creating missing folders
 * first. Values are bytes: text that Infisical stores unchanged travels as itself, any other value
 * as {@code olares-b64:} and Base64 (see {@link #capabilities()}), so binary values, values with
 * surrounding white space and NUL characters all come back exactly. A read of a version the server
 * does not return (older servers ignore the version query) fails with an {@link IntegrityException}
 * rather than answer with another version.
 *
 * <p>Secrets in a project listed in {@link InfisicalOptions#projectOwners()} are the owning app's
 * {@link Classification#APPLICATION_CREDENTIAL application credentials}; all others are {@link
 * Classification#CREDENTIAL credentials}. The store does not cache: the facade's cache does.
 *
 * <p>Thread-safe. Values never reach logs, messages or {@code toString}.
 */
public final class InfisicalStore implements SecretStore {
  /** The store type. */
  public static final String TYPE = "infisical";

  /** The largest request body Infisical accepts: 1 MiB, its HTTP framework's default. */
  public static final int MAX_REQUEST_BYTES = InfisicalApi.MAX_BODY;

  /**
   * The largest binary value that always fits a request (as marked Base64, with up to 1 KiB of
   * project, environment, path and name around it): 785,655 bytes. Text that travels as itself may
   * be up to about 1 MiB.
   */
  public static final int MAX_BINARY_VALUE_BYTES =
      (MAX_REQUEST_BYTES - 1024 - ValueCodec.MARKER.length()) / 4 * 3;

  private static final Logger LOG = LoggerFactory.getLogger(InfisicalStore.class);
  private static final Set<Capability> CAPABILITIES =
      Set.copyOf(
          EnumSet.of(
              Capability.READ,
              Capability.WRITE,
              Capability.DELETE,
              Capability.LIST,
              Capability.VERSIONS,
              Capability.BINARY));

  private final String name;
  private final Map<String, String> owners;
  private final Transport transport;
  private final TokenManager tokens;
  private final InfisicalApi api;
  private final AtomicBoolean closed = new AtomicBoolean();

  private InfisicalStore(String name, InfisicalOptions options, Clock clock) {
    this.name = Objects.requireNonNull(name, "name");
    this.owners = options.projectOwners();
    this.transport = new Transport(options, clock);
    this.tokens =
        new TokenManager(
            options.auth(),
            transport,
            clock,
            options.tokenSkew(),
            options.backgroundRenewal(),
            options.revokeOnClose(),
            name);
    this.api = new InfisicalApi(transport, tokens, name);
    LOG.info(
        "Infisical store {} opened for {} with {}",
        name,
        options.site().getHost(),
        options.auth().method());
  }

  /** Opens a store named {@code name} (the {@code <store>} of its references). */
  public static InfisicalStore open(String name, InfisicalOptions options, StoreContext context) {
    return new InfisicalStore(name, options, context.clock());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Read, write, delete, list, versions, and binary values (carried as marked Base64 where text
   * would not survive the server unchanged).
   */
  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public ResourceInfo describe(SecretRef ref, String app) {
    checkStore(ref);
    String owner = owners.get(ref.container());
    return owner == null
        ? ResourceInfo.of(Classification.CREDENTIAL)
        : new ResourceInfo(Classification.APPLICATION_CREDENTIAL, owner, null);
  }

  @Override
  public Optional<Secret> read(SecretRef ref, AccessContext context) {
    Location at = locate(ref);
    Optional<SecretEntry> found = api.get(at);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    SecretEntry entry = found.get();
    try {
      if (at.version() != null && entry.version() != at.version()) {
        throw new IntegrityException(
            "Infisical answered version "
                + entry.version()
                + " to a read of version "
                + at.version()
                + " of "
                + ref
                + "; this server does not serve older versions");
      }
      byte[] bytes = ValueCodec.decode(entry.value());
      SecretMetadata metadata =
          new SecretMetadata(
              Integer.toString(entry.version()),
              entry.createdAt(),
              entry.updatedAt(),
              null,
              Map.of());
      return Optional.of(
          new Secret(
              ref,
              describe(ref, context.app()).classification(),
              SecretValue.adopt(bytes),
              metadata));
    } finally {
      entry.wipe();
    }
  }

  @Override
  public void write(SecretRef ref, SecretValue value, AccessContext context) {
    Objects.requireNonNull(value, "value");
    Location at = locate(ref);
    if (at.version() != null) {
      throw new InvalidReferenceException(
          "cannot write '" + ref + "': a write makes a new version; drop ?version=");
    }
    byte[] bytes = value.revealBytes();
    char[] text = ValueCodec.encode(bytes);
    try {
      InfisicalApi.Written done = api.put(at, text);
      LOG.debug(
          "Infisical store {}: {} {}",
          name,
          done == InfisicalApi.Written.CREATED ? "created" : "updated",
          ref);
    } finally {
      Arrays.fill(bytes, (byte) 0);
      Arrays.fill(text, '\0');
    }
  }

  @Override
  public boolean delete(SecretRef ref, AccessContext context) {
    Location at = locate(ref);
    if (at.version() != null) {
      throw new InvalidReferenceException(
          "cannot delete one version of '" + ref + "'; drop ?version= to delete the secret");
    }
    return api.delete(at);
  }

  @Override
  public List<SecretInfo> list(SecretRef prefix, AccessContext context) {
    checkOpen();
    checkStore(prefix);
    Location at = Location.prefix(prefix);
    Classification classification = describe(prefix, context.app()).classification();
    List<SecretInfo> out = new ArrayList<>();
    for (SecretEntry e : api.list(at)) {
      List<String> path = new ArrayList<>();
      path.add(at.environment());
      String folder = e.secretPath() == null ? at.secretPath() : e.secretPath();
      for (String segment : folder.split("/")) {
        if (!segment.isEmpty()) {
          path.add(segment);
        }
      }
      path.add(e.key());
      SecretRef ref;
      try {
        ref = SecretRef.of(name, prefix.container(), path, null, null);
      } catch (InvalidReferenceException skipped) {
        LOG.debug("Infisical store {}: skipping a secret whose name cannot be referenced", name);
        continue;
      }
      out.add(
          new SecretInfo(
              ref,
              classification,
              new SecretMetadata(
                  Integer.toString(e.version()), e.createdAt(), e.updatedAt(), null, Map.of())));
    }
    return out;
  }

  private Location locate(SecretRef ref) {
    checkOpen();
    checkStore(ref);
    return Location.of(ref);
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
      throw new IllegalStateException("Infisical store " + name + " is closed");
    }
  }

  /** The token manager, for tests of renewal in this module. */
  TokenManager tokens() {
    return tokens;
  }

  /** Stops token renewal, revokes a token obtained by login, and releases connections. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        tokens.close();
      } finally {
        transport.close();
      }
      LOG.info("Infisical store {} closed", name);
    }
  }

  @Override
  public String toString() {
    return "InfisicalStore[" + name + "]";
  }
}
