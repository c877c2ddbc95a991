package io.olares.secrets.spi;

import java.util.Objects;

/**
 * An Olares provider permission an access needs: generation 1 names data type, group, version and
 * op (the op may carry a query string such as {@code RetrieveSecret?workspace=myapp}); generation 2
 * names the provider app and provider name. Unused fields are null.
 */
public record ProviderPermission(
    String dataType,
    String group,
    String version,
    String op,
    String providerApp,
    String providerName) {

  /** Validates that at least one form is complete. */
  public ProviderPermission {
    boolean gen1 = dataType != null && group != null && version != null && op != null;
    boolean gen2 = providerApp != null && providerName != null;
    if (!gen1 && !gen2) {
      throw new IllegalArgumentException(
          "a provider permission needs dataType, group, version and op, or providerApp and"
              + " providerName");
    }
  }

  /** A generation-1 permission. */
  public static ProviderPermission sysData(
      String dataType, String group, String version, String op) {
    return new ProviderPermission(Objects.requireNonNull(dataType), group, version, op, null, null);
  }

  /** The op name without its query string. */
  public String opName() {
    if (op == null) {
      return null;
    }
    int q = op.indexOf('?');
    return q < 0 ? op : op.substring(0, q);
  }
}
