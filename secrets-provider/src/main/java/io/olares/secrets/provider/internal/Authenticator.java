package io.olares.secrets.provider.internal;

import io.olares.secrets.SecretsException;
import io.olares.secrets.provider.ProviderOp;
import java.util.Optional;
import okhttp3.Request;

/** The per-client state of one {@link io.olares.secrets.provider.ProviderAuth} strategy. */
public interface Authenticator extends AutoCloseable {

  /**
   * Adds credentials for a call to {@code op} (null for a call by path) and returns the credential
   * used, so that a rejection can name it.
   */
  String authorize(Request.Builder request, ProviderOp op);

  /**
   * The server answered {@code status} to a call made with {@code credential}; returns true where
   * the credential was dropped and one more attempt may succeed.
   */
  boolean rejected(ProviderOp op, String credential, int status);

  /** The last failure to obtain a credential, while no later attempt succeeded. */
  Optional<SecretsException> lastError();

  @Override
  void close();
}
