package io.olares.secrets.infisical.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** Jackson set up once for the store. */
public final class Json {
  /** For error bodies and other non-secret JSON. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  /** For streaming reads and writes of bodies that hold secrets. */
  public static final JsonFactory FACTORY = MAPPER.getFactory();

  private Json() {}

  /** Writes a JSON body with a callback; the returned bytes are the caller's to wipe. */
  public static byte[] write(Writer writer) {
    WipingBuffer out = new WipingBuffer();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      writer.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] bytes = out.toByteArray();
    out.wipe();
    return bytes;
  }

  /** Fills the fields of one JSON object. */
  @FunctionalInterface
  public interface Writer {
    /** Writes fields into the open object. */
    void write(JsonGenerator g) throws IOException;
  }

  /** A byte buffer that can zero its internal array. */
  private static final class WipingBuffer extends ByteArrayOutputStream {
    void wipe() {
      Arrays.fill(buf, (byte) 0);
    }
  }
}
