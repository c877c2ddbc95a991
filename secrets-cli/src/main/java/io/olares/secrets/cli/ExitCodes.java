package io.olares.secrets.cli;

import io.olares.secrets.AccessDeniedException;
import io.olares.secrets.ApprovalRequiredException;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.IntegrityException;
import io.olares.secrets.InvalidReferenceException;
import io.olares.secrets.SecretNotFoundException;
import io.olares.secrets.StoreUnavailableException;

/** The exit codes of DESIGN.md, and how exceptions map to them. */
final class ExitCodes {
  static final int OK = 0;
  static final int FINDINGS = 1;
  static final int USAGE = 2;
  static final int NOT_FOUND = 3;
  static final int ACCESS_DENIED = 4;
  static final int APPROVAL_REQUIRED = 5;
  static final int INTEGRITY = 6;
  static final int UNAVAILABLE = 7;

  private ExitCodes() {}

  /** The exit code for an exception that ended a command. */
  static int of(Throwable e) {
    if (e instanceof InvalidReferenceException || e instanceof ConfigurationException) {
      return USAGE;
    }
    if (e instanceof SecretNotFoundException) {
      return NOT_FOUND;
    }
    if (e instanceof ApprovalRequiredException) {
      return APPROVAL_REQUIRED;
    }
    if (e instanceof AccessDeniedException) {
      return ACCESS_DENIED;
    }
    if (e instanceof IntegrityException) {
      return INTEGRITY;
    }
    if (e instanceof StoreUnavailableException) {
      return UNAVAILABLE;
    }
    if (e instanceof io.olares.secrets.k8s.SecretRejectedException
        || e instanceof io.olares.secrets.k8s.ImmutableSecretException) {
      return USAGE; // the server was never asked: the write itself is not acceptable
    }
    if (e instanceof IllegalArgumentException) {
      return USAGE;
    }
    return UNAVAILABLE;
  }
}
