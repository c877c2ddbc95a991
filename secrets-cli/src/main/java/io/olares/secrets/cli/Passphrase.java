package io.olares.secrets.cli;

import io.olares.secrets.ConfigurationException;
import java.io.Console;
import java.util.Arrays;

/** Reads vault passphrases: from an environment variable, else from the console, never argv. */
final class Passphrase {
  static final String ENV = "OLARES_VAULT_PASSPHRASE";

  private Passphrase() {}

  /** The current passphrase. */
  static char[] read(String prompt) {
    String env = System.getenv(ENV);
    if (env != null && !env.isEmpty()) {
      return env.toCharArray();
    }
    return fromConsole(prompt);
  }

  /** A new passphrase, from {@code envName} or asked twice on the console. */
  static char[] readNew(String envName, String prompt) {
    String env = System.getenv(envName);
    if (env != null && !env.isEmpty()) {
      return env.toCharArray();
    }
    char[] first = fromConsole(prompt);
    char[] second = fromConsole("repeat " + prompt);
    if (!Arrays.equals(first, second)) {
      Arrays.fill(first, '\0');
      Arrays.fill(second, '\0');
      throw new ConfigurationException("the two passphrases differ");
    }
    Arrays.fill(second, '\0');
    return first;
  }

  private static char[] fromConsole(String prompt) {
    Console console = System.console();
    if (console == null) {
      throw new ConfigurationException(
          "no passphrase: set "
              + ENV
              + " or run in a terminal to be asked (the passphrase is never taken as an argument)");
    }
    char[] p = console.readPassword("%s: ", prompt);
    if (p == null || p.length == 0) {
      throw new ConfigurationException("the passphrase is empty");
    }
    return p;
  }
}
