package io.olares.secrets.provider;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One provider operation as Olares names it: data type, group, version and op. The op may carry a
 * query string, which is part of its identity ({@code RetrieveSecret?workspace=myapp} and {@code
 * RetrieveSecret?workspace=other} are different ops to system-server).
 *
 * @param dataType the provider's data type, e.g. {@code secret}
 * @param group the provider group, e.g. {@code secret.infisical}
 * @param version the provider API version, e.g. {@code v1}
 * @param op the op with its query string, e.g. {@code RetrieveSecret?workspace=myapp}
 */
public record ProviderOp(String dataType, String group, String version, String op) {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern OP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]*(\\?[^\\s#]*)?");

  /** Validates every part: segments are URL-safe and the op has no spaces or fragments. */
  public ProviderOp {
    check("dataType", dataType, SEGMENT);
    check("group", group, SEGMENT);
    check("version", version, SEGMENT);
    check("op", op, OP);
    if (op.contains("..")) {
      throw new IllegalArgumentException("op must not contain '..'");
    }
  }

  private static void check(String what, String value, Pattern pattern) {
    Objects.requireNonNull(value, what);
    if (!pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " '" + value + "' is invalid: expected " + pattern.pattern());
    }
  }

  /** Shorthand for the constructor. */
  public static ProviderOp of(String dataType, String group, String version, String op) {
    return new ProviderOp(dataType, group, version, op);
  }

  /** The op name without its query string. */
  public String opName() {
    int q = op.indexOf('?');
    return q < 0 ? op : op.substring(0, q);
  }

  /** The query string without {@code ?}, or empty. */
  public String query() {
    int q = op.indexOf('?');
    return q < 0 ? "" : op.substring(q + 1);
  }

  /** This permission with another op on the same provider. */
  public ProviderOp withOp(String newOp) {
    return new ProviderOp(dataType, group, version, newOp);
  }

  @Override
  public String toString() {
    return dataType + "/" + group + "/" + version + "/" + op;
  }
}
