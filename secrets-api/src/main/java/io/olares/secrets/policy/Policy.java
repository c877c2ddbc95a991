package io.olares.secrets.policy;

/** Decides whether an access may happen. Must be thread-safe and must not do I/O. */
@FunctionalInterface
public interface Policy {
  /** The decision for one access; never null. */
  Decision decide(AccessRequest request);
}
