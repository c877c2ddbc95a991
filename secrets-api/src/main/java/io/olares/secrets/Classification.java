package io.olares.secrets;

/**
 * The five kinds of secret Olares distinguishes. Each kind has its own storage, its own leak risk
 * (exposure) and its own rule of use, which the default policy enforces.
 */
public enum Classification {
  /** Website and database passwords, blockchain private keys. */
  VAULT_ITEM(
      "end-to-end encrypted vault",
      "end-to-end encrypted: storage and server see ciphertext only",
      "a fresh signature from the user's device key (LarePass) for every use"),
  /** Tokens, cookies and credentials an app uses on the user's behalf. */
  CREDENTIAL(
      "Infisical (through the secret provider)",
      "encrypted at rest, readable by the server side after authentication",
      "provider permission granted in the app's manifest"),
  /** Tokens of accounts the user connected in Settings (Olares Space, Google, Dropbox, S3). */
  INTEGRATION_CREDENTIAL(
      "Infisical, behind the integration provider",
      "encrypted at rest, readable by the server side after authentication; expires",
      "provider permission granted in the app's manifest; refreshed by Settings"),
  /** Credentials an app generated for itself, kept in its own workspace. */
  APPLICATION_CREDENTIAL(
      "Infisical, in the app's own workspace",
      "encrypted at rest, readable by the server side after authentication",
      "the owning app only"),
  /** Database URLs and admin accounts of an app's pods. */
  POD_SECRET(
      "Kubernetes Secrets (etcd)",
      "visible to cluster operators and to anyone who can read the namespace",
      "injected into the pod (valueFrom.secretKeyRef); own namespace only");

  private final String storage;
  private final String exposure;
  private final String ruleOfUse;

  Classification(String storage, String exposure, String ruleOfUse) {
    this.storage = storage;
    this.exposure = exposure;
    this.ruleOfUse = ruleOfUse;
  }

  /** Where secrets of this kind are kept. */
  public String storage() {
    return storage;
  }

  /** Who can see secrets of this kind besides the user: the leak risk. */
  public String exposure() {
    return exposure;
  }

  /** What must hold before a secret of this kind may be used. */
  public String ruleOfUse() {
    return ruleOfUse;
  }

  /** True where every use needs a fresh signed approval. */
  public boolean approvalPerUse() {
    return this == VAULT_ITEM;
  }
}
