package io.olares.secrets.k8s.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.olares.secrets.k8s.SecretRejectedException.Cause;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the JSON of Secrets, Secret lists, watch events and Status objects with a
 * streaming parser that skips every field it does not use.
 *
 * <p>The official client's generated models refuse any field they do not know (so a newer API
 * server would break every read), and their refusal repeats the whole document, Secret data
 * included, in the exception message. Here an unknown field is skipped, and a malformed document
 * fails with a message that names the problem but quotes nothing from the input.
 */
public final class KubeJson {
  private static final JsonFactory JSON =
      JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

  private KubeJson() {}

  /** A document could not be read; the message quotes nothing from it. */
  public static final class MalformedException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedException(String what) {
      super("the API server sent a malformed " + what);
    }
  }

  /** One page of a Secret list. */
  public record SecretPage(List<KubeSecret> items, String resourceVersion, String continueToken) {}

  /** A watch event: a Secret, or (for ERROR) a Status. */
  public record WatchEvent(String type, KubeSecret secret, Status status) {}

  /** A Kubernetes {@code Status}. */
  public record Status(int code, String reason, String message, List<Cause> causes) {}

  /** Reads a Secret. */
  public static KubeSecret secret(byte[] json) throws IOException {
    try (JsonParser p = JSON.createParser(json)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT, "Secret");
      return readObject(p, "Secret").secret();
    } catch (MalformedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new MalformedException("Secret");
    }
  }

  /** Reads a SecretList. */
  public static SecretPage secretList(byte[] json) throws IOException {
    try (JsonParser p = JSON.createParser(json)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT, "SecretList");
      List<KubeSecret> items = new ArrayList<>();
      String rv = null;
      String cont = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("items") && t == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            items.add(readObject(p, "SecretList").secret());
          }
        } else if (field.equals("metadata") && t == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String m = p.currentName();
            JsonToken v = p.nextToken();
            if (m.equals("resourceVersion") && v == JsonToken.VALUE_STRING) {
              rv = p.getText();
            } else if (m.equals("continue") && v == JsonToken.VALUE_STRING) {
              cont = p.getText();
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
      return new SecretPage(items, rv, cont == null || cont.isEmpty() ? null : cont);
    } catch (MalformedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new MalformedException("SecretList");
    }
  }

  /** Reads one line of a watch stream. */
  public static WatchEvent watchEvent(String line) throws IOException {
    try (JsonParser p = JSON.createParser(line)) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT, "watch event");
      String type = null;
      Parsed object = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("type") && t == JsonToken.VALUE_STRING) {
          type = p.getText();
        } else if (field.equals("object") && t == JsonToken.START_OBJECT) {
          object = readObject(p, "watch event");
        } else {
          p.skipChildren();
        }
      }
      if (type == null || object == null) {
        throw new MalformedException("watch event");
      }
      return object.isStatus()
          ? new WatchEvent(type, null, object.status())
          : new WatchEvent(type, object.secret(), null);
    } catch (MalformedException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new MalformedException("watch event");
    }
  }

  /** Reads a Status; null where the body is not one. */
  public static Status status(byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Parsed parsed = readObject(p, "Status");
      return parsed.isStatus() ? parsed.status() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The body of a create: a Secret of type Opaque with one key, labelled as given. */
  public static byte[] newSecret(
      String namespace, String name, Map<String, String> labels, String key, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length * 4 / 3 + 256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("apiVersion", "v1");
      g.writeStringField("kind", "Secret");
      g.writeObjectFieldStart("metadata");
      g.writeStringField("name", name);
      g.writeStringField("namespace", namespace);
      if (!labels.isEmpty()) {
        g.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> l : labels.entrySet()) {
          g.writeStringField(l.getKey(), l.getValue());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeStringField("type", "Opaque");
      g.writeObjectFieldStart("data");
      g.writeFieldName(key);
      g.writeBinary(value);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a Secret", e);
    }
    return out.toByteArray();
  }

  /**
   * A JSON merge patch (RFC 7386) that sets {@code key} to {@code value}, or removes it where
   * {@code value} is null; with {@code resourceVersion} the server applies it to that version only.
   */
  public static byte[] keyPatch(String resourceVersion, String key, byte[] value) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((value == null ? 0 : value.length * 4 / 3) + 128);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      if (resourceVersion != null) {
        g.writeObjectFieldStart("metadata");
        g.writeStringField("resourceVersion", resourceVersion);
        g.writeEndObject();
      }
      g.writeObjectFieldStart("data");
      g.writeFieldName(key);
      if (value == null) {
        g.writeNull();
      } else {
        g.writeBinary(value);
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a merge patch", e);
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------------------ parsing

  /** The fields of an object that is either a Secret or a Status. */
  private record Parsed(KubeSecret secret, Status status, boolean isStatus) {}

  /** Reads the object whose START_OBJECT is the current token. */
  private static Parsed readObject(JsonParser p, String what) throws IOException {
    String kind = null;
    String name = null;
    String namespace = null;
    String rv = null;
    Instant created = null;
    Map<String, String> labels = Map.of();
    boolean immutable = false;
    String type = "Opaque";
    Map<String, byte[]> data = new TreeMap<>();
    int code = 0;
    String reason = null;
    String message = null;
    List<Cause> causes = List.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "kind" -> kind = text(p, t);
        case "metadata" -> {
          if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String m = p.currentName();
              JsonToken v = p.nextToken();
              switch (m) {
                case "name" -> name = text(p, v);
                case "namespace" -> namespace = text(p, v);
                case "resourceVersion" -> rv = text(p, v);
                case "creationTimestamp" -> created = instant(text(p, v));
                case "labels" -> labels = stringMap(p, v);
                default -> p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
        }
        case "data" -> {
          if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String key = p.currentName();
              JsonToken v = p.nextToken();
              if (v == JsonToken.VALUE_STRING) {
                data.put(key, p.getBinaryValue());
              } else if (v != JsonToken.VALUE_NULL) {
                throw new MalformedException(what);
              }
            }
          } else {
            p.skipChildren();
          }
        }
        case "immutable" -> immutable = t == JsonToken.VALUE_TRUE;
        case "type" -> {
          String s = text(p, t);
          type = s == null ? type : s;
        }
        case "code" -> code = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
        case "reason" -> reason = text(p, t);
        case "message" -> message = text(p, t);
        case "details" -> causes = causes(p, t);
        default -> p.skipChildren();
      }
    }
    if ("Status".equals(kind)) {
      return new Parsed(null, new Status(code, reason, message, causes), true);
    }
    return new Parsed(
        new KubeSecret(
            name,
            namespace,
            rv,
            created,
            labels,
            immutable,
            type,
            Collections.unmodifiableMap(data)),
        null,
        false);
  }

  private static List<Cause> causes(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      return List.of();
    }
    List<Cause> out = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      if (f.equals("causes") && v == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          String field = null;
          String reason = null;
          String message = "";
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String c = p.currentName();
            JsonToken cv = p.nextToken();
            switch (c) {
              case "field" -> field = text(p, cv);
              case "reason" -> reason = text(p, cv);
              case "message" -> {
                String m = text(p, cv);
                message = m == null ? "" : KubeNames.printable500(m);
              }
              default -> p.skipChildren();
            }
          }
          out.add(new Cause(field, reason, message));
        }
      } else {
        p.skipChildren();
      }
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String k = p.currentName();
      JsonToken v = p.nextToken();
      String s = text(p, v);
      if (s != null) {
        out.put(k, s);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static String text(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void expect(JsonParser p, JsonToken actual, JsonToken wanted, String what)
      throws MalformedException {
    if (actual != wanted) {
      throw new MalformedException(what);
    }
  }
}
