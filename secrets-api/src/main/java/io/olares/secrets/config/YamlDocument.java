package io.olares.secrets.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.olares.secrets.ConfigurationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A YAML document read into plain maps, lists and scalars, with {@code ${NAME}} expanded in string
 * values and the line of every key path remembered for error messages.
 *
 * <p>Expansion happens in parsed string values only (never in keys, never before parsing), so an
 * expanded value cannot change the document's structure. {@code ${NAME}} is replaced by {@code
 * variables.apply(NAME)}; {@code ${NAME:-default}} falls back to {@code default} where the name is
 * unset; {@code $${} stands for a literal {@code ${}. A value is expanded once: text that the
 * expansion brings in is not expanded again. Error messages name variables, key paths and lines,
 * never values.
 */
final class YamlDocument {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private final String source;
  private final Function<String, String> variables;
  private final Map<String, Integer> lines = new HashMap<>();
  private Map<String, Object> root = new LinkedHashMap<>();

  private YamlDocument(String source, Function<String, String> variables) {
    this.source = source;
    this.variables = variables;
  }

  /**
   * Parses one YAML document whose top level is a mapping (an empty document is an empty mapping).
   *
   * @throws ConfigurationException naming the line of a syntax error or of an unset variable
   */
  static YamlDocument parse(String yaml, String source, Function<String, String> variables) {
    YamlDocument doc = new YamlDocument(source, variables);
    try (JsonParser p = YAML.createParser(yaml)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return doc;
      }
      if (first != JsonToken.START_OBJECT) {
        throw doc.error("", line(p), "the document must be a mapping of keys to values");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> top = (Map<String, Object>) doc.read(p, "");
      doc.root = top;
      if (p.nextToken() != null) {
        throw doc.error("", line(p), "holds more than one YAML document");
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String problem = parserWords(e.getOriginalMessage());
      throw new ConfigurationException(
          source
              + (at == null ? "" : " line " + at.getLineNr() + " column " + at.getColumnNr())
              + ": not valid YAML: "
              + problem);
    } catch (IOException e) {
      throw new ConfigurationException(source + ": cannot be read: " + e, e);
    }
    return doc;
  }

  /** Where the document came from, for messages. */
  String source() {
    return source;
  }

  /** The top-level mapping. */
  Map<String, Object> root() {
    return root;
  }

  /**
   * The line a key path was written on; for a key that is absent, the line of its nearest written
   * parent; 0 where unknown.
   */
  int lineOf(String path) {
    String p = path;
    while (!p.isEmpty()) {
      Integer n = lines.get(p);
      if (n != null) {
        return n;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
    return 0;
  }

  /** A configuration error about the value at {@code path}: "source line N: path problem". */
  ConfigurationException error(String path, String problem) {
    return error(path, lineOf(path), problem);
  }

  private ConfigurationException error(String path, int line, String problem) {
    StringBuilder sb = new StringBuilder(source);
    if (line > 0) {
      sb.append(" line ").append(line);
    }
    sb.append(": ");
    if (!path.isEmpty()) {
      sb.append(path).append(' ');
    }
    return new ConfigurationException(sb.append(problem).toString());
  }

  private Object read(JsonParser p, String path) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT:
        {
          Map<String, Object> map = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String child = path.isEmpty() ? key : path + "." + key;
            int keyLine = line(p);
            if (map.containsKey(key)) {
              throw error(child, keyLine, "is given twice");
            }
            lines.put(child, keyLine);
            p.nextToken();
            map.put(key, read(p, child));
          }
          return map;
        }
      case START_ARRAY:
        {
          List<Object> list = new ArrayList<>();
          int i = 0;
          while (p.nextToken() != JsonToken.END_ARRAY) {
            String child = path + "[" + i++ + "]";
            lines.put(child, line(p));
            list.add(read(p, child));
          }
          return list;
        }
      case VALUE_STRING:
        return expand(p.getText(), path, line(p));
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getNumberValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw error(path, line(p), "holds a value of an unsupported kind (" + t + ")");
    }
  }

  private String expand(String text, String path, int line) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (c == '$' && text.startsWith("${", i)) {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          throw error(path, line, "has a '${' without its closing '}'; write '$${' for a literal");
        }
        String expression = text.substring(i + 2, end);
        int dash = expression.indexOf(":-");
        String name = dash < 0 ? expression : expression.substring(0, dash);
        if (!NAME.matcher(name).matches()) {
          throw error(
              path,
              line,
              "has a '${' not followed by a variable name (letters, digits, '_', '.', '-') and"
                  + " '}'; write '$${' for a literal '${'");
        }
        String value = variables.apply(name);
        if (value == null) {
          if (dash < 0) {
            throw error(
                path,
                line,
                "uses ${"
                    + name
                    + "}, which is not set (as an environment variable or a system property)");
          }
          value = expression.substring(dash + 2);
        }
        out.append(value);
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static int line(JsonParser p) {
    JsonLocation at = p.currentTokenLocation();
    return at == null ? 0 : at.getLineNr();
  }

  /**
   * The parser's own words without the source excerpts it quotes (which may hold values): the lines
   * that do not start with white space.
   */
  private static String parserWords(String message) {
    if (message == null) {
      return "syntax error";
    }
    StringBuilder sb = new StringBuilder();
    for (String line : message.split("\n")) {
      if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
        sb.append(sb.length() == 0 ? "" : "; ").append(line.trim());
      }
    }
    return sb.length() == 0 ? "syntax error" : sb.toString();
  }
}
