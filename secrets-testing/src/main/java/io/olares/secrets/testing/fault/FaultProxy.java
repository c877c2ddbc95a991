package io.olares.secrets.testing.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.ByteString;

/**
 * An HTTP proxy on 127.0.0.1 in front of one of the in-process fakes: it forwards every request to
 * the fake unchanged and relays the answer, except that the next requests of a path may be answered
 * with an injected fault instead. It counts every request it receives, per path prefix, so tests
 * can assert how many calls a client made.
 *
 * <p>Faults: the connection reset while the body is sent, no answer at all (a read timeout), the
 * real answer trickling out byte by byte, a status with {@code Retry-After}, a body that is not
 * JSON, and a 401.
 */
public final class FaultProxy implements AutoCloseable {
  /** What to answer instead of forwarding. */
  public record Fault(
      String kind,
      int status,
      Integer retryAfterSeconds,
      Duration bytePeriod,
      String body,
      Runnable meanwhile) {
    Fault(String kind, int status, Integer retryAfterSeconds, Duration bytePeriod) {
      this(kind, status, retryAfterSeconds, bytePeriod, null, null);
    }

    Fault(String kind, int status, Integer retryAfterSeconds, Duration bytePeriod, String body) {
      this(kind, status, retryAfterSeconds, bytePeriod, body, null);
    }

    /** A 401 answered after {@code meanwhile} ran (say, the token was rotated meanwhile). */
    public static Fault unauthorizedAfter(Runnable meanwhile) {
      return new Fault("HTTP 401", 401, null, null, null, meanwhile);
    }

    /** A status and a body of the test's choosing (for example one quoting a secret). */
    public static Fault answer(int status, String body) {
      return new Fault("answer", status, null, null, body);
    }

    public static Fault reset() {
      return new Fault("reset", 200, null, null);
    }

    public static Fault noAnswer() {
      return new Fault("no answer", 200, null, null);
    }

    public static Fault slowBody(Duration perByte) {
      return new Fault("slow body", 200, null, perByte);
    }

    public static Fault status(int status, Integer retryAfterSeconds) {
      return new Fault("HTTP " + status, status, retryAfterSeconds, null);
    }

    public static Fault malformedJson() {
      return new Fault("malformed JSON", 200, null, null);
    }

    public static Fault unauthorized() {
      return new Fault("HTTP 401", 401, null, null);
    }
  }

  private final HttpUrl upstream;
  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient forwarder =
      new OkHttpClient.Builder()
          .retryOnConnectionFailure(false)
          .followRedirects(false)
          .readTimeout(Duration.ofSeconds(30))
          .build();
  private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  public FaultProxy(HttpUrl upstream) {
    this.upstream = upstream;
    server.setServerSocketFactory(new io.olares.secrets.testing.NoDelayServerSockets());
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return handle(request);
          }
        });
    try {
      server.start(InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The proxy's URL for {@code path} of the fake. */
  public HttpUrl url(String path) {
    return server.url(path);
  }

  /** Answers the next {@code times} requests whose path starts with {@code prefix} with a fault. */
  public FaultProxy inject(String prefix, Fault fault, int times) {
    Deque<Fault> q = faults.computeIfAbsent(prefix, p -> new ArrayDeque<>());
    synchronized (q) {
      for (int i = 0; i < times; i++) {
        q.add(fault);
      }
    }
    return this;
  }

  /** Requests received whose path starts with {@code prefix}. */
  public int calls(String prefix) {
    int n = 0;
    for (Map.Entry<String, AtomicInteger> e : counts.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        n += e.getValue().get();
      }
    }
    return n;
  }

  /** Every request received. */
  public int calls() {
    return total.get();
  }

  public void resetCounts() {
    counts.clear();
    total.set(0);
  }

  private MockResponse handle(RecordedRequest request) {
    String path = request.getUrl().encodedPath();
    total.incrementAndGet();
    counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    Fault fault = nextFault(path);
    if (fault == null) {
      return forward(request).build();
    }
    if (fault.kind().equals("slow body")) {
      // the real answer, trickling out one byte per period
      return forward(request)
          .throttleBody(1, fault.bytePeriod().toNanos(), TimeUnit.NANOSECONDS)
          .build();
    }
    return faulty(fault);
  }

  private Fault nextFault(String path) {
    for (Map.Entry<String, Deque<Fault>> e : faults.entrySet()) {
      if (path.startsWith(e.getKey())) {
        Deque<Fault> q = e.getValue();
        synchronized (q) {
          if (!q.isEmpty()) {
            return q.poll();
          }
        }
      }
    }
    return null;
  }

  private static MockResponse faulty(Fault fault) {
    if (fault.meanwhile() != null) {
      fault.meanwhile().run();
    }
    String json = "{\"code\":0,\"message\":\"success\",\"data\":{\"name\":\"X\",\"value\":\"v\"}}";
    MockResponse.Builder b =
        new MockResponse.Builder()
            .code(fault.status())
            .addHeader("Content-Type", "application/json");
    switch (fault.kind()) {
      case "reset":
        return b.body(json)
            .onResponseBody(new SocketEffect.CloseSocket(true, false, false))
            .build();
      case "no answer":
        return b.body(json).onResponseStart(SocketEffect.Stall.INSTANCE).build();
      case "malformed JSON":
        return b.body("{\"code\":0,\"data\":{\"name\":").build();
      case "answer":
        return b.body(fault.body()).build();
      default:
        if (fault.retryAfterSeconds() != null) {
          b.addHeader("Retry-After", fault.retryAfterSeconds());
        }
        return b.body("{\"code\":" + fault.status() + ",\"message\":\"injected\"}").build();
    }
  }

  private MockResponse.Builder forward(RecordedRequest request) {
    HttpUrl target =
        upstream
            .newBuilder()
            .encodedPath(request.getUrl().encodedPath())
            .encodedQuery(request.getUrl().encodedQuery())
            .build();
    Headers.Builder headers = new Headers.Builder();
    for (String name : request.getHeaders().names()) {
      if (!name.equalsIgnoreCase("Host")
          && !name.equalsIgnoreCase("Content-Length")
          && !name.equalsIgnoreCase("Connection")
          && !name.equalsIgnoreCase("Accept-Encoding")) {
        for (String value : request.getHeaders().values(name)) {
          headers.add(name, value);
        }
      }
    }
    ByteString body = request.getBody();
    String contentType = request.getHeaders().get("Content-Type");
    RequestBody requestBody =
        request.getMethod().equals("GET") || request.getMethod().equals("HEAD")
            ? null
            : RequestBody.create(
                body == null ? ByteString.EMPTY : body,
                contentType == null ? null : MediaType.parse(contentType));
    Request out =
        new Request.Builder()
            .url(target)
            .headers(headers.build())
            .method(request.getMethod(), requestBody)
            .build();
    try (Response response = forwarder.newCall(out).execute()) {
      MockResponse.Builder b = new MockResponse.Builder().code(response.code());
      for (String name : response.headers().names()) {
        if (!name.equalsIgnoreCase("Content-Length")
            && !name.equalsIgnoreCase("Transfer-Encoding")
            && !name.equalsIgnoreCase("Connection")) {
          for (String value : response.headers(name)) {
            b.addHeader(name, value);
          }
        }
      }
      return b.body(new Buffer().write(response.body().bytes()));
    } catch (IOException e) {
      return new MockResponse.Builder().code(502).body("proxy: " + e);
    }
  }

  @Override
  public void close() {
    server.close();
    forwarder.dispatcher().executorService().shutdown();
    forwarder.connectionPool().evictAll();
  }
}
