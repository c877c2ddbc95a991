package io.olares.secrets.k8s.chart;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A YAML document as a tree that keeps what a chart scanner needs and a plain data binding would
 * lose: the line of every entry, and repeated keys (an if/else in a template leaves both branches
 * behind). Built from Jackson's YAML token stream.
 */
final class YamlTree {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();

  private YamlTree() {}

  /** A node of the tree. */
  sealed interface Node permits MapNode, ListNode, Scalar {}

  /** One key of a mapping, with the line it is on. */
  record Entry(String key, Node value, int line) {}

  /** A mapping; keys may repeat. */
  record MapNode(List<Entry> entries, int line) implements Node {
    /** The first value under {@code key}. */
    Optional<Node> get(String key) {
      for (Entry e : entries) {
        if (e.key().equals(key)) {
          return Optional.of(e.value());
        }
      }
      return Optional.empty();
    }

    /** The first value under {@code key} as text, if it is a scalar. */
    Optional<String> text(String key) {
      return get(key).flatMap(YamlTree::text);
    }

    /** The first value under {@code key}, if it is a mapping. */
    Optional<MapNode> map(String key) {
      return get(key).filter(MapNode.class::isInstance).map(MapNode.class::cast);
    }

    /** The first value under {@code key}, if it is a list. */
    Optional<ListNode> list(String key) {
      return get(key).filter(ListNode.class::isInstance).map(ListNode.class::cast);
    }
  }

  /** A sequence. */
  record ListNode(List<Node> items, int line) implements Node {}

  /** A scalar; {@code text} is null for YAML null. */
  record Scalar(String text, int line) implements Node {}

  /** The text of a scalar node. */
  static Optional<String> text(Node node) {
    return node instanceof Scalar s ? Optional.ofNullable(s.text()) : Optional.empty();
  }

  /** The line a node starts on. */
  static int line(Node node) {
    if (node instanceof MapNode m) {
      return m.line();
    }
    if (node instanceof ListNode l) {
      return l.line();
    }
    return ((Scalar) node).line();
  }

  /** The reason parsing failed, with the line (relative to the text) where it did. */
  static final class ParseFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;

    ParseFailure(int line, String problem) {
      super(problem);
      this.line = line;
    }

    int line() {
      return line;
    }
  }

  /**
   * Parses one YAML document; empty where it holds no content. Line numbers are shifted by {@code
   * lineOffset}.
   */
  static Optional<Node> parse(String text, int lineOffset) throws ParseFailure {
    try (JsonParser p = YAML.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return Optional.empty();
      }
      Node root = read(p, lineOffset);
      return Optional.of(root);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
      throw new ParseFailure(line, e.getOriginalMessage());
    } catch (IOException | RuntimeException e) {
      throw new ParseFailure(1, e.getClass().getSimpleName());
    }
  }

  private static Node read(JsonParser p, int offset) throws IOException {
    int line = p.currentTokenLocation().getLineNr() + offset;
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      List<Entry> entries = new ArrayList<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        int keyLine = p.currentTokenLocation().getLineNr() + offset;
        p.nextToken();
        entries.add(new Entry(key, read(p, offset), keyLine));
      }
      return new MapNode(entries, line);
    }
    if (t == JsonToken.START_ARRAY) {
      List<Node> items = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        items.add(read(p, offset));
      }
      return new ListNode(items, line);
    }
    if (t == JsonToken.VALUE_NULL) {
      return new Scalar(null, line);
    }
    return new Scalar(p.getText(), line);
  }
}
