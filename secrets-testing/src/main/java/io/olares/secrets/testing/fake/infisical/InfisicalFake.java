package io.olares.secrets.testing.fake.infisical;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import mockwebserver3.MockWebServer;

/**
 * An in-process Infisical server for tests, listening on 127.0.0.1. It answers the machine-identity
 * auth endpoints (universal and Kubernetes login, token renew and revoke), the v3 raw secrets API
 * (list, get with version, create, update, delete), folder creation and project lookup by slug, in
 * the exact JSON shapes a real self-hosted server sends ({@code infisical/captures.json} in the
 * shared test data; a replay test checks every captured exchange byte for byte).
 *
 * <p>Behaviour it models: tokens with TTL and max TTL measured on the given clock, renewal that is
 * refused past the max TTL, revocation; secrets with versions, trimmed values (like the real
 * server), folders; the real server's rate limit (a read past the limit is answered 500 with {@code
 * Retry-After}); a 1 MiB request body limit. For failure tests it injects {@link Fault faults} per
 * {@link Route} and counts every request per route.
 *
 * <p>Thread-safe. Close it to stop the server.
 */
public final class InfisicalFake implements AutoCloseable {
  private final Backend backend;
  private final InfisicalDispatcher dispatcher;
  private final MockWebServer server;

  private InfisicalFake(Builder b) {
    this.backend =
        new Backend(
            b.clock,
            b.ids,
            b.tokens,
            b.versionQueryIgnored,
            b.readLimit,
            b.readWindow,
            b.bodyLimit);
    b.seeds.forEach(seed -> seed.accept(backend));
    this.dispatcher = new InfisicalDispatcher(backend);
    this.server = new MockWebServer();
    server.setDispatcher(dispatcher);
    server.setServerSocketFactory(new io.olares.secrets.testing.NoDelayServerSockets());
    try {
      server.start(InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Infisical fake", e);
    }
  }

  /** A builder with no projects and no identities. */
  public static Builder builder() {
    return new Builder();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234} (no trailing slash). */
  public String url() {
    String u = server.url("/").toString();
    return u.substring(0, u.length() - 1);
  }

  /** Requests received on {@code route}, faulted ones included. */
  public int requests(Route route) {
    return dispatcher.count(route);
  }

  /** Requests received on all routes. */
  public int requests() {
    return dispatcher.total();
  }

  /** The last requests received (at most 10,000), oldest first. */
  public List<RecordedCall> recordedCalls() {
    return dispatcher.recorded();
  }

  /** Sets every request counter back to zero. */
  public void resetCounts() {
    dispatcher.resetCounts();
  }

  /** Applies {@code fault} to the next request on {@code route}. */
  public void inject(Route route, Fault fault) {
    inject(route, fault, 1);
  }

  /** Applies {@code fault} to the next {@code times} requests on {@code route}. */
  public void inject(Route route, Fault fault, int times) {
    dispatcher.inject(Objects.requireNonNull(route), Objects.requireNonNull(fault), times);
  }

  /** Faults still waiting on {@code route}. */
  public int pendingFaults(Route route) {
    return dispatcher.pendingFaults(route);
  }

  /** Drops every pending fault. */
  public void clearFaults() {
    dispatcher.clearFaults();
  }

  /** Revokes every issued token, as an administrator would. */
  public void revokeAllTokens() {
    backend.revokeAllTokens();
  }

  /** Makes every issued token expired on the server side only. */
  public void expireAllTokens() {
    backend.expireAllTokens();
  }

  /** Tokens that would be accepted now. */
  public int liveTokens() {
    return backend.liveTokens();
  }

  /** Stores a secret directly (a new version where it exists), creating folders as needed. */
  public void putSecret(String projectId, String env, String path, String name, String value) {
    backend.putSecret(projectId, env, path, name, value, null, Instant.now());
  }

  /** The latest stored value of a secret. */
  public Optional<String> secretValue(String projectId, String env, String path, String name) {
    return backend.secretValue(projectId, env, path, name);
  }

  /** The stored version numbers of a secret, oldest first; empty where it does not exist. */
  public List<Integer> secretVersions(String projectId, String env, String path, String name) {
    return backend.secretVersions(projectId, env, path, name);
  }

  /** Creates a folder path directly. */
  public void createFolders(String projectId, String env, String path) {
    backend.mkdirs(projectId, env, path);
  }

  /** Stops the server. */
  @Override
  public void close() {
    server.close();
  }

  /** Configures a fake; {@link #start()} launches it. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Supplier<String> ids = () -> UUID.randomUUID().toString();
    private Supplier<String> tokens = new RandomTokens();
    private boolean versionQueryIgnored;
    private int readLimit;
    private Duration readWindow = Duration.ofMinutes(1);
    private long bodyLimit = 1024 * 1024;
    private final List<java.util.function.Consumer<Backend>> seeds = new java.util.ArrayList<>();

    private Builder() {}

    /** The clock token lifetimes, timestamps and rate-limit windows follow. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where ids of new secrets, folders and identities come from (default: random UUIDs). */
    public Builder ids(Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /** Where access-token values come from (default: random). */
    public Builder tokens(Supplier<String> tokens) {
      this.tokens = Objects.requireNonNull(tokens, "tokens");
      return this;
    }

    /**
     * Reproduces the captured server version, which answers a {@code version} query with the latest
     * version instead of the one asked for. Off by default: the fake then serves the requested
     * version, as Infisical documents.
     */
    public Builder versionQueryIgnored(boolean ignored) {
      this.versionQueryIgnored = ignored;
      return this;
    }

    /**
     * Limits secret reads (get and list) to {@code reads} per {@code window} per machine identity;
     * a read past the limit gets the real server's answer, HTTP 500 with {@code Retry-After}. Zero
     * (the default) means no limit.
     */
    public Builder readRateLimit(int reads, Duration window) {
      if (reads < 0 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("rate limit needs reads >= 0 and a positive window");
      }
      this.readLimit = reads;
      this.readWindow = window;
      return this;
    }

    /** The largest request body accepted (default 1 MiB, the server framework's default). */
    public Builder bodyLimit(long bytes) {
      this.bodyLimit = bytes;
      return this;
    }

    /** Adds a project with the given id and slug. */
    public Builder project(String id, String slug) {
      seeds.add(b -> b.addProject(id, slug));
      return this;
    }

    /** Adds environments (each with a root folder) to a project. */
    public Builder environments(String projectId, String... slugs) {
      for (String slug : slugs) {
        seeds.add(b -> b.addEnvironment(projectId, slug, null, null));
      }
      return this;
    }

    /** Adds an environment with fixed ids for the environment and its root folder. */
    public Builder environment(String projectId, String slug, String envId, String rootFolderId) {
      seeds.add(b -> b.addEnvironment(projectId, slug, envId, rootFolderId));
      return this;
    }

    /** Adds a secret that exists before the first request, with a fixed id and time. */
    public Builder secret(
        String projectId,
        String env,
        String path,
        String name,
        String value,
        String id,
        Instant createdAt) {
      seeds.add(b -> b.putSecret(projectId, env, path, name, value, id, createdAt));
      return this;
    }

    /** A universal-auth identity with the captured server's TTLs (1 day, max 30 days). */
    public Builder universalAuth(String clientId, String clientSecret) {
      return universalAuth(clientId, clientSecret, Duration.ofDays(1), Duration.ofDays(30));
    }

    /** A universal-auth identity; a zero max TTL means none. */
    public Builder universalAuth(
        String clientId, String clientSecret, Duration ttl, Duration maxTtl) {
      seeds.add(b -> b.addUniversal(clientId, clientSecret, ttl, maxTtl));
      return this;
    }

    /** A Kubernetes-auth identity that accepts one service-account token. */
    public Builder kubernetesAuth(String identityId, String jwt, Duration ttl, Duration maxTtl) {
      seeds.add(b -> b.addKubernetes(identityId, jwt, ttl, maxTtl));
      return this;
    }

    /** Starts the fake on a free loopback port. */
    public InfisicalFake start() {
      return new InfisicalFake(this);
    }
  }

  private static final class RandomTokens implements Supplier<String> {
    private final SecureRandom random = new SecureRandom();

    @Override
    public String get() {
      byte[] b = new byte[24];
      random.nextBytes(b);
      return "fake." + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
  }
}
