/**
 * The credential tier: secrets kept in Infisical, reached directly ({@link
 * io.olares.secrets.infisical.InfisicalStore}, type {@code infisical}) or through Olares' secret
 * provider ({@link io.olares.secrets.infisical.OlaresSecretStore}, type {@code olares-secret}).
 *
 * <p>{@link io.olares.secrets.infisical.InfisicalStore} speaks Infisical's REST API directly with a
 * machine identity ({@link io.olares.secrets.infisical.InfisicalAuth}). It renews its access token
 * in the background, logs in again where renewal is refused, retries only what is safe to repeat,
 * honours {@code Retry-After} on any status (the server answers an exceeded rate limit with 500 and
 * {@code Retry-After}) and shares backoff per host across threads ({@link
 * io.olares.secrets.infisical.RetryPolicy}).
 *
 * <p>Values are bytes. Infisical stores text and trims surrounding white space, so a value whose
 * UTF-8 text would not come back unchanged (binary data, surrounding white space, NUL) is stored as
 * {@code olares-b64:} followed by its Base64; reading reverses it. Other Infisical clients see the
 * marked text. Requests are limited to 1 MiB, so a value of about 750 KiB is the largest binary
 * value that fits.
 */
package io.olares.secrets.infisical;
