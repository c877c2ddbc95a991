package io.olares.secrets.k8s.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okio.BufferedSink;

/**
 * An in-process kube-apiserver for Secrets, on 127.0.0.1, speaking the shapes captured from a real
 * kube-apiserver 1.36 ({@code testdata/kubernetes/captures.json}): Secret create, get, replace,
 * merge patch, delete, list (label and field selectors, {@code limit}/{@code continue}) and watch
 * (newline-delimited JSON events, replay from a resourceVersion, 410 Expired for compacted ones),
 * plus namespace creation. It is stateful: every change takes the next resourceVersion; a stale
 * resourceVersion is a 409 Conflict; immutable Secrets refuse data changes; names, keys and the 1
 * MiB total are validated with 422 answers carrying causes; bearer tokens map to users (401 for an
 * unknown one) and a namespace can be forbidden for a user (403 with the server's wording).
 *
 * <p>Known differences from a real server: no managedFields, no JSON patch or server-side apply
 * (415), and a {@code continue} page reads the current state rather than the first page's snapshot.
 */
public final class FakeKubeApiServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final int MAX_SECRET_BYTES = 1024 * 1024;
  private static final Object END = new Object();
  private static final Object DROP = new Object();

  private final MockWebServer server = new MockWebServer();
  private final Object lock = new Object();
  private final Clock clock;
  private long revision;
  private long compactedBelow;
  private final Map<String, ObjectNode> namespaces = new TreeMap<>();
  private final Map<String, Map<String, StoredSecret>> secrets = new HashMap<>();
  private final List<Event> history = new ArrayList<>();
  private final Map<String, String> tokens = new HashMap<>();
  private final Set<String> forbidden = new HashSet<>();
  private final List<WatchStream> watches = new CopyOnWriteArrayList<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger conflicts = new AtomicInteger();
  private final List<Runnable> afterNextGet = new ArrayList<>();
  private final List<int[]> injectedFailures = new ArrayList<>();
  private volatile boolean watchesPaused;
  private volatile boolean futureFields;
  private volatile boolean closed;

  private FakeKubeApiServer(long initialRevision, long compactedBelow, Clock clock) {
    this.revision = initialRevision;
    this.compactedBelow = compactedBelow;
    this.clock = clock;
  }

  /** Starts a server whose first change gets resourceVersion {@code initialRevision + 1}. */
  public static FakeKubeApiServer start(long initialRevision, long compactedBelow) {
    FakeKubeApiServer fake =
        new FakeKubeApiServer(initialRevision, compactedBelow, Clock.systemUTC());
    fake.server.setServerSocketFactory(new io.olares.secrets.testing.NoDelayServerSockets());
    fake.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return fake.handle(request);
          }
        });
    try {
      fake.server.start(InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fake API server", e);
    }
    return fake;
  }

  /** Starts a server at resourceVersion 100. */
  public static FakeKubeApiServer start() {
    return start(100, 1);
  }

  /** The base path for an {@code ApiClient}: {@code http://127.0.0.1:<port>}. */
  public String basePath() {
    String url = server.url("/").toString();
    return url.substring(0, url.length() - 1);
  }

  // ------------------------------------------------------------------ test controls

  /** Requires bearer tokens: {@code token} authenticates as {@code user}. */
  public FakeKubeApiServer acceptToken(String token, String user) {
    synchronized (lock) {
      tokens.put(token, user);
    }
    return this;
  }

  /**
   * Makes every Secret this server sends carry fields a newer API server might add (at the top
   * level and in metadata), which the client must skip.
   */
  public FakeKubeApiServer sendFutureFields(boolean on) {
    futureFields = on;
    return this;
  }

  /** Stops accepting {@code token} (a rotated-out service-account token). */
  public FakeKubeApiServer revokeToken(String token) {
    synchronized (lock) {
      tokens.remove(token);
    }
    return this;
  }

  /** Forbids every user every verb on Secrets in {@code namespace}. */
  public FakeKubeApiServer forbid(String namespace) {
    return forbid("*", namespace);
  }

  /** Forbids {@code user} every verb on Secrets in {@code namespace}. */
  public FakeKubeApiServer forbid(String user, String namespace) {
    synchronized (lock) {
      forbidden.add(user + "|" + namespace);
    }
    return this;
  }

  /** Creates a namespace directly. */
  public FakeKubeApiServer createNamespace(String name) {
    synchronized (lock) {
      if (!namespaces.containsKey(name)) {
        namespaces.put(name, namespaceObject(name, ++revision));
      }
    }
    return this;
  }

  /** Sets a Secret's keys as another writer would (created where absent), bumping its version. */
  public void putKeys(String namespace, String name, Map<String, byte[]> values) {
    synchronized (lock) {
      StoredSecret old = secrets.getOrDefault(namespace, Map.of()).get(name);
      StoredSecret now = old == null ? StoredSecret.fresh(namespace, name, now()) : old.copy();
      now.data.putAll(values);
      commit(old == null ? "ADDED" : "MODIFIED", now);
    }
  }

  /** Creates an immutable Secret directly. */
  public void putImmutable(String namespace, String name, Map<String, byte[]> values) {
    synchronized (lock) {
      StoredSecret s = StoredSecret.fresh(namespace, name, now());
      s.data.putAll(values);
      s.immutable = Boolean.TRUE;
      commit("ADDED", s);
    }
  }

  /** Deletes a Secret directly. */
  public void deleteDirectly(String namespace, String name) {
    synchronized (lock) {
      StoredSecret old = secrets.getOrDefault(namespace, Map.of()).get(name);
      if (old != null) {
        remove(old);
      }
    }
  }

  /** A copy of a Secret's data; null where the Secret does not exist. */
  public Map<String, byte[]> data(String namespace, String name) {
    synchronized (lock) {
      StoredSecret s = secrets.getOrDefault(namespace, Map.of()).get(name);
      if (s == null) {
        return null;
      }
      Map<String, byte[]> copy = new TreeMap<>();
      s.data.forEach((k, v) -> copy.put(k, v.clone()));
      return copy;
    }
  }

  /** A Secret's labels; null where it does not exist. */
  public Map<String, String> labels(String namespace, String name) {
    synchronized (lock) {
      StoredSecret s = secrets.getOrDefault(namespace, Map.of()).get(name);
      return s == null ? null : Map.copyOf(s.labels);
    }
  }

  /** A Secret's resourceVersion; null where it does not exist. */
  public String resourceVersion(String namespace, String name) {
    synchronized (lock) {
      StoredSecret s = secrets.getOrDefault(namespace, Map.of()).get(name);
      return s == null ? null : Long.toString(s.resourceVersion);
    }
  }

  /**
   * Runs {@code action} right after the next single-Secret GET has been answered (before the client
   * sees the answer); several actions run one per GET, in order.
   */
  public void afterNextGet(Runnable action) {
    synchronized (lock) {
      afterNextGet.add(action);
    }
  }

  /** The next {@code count} requests get {@code status} (e.g. 503) without being processed. */
  public void failNext(int count, int status) {
    synchronized (lock) {
      injectedFailures.add(new int[] {count, status});
    }
  }

  /** How many 409 Conflict answers were given for stale resourceVersions. */
  public int conflicts() {
    return conflicts.get();
  }

  /** Every request so far, as {@code METHOD path?query}. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** How many requests so far start with {@code prefix} ({@code "PATCH "}, {@code "GET /api"}). */
  public long requestCount(String prefix) {
    return requests().stream().filter(r -> r.startsWith(prefix)).count();
  }

  /** Watch requests served so far (including ones that ended). */
  public long watchRequests() {
    return requests().stream().filter(r -> r.startsWith("GET ") && isWatchLine(r)).count();
  }

  /** Watches currently streaming. */
  public int activeWatches() {
    return watches.size();
  }

  /** Live watches stop receiving events (they are lost to them, as on a stalled connection). */
  public void pauseWatches() {
    watchesPaused = true;
  }

  /**
   * Compacts history up to now and ends every live watch with an ERROR event {@code 410 Expired},
   * as the server does when a watcher fell behind compaction.
   */
  public void expireWatches() {
    synchronized (lock) {
      compactedBelow = revision + 1;
      history.clear();
      watchesPaused = false;
      for (WatchStream w : watches) {
        w.queue.add(expiredEvent(w.fromRevision));
        w.queue.add(END);
      }
    }
  }

  /**
   * Cuts every live watch connection without a proper end, as a network failure would; paused
   * delivery resumes for the watches that follow.
   */
  public void dropWatches() {
    for (WatchStream w : watches) {
      w.queue.add(DROP);
    }
    watchesPaused = false;
  }

  /** Every state a Secret's data went through, oldest first (since the last compaction). */
  public List<Map<String, byte[]>> dataHistory(String namespace, String name) {
    synchronized (lock) {
      List<Map<String, byte[]>> states = new ArrayList<>();
      for (Event e : history) {
        if (e.secret.namespace.equals(namespace)
            && e.secret.name.equals(name)
            && !e.type.equals("DELETED")) {
          states.add(Collections.unmodifiableMap(e.secret.data));
        }
      }
      return states;
    }
  }

  @Override
  public void close() {
    closed = true;
    for (WatchStream w : watches) {
      w.queue.add(END);
    }
    server.close();
  }

  // ------------------------------------------------------------------ dispatch

  private MockResponse handle(RecordedRequest request) {
    HttpUrl url = request.getUrl();
    String method = request.getMethod();
    String line =
        method
            + " "
            + url.encodedPath()
            + (url.encodedQuery() == null ? "" : "?" + url.encodedQuery());
    requests.add(line);
    try {
      MockResponse injected = injected();
      if (injected != null) {
        return injected;
      }
      String user = authenticate(request.getHeaders().get("Authorization"));
      if (user == null) {
        return status(401, "Unauthorized", "Unauthorized", null);
      }
      List<String> segments = url.pathSegments();
      if (segments.size() == 3
          && segments.get(0).equals("api")
          && segments.get(1).equals("v1")
          && segments.get(2).equals("namespaces")
          && method.equals("POST")) {
        return createNamespace(body(request));
      }
      if (segments.size() < 5
          || !segments.get(0).equals("api")
          || !segments.get(1).equals("v1")
          || !segments.get(2).equals("namespaces")
          || !segments.get(4).equals("secrets")
          || segments.size() > 6) {
        return notFoundPath();
      }
      String namespace = segments.get(3);
      String name = segments.size() == 6 ? segments.get(5) : null;
      boolean watch = name == null && isTrue(url.queryParameter("watch"));
      String verb = verb(method, name, watch);
      if (verb == null) {
        return status(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
            null);
      }
      if (isForbidden(user, namespace)) {
        return forbiddenAnswer(user, verb, namespace, name);
      }
      switch (verb) {
        case "get":
          return get(namespace, name);
        case "list":
          return list(namespace, url);
        case "watch":
          return watch(namespace, url);
        case "create":
          return create(namespace, body(request));
        case "update":
          return replace(namespace, name, body(request));
        case "patch":
          return patch(namespace, name, request.getHeaders().get("Content-Type"), body(request));
        case "delete":
          return delete(namespace, name, body(request));
        default:
          return notFoundPath();
      }
    } catch (BadRequest e) {
      return status(400, "BadRequest", e.getMessage(), null);
    }
  }

  private static boolean isWatchLine(String line) {
    return line.contains("watch=1") || line.contains("watch=true");
  }

  private MockResponse injected() {
    synchronized (lock) {
      Iterator<int[]> it = injectedFailures.iterator();
      if (it.hasNext()) {
        int[] f = it.next();
        if (--f[0] <= 0) {
          it.remove();
        }
        return new MockResponse.Builder()
            .code(f[1])
            .setHeader("Content-Type", "application/json")
            .setHeader("Retry-After", "0")
            .body(
                statusJson(
                    f[1],
                    f[1] == 429 ? "TooManyRequests" : "ServiceUnavailable",
                    "injected failure",
                    null))
            .build();
      }
      return null;
    }
  }

  private String authenticate(String authorization) {
    synchronized (lock) {
      if (tokens.isEmpty()) {
        return "tester";
      }
      if (authorization == null || !authorization.startsWith("Bearer ")) {
        return null;
      }
      return tokens.get(authorization.substring(7).trim());
    }
  }

  private boolean isForbidden(String user, String namespace) {
    synchronized (lock) {
      return forbidden.contains("*|" + namespace) || forbidden.contains(user + "|" + namespace);
    }
  }

  private static String verb(String method, String name, boolean watch) {
    switch (method) {
      case "GET":
        return name != null ? "get" : watch ? "watch" : "list";
      case "POST":
        return name == null ? "create" : null;
      case "PUT":
        return name != null ? "update" : null;
      case "PATCH":
        return name != null ? "patch" : null;
      case "DELETE":
        return name != null ? "delete" : null;
      default:
        return null;
    }
  }

  // ------------------------------------------------------------------ verbs

  private MockResponse createNamespace(JsonNode body) {
    String name = body.path("metadata").path("name").asText("");
    synchronized (lock) {
      if (namespaces.containsKey(name)) {
        return status(
            409,
            "AlreadyExists",
            "namespaces \"" + name + "\" already exists",
            details(name, "namespaces"));
      }
      ObjectNode ns = namespaceObject(name, ++revision);
      namespaces.put(name, ns);
      return json(201, ns);
    }
  }

  private MockResponse get(String namespace, String name) {
    MockResponse answer;
    Runnable hook;
    synchronized (lock) {
      StoredSecret s = secrets.getOrDefault(namespace, Map.of()).get(name);
      answer = s == null ? notFound(name) : json(200, render(s, true));
      hook = afterNextGet.isEmpty() ? null : afterNextGet.remove(0);
    }
    if (hook != null) {
      hook.run();
    }
    return answer;
  }

  private MockResponse list(String namespace, HttpUrl url) {
    Predicate<StoredSecret> filter = filter(url);
    String limitText = url.queryParameter("limit");
    int limit = limitText == null ? 0 : Integer.parseInt(limitText);
    String token = url.queryParameter("continue");
    synchronized (lock) {
      long listRevision = revision;
      String start = null;
      if (token != null && !token.isEmpty()) {
        JsonNode t = decodeContinue(token);
        listRevision = t.path("rv").asLong();
        start = t.path("start").asText();
        if (listRevision < compactedBelow) {
          return status(
              410,
              "Expired",
              "The provided continue parameter is too old to display a"
                  + " consistent list result. You can start a new list without the continue"
                  + " parameter, or use the continue token in this response to retrieve the"
                  + " remainder of the results. Continuing with the provided token results in an"
                  + " inconsistent list - objects that were created, modified, or deleted between"
                  + " the time the first chunk was returned and now may show up in the list.",
              null);
        }
      }
      List<StoredSecret> matching = new ArrayList<>();
      for (StoredSecret s : new TreeMap<>(secrets.getOrDefault(namespace, Map.of())).values()) {
        if ((start == null || s.name.compareTo(start) >= 0) && filter.test(s)) {
          matching.add(s);
        }
      }
      ObjectNode list = JSON.createObjectNode();
      list.put("kind", "SecretList").put("apiVersion", "v1");
      ObjectNode meta = list.putObject("metadata");
      meta.put("resourceVersion", Long.toString(listRevision));
      List<StoredSecret> page =
          limit > 0 && matching.size() > limit ? matching.subList(0, limit) : matching;
      if (page.size() < matching.size()) {
        ObjectNode next = JSON.createObjectNode();
        next.put("rv", listRevision).put("start", matching.get(limit).name);
        meta.put("continue", Base64.getUrlEncoder().encodeToString(bytes(next)));
        meta.put("remainingItemCount", matching.size() - page.size());
      }
      ArrayNode items = list.putArray("items");
      for (StoredSecret s : page) {
        items.add(render(s, false));
      }
      return json(200, list);
    }
  }

  private MockResponse watch(String namespace, HttpUrl url) {
    Predicate<StoredSecret> filter = filter(url);
    String rvText = url.queryParameter("resourceVersion");
    String timeoutText = url.queryParameter("timeoutSeconds");
    long timeoutNanos =
        timeoutText == null
            ? TimeUnit.HOURS.toNanos(1)
            : TimeUnit.SECONDS.toNanos(Long.parseLong(timeoutText));
    WatchStream stream;
    synchronized (lock) {
      long from;
      stream = new WatchStream(namespace, filter, System.nanoTime() + timeoutNanos);
      if (rvText == null || rvText.isEmpty() || rvText.equals("0")) {
        from = revision;
        for (StoredSecret s : new TreeMap<>(secrets.getOrDefault(namespace, Map.of())).values()) {
          if (filter.test(s)) {
            stream.queue.add(eventLine("ADDED", s));
          }
        }
      } else {
        from = Long.parseLong(rvText);
        if (from + 1 < compactedBelow) {
          stream.fromRevision = from;
          stream.queue.add(expiredEvent(from));
          stream.queue.add(END);
          return streaming(stream);
        }
        for (Event e : history) {
          if (e.revision > from && e.secret.namespace.equals(namespace) && filter.test(e.secret)) {
            stream.queue.add(eventLine(e.type, e.secret));
          }
        }
      }
      stream.fromRevision = from;
      watches.add(stream);
    }
    return streaming(stream);
  }

  private MockResponse create(String namespace, JsonNode body) {
    synchronized (lock) {
      if (!namespaces.containsKey(namespace)) {
        return status(
            404,
            "NotFound",
            "namespaces \"" + namespace + "\" not found",
            details(namespace, "namespaces"));
      }
      String bodyNamespace = body.path("metadata").path("namespace").asText("");
      if (!bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
        return status(
            400,
            "BadRequest",
            "the namespace of the provided object does not match"
                + " the namespace sent on the request",
            null);
      }
      StoredSecret s = StoredSecret.fromJson(namespace, body, now());
      MockResponse invalid = validate(s, null);
      if (invalid != null) {
        return invalid;
      }
      if (secrets.getOrDefault(namespace, Map.of()).containsKey(s.name)) {
        return status(
            409,
            "AlreadyExists",
            "secrets \"" + s.name + "\" already exists",
            details(s.name, "secrets"));
      }
      commit("ADDED", s);
      return json(201, render(s, true));
    }
  }

  private MockResponse replace(String namespace, String name, JsonNode body) {
    synchronized (lock) {
      StoredSecret old = secrets.getOrDefault(namespace, Map.of()).get(name);
      if (old == null) {
        return notFound(name);
      }
      String rv = body.path("metadata").path("resourceVersion").asText("");
      if (rv.isEmpty()) {
        return invalid(
            name,
            List.of(
                cause(
                    "FieldValueInvalid",
                    "metadata.resourceVersion",
                    "Invalid value: 0x0: must be specified for an update")));
      }
      if (!rv.equals(Long.toString(old.resourceVersion))) {
        return conflict(name);
      }
      StoredSecret now = StoredSecret.fromJson(namespace, body, old.creationTimestamp);
      now.uid = old.uid;
      return update(old, now);
    }
  }

  private MockResponse patch(String namespace, String name, String contentType, JsonNode patch) {
    String type = contentType == null ? "" : contentType.split(";")[0].trim();
    if (!type.equals("application/merge-patch+json")
        && !type.equals("application/strategic-merge-patch+json")) {
      return status(
          415,
          "UnsupportedMediaType",
          "the body of the request was in an unknown"
              + " format - accepted media types include: application/merge-patch+json,"
              + " application/strategic-merge-patch+json",
          null);
    }
    synchronized (lock) {
      StoredSecret old = secrets.getOrDefault(namespace, Map.of()).get(name);
      if (old == null) {
        return notFound(name);
      }
      String rv = patch.path("metadata").path("resourceVersion").asText("");
      if (!rv.isEmpty() && !rv.equals(Long.toString(old.resourceVersion))) {
        return conflict(name);
      }
      JsonNode merged = mergePatch(old.toJson(true), patch);
      StoredSecret now = StoredSecret.fromJson(namespace, merged, old.creationTimestamp);
      now.uid = old.uid;
      return update(old, now);
    }
  }

  private MockResponse update(StoredSecret old, StoredSecret now) {
    if (!now.name.equals(old.name)) {
      return status(
          400,
          "BadRequest",
          "the name of the object ("
              + now.name
              + ") does not match"
              + " the name on the URL ("
              + old.name
              + ")",
          null);
    }
    MockResponse invalid = validate(now, old);
    if (invalid != null) {
      return invalid;
    }
    if (now.sameContent(old)) {
      return json(200, render(old, true));
    }
    commit("MODIFIED", now);
    return json(200, render(now, true));
  }

  private MockResponse delete(String namespace, String name, JsonNode body) {
    synchronized (lock) {
      StoredSecret old = secrets.getOrDefault(namespace, Map.of()).get(name);
      if (old == null) {
        return notFound(name);
      }
      JsonNode pre = body.path("preconditions");
      String rv = pre.path("resourceVersion").asText("");
      if (!rv.isEmpty() && !rv.equals(Long.toString(old.resourceVersion))) {
        conflicts.incrementAndGet();
        return status(
            409,
            "Conflict",
            "Operation cannot be fulfilled on secrets \""
                + name
                + "\": Precondition failed: ResourceVersion in precondition: "
                + rv
                + ", ResourceVersion in object meta: "
                + old.resourceVersion,
            details(name, "secrets"));
      }
      remove(old);
      ObjectNode st = JSON.createObjectNode();
      st.put("kind", "Status").put("apiVersion", "v1");
      st.putObject("metadata");
      st.put("status", "Success");
      ObjectNode d = st.putObject("details");
      d.put("name", name).put("kind", "secrets").put("uid", old.uid);
      return json(200, st);
    }
  }

  // ------------------------------------------------------------------ state changes

  private void commit(String type, StoredSecret s) {
    s.resourceVersion = ++revision;
    secrets.computeIfAbsent(s.namespace, n -> new HashMap<>()).put(s.name, s);
    publish(type, s.copy());
  }

  private void remove(StoredSecret old) {
    secrets.get(old.namespace).remove(old.name);
    StoredSecret gone = old.copy();
    gone.resourceVersion = ++revision;
    publish("DELETED", gone);
  }

  private void publish(String type, StoredSecret snapshot) {
    history.add(new Event(snapshot.resourceVersion, type, snapshot));
    if (watchesPaused) {
      return;
    }
    for (WatchStream w : watches) {
      if (w.namespace.equals(snapshot.namespace) && w.filter.test(snapshot)) {
        w.queue.add(eventLine(type, snapshot));
      }
    }
  }

  // ------------------------------------------------------------------ validation

  private MockResponse validate(StoredSecret s, StoredSecret old) {
    List<ObjectNode> causes = new ArrayList<>();
    if (s.name.isEmpty()) {
      causes.add(
          cause(
              "FieldValueRequired",
              "metadata.name",
              "Required value: name or generateName is required"));
    } else if (s.name.length() > 253 || !SUBDOMAIN.matcher(s.name).matches()) {
      causes.add(
          cause(
              "FieldValueInvalid",
              "metadata.name",
              "Invalid value: \""
                  + s.name
                  + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
                  + " characters, '-' or '.', and must start and end with an alphanumeric character"
                  + " (e.g. 'example.com', regex used for validation is"
                  + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
    }
    if (old != null && Boolean.TRUE.equals(old.immutable)) {
      if (!s.sameData(old)) {
        causes.add(
            cause(
                "FieldValueForbidden",
                "data",
                "Forbidden: field is immutable when `immutable` is set"));
      }
      if (!Boolean.TRUE.equals(s.immutable)) {
        causes.add(
            cause(
                "FieldValueForbidden",
                "immutable",
                "Forbidden: field is immutable when `immutable` is set"));
      }
    }
    long total = 0;
    for (Map.Entry<String, byte[]> e : s.data.entrySet()) {
      String key = e.getKey();
      if (key.length() > 253) {
        causes.add(
            cause(
                "FieldValueInvalid",
                "data[" + key + "]",
                "Invalid value: \"" + key + "\": must be no more than 253 characters"));
      }
      if (!CONFIG_KEY.matcher(key).matches()) {
        causes.add(
            cause(
                "FieldValueInvalid",
                "data[" + key + "]",
                "Invalid value: \""
                    + key
                    + "\": a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
                    + " (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is"
                    + " '[-._a-zA-Z0-9]+')"));
      } else if (key.equals(".") || key.equals("..")) {
        causes.add(
            cause(
                "FieldValueInvalid",
                "data[" + key + "]",
                "Invalid value: \"" + key + "\": must not be '" + key + "'"));
      } else if (key.startsWith("..")) {
        causes.add(
            cause(
                "FieldValueInvalid",
                "data[" + key + "]",
                "Invalid value: \"" + key + "\": must not start with '..'"));
      }
      total += e.getValue().length;
    }
    if (total > MAX_SECRET_BYTES) {
      causes.add(
          cause(
              "FieldValueTooLong",
              "data",
              "Too long: may not be more than " + MAX_SECRET_BYTES + " bytes"));
    }
    return causes.isEmpty() ? null : invalid(s.name, causes);
  }

  private static ObjectNode cause(String reason, String field, String message) {
    ObjectNode c = JSON.createObjectNode();
    c.put("reason", reason).put("message", message).put("field", field);
    return c;
  }

  private MockResponse invalid(String name, List<ObjectNode> causes) {
    StringBuilder message = new StringBuilder("Secret \"").append(name).append("\" is invalid: ");
    if (causes.size() == 1) {
      message.append(describe(causes.get(0)));
    } else {
      message.append('[');
      for (int i = 0; i < causes.size(); i++) {
        message.append(i == 0 ? "" : ", ").append(describe(causes.get(i)));
      }
      message.append(']');
    }
    ObjectNode details = JSON.createObjectNode();
    details.put("name", name).put("kind", "Secret");
    ArrayNode list = details.putArray("causes");
    causes.forEach(list::add);
    return status(422, "Invalid", message.toString(), details);
  }

  private static String describe(ObjectNode cause) {
    return cause.get("field").asText() + ": " + cause.get("message").asText();
  }

  // ------------------------------------------------------------------ answers

  private MockResponse conflict(String name) {
    conflicts.incrementAndGet();
    return status(
        409,
        "Conflict",
        "Operation cannot be fulfilled on secrets \""
            + name
            + "\": the object has been modified; please apply your changes to the latest version"
            + " and try again",
        details(name, "secrets"));
  }

  private MockResponse notFound(String name) {
    return status(404, "NotFound", "secrets \"" + name + "\" not found", details(name, "secrets"));
  }

  private MockResponse notFoundPath() {
    return status(
        404,
        "NotFound",
        "the server could not find the requested resource",
        JSON.createObjectNode());
  }

  private MockResponse forbiddenAnswer(String user, String verb, String namespace, String name) {
    String what = name == null || verb.equals("create") ? "secrets" : "secrets \"" + name + "\"";
    ObjectNode details = JSON.createObjectNode();
    if (name != null && !verb.equals("create")) {
      details.put("name", name);
    }
    details.put("kind", "secrets");
    return status(
        403,
        "Forbidden",
        what
            + " is forbidden: User \""
            + user
            + "\" cannot "
            + verb
            + " resource \"secrets\" in API group \"\" in the namespace \""
            + namespace
            + "\"",
        details);
  }

  private static ObjectNode details(String name, String kind) {
    ObjectNode d = JSON.createObjectNode();
    d.put("name", name).put("kind", kind);
    return d;
  }

  private static MockResponse status(int code, String reason, String message, ObjectNode details) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(statusJson(code, reason, message, details))
        .build();
  }

  private static String statusJson(int code, String reason, String message, ObjectNode details) {
    ObjectNode st = statusNode(code, reason, message, details);
    return new String(bytes(st), StandardCharsets.UTF_8);
  }

  private static ObjectNode statusNode(int code, String reason, String message, ObjectNode d) {
    ObjectNode st = JSON.createObjectNode();
    st.put("kind", "Status").put("apiVersion", "v1");
    st.putObject("metadata");
    st.put("status", "Failure").put("message", message).put("reason", reason);
    if (d != null) {
      st.set("details", d);
    }
    st.put("code", code);
    return st;
  }

  private String expiredEvent(long from) {
    ObjectNode event = JSON.createObjectNode();
    event.put("type", "ERROR");
    event.set(
        "object",
        statusNode(
            410,
            "Expired",
            "too old resource version: " + from + " (" + (compactedBelow) + ")",
            null));
    return new String(bytes(event), StandardCharsets.UTF_8);
  }

  private static MockResponse json(int code, JsonNode body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(new String(bytes(body), StandardCharsets.UTF_8))
        .build();
  }

  private MockResponse streaming(WatchStream stream) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "application/json")
        .body(stream)
        .removeHeader("Content-Length")
        .setHeader("Transfer-Encoding", "chunked")
        // the body writes its own chunked framing; a closed connection keeps the next exchange
        // clean
        .setHeader("Connection", "close")
        .build();
  }

  private String eventLine(String type, StoredSecret s) {
    ObjectNode event = JSON.createObjectNode();
    event.put("type", type);
    event.set("object", render(s, true));
    return new String(bytes(event), StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ helpers

  private ObjectNode render(StoredSecret s, boolean withKind) {
    ObjectNode o = s.toJson(withKind);
    if (futureFields) {
      ((ObjectNode) o.get("metadata")).putObject("futureMetadata").put("since", "1.99");
      o.putArray("futureTopLevel").add(1).add("two");
    }
    return o;
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private ObjectNode namespaceObject(String name, long rv) {
    ObjectNode ns = JSON.createObjectNode();
    ns.put("kind", "Namespace").put("apiVersion", "v1");
    ObjectNode meta = ns.putObject("metadata");
    meta.put("name", name).put("uid", UUID.randomUUID().toString());
    meta.put("resourceVersion", Long.toString(rv)).put("creationTimestamp", now());
    meta.putObject("labels").put("kubernetes.io/metadata.name", name);
    ns.putObject("spec").putArray("finalizers").add("kubernetes");
    ns.putObject("status").put("phase", "Active");
    return ns;
  }

  private static Predicate<StoredSecret> filter(HttpUrl url) {
    Predicate<StoredSecret> p = s -> true;
    String labels = url.queryParameter("labelSelector");
    if (labels != null && !labels.isEmpty()) {
      for (String term : labels.split(",")) {
        p = p.and(labelTerm(term.trim()));
      }
    }
    String fields = url.queryParameter("fieldSelector");
    if (fields != null && !fields.isEmpty()) {
      for (String term : fields.split(",")) {
        String[] kv = term.split("==?", 2);
        if (kv[0].trim().equals("metadata.name")) {
          p = p.and(s -> s.name.equals(kv[1].trim()));
        }
      }
    }
    return p;
  }

  private static Predicate<StoredSecret> labelTerm(String term) {
    if (term.contains("!=")) {
      String[] kv = term.split("!=", 2);
      return s -> !kv[1].equals(s.labels.get(kv[0]));
    }
    if (term.contains("=")) {
      String[] kv = term.split("==?", 2);
      return s -> kv[1].equals(s.labels.get(kv[0]));
    }
    if (term.startsWith("!")) {
      return s -> !s.labels.containsKey(term.substring(1));
    }
    return s -> s.labels.containsKey(term);
  }

  private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JSON.createObjectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (f.getValue().isNull()) {
        result.remove(f.getKey());
      } else {
        result.set(f.getKey(), mergePatch(result.get(f.getKey()), f.getValue()));
      }
    }
    return result;
  }

  private static JsonNode body(RecordedRequest request) {
    if (request.getBody() == null || request.getBody().size() == 0) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(request.getBody().utf8());
    } catch (JsonProcessingException e) {
      throw new BadRequest("the request body is not JSON");
    }
  }

  private static JsonNode decodeContinue(String token) {
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(token));
    } catch (IOException | IllegalArgumentException e) {
      throw new BadRequest("continue key is not valid: " + e.getClass().getSimpleName());
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean isTrue(String flag) {
    return "1".equals(flag) || "true".equalsIgnoreCase(flag);
  }

  // ------------------------------------------------------------------ types

  private static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  private record Event(long revision, String type, StoredSecret secret) {}

  /** A Secret as etcd would hold it. */
  static final class StoredSecret {
    final String namespace;
    final String name;
    String uid;
    long resourceVersion;
    final String creationTimestamp;
    final Map<String, String> labels = new TreeMap<>();
    final Map<String, String> annotations = new TreeMap<>();
    final Map<String, byte[]> data = new TreeMap<>();
    String type = "Opaque";
    Boolean immutable;

    private StoredSecret(String namespace, String name, String creationTimestamp) {
      this.namespace = namespace;
      this.name = name;
      this.creationTimestamp = creationTimestamp;
      this.uid = UUID.randomUUID().toString();
    }

    static StoredSecret fresh(String namespace, String name, String created) {
      return new StoredSecret(namespace, name, created);
    }

    static StoredSecret fromJson(String namespace, JsonNode body, String created) {
      JsonNode meta = body.path("metadata");
      StoredSecret s = new StoredSecret(namespace, meta.path("name").asText(""), created);
      meta.path("labels")
          .fields()
          .forEachRemaining(e -> s.labels.put(e.getKey(), e.getValue().asText()));
      meta.path("annotations")
          .fields()
          .forEachRemaining(e -> s.annotations.put(e.getKey(), e.getValue().asText()));
      Iterator<Map.Entry<String, JsonNode>> data = body.path("data").fields();
      while (data.hasNext()) {
        Map.Entry<String, JsonNode> e = data.next();
        s.data.put(e.getKey(), decode(e.getValue().asText()));
      }
      body.path("stringData")
          .fields()
          .forEachRemaining(
              e -> s.data.put(e.getKey(), e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
      if (body.hasNonNull("type")) {
        s.type = body.get("type").asText();
      }
      if (body.hasNonNull("immutable")) {
        s.immutable = body.get("immutable").asBoolean();
      }
      return s;
    }

    private static byte[] decode(String b64) {
      for (int i = 0; i < b64.length(); i++) {
        char c = b64.charAt(i);
        boolean ok =
            (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '+'
                || c == '/'
                || c == '=';
        if (!ok) {
          throw new BadRequest(
              "Secret in version \"v1\" cannot be handled as a Secret: illegal"
                  + " base64 data at input byte "
                  + i);
        }
      }
      try {
        return Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        throw new BadRequest(
            "Secret in version \"v1\" cannot be handled as a Secret: illegal"
                + " base64 data at input byte "
                + Math.max(0, b64.length() - 1));
      }
    }

    StoredSecret copy() {
      StoredSecret c = new StoredSecret(namespace, name, creationTimestamp);
      c.uid = uid;
      c.resourceVersion = resourceVersion;
      c.labels.putAll(labels);
      c.annotations.putAll(annotations);
      data.forEach((k, v) -> c.data.put(k, v.clone()));
      c.type = type;
      c.immutable = immutable;
      return c;
    }

    boolean sameData(StoredSecret o) {
      if (!data.keySet().equals(o.data.keySet())) {
        return false;
      }
      for (Map.Entry<String, byte[]> e : data.entrySet()) {
        if (!java.util.Arrays.equals(e.getValue(), o.data.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }

    boolean sameContent(StoredSecret o) {
      return sameData(o)
          && labels.equals(o.labels)
          && annotations.equals(o.annotations)
          && type.equals(o.type)
          && java.util.Objects.equals(immutable, o.immutable);
    }

    ObjectNode toJson(boolean withKind) {
      ObjectNode o = JSON.createObjectNode();
      if (withKind) {
        o.put("kind", "Secret").put("apiVersion", "v1");
      }
      ObjectNode meta = o.putObject("metadata");
      meta.put("name", name).put("namespace", namespace).put("uid", uid);
      meta.put("resourceVersion", Long.toString(resourceVersion));
      meta.put("creationTimestamp", creationTimestamp);
      if (!labels.isEmpty()) {
        ObjectNode l = meta.putObject("labels");
        labels.forEach(l::put);
      }
      if (!annotations.isEmpty()) {
        ObjectNode a = meta.putObject("annotations");
        annotations.forEach(a::put);
      }

      if (immutable != null) {
        o.put("immutable", immutable);
      }
      if (!data.isEmpty()) {
        ObjectNode d = o.putObject("data");
        data.forEach((k, v) -> d.put(k, Base64.getEncoder().encodeToString(v)));
      }
      o.put("type", type);
      return o;
    }
  }

  /** One streaming watch response: newline-delimited events, chunked. */
  private final class WatchStream implements MockResponseBody {
    final String namespace;
    final Predicate<StoredSecret> filter;
    final long deadline;
    final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    long fromRevision;

    WatchStream(String namespace, Predicate<StoredSecret> filter, long deadline) {
      this.namespace = namespace;
      this.filter = filter;
      this.deadline = deadline;
    }

    @Override
    public long getContentLength() {
      return -1;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
      try {
        while (!closed) {
          long wait = deadline - System.nanoTime();
          if (wait <= 0) {
            break;
          }
          Object item =
              queue.poll(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
          if (item == null) {
            continue;
          }
          if (item == END) {
            break;
          }
          if (item == DROP) {
            sink.close();
            throw new IOException("watch connection cut by the test");
          }
          byte[] line = (item + "\n").getBytes(StandardCharsets.UTF_8);
          sink.writeUtf8(Integer.toHexString(line.length)).writeUtf8("\r\n");
          sink.write(line).writeUtf8("\r\n").flush();
        }
        sink.writeUtf8("0\r\n\r\n").flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        watches.remove(this);
      }
    }
  }
}
