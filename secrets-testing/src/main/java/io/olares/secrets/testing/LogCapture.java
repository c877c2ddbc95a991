package io.olares.secrets.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures what is logged while a block of code runs, so a test can look for values that must never
 * be logged.
 *
 * <p>It captures {@code System.out} and {@code System.err} (where slf4j-simple writes, and where
 * stray prints go) and every {@code java.util.logging} record that reaches the root logger, with
 * the root level lowered to {@code ALL} while a capture runs. Output still reaches the original
 * streams, so test reports keep it. SLF4J output at levels the binding has switched off is never
 * written, so it cannot be captured: raise the level in the test class path's {@code
 * simplelogger.properties} (for example {@code
 * org.slf4j.simpleLogger.log.io.olares.secrets=trace}).
 *
 * <p>Captures may nest and may run in parallel on several threads: the streams are replaced once,
 * while any capture is open, and every open capture receives all output written during its time,
 * from any thread. A capture may therefore hold more than its own block logged, never less.
 *
 * <p>Two ways to use it:
 *
 * <pre>{@code
 * String logged = LogCapture.capture(() -> store.read(ref, context));
 *
 * @RegisterExtension final LogCapture logs = new LogCapture();   // captures each test method
 * ... logs.text() ...
 * }</pre>
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

  /** Code run while capturing. */
  @FunctionalInterface
  public interface Block {
    /** Runs the code. */
    void run() throws Exception;
  }

  private static final Object GLOBAL = new Object();
  private static final List<Sink> SINKS = new CopyOnWriteArrayList<>();
  private static int open;
  private static PrintStream originalOut;
  private static PrintStream originalErr;
  private static Level originalRootLevel;
  private static JulHandler julHandler;

  private volatile Sink current;

  /** Creates a capture to register as a JUnit extension; see {@link #text()}. */
  public LogCapture() {}

  /**
   * Runs {@code block} and returns everything logged meanwhile. Where the block throws, the
   * exception propagates and the captured text is lost; catch inside the block to keep both.
   */
  public static String capture(Block block) throws Exception {
    Sink sink = start();
    try {
      block.run();
    } finally {
      stop(sink);
    }
    return sink.text();
  }

  /** Everything captured so far in the running test method. */
  public String text() {
    Sink sink = current;
    if (sink == null) {
      throw new IllegalStateException(
          "LogCapture.text() is available only while a test method runs with this extension");
    }
    return sink.text();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    current = start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Sink sink = current;
    if (sink != null) {
      stop(sink);
    }
  }

  private static Sink start() {
    Sink sink = new Sink();
    synchronized (GLOBAL) {
      if (open == 0) {
        install();
      }
      open++;
      SINKS.add(sink);
    }
    return sink;
  }

  private static void stop(Sink sink) {
    synchronized (GLOBAL) {
      if (!SINKS.remove(sink)) {
        return;
      }
      System.out.flush();
      System.err.flush();
      open--;
      if (open == 0) {
        uninstall();
      }
    }
  }

  private static void install() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(tee(originalOut));
    System.setErr(tee(originalErr));
    Logger root = Logger.getLogger("");
    originalRootLevel = root.getLevel();
    root.setLevel(Level.ALL);
    julHandler = new JulHandler();
    root.addHandler(julHandler);
  }

  private static void uninstall() {
    Logger root = Logger.getLogger("");
    root.removeHandler(julHandler);
    root.setLevel(originalRootLevel);
    julHandler = null;
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  private static PrintStream tee(PrintStream original) {
    OutputStream out =
        new OutputStream() {
          @Override
          public void write(int b) {
            for (Sink sink : SINKS) {
              sink.write(new byte[] {(byte) b}, 0, 1);
            }
            original.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            for (Sink sink : SINKS) {
              sink.write(b, off, len);
            }
            original.write(b, off, len);
          }

          @Override
          public void flush() {
            original.flush();
          }
        };
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }

  /** The text one capture collected: UTF-8 stream output and formatted JUL records. */
  private static final class Sink {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    synchronized void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
    }

    synchronized void append(String text) {
      bytes.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /** Formats each JUL record with its parameters and stack trace into every open sink. */
  private static final class JulHandler extends Handler {
    private final Formatter formatter =
        new Formatter() {
          @Override
          public String format(LogRecord record) {
            StringBuilder sb = new StringBuilder();
            sb.append(record.getLevel())
                .append(' ')
                .append(record.getLoggerName())
                .append(": ")
                .append(formatMessage(record))
                .append(System.lineSeparator());
            if (record.getThrown() != null) {
              StringWriter trace = new StringWriter();
              record.getThrown().printStackTrace(new PrintWriter(trace));
              sb.append(trace);
            }
            return sb.toString();
          }
        };

    JulHandler() {
      setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
      String text;
      try {
        text = formatter.format(record);
      } catch (RuntimeException e) {
        // keep the raw parts, so a value passed as a parameter is still seen
        text =
            record.getLoggerName()
                + ": "
                + record.getMessage()
                + " "
                + Arrays.deepToString(record.getParameters())
                + System.lineSeparator();
      }
      for (Sink sink : SINKS) {
        sink.append(text);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
