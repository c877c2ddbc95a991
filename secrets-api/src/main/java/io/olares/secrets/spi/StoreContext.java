package io.olares.secrets.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the facade gives a store when it opens it: the calling app's identity, a clock (tests
 * control it), the environment (tests replace it), and a home directory for local state.
 *
 * @param app the calling app's name
 * @param user the Olares user the app runs for; may be null
 * @param clock the clock every expiry decision uses
 * @param environment looks up environment variables; returns null when unset
 * @param home where a store may keep local files by default
 */
public record StoreContext(
    String app, String user, Clock clock, Function<String, String> environment, Path home) {

  /** Validates. */
  public StoreContext {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(home, "home");
  }

  /** A context over the real clock and environment. */
  public static StoreContext system(String app) {
    return new StoreContext(
        app,
        System.getenv("OLARES_USER"),
        Clock.systemUTC(),
        System::getenv,
        Path.of(System.getProperty("user.home"), ".olares-secrets"));
  }

  /** An environment variable, if set and not empty. */
  public Optional<String> env(String name) {
    String v = environment.apply(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  /** The user, if known. */
  public Optional<String> userOpt() {
    return Optional.ofNullable(user);
  }
}
