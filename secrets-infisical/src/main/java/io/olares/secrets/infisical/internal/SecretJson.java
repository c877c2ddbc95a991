package io.olares.secrets.infisical.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads Infisical's secret answers ({@code {"secret": {...}}} and {@code {"secrets": [...]}}) with
 * a streaming parser, so a value goes from the answer's bytes into a wipeable {@code char[]}
 * without becoming a {@code String}. Unknown fields are skipped.
 */
public final class SecretJson {
  private SecretJson() {}

  /** Reads {@code {"secret": {...}}}, keeping the value. */
  public static SecretEntry readSecret(byte[] body) {
    try (JsonParser p = Json.FACTORY.createParser(body)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      SecretEntry found = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("secret") && t == JsonToken.START_OBJECT) {
          found = readEntry(p, true);
        } else {
          p.skipChildren();
        }
      }
      if (found == null) {
        throw new Transport.MalformedAnswer("answer has no \"secret\" object", null);
      }
      return found;
    } catch (IOException e) {
      throw new Transport.MalformedAnswer("answer is not valid JSON: " + originalMessage(e), e);
    }
  }

  /** Where parsing failed; the parser's own message is not used since it may quote content. */
  private static String originalMessage(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
      com.fasterxml.jackson.core.JsonLocation at =
          ((com.fasterxml.jackson.core.JsonProcessingException) e).getLocation();
      if (at != null) {
        return "broken at byte " + at.getByteOffset();
      }
    }
    return "unreadable";
  }

  /** Reads {@code {"secrets": [...]}}, dropping values. */
  public static List<SecretEntry> readSecrets(byte[] body) {
    try (JsonParser p = Json.FACTORY.createParser(body)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      List<SecretEntry> out = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals("secrets") && t == JsonToken.START_ARRAY) {
          out = new ArrayList<>();
          while (p.nextToken() == JsonToken.START_OBJECT) {
            out.add(readEntry(p, false));
          }
        } else {
          p.skipChildren();
        }
      }
      if (out == null) {
        throw new Transport.MalformedAnswer("answer has no \"secrets\" array", null);
      }
      return out;
    } catch (IOException e) {
      throw new Transport.MalformedAnswer("answer is not valid JSON: " + originalMessage(e), e);
    }
  }

  private static SecretEntry readEntry(JsonParser p, boolean keepValue) throws IOException {
    String id = null;
    String key = null;
    int version = 0;
    String type = null;
    String path = null;
    Instant created = null;
    Instant updated = null;
    char[] value = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "id":
          id = p.getValueAsString();
          break;
        case "secretKey":
          key = p.getValueAsString();
          break;
        case "version":
          version = p.getValueAsInt();
          break;
        case "type":
          type = p.getValueAsString();
          break;
        case "secretPath":
          path = p.getValueAsString();
          break;
        case "createdAt":
          created = instant(p.getValueAsString());
          break;
        case "updatedAt":
          updated = instant(p.getValueAsString());
          break;
        case "secretValue":
          if (keepValue && t == JsonToken.VALUE_STRING) {
            if (value != null) {
              Arrays.fill(value, '\0');
            }
            value =
                Arrays.copyOfRange(
                    p.getTextCharacters(),
                    p.getTextOffset(),
                    p.getTextOffset() + p.getTextLength());
          }
          break;
        default:
          p.skipChildren();
          break;
      }
    }
    if (key == null) {
      if (value != null) {
        Arrays.fill(value, '\0');
      }
      throw new Transport.MalformedAnswer("a secret in the answer has no secretKey", null);
    }
    if (keepValue && value == null) {
      throw new Transport.MalformedAnswer("secret " + key + " in the answer has no value", null);
    }
    return new SecretEntry(id, key, version, type, path, created, updated, value);
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

  private static void expect(JsonToken actual, JsonToken expected) {
    if (actual != expected) {
      throw new Transport.MalformedAnswer("answer does not start with a JSON object", null);
    }
  }
}
