package io.olares.secrets.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okio.ByteString;

/**
 * A loopback HTTP server that answers every request with the reply a fuzz input chose. Accepted
 * sockets send at once ({@code TCP_NODELAY}), so an exchange takes well under a millisecond instead
 * of the 40 ms a delayed acknowledgement costs.
 */
final class FuzzServer implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int status = 200;
  private volatile String contentType = "application/json";
  private volatile byte[] body = new byte[0];

  FuzzServer() {
    server.setServerSocketFactory(new io.olares.secrets.testing.NoDelayServerSockets());
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            requests.incrementAndGet();
            return new MockResponse.Builder()
                .code(status)
                .addHeader("Content-Type", contentType)
                .body(new okio.Buffer().write(ByteString.of(body)))
                .build();
          }
        });
    try {
      server.start(InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers the following requests with this status and body. */
  void reply(int status, byte[] body) {
    this.status = status;
    this.body = body.clone();
  }

  HttpUrl url(String path) {
    return server.url(path);
  }

  String hostAndPort() {
    return server.getHostName() + ":" + server.getPort();
  }

  int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.close();
  }
}
