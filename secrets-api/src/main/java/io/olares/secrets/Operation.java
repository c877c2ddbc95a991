package io.olares.secrets;

/** What a caller does with a secret; policy, approvals and audit events name it. */
public enum Operation {
  READ,
  WRITE,
  DELETE,
  LIST,
  SIGN;

  /** The lower-case name used in configuration, challenges and audit lines. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses a {@link #wireName()}; case-insensitive. */
  public static Operation fromWireName(String name) {
    for (Operation op : values()) {
      if (op.wireName().equalsIgnoreCase(name)) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown operation '" + name + "'");
  }
}
