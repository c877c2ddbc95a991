package io.olares.secrets.policy;

import io.olares.secrets.Operation;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A permission given to an app, as data: from configuration, or parsed from the app's {@code
 * OlaresManifest.yaml}. A grant is needed to reach credentials and integration credentials; it
 * never lifts the approval-per-use rule of vault items nor opens another app's own credentials.
 */
public sealed interface Grant permits Grant.RefGrant, Grant.SysDataGrant, Grant.ProviderGrant {

  /** The app the grant is for; null means the configured app. */
  String grantee();

  /**
   * Grants operations on references matching a pattern. In the pattern {@code *} matches within one
   * segment and {@code **} matches any number of segments: {@code infisical://shared/prod/**}.
   *
   * @param grantee the app the grant is for; null for the configured app
   * @param pattern the reference pattern
   * @param operations the operations granted
   */
  record RefGrant(String grantee, String pattern, Set<Operation> operations) implements Grant {
    /** Validates. */
    public RefGrant {
      Objects.requireNonNull(pattern, "pattern");
      operations = Set.copyOf(operations);
    }
  }

  /**
   * A generation-1 {@code permission.sysData} entry. An op matches a requested op exactly, or when
   * the granted op has no query string and equals the requested op's name.
   *
   * @param grantee the app the grant is for; null for the configured app
   * @param dataType the provider's data type, e.g. {@code secret}
   * @param group the provider group, e.g. {@code secret.infisical}
   * @param version the provider API version, e.g. {@code v1}
   * @param ops the granted ops, each possibly with a query string
   * @param appName the provider app (ProviderRegistry v2 form); may be null
   * @param svc the provider service; may be null
   * @param port the provider port; may be null
   * @param namespace the provider namespace; may be null
   */
  record SysDataGrant(
      String grantee,
      String dataType,
      String group,
      String version,
      List<String> ops,
      String appName,
      String svc,
      Integer port,
      String namespace)
      implements Grant {
    /** Validates. */
    public SysDataGrant {
      Objects.requireNonNull(dataType, "dataType");
      Objects.requireNonNull(group, "group");
      Objects.requireNonNull(version, "version");
      ops = List.copyOf(ops);
    }

    /** True where this grant covers {@code requestedOp} by the server's rule. */
    public boolean covers(String requestedOp) {
      int q = requestedOp.indexOf('?');
      String name = q < 0 ? requestedOp : requestedOp.substring(0, q);
      for (String op : ops) {
        if (op.equals(requestedOp) || op.equals(name)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * A generation-2 {@code permission.provider} entry: access to a provider app's API.
   *
   * @param grantee the app the grant is for; null for the configured app
   * @param appName the provider app
   * @param providerName the provider's name
   * @param namespace the provider's namespace; may be null
   */
  record ProviderGrant(String grantee, String appName, String providerName, String namespace)
      implements Grant {
    /** Validates. */
    public ProviderGrant {
      Objects.requireNonNull(appName, "appName");
      Objects.requireNonNull(providerName, "providerName");
    }
  }
}
