package io.olares.secrets.policy;

import io.olares.secrets.Classification;
import io.olares.secrets.Operation;
import io.olares.secrets.spi.ProviderPermission;
import io.olares.secrets.spi.ResourceInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The built-in policy: default deny, with one rule per classification.
 *
 * <ol>
 *   <li>The calling app's deny list wins over everything: a match is denied.
 *   <li>{@link Classification#VAULT_ITEM vault items}: reading and signing need a fresh approval
 *       for every use; no grant or allow list lifts that. Writing, deleting and listing are
 *       allowed.
 *   <li>{@link Classification#APPLICATION_CREDENTIAL application credentials}: only the app that
 *       owns them ({@link ResourceInfo#owner()}), whatever grants or allow lists say.
 *   <li>{@link Classification#CREDENTIAL credentials} and {@link
 *       Classification#INTEGRATION_CREDENTIAL integration credentials}: allowed where a grant for
 *       the calling app covers the access (a reference grant on the reference and operation, a
 *       sysData grant on the resource's provider permission, a provider grant on its provider), or
 *       where the app's allow list matches the reference.
 *   <li>{@link Classification#POD_SECRET pod secrets}: allowed in the app's own namespace ({@code
 *       <app>-<user>}, or {@code <app>-<one segment>} where no user is configured); another
 *       namespace needs an allow list entry. The per-user and cluster system namespaces ({@code
 *       user-system-*}, {@code user-space-*}, {@code os-*}) are never anyone's own.
 * </ol>
 *
 * <p>A grant whose grantee names another app does not apply; a grant without a grantee is for the
 * configured app ({@link PolicyConfig#app()}), or for any caller where no app is configured.
 * Reasons name apps, references, namespaces and permissions, never values, so they are safe to log
 * and to show. Immutable and thread-safe; {@link #decide} does no I/O.
 */
public final class DefaultPolicy implements Policy {
  private static final Pattern USER_SEGMENT = Pattern.compile("[a-z0-9]+");
  private static final List<String> SYSTEM_NAMESPACE_PREFIXES =
      List.of("user-system-", "user-space-", "os-");

  private final PolicyConfig config;
  private final List<CompiledGrant> grants;

  private record CompiledGrant(Grant grant, RefPattern pattern) {}

  /**
   * A policy over {@code config}.
   *
   * @throws io.olares.secrets.ConfigurationException where a grant's pattern is invalid
   */
  public DefaultPolicy(PolicyConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    List<CompiledGrant> compiled = new ArrayList<>();
    for (Grant g : config.grants()) {
      RefPattern p = null;
      if (g instanceof Grant.RefGrant) {
        p = RefPattern.compile(((Grant.RefGrant) g).pattern());
      }
      compiled.add(new CompiledGrant(g, p));
    }
    this.grants = List.copyOf(compiled);
  }

  /** The built-in rules only: no grants, no lists. */
  public static DefaultPolicy builtIn() {
    return new DefaultPolicy(PolicyConfig.empty());
  }

  /** The configuration this policy decides from. */
  public PolicyConfig config() {
    return config;
  }

  @Override
  public Decision decide(AccessRequest request) {
    Objects.requireNonNull(request, "request");
    PolicyConfig.AppRules rules = config.rulesFor(request.app());
    for (RefPattern p : rules.deny()) {
      if (p.matches(request.ref())) {
        return Decision.deny(
            "app '"
                + request.app()
                + "' may not "
                + request.operation().wireName()
                + " "
                + request.ref().base()
                + ": its deny list entry '"
                + p
                + "' matches");
      }
    }
    switch (request.resource().classification()) {
      case VAULT_ITEM:
        return vaultItem(request);
      case APPLICATION_CREDENTIAL:
        return applicationCredential(request);
      case CREDENTIAL:
      case INTEGRATION_CREDENTIAL:
        return granted(request, rules);
      case POD_SECRET:
        return podSecret(request, rules);
      default:
        return Decision.deny(
            "no rule for classification " + request.resource().classification() + "; denied");
    }
  }

  private static Decision vaultItem(AccessRequest r) {
    if (r.operation() == Operation.READ || r.operation() == Operation.SIGN) {
      return Decision.approvalRequired(
          "vault item "
              + r.ref().base()
              + ": every "
              + r.operation().wireName()
              + " needs a fresh signature from the user's device key");
    }
    return Decision.allow(
        () ->
            "vault item "
                + r.ref().base()
                + ": "
                + r.operation().wireName()
                + " needs no approval; only read and sign do");
  }

  private static Decision applicationCredential(AccessRequest r) {
    String owner = r.resource().owner();
    if (owner == null) {
      return Decision.deny(
          "application credential "
              + r.ref().base()
              + " has no known owner; only the owning app may use it");
    }
    if (owner.equals(r.app())) {
      return Decision.allow(
          () -> "application credential " + r.ref().base() + " belongs to app '" + owner + "'");
    }
    return Decision.deny(
        "application credentials of app '"
            + owner
            + "' are for '"
            + owner
            + "' alone; app '"
            + r.app()
            + "' may not "
            + r.operation().wireName()
            + " "
            + r.ref().base());
  }

  private Decision granted(AccessRequest r, PolicyConfig.AppRules rules) {
    ProviderPermission perm = r.resource().permission();
    for (CompiledGrant cg : grants) {
      if (!appliesTo(cg.grant(), r.app())) {
        continue;
      }
      if (covers(cg, r, perm)) {
        return Decision.allow(
            () ->
                "app '"
                    + r.app()
                    + "' may "
                    + r.operation().wireName()
                    + " "
                    + what(r)
                    + ": granted by "
                    + grantWords(cg.grant(), perm));
      }
    }
    for (RefPattern p : rules.allow()) {
      if (p.matches(r.ref())) {
        return Decision.allow(
            () ->
                "app '"
                    + r.app()
                    + "' may "
                    + r.operation().wireName()
                    + " "
                    + what(r)
                    + ": its allow list entry '"
                    + p
                    + "' matches");
      }
    }
    return Decision.deny(
        "app '"
            + r.app()
            + "' has no grant to "
            + r.operation().wireName()
            + " "
            + what(r)
            + ": it needs "
            + needed(perm)
            + "a reference grant covering it for "
            + r.operation().wireName()
            + ", or an allow list entry");
  }

  private boolean appliesTo(Grant g, String app) {
    if (g.grantee() != null) {
      return g.grantee().equals(app);
    }
    return config.app().map(app::equals).orElse(true);
  }

  /** Whether {@code cg} covers the access. */
  private static boolean covers(CompiledGrant cg, AccessRequest r, ProviderPermission perm) {
    Grant g = cg.grant();
    if (g instanceof Grant.RefGrant) {
      Grant.RefGrant rg = (Grant.RefGrant) g;
      return rg.operations().contains(r.operation()) && cg.pattern().matches(r.ref());
    }
    if (perm == null) {
      return false;
    }
    if (g instanceof Grant.SysDataGrant) {
      Grant.SysDataGrant sg = (Grant.SysDataGrant) g;
      return perm.op() != null
          && sg.dataType().equals(perm.dataType())
          && sg.group().equals(perm.group())
          && sg.version().equals(perm.version())
          && sg.covers(perm.op());
    }
    Grant.ProviderGrant pg = (Grant.ProviderGrant) g;
    return pg.appName().equals(perm.providerApp()) && pg.providerName().equals(perm.providerName());
  }

  /** A covering grant, in words. */
  private static String grantWords(Grant g, ProviderPermission perm) {
    if (g instanceof Grant.RefGrant) {
      return "reference grant '" + ((Grant.RefGrant) g).pattern() + "'";
    }
    if (g instanceof Grant.SysDataGrant) {
      Grant.SysDataGrant sg = (Grant.SysDataGrant) g;
      return "sysData grant " + describe(sg.dataType(), sg.group(), sg.version(), perm.op());
    }
    Grant.ProviderGrant pg = (Grant.ProviderGrant) g;
    return "provider grant " + pg.appName() + "/" + pg.providerName();
  }

  /** The accessed secret, in words: its kind and reference. */
  private static String what(AccessRequest r) {
    return words(r.resource().classification()) + " " + r.ref().base();
  }

  private static String needed(ProviderPermission perm) {
    if (perm == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    if (perm.op() != null) {
      sb.append("a sysData grant ")
          .append(describe(perm.dataType(), perm.group(), perm.version(), perm.op()))
          .append(", ");
    }
    if (perm.providerApp() != null && perm.providerName() != null) {
      sb.append("a provider grant ")
          .append(perm.providerApp())
          .append('/')
          .append(perm.providerName())
          .append(", ");
    }
    return sb.toString();
  }

  private static String describe(String dataType, String group, String version, String op) {
    return "(dataType "
        + dataType
        + ", group "
        + group
        + ", version "
        + version
        + ", op '"
        + op
        + "')";
  }

  private Decision podSecret(AccessRequest r, PolicyConfig.AppRules rules) {
    String namespace = r.resource().owner();
    if (namespace != null && isOwnNamespace(r.app(), namespace)) {
      return Decision.allow(
          () ->
              "pod secret "
                  + r.ref().base()
                  + " is in app '"
                  + r.app()
                  + "''s own namespace '"
                  + namespace
                  + "'");
    }
    for (RefPattern p : rules.allow()) {
      if (p.matches(r.ref())) {
        return Decision.allow(
            () ->
                "app '"
                    + r.app()
                    + "' may "
                    + r.operation().wireName()
                    + " pod secret "
                    + r.ref().base()
                    + ": its allow list entry '"
                    + p
                    + "' matches");
      }
    }
    String where = namespace == null ? "an unknown namespace" : "namespace '" + namespace + "'";
    String own = config.user().map(u -> r.app() + "-" + u).orElse(r.app() + "-<user>");
    return Decision.deny(
        "pod secret "
            + r.ref().base()
            + " is in "
            + where
            + ", not in app '"
            + r.app()
            + "''s own namespace '"
            + own
            + "', and no allow list entry covers it");
  }

  private boolean isOwnNamespace(String app, String namespace) {
    for (String prefix : SYSTEM_NAMESPACE_PREFIXES) {
      if (namespace.startsWith(prefix)) {
        return false;
      }
    }
    String prefix = app + "-";
    if (!namespace.startsWith(prefix)) {
      return false;
    }
    String rest = namespace.substring(prefix.length());
    return config.user().map(rest::equals).orElseGet(() -> USER_SEGMENT.matcher(rest).matches());
  }

  private static String words(Classification c) {
    return c.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
