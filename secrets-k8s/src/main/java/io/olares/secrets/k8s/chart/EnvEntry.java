package io.olares.secrets.k8s.chart;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A container {@code env} entry that takes its value from a Secret: {@code - name: X, valueFrom: {
 * secretKeyRef: { name, key } } }. The value itself never appears in the pod spec.
 *
 * @param name the environment variable
 * @param ref the Secret key it reads
 */
public record EnvEntry(String name, SecretKeyRef ref) {
  /** Validates. */
  public EnvEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ref, "ref");
    if (name.isEmpty()
        || name.indexOf('=') >= 0
        || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          "environment variable name '" + name + "' is empty or holds '=' or a control character");
    }
  }

  /** The entry as YAML, one list item. */
  public String toYaml() {
    return Yaml.render(List.of(toNode()));
  }

  /** Several entries as the YAML list that goes under a container's {@code env:}. */
  public static String toYaml(List<EnvEntry> entries) {
    return Yaml.render(entries.stream().map(EnvEntry::toNode).toList());
  }

  ObjectNode toNode() {
    ObjectNode entry = Yaml.MAPPER.createObjectNode();
    entry.put("name", name);
    ObjectNode ref = entry.putObject("valueFrom").putObject("secretKeyRef");
    ref.put("name", this.ref.name());
    ref.put("key", this.ref.key());
    return entry;
  }
}
