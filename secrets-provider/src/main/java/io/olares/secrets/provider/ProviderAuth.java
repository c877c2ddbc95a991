package io.olares.secrets.provider;

import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * How a {@link ProviderClient} proves who it is: one immutable strategy class per mechanism. The
 * client turns a strategy into the per-client state it needs (access tokens and their renewal, the
 * cached service-account token), so one strategy instance may configure several clients.
 */
public sealed interface ProviderAuth permits AppKeyAuth, ServiceAccountAuth, TerminusNonceAuth {

  /** The access generation this mechanism belongs to. */
  Generation generation();

  /** Where calls go when the client is given no endpoint of its own. */
  Optional<HttpUrl> defaultEndpoint();
}
