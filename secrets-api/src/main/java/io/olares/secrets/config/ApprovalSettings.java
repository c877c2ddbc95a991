package io.olares.secrets.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code approval:} section: whose signatures count, and an optional local device key that
 * approves on the user's behalf.
 *
 * <pre>{@code
 * approval:
 *   trustedDids: [ "did:key:z6Mk..." ]   # approvals signed by these keys are accepted
 *   deviceKey: ${user.home}/.olares-secrets/device.key   # a local approver (optional)
 *   name: alice@olares.com               # the Olares id written into approvals (optional)
 *   domain: olares.com                   # the domain written into approvals (optional)
 *   maxAge: 5m                           # how old an approval may be
 *   maxSkew: 30s                         # how far ahead of this clock its time may be
 * }</pre>
 *
 * <p>Where {@code trustedDids} is empty and a device key is configured, the device key's own DID is
 * trusted.
 *
 * @param trustedDids the did:keys whose approvals are accepted
 * @param deviceKey a device key file that approves locally; null for none
 * @param name the Olares id written into locally signed approvals; null for the configured user
 * @param domain the domain written into locally signed approvals; null for a default
 * @param maxAge the longest age of an approval
 * @param maxSkew how far ahead of the clock an approval's time may lie
 */
public record ApprovalSettings(
    List<String> trustedDids,
    Path deviceKey,
    String name,
    String domain,
    Duration maxAge,
    Duration maxSkew) {

  /** No trusted DIDs, no device key, approvals up to 5 minutes old, 30 s of clock skew. */
  public static final ApprovalSettings DEFAULTS =
      new ApprovalSettings(
          List.of(), null, null, null, Duration.ofMinutes(5), Duration.ofSeconds(30));

  /** Validates. */
  public ApprovalSettings {
    trustedDids = List.copyOf(trustedDids);
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(maxSkew, "maxSkew");
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("approval maxAge must be positive");
    }
    if (maxSkew.isNegative()) {
      throw new IllegalArgumentException("approval maxSkew must not be negative");
    }
  }

  /** The device key file, if configured. */
  public Optional<Path> deviceKeyOpt() {
    return Optional.ofNullable(deviceKey);
  }

  /** True where approvals can be verified or produced: trusted DIDs or a device key. */
  public boolean configured() {
    return !trustedDids.isEmpty() || deviceKey != null;
  }
}
