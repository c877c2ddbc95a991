package io.olares.secrets.provider.manifest;

import io.olares.secrets.ConfigurationException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders the small part of Helm's template language that app manifests use, so that the rendered
 * text can be read as YAML: {@code if} / {@code else if} / {@code else} / {@code end}, {@code
 * with}, comments, and expressions over {@code .Values} with the functions {@code default}, {@code
 * quote}, {@code squote}, {@code eq}, {@code ne}, {@code lt}, {@code le}, {@code gt}, {@code ge},
 * {@code and}, {@code or}, {@code not}, {@code empty}, {@code toString}, {@code lower}, {@code
 * upper}, {@code trim}, {@code int}.
 *
 * <p>Rendering keeps every line where it was (text left out keeps its line breaks), so line numbers
 * of the rendered text are those of the template. A value that is not set renders empty, as Helm
 * renders it; anything this renderer does not evaluate ({@code range}, {@code include}, {@code
 * toYaml}, {@code .Release}, variables) renders empty too and is reported as a note, never as an
 * error. Not thread-safe; one instance per rendering.
 */
final class HelmTemplate {
  private final String source;
  private final String text;
  private final Map<String, Object> root;
  private final Set<String> notes = new LinkedHashSet<>();
  private int line;

  private HelmTemplate(String source, String text, Map<String, Object> values) {
    this.source = source;
    this.text = text;
    this.root = Map.of("Values", values == null ? Map.of() : values);
  }

  /** The rendered text and the notes about what was not rendered. */
  record Result(String text, List<String> notes) {}

  static Result render(String source, String text, Map<String, Object> values) {
    HelmTemplate t = new HelmTemplate(source, text, values);
    String out = t.run();
    return new Result(out, List.copyOf(t.notes));
  }

  private static final class Frame {
    final String kind;
    final int line;
    final boolean parentActive;
    boolean active;
    boolean taken;
    final Object parentDot;
    Object dot;

    Frame(String kind, int line, boolean parentActive, Object parentDot) {
      this.kind = kind;
      this.line = line;
      this.parentActive = parentActive;
      this.parentDot = parentDot;
      this.dot = parentDot;
    }
  }

  private String run() {
    StringBuilder out = new StringBuilder(text.length());
    Deque<Frame> stack = new ArrayDeque<>();
    Object dot = root;
    int pos = 0;
    line = 1;
    while (pos < text.length()) {
      int open = text.indexOf("{{", pos);
      boolean active = stack.isEmpty() || stack.peek().active;
      String chunk = open < 0 ? text.substring(pos) : text.substring(pos, open);
      emit(out, chunk, active);
      if (open < 0) {
        break;
      }
      int close = closing(open);
      if (close < 0) {
        throw error(line, "a template action '{{' is never closed with '}}'");
      }
      String raw = text.substring(open + 2, close);
      int actionLine = line;
      line += count(raw, '\n');
      String action = raw;
      if (action.startsWith("-")) {
        action = action.substring(1);
      }
      if (action.endsWith("-")) {
        action = action.substring(0, action.length() - 1);
      }
      action = action.strip();
      newlines(out, raw);
      pos = close + 2;
      dot = handle(action, actionLine, stack, out, active, dot);
    }
    if (!stack.isEmpty()) {
      throw error(stack.peek().line, "'" + stack.peek().kind + "' is never closed with 'end'");
    }
    return out.toString();
  }

  /** Where the action opened at {@code open} ends; a comment may itself hold {@code }}}. */
  private int closing(int open) {
    int i = open + 2;
    if (i < text.length() && text.charAt(i) == '-') {
      i++;
    }
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    if (text.startsWith("/*", i)) {
      int end = text.indexOf("*/", i + 2);
      return end < 0 ? -1 : text.indexOf("}}", end + 2);
    }
    return text.indexOf("}}", open + 2);
  }

  private Object handle(
      String action, int at, Deque<Frame> stack, StringBuilder out, boolean active, Object dot) {
    if (action.startsWith("/*")) {
      return dot;
    }
    String keyword = firstWord(action);
    String rest = action.substring(keyword.length()).strip();
    switch (keyword) {
      case "if":
        {
          Frame f = new Frame("if", at, active, dot);
          boolean cond = active && truthy(eval(rest, at, dot));
          f.active = cond;
          f.taken = cond;
          stack.push(f);
          return dot;
        }
      case "with":
        {
          Frame f = new Frame("with", at, active, dot);
          Object value = active ? eval(rest, at, dot) : null;
          f.active = active && truthy(value);
          f.taken = f.active;
          f.dot = value;
          stack.push(f);
          return f.active ? value : dot;
        }
      case "range":
        {
          note(at, "'range' is not expanded; its body was left out");
          Frame f = new Frame("range", at, active, dot);
          f.active = false;
          stack.push(f);
          return dot;
        }
      case "define":
        {
          Frame f = new Frame("define", at, active, dot);
          f.active = false;
          stack.push(f);
          return dot;
        }
      case "block":
        {
          note(at, "'block' is rendered in place");
          Frame f = new Frame("block", at, active, dot);
          f.active = active;
          stack.push(f);
          return dot;
        }
      case "else":
        {
          Frame f = stack.peek();
          if (f == null || !(f.kind.equals("if") || f.kind.equals("with"))) {
            throw error(at, "'else' without 'if' or 'with'");
          }
          if (rest.startsWith("if ") || rest.equals("if")) {
            boolean cond =
                f.parentActive
                    && !f.taken
                    && truthy(eval(rest.substring(2).strip(), at, f.parentDot));
            f.active = cond;
            f.taken |= cond;
          } else if (rest.isEmpty()) {
            f.active = f.parentActive && !f.taken;
            f.taken = true;
          } else {
            throw error(at, "unexpected '" + rest + "' after 'else'");
          }
          return f.parentDot;
        }
      case "end":
        {
          if (stack.isEmpty()) {
            throw error(at, "'end' without an open 'if', 'with', 'range' or 'define'");
          }
          return stack.pop().parentDot;
        }
      case "template":
      case "include":
      case "tpl":
        if (active) {
          note(at, "'" + keyword + "' is not rendered");
        }
        return dot;
      default:
        if (action.startsWith("$") && (action.contains(":=") || action.contains(" = "))) {
          if (active) {
            note(at, "template variables are not rendered");
          }
          return dot;
        }
        if (active && !action.isEmpty()) {
          out.append(display(eval(action, at, dot)));
        }
        return dot;
    }
  }

  private void emit(StringBuilder out, String chunk, boolean active) {
    line += count(chunk, '\n');
    if (active) {
      out.append(chunk);
    } else {
      newlines(out, chunk);
    }
  }

  private static void newlines(StringBuilder out, String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        out.append('\n');
      }
    }
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }

  private static String firstWord(String action) {
    int i = 0;
    while (i < action.length() && !Character.isWhitespace(action.charAt(i))) {
      i++;
    }
    return action.substring(0, i);
  }

  // ---- expressions ----------------------------------------------------------------------------

  private Object eval(String expr, int at, Object dot) {
    List<String> tokens = tokenize(expr, at);
    int[] pos = {0};
    Object value = pipeline(tokens, pos, at, dot);
    if (pos[0] != tokens.size()) {
      throw error(at, "cannot read the template expression '" + expr + "'");
    }
    return value;
  }

  private Object pipeline(List<String> tokens, int[] pos, int at, Object dot) {
    Object value = command(tokens, pos, at, dot, null, false);
    while (pos[0] < tokens.size() && tokens.get(pos[0]).equals("|")) {
      pos[0]++;
      value = command(tokens, pos, at, dot, value, true);
    }
    return value;
  }

  private Object command(
      List<String> tokens, int[] pos, int at, Object dot, Object piped, boolean hasPiped) {
    if (pos[0] >= tokens.size()) {
      throw error(at, "a template expression ends too early");
    }
    String head = tokens.get(pos[0]);
    if (isFunction(head)) {
      pos[0]++;
      List<Object> args = new ArrayList<>();
      while (pos[0] < tokens.size()
          && !tokens.get(pos[0]).equals("|")
          && !tokens.get(pos[0]).equals(")")) {
        args.add(operand(tokens, pos, at, dot));
      }
      if (hasPiped) {
        args.add(piped);
      }
      return call(head, args, at);
    }
    Object value = operand(tokens, pos, at, dot);
    if (pos[0] < tokens.size()
        && !tokens.get(pos[0]).equals("|")
        && !tokens.get(pos[0]).equals(")")) {
      throw error(at, "'" + head + "' is not a function this renderer knows");
    }
    return value;
  }

  private Object operand(List<String> tokens, int[] pos, int at, Object dot) {
    String t = tokens.get(pos[0]++);
    if (t.equals("(")) {
      Object v = pipeline(tokens, pos, at, dot);
      if (pos[0] >= tokens.size() || !tokens.get(pos[0]).equals(")")) {
        throw error(at, "a '(' in a template expression is never closed");
      }
      pos[0]++;
      return v;
    }
    if (t.startsWith("\"") || t.startsWith("`")) {
      return t.substring(1, t.length() - 1);
    }
    if (t.equals("true") || t.equals("false")) {
      return Boolean.valueOf(t);
    }
    if (t.equals("nil")) {
      return null;
    }
    if (t.matches("-?[0-9]+(\\.[0-9]+)?")) {
      return new BigDecimal(t);
    }
    if (t.equals(".")) {
      return dot;
    }
    if (t.startsWith("$.")) {
      return lookup(root, t.substring(2), at, t.substring(1));
    }
    if (t.equals("$")) {
      return root;
    }
    if (t.startsWith("$")) {
      note(at, "template variable " + t + " is not rendered");
      return null;
    }
    if (t.startsWith(".")) {
      if (dot == root && !t.startsWith(".Values")) {
        note(at, t + " is not rendered");
        return null;
      }
      return lookup(dot, t.substring(1), at, t);
    }
    if (isFunction(t)) {
      return call(t, List.of(), at);
    }
    note(at, "function '" + t + "' is not rendered");
    return null;
  }

  private Object lookup(Object from, String path, int at, String shown) {
    Object current = from;
    for (String key : path.split("\\.")) {
      if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
        note(at, shown + " is not set");
        return null;
      }
      current = map.get(key);
    }
    if (current == null) {
      note(at, shown + " is not set");
    }
    return current;
  }

  private static final Set<String> FUNCTIONS =
      Set.of(
          "default",
          "quote",
          "squote",
          "eq",
          "ne",
          "lt",
          "le",
          "gt",
          "ge",
          "and",
          "or",
          "not",
          "empty",
          "toString",
          "lower",
          "upper",
          "trim",
          "int");

  private static final Set<String> UNRENDERED =
      Set.of(
          "include",
          "tpl",
          "toYaml",
          "toJson",
          "nindent",
          "indent",
          "b64enc",
          "b64dec",
          "printf",
          "print",
          "required",
          "fail",
          "list",
          "dict",
          "get",
          "hasKey",
          "semverCompare",
          "lookup",
          "randAlphaNum",
          "sha256sum",
          "trunc",
          "trimSuffix",
          "replace",
          "contains",
          "splitList",
          "join",
          "len",
          "index",
          "first");

  private boolean isFunction(String t) {
    return FUNCTIONS.contains(t) || UNRENDERED.contains(t);
  }

  private Object call(String f, List<Object> args, int at) {
    switch (f) {
      case "default":
        need(f, args, 2, at);
        return truthy(args.get(1)) ? args.get(1) : args.get(0);
      case "quote":
        return "\"" + display(args.isEmpty() ? null : args.get(args.size() - 1)) + "\"";
      case "squote":
        return "'" + display(args.isEmpty() ? null : args.get(args.size() - 1)) + "'";
      case "eq":
        need(f, args, 2, at);
        for (int i = 1; i < args.size(); i++) {
          if (same(args.get(0), args.get(i))) {
            return true;
          }
        }
        return false;
      case "ne":
        need(f, args, 2, at);
        return !same(args.get(0), args.get(1));
      case "lt":
      case "le":
      case "gt":
      case "ge":
        need(f, args, 2, at);
        return compare(f, args.get(0), args.get(1), at);
      case "and":
        {
          Object last = null;
          for (Object a : args) {
            last = a;
            if (!truthy(a)) {
              return a;
            }
          }
          return last;
        }
      case "or":
        {
          Object last = null;
          for (Object a : args) {
            last = a;
            if (truthy(a)) {
              return a;
            }
          }
          return last;
        }
      case "not":
        need(f, args, 1, at);
        return !truthy(args.get(0));
      case "empty":
        need(f, args, 1, at);
        return !truthy(args.get(0));
      case "toString":
        need(f, args, 1, at);
        return display(args.get(0));
      case "lower":
        need(f, args, 1, at);
        return display(args.get(0)).toLowerCase(java.util.Locale.ROOT);
      case "upper":
        need(f, args, 1, at);
        return display(args.get(0)).toUpperCase(java.util.Locale.ROOT);
      case "trim":
        need(f, args, 1, at);
        return display(args.get(0)).strip();
      case "int":
        need(f, args, 1, at);
        try {
          return new BigDecimal(display(args.get(0)).strip()).toBigInteger();
        } catch (NumberFormatException e) {
          return 0;
        }
      default:
        note(at, "function '" + f + "' is not rendered");
        return null;
    }
  }

  private void need(String f, List<Object> args, int n, int at) {
    if (args.size() < n) {
      throw error(at, "'" + f + "' needs " + n + " argument" + (n == 1 ? "" : "s"));
    }
  }

  private Object compare(String f, Object a, Object b, int at) {
    BigDecimal x = number(a);
    BigDecimal y = number(b);
    int c;
    if (x != null && y != null) {
      c = x.compareTo(y);
    } else {
      c = display(a).compareTo(display(b));
    }
    switch (f) {
      case "lt":
        return c < 0;
      case "le":
        return c <= 0;
      case "gt":
        return c > 0;
      default:
        return c >= 0;
    }
  }

  private static BigDecimal number(Object o) {
    if (o instanceof BigDecimal d) {
      return d;
    }
    if (o instanceof Number n) {
      return new BigDecimal(n.toString());
    }
    return null;
  }

  private static boolean same(Object a, Object b) {
    BigDecimal x = number(a);
    BigDecimal y = number(b);
    if (x != null && y != null) {
      return x.compareTo(y) == 0;
    }
    return Objects.equals(a, b);
  }

  /** Go template truth: false, 0, nil and empty strings, maps and lists are false. */
  static boolean truthy(Object o) {
    if (o == null) {
      return false;
    }
    if (o instanceof Boolean b) {
      return b;
    }
    if (o instanceof BigDecimal d) {
      return d.signum() != 0;
    }
    if (o instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (o instanceof String s) {
      return !s.isEmpty();
    }
    if (o instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    if (o instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    return true;
  }

  private static String display(Object o) {
    if (o == null) {
      return "";
    }
    if (o instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return o.toString();
  }

  private List<String> tokenize(String expr, int at) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < expr.length()) {
      char c = expr.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')' || c == '|') {
        out.add(String.valueOf(c));
        i++;
      } else if (c == '"') {
        StringBuilder sb = new StringBuilder("\"");
        i++;
        while (i < expr.length() && expr.charAt(i) != '"') {
          char d = expr.charAt(i);
          if (d == '\\' && i + 1 < expr.length()) {
            char e = expr.charAt(++i);
            sb.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
          } else {
            sb.append(d);
          }
          i++;
        }
        if (i >= expr.length()) {
          throw error(at, "a string in a template expression is never closed");
        }
        out.add(sb.append('"').toString());
        i++;
      } else if (c == '`') {
        int end = expr.indexOf('`', i + 1);
        if (end < 0) {
          throw error(at, "a raw string in a template expression is never closed");
        }
        out.add(expr.substring(i, end + 1));
        i = end + 1;
      } else {
        int start = i;
        while (i < expr.length()
            && !Character.isWhitespace(expr.charAt(i))
            && "()|\"`".indexOf(expr.charAt(i)) < 0) {
          i++;
        }
        out.add(expr.substring(start, i));
      }
    }
    return out;
  }

  private void note(int at, String what) {
    notes.add("line " + at + ": " + what);
  }

  private ConfigurationException error(int at, String problem) {
    return new ConfigurationException(source + " line " + at + ": " + problem);
  }
}
