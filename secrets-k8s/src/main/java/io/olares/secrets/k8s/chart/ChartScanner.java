package io.olares.secrets.k8s.chart;

import io.olares.secrets.k8s.chart.YamlTree.Entry;
import io.olares.secrets.k8s.chart.YamlTree.ListNode;
import io.olares.secrets.k8s.chart.YamlTree.MapNode;
import io.olares.secrets.k8s.chart.YamlTree.Node;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds secrets a Helm chart puts into pod environments in plain text, and Secret references that
 * point nowhere.
 *
 * <p>It reads every template under {@code templates/} (and under unpacked subcharts in {@code
 * charts/}), skipping {@code _*} helper files. Templates are YAML with Go template actions, which
 * is not YAML as it stands: actions are replaced by placeholders, lines holding only actions
 * ({@code if}, {@code range}, {@code include ... | nindent}) are set aside, and a line that is
 * still not YAML is ignored after a note. Each container's {@code env} and {@code envFrom} is then
 * checked:
 *
 * <ul>
 *   <li>a {@code value} that is a {@code .Values} field named like a password, token, secret or key
 *       ({@code plaintext from .Values.postgres.password});
 *   <li>a connection URL whose user-info holds a password ({@code connection URL embeds ...});
 *   <li>a literal value in a variable whose name is secret-like;
 *   <li>a {@code secretKeyRef} or {@code envFrom.secretRef} to a Secret the chart does not define
 *       (a warning: it may exist in the cluster), or to a key the chart's Secret does not have.
 * </ul>
 *
 * <p>The scan never fails on a template it cannot read or parse: it reports what it skipped in
 * {@link ScanResult#skipped()}. Output names fields and rules, never values.
 */
public final class ChartScanner {
  private static final long MAX_FILE_BYTES = 4L * 1024 * 1024;
  private static final int MAX_REPAIRS = 5;
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("^(---|\\.\\.\\.)(\\s.*)?$");
  private static final Pattern URL_USERINFO =
      Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://([^/@\\s]*)@");
  private static final Pattern VALUES_PATH =
      Pattern.compile(
          "(?<![A-Za-z0-9_])(?:\\$[A-Za-z0-9_]*)?\\.Values((?:\\.[A-Za-z_][A-Za-z0-9_-]*)+)");
  private static final Pattern ACTION =
      Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}", Pattern.DOTALL);
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\([A-Za-z_][A-Za-z0-9_]*\\)");
  private static final Set<String> CONTAINER_LISTS =
      Set.of("containers", "initContainers", "ephemeralContainers");
  private static final Set<String> HARMLESS_LITERALS =
      Set.of("true", "false", "yes", "no", "on", "off", "null", "~");
  private static final String MAY_EXIST =
      ", which the chart does not define (it may exist in the cluster: a warning, not an error)";

  private final Path chartDir;
  private final String chartName;
  private final List<Finding> findings = new ArrayList<>();
  private final List<Skipped> skipped = new ArrayList<>();
  private final Map<String, SecretDefinition> secrets = new LinkedHashMap<>();
  private final List<Reference> references = new ArrayList<>();

  private record SecretDefinition(String name, String file, Set<String> keys, boolean keysKnown) {}

  private record Reference(
      String file, int line, String container, String variable, String secret, String key) {}

  private ChartScanner(Path chartDir) {
    this.chartDir = chartDir;
    this.chartName = readChartName(chartDir);
  }

  /**
   * Scans the chart in {@code chartDir}.
   *
   * @throws IllegalArgumentException where {@code chartDir} is not a chart directory (no {@code
   *     Chart.yaml} and no {@code templates/})
   */
  public static ScanResult scan(Path chartDir) {
    if (!Files.isDirectory(chartDir)) {
      throw new IllegalArgumentException(chartDir + " is not a directory");
    }
    if (!Files.isRegularFile(chartDir.resolve("Chart.yaml"))
        && !Files.isDirectory(chartDir.resolve("templates"))) {
      throw new IllegalArgumentException(
          chartDir + " is not a Helm chart: it has neither Chart.yaml nor templates/");
    }
    ChartScanner scanner = new ChartScanner(chartDir);
    for (Path file : scanner.templateFiles()) {
      scanner.scanFile(file);
    }
    scanner.checkReferences();
    scanner.findings.sort(
        Comparator.comparing(Finding::severity)
            .thenComparing(Finding::file)
            .thenComparingInt(Finding::line));
    return new ScanResult(scanner.chartName, scanner.findings, scanner.skipped);
  }

  // ---------------------------------------------------------------------------------- files

  private List<Path> templateFiles() {
    List<Path> files = new ArrayList<>();
    addTemplates(chartDir.resolve("templates"), files);
    Path charts = chartDir.resolve("charts");
    if (Files.isDirectory(charts)) {
      try (Stream<Path> subcharts = Files.list(charts)) {
        for (Path sub : subcharts.sorted().toList()) {
          String name = sub.getFileName().toString();
          if (Files.isDirectory(sub)) {
            addTemplates(sub.resolve("templates"), files);
          } else if (name.endsWith(".tgz") || name.endsWith(".tar.gz")) {
            skipped.add(
                new Skipped(relative(sub), 0, "packaged subchart not scanned; unpack it to scan"));
          }
        }
      } catch (IOException e) {
        skipped.add(new Skipped(relative(charts), 0, "cannot be listed"));
      }
    }
    files.sort(Comparator.comparing(this::relative));
    return files;
  }

  private void addTemplates(Path dir, List<Path> out) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return !n.startsWith("_")
                    && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
              })
          .forEach(out::add);
    } catch (IOException | RuntimeException e) {
      skipped.add(new Skipped(relative(dir), 0, "cannot be listed completely"));
    }
  }

  private void scanFile(Path file) {
    String rel = relative(file);
    String text;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        skipped.add(new Skipped(rel, 0, "larger than 4 MiB; not scanned"));
        return;
      }
      text = decode(Files.readAllBytes(file));
    } catch (CharacterCodingException e) {
      skipped.add(new Skipped(rel, 0, "not UTF-8 text; not scanned"));
      return;
    } catch (IOException e) {
      skipped.add(new Skipped(rel, 0, "cannot be read (" + e.getClass().getSimpleName() + ")"));
      return;
    }
    try {
      scanText(rel, text);
    } catch (RuntimeException | StackOverflowError e) {
      skipped.add(
          new Skipped(rel, 0, "could not be analysed (" + e.getClass().getSimpleName() + ")"));
    }
  }

  private void scanText(String rel, String text) {
    TemplateText template = TemplateText.of(text);
    for (TemplateText.Note note : template.notes()) {
      skipped.add(new Skipped(rel, note.line(), note.reason()));
    }
    String[] lines = template.yaml().split("\n", -1);
    int start = 0;
    for (int i = 0; i <= lines.length; i++) {
      if (i == lines.length || DOCUMENT_SEPARATOR.matcher(lines[i]).matches()) {
        if (i > start) {
          String[] doc = java.util.Arrays.copyOfRange(lines, start, i);
          boolean generated = generatedBetween(template, start + 1, i);
          parseDocument(rel, doc, start).ifPresent(root -> analyse(rel, root, template, generated));
        }
        start = i + 1;
      }
    }
  }

  private static boolean generatedBetween(TemplateText template, int first, int last) {
    return template.notes().stream().anyMatch(n -> n.line() >= first && n.line() <= last);
  }

  private Optional<Node> parseDocument(String rel, String[] lines, int offset) {
    for (int repair = 0; ; repair++) {
      try {
        return YamlTree.parse(String.join("\n", lines), offset);
      } catch (YamlTree.ParseFailure failure) {
        int bad = failure.line() - 1;
        if (repair >= MAX_REPAIRS || bad < 0 || bad >= lines.length || lines[bad].isBlank()) {
          skipped.add(
              new Skipped(
                  rel,
                  offset + 1,
                  "document is not YAML even without template directives;" + " not scanned"));
          return Optional.empty();
        }
        skipped.add(new Skipped(rel, offset + bad + 1, "line is not YAML; ignored"));
        lines[bad] = "";
      }
    }
  }

  // ---------------------------------------------------------------------------------- analysis

  private void analyse(String rel, Node root, TemplateText t, boolean generated) {
    if (!(root instanceof MapNode doc)) {
      return;
    }
    String kind = t.restore(doc.text("kind").orElse(""));
    if (kind.equals("Secret")) {
      defineSecret(rel, doc, t, generated);
    }
    findContainers(rel, doc, t);
  }

  private void defineSecret(String rel, MapNode doc, TemplateText t, boolean generated) {
    Optional<String> name = doc.map("metadata").flatMap(m -> m.text("name")).map(t::restore);
    if (name.isEmpty()) {
      return;
    }
    Set<String> keys = new LinkedHashSet<>();
    boolean known = !generated;
    for (String section : List.of("data", "stringData")) {
      Optional<Node> node = doc.get(section);
      if (node.isEmpty() || node.get() instanceof YamlTree.Scalar s && s.text() == null) {
        continue;
      }
      if (!(node.get() instanceof MapNode map)) {
        known = false;
        continue;
      }
      for (Entry e : map.entries()) {
        String key = t.restore(e.key());
        if (key.contains("{{")) {
          known = false;
        } else {
          keys.add(key);
        }
      }
    }
    boolean keysKnown = known;
    secrets.merge(
        canonical(name.get()),
        new SecretDefinition(name.get(), rel, keys, keysKnown),
        (a, b) -> {
          Set<String> union = new LinkedHashSet<>(a.keys());
          union.addAll(b.keys());
          return new SecretDefinition(a.name(), a.file(), union, a.keysKnown() && b.keysKnown());
        });
  }

  private void findContainers(String rel, Node node, TemplateText t) {
    if (node instanceof MapNode map) {
      for (Entry e : map.entries()) {
        if (CONTAINER_LISTS.contains(e.key()) && e.value() instanceof ListNode list) {
          for (Node item : list.items()) {
            if (item instanceof MapNode container) {
              container(rel, container, t);
            }
          }
        } else {
          findContainers(rel, e.value(), t);
        }
      }
    } else if (node instanceof ListNode list) {
      for (Node item : list.items()) {
        findContainers(rel, item, t);
      }
    }
  }

  private void container(String rel, MapNode c, TemplateText t) {
    String container = t.restore(c.text("name").orElse("(unnamed)"));
    for (Node item : c.list("env").map(ListNode::items).orElse(List.of())) {
      if (!(item instanceof MapNode env)) {
        continue;
      }
      Optional<String> variable = env.text("name").map(t::restore);
      if (variable.isEmpty()) {
        continue;
      }
      int line = env.entries().isEmpty() ? env.line() : env.entries().get(0).line();
      env.text("value")
          .ifPresent(value -> checkValue(rel, line, container, variable.get(), value, t));
      env.map("valueFrom")
          .flatMap(v -> v.map("secretKeyRef"))
          .ifPresent(
              ref ->
                  references.add(
                      new Reference(
                          rel,
                          line,
                          container,
                          variable.get(),
                          ref.text("name").map(t::restore).orElse(null),
                          ref.text("key").map(t::restore).orElse(null))));
    }
    for (Node item : c.list("envFrom").map(ListNode::items).orElse(List.of())) {
      if (item instanceof MapNode from) {
        int line = from.entries().isEmpty() ? from.line() : from.entries().get(0).line();
        from.map("secretRef")
            .ifPresent(
                ref ->
                    references.add(
                        new Reference(
                            rel,
                            line,
                            container,
                            null,
                            ref.text("name").map(t::restore).orElse(null),
                            null)));
      }
    }
  }

  /** Checks an env {@code value}, given with placeholders for its template actions. */
  private void checkValue(
      String rel, int line, String container, String variable, String value, TemplateText t) {
    String text = value.trim();
    Matcher url = URL_USERINFO.matcher(text);
    if (url.find()) {
      String userinfo = url.group(1);
      int colon = userinfo.indexOf(':');
      String secretPart = colon >= 0 ? userinfo.substring(colon + 1) : userinfo;
      List<String> paths = valuesPaths(secretPart, t);
      if (!paths.isEmpty()) {
        String path =
            paths.stream().filter(ChartScanner::secretLikePath).findFirst().orElse(paths.get(0));
        add(rel, line, container, variable, "connection URL embeds " + path);
      } else if (colon >= 0
          && !secretPart.isEmpty()
          && TemplateText.placeholders(secretPart).isEmpty()) {
        add(rel, line, container, variable, "connection URL embeds a literal password");
      }
      return;
    }
    List<String> placeholders = TemplateText.placeholders(text);
    if (!placeholders.isEmpty()) {
      Optional<String> path =
          valuesPaths(text, t).stream().filter(ChartScanner::secretLikePath).findFirst();
      if (path.isPresent()) {
        boolean whole = placeholders.size() == 1 && text.equals(placeholders.get(0));
        add(
            rel,
            line,
            container,
            variable,
            (whole ? "plaintext from " : "value embeds ") + path.get());
      }
      return;
    }
    if (SecretNames.secretLike(variable) && !harmless(text)) {
      add(rel, line, container, variable, "literal value in a secret-like variable");
    }
  }

  private static boolean harmless(String literal) {
    return literal.isEmpty()
        || HARMLESS_LITERALS.contains(literal.toLowerCase(java.util.Locale.ROOT))
        || ENV_REFERENCE.matcher(literal).matches();
  }

  private static boolean secretLikePath(String path) {
    return SecretNames.secretLike(path.substring(path.lastIndexOf('.') + 1));
  }

  /** The {@code .Values} paths the actions in {@code text} read, in order. */
  private static List<String> valuesPaths(String text, TemplateText t) {
    List<String> out = new ArrayList<>();
    for (String placeholder : TemplateText.placeholders(text)) {
      String action = t.action(placeholder);
      if (action == null) {
        continue;
      }
      Matcher m = VALUES_PATH.matcher(action);
      while (m.find()) {
        out.add(".Values" + m.group(1));
      }
    }
    return out;
  }

  private void add(String rel, int line, String container, String variable, String reason) {
    findings.add(new Finding(rel, line, container, variable, reason, Severity.ERROR));
  }

  private void checkReferences() {
    for (Reference r : references) {
      String what = r.variable() == null ? "envFrom secretRef" : "secretKeyRef";
      if (r.secret() == null || r.secret().isBlank()) {
        findings.add(
            new Finding(
                r.file(),
                r.line(),
                r.container(),
                r.variable(),
                what + " names no Secret",
                Severity.ERROR));
        continue;
      }
      SecretDefinition def = secrets.get(canonical(r.secret()));
      if (def == null) {
        findings.add(
            new Finding(
                r.file(),
                r.line(),
                r.container(),
                r.variable(),
                what + " to Secret " + r.secret() + MAY_EXIST,
                Severity.WARNING));
      } else if (r.key() != null
          && !r.key().contains("{{")
          && def.keysKnown()
          && !def.keys().contains(r.key())) {
        findings.add(
            new Finding(
                r.file(),
                r.line(),
                r.container(),
                r.variable(),
                "secretKeyRef to key "
                    + r.key()
                    + ", which Secret "
                    + r.secret()
                    + " (defined in "
                    + def.file()
                    + ") does not have",
                Severity.ERROR));
      }
    }
  }

  /** A Secret name with its template actions normalised, so equal templates compare equal. */
  private String canonical(String name) {
    Matcher m = ACTION.matcher(name.trim());
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String inner = m.group(1).replaceAll("\\s+", " ").trim();
      String replacement =
          chartName != null && (inner.equals(".Chart.Name") || inner.equals("$.Chart.Name"))
              ? chartName
              : "{{" + inner + "}}";
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------- helpers

  private String relative(Path p) {
    return chartDir.relativize(p).toString().replace('\\', '/');
  }

  private static String decode(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  private static String readChartName(Path chartDir) {
    Path chart = chartDir.resolve("Chart.yaml");
    try {
      if (!Files.isRegularFile(chart) || Files.size(chart) > MAX_FILE_BYTES) {
        return null;
      }
      TemplateText t = TemplateText.of(decode(Files.readAllBytes(chart)));
      return YamlTree.parse(t.yaml(), 0)
          .filter(MapNode.class::isInstance)
          .map(MapNode.class::cast)
          .flatMap(m -> m.text("name"))
          .map(t::restore)
          .orElse(null);
    } catch (IOException | YamlTree.ParseFailure | RuntimeException e) {
      return null;
    }
  }
}
