package io.olares.secrets.approval;

import java.time.Clock;
import java.util.Objects;

/**
 * Approves locally with a {@link DeviceKey}, as LarePass would on the phone: it signs each
 * request's challenge into a LarePass-shaped JWS naming the user's Olares id and domain. It asks no
 * one, so it suits tests, the CLI and unattended set-ups where the device key is at hand. Immutable
 * and thread-safe.
 */
public final class DeviceKeyApprover implements Approver {
  private final DeviceKey key;
  private final String name;
  private final String domain;
  private final Clock clock;

  /**
   * An approver signing with {@code key}.
   *
   * @param key the device key
   * @param name the user's Olares id, e.g. {@code alice@olares.com}
   * @param domain the domain the approvals are for
   * @param clock the clock for the payload's {@code time}
   */
  public DeviceKeyApprover(DeviceKey key, String name, String domain, Clock clock) {
    this.key = Objects.requireNonNull(key, "key");
    this.name = Objects.requireNonNull(name, "name");
    this.domain = Objects.requireNonNull(domain, "domain");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** An approver on the system clock. */
  public DeviceKeyApprover(DeviceKey key, String name, String domain) {
    this(key, name, domain, Clock.systemUTC());
  }

  @Override
  public Approval approve(ApprovalRequest request) {
    Objects.requireNonNull(request, "request");
    Jws.Payload payload =
        new Jws.Payload(name, key.did(), domain, clock.instant(), request.challenge());
    return new Approval(request, Jws.sign(key, payload));
  }

  /** The DID the approvals are signed by. */
  public String did() {
    return key.did();
  }

  @Override
  public String toString() {
    return "DeviceKeyApprover[" + key.did() + ", " + name + "]";
  }
}
