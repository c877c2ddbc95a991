package io.olares.secrets.k8s.chart;

import io.olares.secrets.k8s.internal.KubeNames;
import java.util.Objects;

/**
 * The names Olares gives to an app's Kubernetes objects. An app runs in namespace {@code
 * <app>-<user>}; for each middleware it requests (postgres, redis, mongodb, ...), Olares creates
 * Secret {@code <app>-<namespace>-<middleware>-password} holding the password under key {@code
 * password}.
 */
public final class OlaresNames {
  /** The key under which Olares keeps a middleware password. */
  public static final String PASSWORD_KEY = "password";

  private OlaresNames() {}

  /** The namespace of {@code app} for {@code user}: {@code <app>-<user>}. */
  public static String appNamespace(String app, String user) {
    String ns = Objects.requireNonNull(app, "app") + "-" + Objects.requireNonNull(user, "user");
    KubeNames.checkNamespace(ns);
    return ns;
  }

  /** The Secret holding a middleware password: {@code <app>-<namespace>-<middleware>-password}. */
  public static String middlewarePasswordSecret(String app, String namespace, String middleware) {
    String name =
        Objects.requireNonNull(app, "app")
            + "-"
            + Objects.requireNonNull(namespace, "namespace")
            + "-"
            + Objects.requireNonNull(middleware, "middleware")
            + "-password";
    KubeNames.checkSecretName(name);
    return name;
  }

  /** The {@code secretKeyRef} to a middleware password. */
  public static SecretKeyRef middlewarePassword(String app, String namespace, String middleware) {
    return new SecretKeyRef(middlewarePasswordSecret(app, namespace, middleware), PASSWORD_KEY);
  }
}
