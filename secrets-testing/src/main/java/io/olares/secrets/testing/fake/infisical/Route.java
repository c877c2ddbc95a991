package io.olares.secrets.testing.fake.infisical;

/** The endpoints the Infisical fake answers; each request is counted under one of them. */
public enum Route {
  /** {@code POST /api/v1/auth/universal-auth/login}. */
  UNIVERSAL_AUTH_LOGIN,
  /** {@code POST /api/v1/auth/kubernetes-auth/login}. */
  KUBERNETES_AUTH_LOGIN,
  /** {@code POST /api/v1/auth/token/renew}. */
  TOKEN_RENEW,
  /** {@code POST /api/v1/auth/token/revoke}. */
  TOKEN_REVOKE,
  /** {@code GET /api/v3/secrets/raw}. */
  LIST_SECRETS,
  /** {@code GET /api/v3/secrets/raw/<name>}. */
  GET_SECRET,
  /** {@code POST /api/v3/secrets/raw/<name>}. */
  CREATE_SECRET,
  /** {@code PATCH /api/v3/secrets/raw/<name>}. */
  UPDATE_SECRET,
  /** {@code DELETE /api/v3/secrets/raw/<name>}. */
  DELETE_SECRET,
  /** {@code POST /api/v1/folders}. */
  CREATE_FOLDER,
  /** {@code GET /api/v2/workspace/<slug>}. */
  GET_PROJECT,
  /** Anything else: answered like the real server's unknown-route 404. */
  UNKNOWN;

  /** True for the routes the read rate limit counts. */
  public boolean isSecretRead() {
    return this == LIST_SECRETS || this == GET_SECRET;
  }
}
