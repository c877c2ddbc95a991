package io.olares.secrets.k8s.internal;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.olares.secrets.ConfigurationException;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the official client from a store's options: a kubeconfig file (option {@code kubeconfig},
 * else {@code $KUBECONFIG}, else {@code ~/.kube/config}) with an optional {@code context}, or the
 * pod's own service account ({@code inCluster: true}, or automatically when no kubeconfig exists
 * and {@code KUBERNETES_SERVICE_HOST} is set).
 */
public final class Connections {
  /** Where the kubelet mounts the service account's files. */
  public static final Path SERVICE_ACCOUNT =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  private Connections() {}

  /** Connects as the options say; fails with a {@link ConfigurationException} naming the option. */
  public static ApiClient open(StoreConfig config, StoreContext context, Duration requestTimeout) {
    boolean inCluster = config.bool("inCluster").orElse(false);
    if (inCluster) {
      return inCluster(config, context, requestTimeout);
    }
    Optional<Path> kubeconfig = kubeconfigFile(config, context);
    if (kubeconfig.isPresent()) {
      return fromKubeconfig(config, kubeconfig.get(), requestTimeout);
    }
    if (config.string("context").isPresent()) {
      throw config.bad("context", "is set but no kubeconfig file was found");
    }
    if (context.env("KUBERNETES_SERVICE_HOST").isPresent() || config.string("server").isPresent()) {
      return inCluster(config, context, requestTimeout);
    }
    throw new ConfigurationException(
        "store '"
            + config.name()
            + "' (kubernetes): no kubeconfig found (option 'kubeconfig', $KUBECONFIG,"
            + " ~/.kube/config) and not running in a pod; set 'kubeconfig' or 'inCluster: true'");
  }

  private static Optional<Path> kubeconfigFile(StoreConfig config, StoreContext context) {
    Optional<String> option = config.string("kubeconfig");
    if (option.isPresent()) {
      Path p = Path.of(option.get());
      if (!Files.isRegularFile(p)) {
        throw config.bad("kubeconfig", "names " + p + ", which is not a readable file");
      }
      return Optional.of(p);
    }
    Optional<String> env = context.env("KUBECONFIG");
    if (env.isPresent()) {
      for (String part : env.get().split(File.pathSeparator)) {
        if (!part.isBlank() && Files.isRegularFile(Path.of(part))) {
          return Optional.of(Path.of(part));
        }
      }
    }
    String home = context.env("HOME").orElse(System.getProperty("user.home"));
    Path standard = Path.of(home, ".kube", "config");
    return Files.isRegularFile(standard) ? Optional.of(standard) : Optional.empty();
  }

  private static ApiClient fromKubeconfig(StoreConfig config, Path file, Duration timeout) {
    KubeConfig kc;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      kc = KubeConfig.loadKubeConfig(reader);
    } catch (IOException | RuntimeException e) {
      throw new ConfigurationException(
          "store '"
              + config.name()
              + "': cannot read kubeconfig "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
    kc.setFile(file.toAbsolutePath().toFile());
    Optional<String> ctx = config.string("context");
    if (ctx.isPresent() && !kc.setContext(ctx.get())) {
      throw config.bad("context", "names '" + ctx.get() + "', which " + file + " does not define");
    }
    if (kc.getServer() == null) {
      throw new ConfigurationException(
          "store '"
              + config.name()
              + "': kubeconfig "
              + file
              + " has no server for context '"
              + kc.getCurrentContext()
              + "'");
    }
    try {
      ApiClient client = ClientBuilder.kubeconfig(kc).build();
      LOG.info(
          "store '{}' connects to {} (kubeconfig {}, context {})",
          config.name(),
          client.getBasePath(),
          file,
          kc.getCurrentContext());
      return withTimeouts(client, timeout);
    } catch (IOException | RuntimeException e) {
      throw new ConfigurationException(
          "store '"
              + config.name()
              + "': cannot use kubeconfig "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }

  private static ApiClient inCluster(StoreConfig config, StoreContext context, Duration timeout) {
    String server = config.string("server").orElseGet(() -> serviceUrl(config, context));
    Path tokenFile =
        Path.of(config.string("tokenFile").orElse(SERVICE_ACCOUNT.resolve("token").toString()));
    RotatingTokenAuth auth =
        new RotatingTokenAuth(tokenFile, context.clock(), Duration.ofMinutes(1));
    auth.check();
    ClientBuilder builder = new ClientBuilder().setBasePath(server).setVerifyingSsl(true);
    if (server.startsWith("https:")) {
      Path ca =
          Path.of(config.string("caFile").orElse(SERVICE_ACCOUNT.resolve("ca.crt").toString()));
      try {
        builder.setCertificateAuthority(Files.readAllBytes(ca));
      } catch (IOException e) {
        throw config.bad("caFile", "names " + ca + ", which cannot be read");
      }
    }
    ApiClient client = builder.build();
    client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(auth).build());
    LOG.info("store '{}' connects to {} as the pod's service account", config.name(), server);
    return withTimeouts(client, timeout);
  }

  private static String serviceUrl(StoreConfig config, StoreContext context) {
    String host =
        context
            .env("KUBERNETES_SERVICE_HOST")
            .orElseThrow(() -> config.bad("server", "is required outside a pod"));
    String port = context.env("KUBERNETES_SERVICE_PORT").orElse("443");
    return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Applies the request timeout to connect, read and write. */
  public static ApiClient withTimeouts(ApiClient client, Duration timeout) {
    long ms = timeout.toMillis();
    client.setHttpClient(
        client
            .getHttpClient()
            .newBuilder()
            .connectTimeout(ms, TimeUnit.MILLISECONDS)
            .readTimeout(ms, TimeUnit.MILLISECONDS)
            .writeTimeout(ms, TimeUnit.MILLISECONDS)
            .build());
    return client;
  }
}
