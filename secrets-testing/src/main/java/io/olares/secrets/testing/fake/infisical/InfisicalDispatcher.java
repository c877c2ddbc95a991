package io.olares.secrets.testing.fake.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;

/** Adapts the {@link Backend} to MockWebServer: counts requests per route and applies faults. */
final class InfisicalDispatcher extends Dispatcher {
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final int MAX_RECORDED = 10_000;

  private final Backend backend;
  private final Map<Route, AtomicInteger> counts = new EnumMap<>(Route.class);
  private final Map<Route, Deque<Fault>> faults = new EnumMap<>(Route.class);
  private final Deque<RecordedCall> recorded = new ArrayDeque<>();

  InfisicalDispatcher(Backend backend) {
    this.backend = backend;
    for (Route r : Route.values()) {
      counts.put(r, new AtomicInteger());
      faults.put(r, new ArrayDeque<>());
    }
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    HttpUrl url = request.getUrl();
    Route route = Backend.route(request.getMethod(), url.pathSegments());
    counts.get(route).incrementAndGet();
    byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
    Map<String, String> query = new LinkedHashMap<>();
    for (String name : url.queryParameterNames()) {
      query.put(name, url.queryParameter(name));
    }
    record(
        new RecordedCall(
            route,
            request.getMethod(),
            url.encodedPath().isEmpty() ? "/" : "/" + String.join("/", url.pathSegments()),
            query,
            request.getHeaders().get("Authorization"),
            new String(body, StandardCharsets.UTF_8),
            System.nanoTime()));
    Fault fault = nextFault(route);
    if (fault != null && fault.rejects()) {
      return toMock(rejection(fault), null);
    }
    Backend.Request r =
        new Backend.Request(
            request.getMethod(),
            route,
            request.getTarget(),
            List.copyOf(url.pathSegments()),
            query,
            request.getHeaders().get("Authorization"),
            body);
    Backend.Reply reply = backend.handle(r);
    if (fault != null && fault.kind() == Fault.Kind.REVOKE_ON_RENEW && reply.status() == 200) {
      backend.revoke(tokenIn(body));
    }
    return toMock(reply, fault);
  }

  private static String tokenIn(byte[] body) {
    try {
      JsonNode node = Backend.JSON.readTree(body);
      return node.path("accessToken").asText();
    } catch (IOException e) {
      return "";
    }
  }

  private Fault nextFault(Route route) {
    Deque<Fault> queue = faults.get(route);
    synchronized (queue) {
      return queue.pollFirst();
    }
  }

  void inject(Route route, Fault fault, int times) {
    Deque<Fault> queue = faults.get(route);
    synchronized (queue) {
      for (int i = 0; i < times; i++) {
        queue.addLast(fault);
      }
    }
  }

  void clearFaults() {
    for (Deque<Fault> queue : faults.values()) {
      synchronized (queue) {
        queue.clear();
      }
    }
  }

  int pendingFaults(Route route) {
    Deque<Fault> queue = faults.get(route);
    synchronized (queue) {
      return queue.size();
    }
  }

  private void record(RecordedCall call) {
    synchronized (recorded) {
      if (recorded.size() >= MAX_RECORDED) {
        recorded.removeFirst();
      }
      recorded.addLast(call);
    }
  }

  List<RecordedCall> recorded() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  int count(Route route) {
    return counts.get(route).get();
  }

  int total() {
    return counts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  void resetCounts() {
    counts.values().forEach(c -> c.set(0));
  }

  private static Backend.Reply rejection(Fault fault) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (fault.retryAfterSeconds() != null) {
      headers.put("retry-after", fault.retryAfterSeconds().toString());
    }
    int status = fault.statusCode();
    String body;
    if (status == 429) {
      body =
          "{\"statusCode\":429,\"error\":\"Too Many Requests\","
              + "\"message\":\"Rate limit exceeded, retry in 1 minute\"}";
    } else if (status == 500) {
      body = Backend.write(Backend.errorBody(500, "Something went wrong", "InternalServerError"));
    } else {
      body = Backend.write(Backend.errorBody(status, "Injected failure", "InjectedFault"));
    }
    return new Backend.Reply(status, headers, body);
  }

  private static MockResponse toMock(Backend.Reply reply, Fault fault) {
    MockResponse.Builder b = new MockResponse.Builder().code(reply.status());
    reply.headers().forEach(b::addHeader);
    b.setHeader("content-type", JSON_TYPE);
    String body = reply.body();
    if (fault != null) {
      switch (fault.kind()) {
        case RESET_MID_BODY:
          b.onResponseBody(new SocketEffect.CloseSocket(true, false, false));
          break;
        case STALL:
          b.onResponseStart(SocketEffect.Stall.INSTANCE);
          break;
        case SLOW_BODY:
          b.throttleBody(fault.bytesPerPeriod(), fault.period().toNanos(), TimeUnit.NANOSECONDS);
          break;
        case MALFORMED_JSON:
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          body = new String(bytes, 0, Math.max(1, bytes.length / 2), StandardCharsets.UTF_8);
          break;
        default:
          break;
      }
    }
    return b.body(body).build();
  }
}
