package io.olares.secrets.testing.fake.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Checks request fields the way Infisical's zod schemas do and collects the issues in zod's own
 * shape ({@code code, expected, received, path, message}), which the server sends back as a {@code
 * ValidationFailure}.
 */
final class Zod {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ArrayNode issues = NODES.arrayNode();

  /** A required string; null (with an issue recorded) when missing or of another type. */
  String string(JsonNode object, String field) {
    JsonNode v = object == null ? null : object.get(field);
    if (v != null && v.isTextual()) {
      return v.asText();
    }
    invalidType(field, "string", received(v));
    return null;
  }

  /** An optional string with a default. */
  String string(JsonNode object, String field, String fallback) {
    JsonNode v = object == null ? null : object.get(field);
    if (v == null) {
      return fallback;
    }
    if (v.isTextual()) {
      return v.asText();
    }
    invalidType(field, "string", received(v));
    return null;
  }

  /** An optional boolean; null when absent. */
  Boolean bool(JsonNode object, String field) {
    JsonNode v = object == null ? null : object.get(field);
    if (v == null) {
      return null;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    invalidType(field, "boolean", received(v));
    return null;
  }

  /** An optional enum value with a default; null (with an issue) when not one of the options. */
  String oneOf(JsonNode object, String field, List<String> options, String fallback) {
    JsonNode v = object == null ? null : object.get(field);
    if (v == null) {
      return fallback;
    }
    return oneOf(field, v.isTextual() ? v.asText() : null, v, options);
  }

  /** A query parameter that must be one of the options. */
  String oneOfQuery(String field, String value, List<String> options, String fallback) {
    if (value == null) {
      return fallback;
    }
    return oneOf(field, value, NODES.textNode(value), options);
  }

  private String oneOf(String field, String text, JsonNode raw, List<String> options) {
    if (text != null && options.contains(text)) {
      return text;
    }
    ObjectNode issue = NODES.objectNode();
    issue.set("received", raw);
    issue.put("code", "invalid_enum_value");
    ArrayNode opts = issue.putArray("options");
    options.forEach(opts::add);
    issue.putArray("path").add(field);
    StringBuilder expected = new StringBuilder();
    for (String o : options) {
      expected.append(expected.length() == 0 ? "" : " | ").append('\'').append(o).append('\'');
    }
    issue.put(
        "message",
        "Invalid enum value. Expected " + expected + ", received '" + raw.asText() + "'");
    issues.add(issue);
    return null;
  }

  /** An optional number in a query string, coerced like {@code z.coerce.number()}. */
  Long coercedNumber(String field, String value) {
    if (value == null) {
      return null;
    }
    try {
      return (long) Double.parseDouble(value.trim().isEmpty() ? "0" : value.trim());
    } catch (NumberFormatException e) {
      invalidType(field, "number", "nan");
      return null;
    }
  }

  private void invalidType(String field, String expected, String received) {
    ObjectNode issue = NODES.objectNode();
    issue.put("code", "invalid_type");
    issue.put("expected", expected);
    issue.put("received", received);
    issue.putArray("path").add(field);
    issue.put(
        "message",
        received.equals("undefined")
            ? "Required"
            : "Expected " + expected + ", received " + received);
    issues.add(issue);
  }

  private static String received(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "undefined";
    }
    if (v.isNull()) {
      return "null";
    }
    if (v.isTextual()) {
      return "string";
    }
    if (v.isNumber()) {
      return "number";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    if (v.isArray()) {
      return "array";
    }
    return "object";
  }

  /** True where nothing failed. */
  boolean ok() {
    return issues.isEmpty();
  }

  /** The issues, in zod's order. */
  ArrayNode issues() {
    return issues;
  }
}
