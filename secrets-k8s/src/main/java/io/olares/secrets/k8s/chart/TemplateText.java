package io.olares.secrets.k8s.chart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Helm template (YAML with Go template actions, which as it stands is not YAML) into text a
 * YAML parser accepts, without losing line numbers: every action {@code {{ ... }}} becomes a
 * placeholder token that can be mapped back; a line holding nothing but actions ({@code {{- if }}},
 * {@code {{- end }}}, {@code {{ include ... | nindent 4 }}}) becomes empty, and where such an
 * action produces text of its own (include, toYaml, tpl, template), a note says it was not
 * analysed. String literals and comments inside actions are respected, so a {@code }}} inside a
 * quoted string does not end the action. An action that is never closed ends at the end of its
 * line.
 */
final class TemplateText {
  private static final Pattern PLACEHOLDER = Pattern.compile("__tpl(\\d+)__");
  private static final Pattern ONLY_PLACEHOLDERS = Pattern.compile("\\s*(__tpl\\d+__\\s*)+");
  private static final Pattern GENERATOR =
      Pattern.compile("\\b(include|template|toYaml|toJson|tpl|\\.Files\\.[A-Za-z]+|range)\\b");

  /** A line's worth of explanation about what was not analysed. */
  record Note(int line, String reason) {}

  private final String yaml;
  private final Map<String, String> actions;
  private final List<Note> notes;

  private TemplateText(String yaml, Map<String, String> actions, List<Note> notes) {
    this.yaml = yaml;
    this.actions = actions;
    this.notes = notes;
  }

  /** The YAML-shaped text; line N here is line N of the template. */
  String yaml() {
    return yaml;
  }

  /** What was left out, by line. */
  List<Note> notes() {
    return notes;
  }

  /** Puts the original actions back into a text taken from {@link #yaml()}. */
  String restore(String text) {
    if (text == null || text.indexOf("__tpl") < 0) {
      return text;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String action = actions.get(m.group());
      m.appendReplacement(sb, Matcher.quoteReplacement(action == null ? m.group() : action));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** The action a placeholder stands for, or null. */
  String action(String placeholder) {
    return actions.get(placeholder);
  }

  /** Every placeholder in {@code text}, in order. */
  static List<String> placeholders(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text == null ? "" : text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** Preprocesses a template's text. */
  static TemplateText of(String source) {
    Map<String, String> actions = new LinkedHashMap<>();
    List<Note> notes = new ArrayList<>();
    StringBuilder out = new StringBuilder(source.length());
    int line = 1;
    int i = 0;
    while (i < source.length()) {
      if (source.startsWith("{{", i)) {
        int close = actionEnd(source, i + 2);
        int end;
        if (close < 0) {
          int nl = source.indexOf('\n', i);
          end = nl < 0 ? source.length() : nl;
          notes.add(
              new Note(
                  line, "a template action is not closed; the rest of the line" + " was ignored"));
        } else {
          end = close + 2;
        }
        String action = source.substring(i, end);
        String placeholder = "__tpl" + actions.size() + "__";
        actions.put(placeholder, action);
        out.append(placeholder);
        int newlines = count(action, '\n');
        for (int k = 0; k < newlines; k++) {
          out.append('\n');
        }
        line += newlines;
        i = end;
      } else {
        char c = source.charAt(i++);
        out.append(c);
        if (c == '\n') {
          line++;
        }
      }
    }
    String[] lines = out.toString().split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      if (ONLY_PLACEHOLDERS.matcher(lines[n]).matches()) {
        for (String p : placeholders(lines[n])) {
          Matcher g = GENERATOR.matcher(actions.get(p));
          if (g.find()) {
            notes.add(new Note(n + 1, "text produced by '" + g.group(1) + "' was not analysed"));
            break;
          }
        }
        lines[n] = "";
      }
    }
    return new TemplateText(String.join("\n", lines), actions, notes);
  }

  /** The index of the {@code }}} that ends an action whose body starts at {@code from}, or -1. */
  private static int actionEnd(String s, int from) {
    int j = from;
    while (j < s.length()) {
      char c = s.charAt(j);
      if (s.startsWith("/*", j)) {
        int e = s.indexOf("*/", j + 2);
        if (e < 0) {
          return -1;
        }
        j = e + 2;
      } else if (c == '"' || c == '\'') {
        j = skipQuoted(s, j, c);
        if (j < 0) {
          return -1;
        }
      } else if (c == '`') {
        int e = s.indexOf('`', j + 1);
        if (e < 0) {
          return -1;
        }
        j = e + 1;
      } else if (s.startsWith("}}", j)) {
        return j;
      } else if (c == '\n' && s.startsWith("{{", j + 1)) {
        return -1; // a new action starts before this one closed
      } else {
        j++;
      }
    }
    return -1;
  }

  private static int skipQuoted(String s, int start, char quote) {
    for (int j = start + 1; j < s.length(); j++) {
      char c = s.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == quote) {
        return j + 1;
      } else if (c == '\n') {
        return -1;
      }
    }
    return -1;
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
}
