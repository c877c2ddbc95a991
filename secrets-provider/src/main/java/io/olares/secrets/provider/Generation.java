package io.olares.secrets.provider;

/** The two ways an Olares app reaches a service provider. */
public enum Generation {
  /**
   * Olares 1.11 and older: {@code permission.sysData} grants, an access token per op obtained from
   * system-server with the app key and secret, calls routed through system-server.
   */
  SYS_DATA,
  /**
   * Olares 1.12 and newer: {@code permission.provider} grants bound to the pod's service account,
   * calls to the provider's host with the service-account token, authorized by Kubernetes RBAC.
   */
  PROVIDER
}
