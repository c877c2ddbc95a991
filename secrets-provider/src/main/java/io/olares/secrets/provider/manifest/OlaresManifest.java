package io.olares.secrets.provider.manifest;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.policy.Grant;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The grants an app's {@code OlaresManifest.yaml} gives it, and the providers it offers.
 *
 * <p>The manifest is a Helm template. Before it is read as YAML, template actions are rendered with
 * the values of an optional values file (see {@link HelmTemplate}'s subset); without one, every
 * {@code .Values} lookup is empty, as Helm renders it with empty values, so an {@code if} on a
 * value takes its {@code else} branch and {@code default} supplies its fallback. What cannot be
 * rendered is left empty and listed in {@link #notes()}.
 *
 * <p>Read are: {@code metadata.name} (the grantee), {@code permission.sysData} (generation 1:
 * {@code dataType}, {@code group}, {@code version}, {@code ops} with their query strings, and the
 * provider-app fields {@code appName}, {@code svc}, {@code port}, {@code namespace}), {@code
 * permission.provider} (generation 2: {@code appName}, {@code providerName}, {@code namespace}) and
 * the app's own {@code provider} declarations. A manifest that cannot be read raises a {@link
 * ConfigurationException} naming the file and line.
 *
 * <p>Immutable and thread-safe.
 */
public final class OlaresManifest {
  private final String source;
  private final String app;
  private final List<Grant.SysDataGrant> sysData;
  private final List<Grant.ProviderGrant> providerGrants;
  private final List<ProviderDeclaration> providers;
  private final List<String> notes;

  private OlaresManifest(
      String source,
      String app,
      List<Grant.SysDataGrant> sysData,
      List<Grant.ProviderGrant> providerGrants,
      List<ProviderDeclaration> providers,
      List<String> notes) {
    this.source = source;
    this.app = app;
    this.sysData = List.copyOf(sysData);
    this.providerGrants = List.copyOf(providerGrants);
    this.providers = List.copyOf(providers);
    this.notes = List.copyOf(notes);
  }

  /**
   * Reads a manifest file, rendering its template with the values file where one is given.
   *
   * @param manifest the {@code OlaresManifest.yaml}
   * @param valuesOrNull a Helm values file, or null
   * @throws ConfigurationException naming the file (and line) that cannot be read
   */
  public static OlaresManifest parse(Path manifest, Path valuesOrNull) {
    Objects.requireNonNull(manifest, "manifest");
    String text = read(manifest);
    Map<String, Object> values = valuesOrNull == null ? Map.of() : values(valuesOrNull);
    return parse(text, manifest.toString(), values);
  }

  /**
   * Reads manifest text.
   *
   * @param text the manifest
   * @param source names the manifest in errors
   * @param values the Helm values; null or empty for none
   * @throws ConfigurationException naming the source and line that cannot be read
   */
  public static OlaresManifest parse(String text, String source, Map<String, ?> values) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(source, "source");
    @SuppressWarnings("unchecked")
    Map<String, Object> v = values == null ? Map.of() : (Map<String, Object>) values;
    HelmTemplate.Result rendered = HelmTemplate.render(source, text, v);
    Node root = compose(rendered.text(), source);
    return new Reader(source, rendered.notes()).read(root);
  }

  /** Reads a Helm values file into nested maps. */
  public static Map<String, Object> values(Path file) {
    String text = read(file);
    try {
      Object loaded = new Yaml(new LoaderOptions()).load(text);
      if (loaded == null) {
        return Map.of();
      }
      if (!(loaded instanceof Map<?, ?>)) {
        throw new ConfigurationException(file + ": a values file must be a mapping");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) loaded;
      return map;
    } catch (MarkedYAMLException e) {
      throw yamlError(file.toString(), e);
    } catch (YAMLException e) {
      throw new ConfigurationException(file + ": not valid YAML (" + e.getMessage() + ")");
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException(file + ": no such file");
    } catch (IOException e) {
      throw new ConfigurationException(
          file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static Node compose(String text, String source) {
    try {
      Node node = new Yaml(new LoaderOptions()).compose(new StringReader(text));
      if (node == null) {
        throw new ConfigurationException(source + ": the manifest is empty");
      }
      return node;
    } catch (MarkedYAMLException e) {
      throw yamlError(source, e);
    } catch (YAMLException e) {
      throw new ConfigurationException(source + ": not valid YAML (" + e.getMessage() + ")");
    }
  }

  private static ConfigurationException yamlError(String source, MarkedYAMLException e) {
    int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : -1;
    String problem = e.getProblem() != null ? e.getProblem() : "invalid YAML";
    String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
    return new ConfigurationException(
        source + (line > 0 ? " line " + line : "") + ": " + problem + context);
  }

  /** The file or name the manifest was read from. */
  public String source() {
    return source;
  }

  /** The app's name ({@code metadata.name}), the grantee of every grant; null where absent. */
  public String app() {
    return app;
  }

  /** Every grant: the sysData grants, then the provider grants. */
  public List<Grant> grants() {
    List<Grant> all = new ArrayList<>(sysData);
    all.addAll(providerGrants);
    return List.copyOf(all);
  }

  /** The generation-1 {@code permission.sysData} grants, in manifest order. */
  public List<Grant.SysDataGrant> sysDataGrants() {
    return sysData;
  }

  /** The generation-2 {@code permission.provider} grants, in manifest order. */
  public List<Grant.ProviderGrant> providerGrants() {
    return providerGrants;
  }

  /** The providers the app itself declares. */
  public List<ProviderDeclaration> providers() {
    return providers;
  }

  /** What the template renderer left out, as {@code line N: ...} lines. */
  public List<String> notes() {
    return notes;
  }

  /**
   * The grants and declarations as plain data ({@code app}, {@code sysData}, {@code provider},
   * {@code provides}), absent fields left out: the form {@link #toYaml()} prints.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("app", app);
    List<Object> sys = new ArrayList<>();
    for (Grant.SysDataGrant g : sysData) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dataType", g.dataType());
      m.put("group", g.group());
      m.put("version", g.version());
      m.put("ops", g.ops());
      putIfSet(m, "appName", g.appName());
      putIfSet(m, "svc", g.svc());
      putIfSet(m, "port", g.port());
      putIfSet(m, "namespace", g.namespace());
      sys.add(m);
    }
    out.put("sysData", sys);
    List<Object> prov = new ArrayList<>();
    for (Grant.ProviderGrant g : providerGrants) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("appName", g.appName());
      m.put("providerName", g.providerName());
      putIfSet(m, "namespace", g.namespace());
      prov.add(m);
    }
    out.put("provider", prov);
    List<Object> decl = new ArrayList<>();
    for (ProviderDeclaration d : providers) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", d.name());
      putIfSet(m, "entrance", d.entrance());
      m.put("paths", d.paths());
      m.put("verbs", d.verbs());
      decl.add(m);
    }
    out.put("provides", decl);
    return out;
  }

  private static void putIfSet(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  /** A printable YAML form of {@link #toMap()}, followed by the notes as comments. */
  public String toYaml() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndicatorIndent(2);
    options.setIndentWithIndicator(true);
    StringBuilder sb = new StringBuilder(new Yaml(options).dump(toMap()));
    for (String note : notes) {
      sb.append("# ").append(note).append('\n');
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "OlaresManifest["
        + source
        + ", app="
        + app
        + ", "
        + sysData.size()
        + " sysData, "
        + providerGrants.size()
        + " provider grants, "
        + providers.size()
        + " providers]";
  }

  /** Walks the composed YAML, naming the line of every problem. */
  private static final class Reader {
    private final String source;
    private final List<String> notes;

    Reader(String source, List<String> notes) {
      this.source = source;
      this.notes = notes;
    }

    OlaresManifest read(Node root) {
      Map<String, Node> top = mapping(root, "the manifest");
      String app = null;
      Node metadata = top.get("metadata");
      if (metadata != null && !isNull(metadata)) {
        app = optionalString(mapping(metadata, "metadata"), "name", "metadata");
      }
      List<Grant.SysDataGrant> sysData = new ArrayList<>();
      List<Grant.ProviderGrant> providerGrants = new ArrayList<>();
      Node permission = top.get("permission");
      if (permission != null && !isNull(permission)) {
        Map<String, Node> perm = mapping(permission, "permission");
        for (Node entry : sequence(perm.get("sysData"), "permission.sysData")) {
          sysData.add(sysDataGrant(app, entry));
        }
        for (Node entry : sequence(perm.get("provider"), "permission.provider")) {
          Map<String, Node> m = mapping(entry, "a permission.provider entry");
          providerGrants.add(
              new Grant.ProviderGrant(
                  app,
                  requiredString(m, "appName", entry, "permission.provider"),
                  requiredString(m, "providerName", entry, "permission.provider"),
                  optionalString(m, "namespace", "permission.provider")));
        }
      }
      List<ProviderDeclaration> providers = new ArrayList<>();
      for (Node entry : sequence(top.get("provider"), "provider")) {
        Map<String, Node> m = mapping(entry, "a provider entry");
        providers.add(
            new ProviderDeclaration(
                requiredString(m, "name", entry, "provider"),
                optionalString(m, "entrance", "provider"),
                strings(m.get("paths"), "provider paths"),
                strings(m.get("verbs"), "provider verbs")));
      }
      return new OlaresManifest(source, app, sysData, providerGrants, providers, notes);
    }

    private Grant.SysDataGrant sysDataGrant(String app, Node entry) {
      Map<String, Node> m = mapping(entry, "a permission.sysData entry");
      String where = "permission.sysData";
      List<String> ops = strings(m.get("ops"), "permission.sysData ops");
      if (ops.isEmpty()) {
        throw error(entry, "a permission.sysData entry needs at least one op in 'ops'");
      }
      Integer port = null;
      Node portNode = m.get("port");
      if (portNode != null && !isNull(portNode)) {
        String text = scalar(portNode, "port");
        try {
          port = Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
          throw error(portNode, "port '" + text + "' is not a number");
        }
        if (port < 1 || port > 65535) {
          throw error(portNode, "port " + port + " is out of range");
        }
      }
      return new Grant.SysDataGrant(
          app,
          requiredString(m, "dataType", entry, where),
          requiredString(m, "group", entry, where),
          requiredString(m, "version", entry, where),
          ops,
          optionalString(m, "appName", where),
          optionalString(m, "svc", where),
          port,
          optionalString(m, "namespace", where));
    }

    private Map<String, Node> mapping(Node node, String what) {
      if (!(node instanceof MappingNode mn)) {
        throw error(node, what + " must be a mapping");
      }
      Map<String, Node> out = new LinkedHashMap<>();
      Set<String> seen = new HashSet<>();
      for (NodeTuple t : mn.getValue()) {
        String key = scalar(t.getKeyNode(), "a key");
        if (!seen.add(key)) {
          throw error(t.getKeyNode(), "the key '" + key + "' appears twice in " + what);
        }
        out.put(key, t.getValueNode());
      }
      return out;
    }

    private List<Node> sequence(Node node, String what) {
      if (node == null || isNull(node)) {
        return List.of();
      }
      if (!(node instanceof SequenceNode sn)) {
        throw error(node, what + " must be a list");
      }
      return sn.getValue();
    }

    private List<String> strings(Node node, String what) {
      if (node == null || isNull(node)) {
        return List.of();
      }
      if (node instanceof ScalarNode) {
        return List.of(scalar(node, what));
      }
      List<String> out = new ArrayList<>();
      for (Node n : sequence(node, what)) {
        out.add(scalar(n, what));
      }
      return out;
    }

    private String requiredString(Map<String, Node> m, String key, Node entry, String where) {
      Node n = m.get(key);
      if (n == null || isNull(n)) {
        throw error(entry, "a " + where + " entry needs '" + key + "'");
      }
      String s = scalar(n, key);
      if (s.isBlank()) {
        throw error(n, "'" + key + "' in " + where + " is empty");
      }
      return s;
    }

    private String optionalString(Map<String, Node> m, String key, String where) {
      Node n = m.get(key);
      if (n == null || isNull(n)) {
        return null;
      }
      String s = scalar(n, key + " in " + where);
      return s.isEmpty() ? null : s;
    }

    private String scalar(Node node, String what) {
      if (!(node instanceof ScalarNode sn)) {
        throw error(node, what + " must be a single value");
      }
      return sn.getValue();
    }

    private static boolean isNull(Node node) {
      return node instanceof ScalarNode sn && sn.getTag().getValue().endsWith(":null");
    }

    private ConfigurationException error(Node node, String problem) {
      int line = node.getStartMark() == null ? -1 : node.getStartMark().getLine() + 1;
      return new ConfigurationException(
          source + (line > 0 ? " line " + line : "") + ": " + problem);
    }
  }
}
