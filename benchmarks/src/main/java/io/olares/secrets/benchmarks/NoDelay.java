package io.olares.secrets.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import mockwebserver3.MockWebServer;

/**
 * Server sockets whose accepted connections send small writes at once ({@code TCP_NODELAY}).
 *
 * <p>Why: an HTTP server that writes a reply's headers and body in two small writes, with Nagle's
 * algorithm on, holds the body until the client acknowledges the headers, and the client delays
 * that acknowledgement by up to 40 ms. MockWebServer does exactly that, so every exchange with it
 * costs about 45 ms on Linux loopback, which would hide every figure these benchmarks measure.
 */
final class NoDelay {
  private NoDelay() {}

  /** A factory of server sockets that set {@code TCP_NODELAY} on every accepted socket. */
  static ServerSocketFactory serverSockets() {
    return new ServerSocketFactory() {
      @Override
      public ServerSocket createServerSocket() throws IOException {
        return new NoDelayServerSocket();
      }

      @Override
      public ServerSocket createServerSocket(int port) throws IOException {
        return createServerSocket(port, 50, null);
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return createServerSocket(port, backlog, null);
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
          throws IOException {
        ServerSocket socket = new NoDelayServerSocket();
        socket.bind(new InetSocketAddress(address, port), backlog);
        return socket;
      }
    };
  }

  /**
   * Moves an in-process fake that keeps its MockWebServer in the field {@code server} to a new
   * server on a fresh loopback port with {@code TCP_NODELAY}, keeping the fake's dispatcher (and so
   * all its behaviour and state). Call it right after starting the fake, before any client reads
   * its URL.
   *
   * <p>TODO: drop this once the fakes in secrets-testing set TCP_NODELAY themselves.
   */
  static <T> T restart(T fake) {
    try {
      Field field = fake.getClass().getDeclaredField("server");
      field.setAccessible(true);
      MockWebServer old = (MockWebServer) field.get(fake);
      MockWebServer replacement = new MockWebServer();
      replacement.setServerSocketFactory(serverSockets());
      replacement.setDispatcher(old.getDispatcher());
      old.close();
      replacement.start(InetAddress.getLoopbackAddress(), 0);
      field.set(fake, replacement);
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restart the fake's server", e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "the fake " + fake.getClass().getName() + " no longer keeps its server in 'server'", e);
    }
  }

  private static final class NoDelayServerSocket extends ServerSocket {
    NoDelayServerSocket() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      Socket socket = new Socket();
      implAccept(socket);
      socket.setTcpNoDelay(true);
      return socket;
    }
  }
}
