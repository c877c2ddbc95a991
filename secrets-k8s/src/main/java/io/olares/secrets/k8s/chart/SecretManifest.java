package io.olares.secrets.k8s.chart;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.olares.secrets.SecretValue;
import io.olares.secrets.k8s.KubernetesSecretStore;
import io.olares.secrets.k8s.internal.KubeNames;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Kubernetes Secret manifest, rendered as YAML, and the {@code env} entries that read its keys
 * through {@code valueFrom.secretKeyRef}.
 *
 * <p>Keys come in two kinds: values ({@link Builder#put}), written base64-encoded under {@code
 * data} exactly as given, bytes included; and Helm template expressions ({@link
 * Builder#putTemplate}), written under {@code stringData} for Helm to fill in at install time, so
 * that a chart can move a plaintext {@code .Values} field into a Secret without the value ever
 * being written down.
 *
 * <p>{@link #toYaml()} contains the values (that is its purpose); {@link #toString()} does not.
 * {@link #close()} wipes the values held. Not thread-safe.
 */
public final class SecretManifest implements AutoCloseable {
  private final String name;
  private final String namespace;
  private final Map<String, String> labels;
  private final String type;
  private final boolean immutable;
  private final Map<String, SecretValue> data;
  private final Map<String, String> templates;

  private SecretManifest(Builder b) {
    this.name = b.name;
    this.namespace = b.namespace;
    this.labels = Map.copyOf(b.labels);
    this.type = b.type;
    this.immutable = b.immutable;
    this.data = new TreeMap<>(b.data);
    this.templates = new TreeMap<>(b.templates);
  }

  /** A builder for a Secret named {@code name} (template actions allowed). */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The Secret's name. */
  public String name() {
    return name;
  }

  /** Every key, values and templates together, sorted. */
  public List<String> keys() {
    TreeMap<String, Boolean> all = new TreeMap<>();
    data.keySet().forEach(k -> all.put(k, true));
    templates.keySet().forEach(k -> all.put(k, true));
    return List.copyOf(all.keySet());
  }

  /** The reference to one of this Secret's keys. */
  public SecretKeyRef ref(String key) {
    if (!data.containsKey(key) && !templates.containsKey(key)) {
      throw new IllegalArgumentException("Secret " + name + " has no key '" + key + "'");
    }
    return new SecretKeyRef(name, key);
  }

  /** An {@code env} entry named {@code variable} that reads {@code key}. */
  public EnvEntry env(String variable, String key) {
    return new EnvEntry(variable, ref(key));
  }

  /** One {@code env} entry per key, each variable named like its key. */
  public List<EnvEntry> envForAllKeys() {
    List<EnvEntry> out = new ArrayList<>();
    for (String key : keys()) {
      out.add(env(key, key));
    }
    return out;
  }

  /** The manifest as YAML ({@code apiVersion: v1}, {@code kind: Secret}, ...). */
  public String toYaml() {
    ObjectNode root = Yaml.MAPPER.createObjectNode();
    root.put("apiVersion", "v1");
    root.put("kind", "Secret");
    ObjectNode meta = root.putObject("metadata");
    meta.put("name", name);
    if (namespace != null) {
      meta.put("namespace", namespace);
    }
    if (!labels.isEmpty()) {
      ObjectNode l = meta.putObject("labels");
      new TreeMap<>(labels).forEach(l::put);
    }
    root.put("type", type);
    if (immutable) {
      root.put("immutable", true);
    }
    if (!data.isEmpty()) {
      ObjectNode d = root.putObject("data");
      for (Map.Entry<String, SecretValue> e : data.entrySet()) {
        byte[] bytes = e.getValue().revealBytes();
        try {
          d.put(e.getKey(), Base64.getEncoder().encodeToString(bytes));
        } finally {
          java.util.Arrays.fill(bytes, (byte) 0);
        }
      }
    }
    if (!templates.isEmpty()) {
      ObjectNode s = root.putObject("stringData");
      templates.forEach(s::put);
    }
    return Yaml.render(root);
  }

  /** Wipes the values held. */
  @Override
  public void close() {
    data.values().forEach(SecretValue::close);
  }

  /** Names and keys only. */
  @Override
  public String toString() {
    return "SecretManifest[" + name + ", keys=" + keys() + "]";
  }

  /** Builds a {@link SecretManifest}. */
  public static final class Builder {
    private final String name;
    private String namespace;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private String type = "Opaque";
    private boolean immutable;
    private final Map<String, SecretValue> data = new LinkedHashMap<>();
    private final Map<String, String> templates = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
      if (!name.contains("{{")) {
        KubeNames.checkSecretName(name);
      }
    }

    /** The namespace (template actions allowed, e.g. {@code {{ .Release.Namespace }}}). */
    public Builder namespace(String namespace) {
      if (namespace != null && !namespace.contains("{{")) {
        KubeNames.checkNamespace(namespace);
      }
      this.namespace = namespace;
      return this;
    }

    /** Adds a label. */
    public Builder label(String key, String value) {
      labels.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Labels the Secret as belonging to an Olares app. */
    public Builder app(String app) {
      return label(KubernetesSecretStore.APP_LABEL, app);
    }

    /** The Secret type (default {@code Opaque}). */
    public Builder type(String type) {
      this.type = Objects.requireNonNull(type, "type");
      return this;
    }

    /** Marks the Secret immutable: Kubernetes then refuses every change to its data. */
    public Builder immutable(boolean immutable) {
      this.immutable = immutable;
      return this;
    }

    /** Adds a key with its value (copied), written base64-encoded under {@code data}. */
    public Builder put(String key, SecretValue value) {
      checkNew(key);
      data.put(key, value.copy());
      return this;
    }

    /**
     * Adds a key whose value Helm fills in, written under {@code stringData}, e.g. {@code
     * putTemplate("DB_PASSWORD", "{{ .Values.postgres.password }}")}.
     */
    public Builder putTemplate(String key, String expression) {
      checkNew(key);
      templates.put(key, Objects.requireNonNull(expression, "expression"));
      return this;
    }

    private void checkNew(String key) {
      KubeNames.checkKey(Objects.requireNonNull(key, "key"));
      if (data.containsKey(key) || templates.containsKey(key)) {
        throw new IllegalArgumentException("key '" + key + "' is given twice");
      }
    }

    /** Builds the manifest; fails where its values exceed the 1 MiB a Secret may hold. */
    public SecretManifest build() {
      long total = 0;
      for (SecretValue v : data.values()) {
        total += v.length();
      }
      if (total > KubeNames.MAX_SECRET_BYTES) {
        throw new IllegalArgumentException(
            "Secret " + name + " would hold " + total + " bytes; the limit is 1 MiB");
      }
      return new SecretManifest(this);
    }
  }
}
