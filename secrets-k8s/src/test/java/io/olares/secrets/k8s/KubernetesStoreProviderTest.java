package io.olares.secrets.k8s;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.olares.secrets.ConfigurationException;
import io.olares.secrets.Operation;
import io.olares.secrets.Secret;
import io.olares.secrets.SecretRef;
import io.olares.secrets.SecretValue;
import io.olares.secrets.k8s.fake.FakeKubeApiServer;
import io.olares.secrets.spi.AccessContext;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesStoreProviderTest {
  private static final AccessContext READ = AccessContext.of("myapp", Operation.READ);
  private static final SecretRef DB = SecretRef.parse("k8s://myapp-alice/db#password");

  @TempDir Path dir;
  private FakeKubeApiServer fake;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void start() {
    fake = FakeKubeApiServer.start().createNamespace("myapp-alice");
    fake.putKeys("myapp-alice", "db", Map.of("password", "s3cret".getBytes(UTF_8)));
    env.put("HOME", dir.resolve("home").toString());
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private SecretStore open(Map<String, Object> options) {
    return new KubernetesStoreProvider()
        .open(
            new StoreConfig("k8s", "kubernetes", options),
            new StoreContext("myapp", "alice", Clock.systemUTC(), env::get, dir));
  }

  private static String read(SecretStore store) {
    try (Secret s = store.read(DB, READ).orElseThrow()) {
      return s.value().revealString();
    }
  }

  private Path kubeconfig() throws Exception {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: %1$s
        users:
        - name: alice
          user:
            token: alice-token
        - name: mallory
          user:
            token: mallory-token
        contexts:
        - name: as-alice
          context: {cluster: fake, user: alice}
        - name: as-mallory
          context: {cluster: fake, user: mallory}
        current-context: as-mallory
        """
            .formatted(fake.basePath());
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void connectsWithTheKubeconfigContextItIsGiven() throws Exception {
    fake.acceptToken("alice-token", "alice");
    try (SecretStore store =
        open(Map.of("kubeconfig", kubeconfig().toString(), "context", "as-alice"))) {
      assertThat(store.type()).isEqualTo("kubernetes");
      assertThat(read(store)).isEqualTo("s3cret");
      store.write(
          SecretRef.parse("k8s://myapp-alice/db#other"),
          SecretValue.ofString("x"),
          AccessContext.of("myapp", Operation.WRITE));
      assertThat(fake.data("myapp-alice", "db")).containsKeys("password", "other");
    }
  }

  @Test
  void findsTheKubeconfigThroughTheEnvironment() throws Exception {
    fake.acceptToken("mallory-token", "mallory");
    env.put("KUBECONFIG", kubeconfig().toString());
    try (SecretStore store = open(Map.of())) {
      assertThat(read(store)).isEqualTo("s3cret");
    }
  }

  @Test
  void anUnknownContextIsAConfigurationError() throws Exception {
    Path file = kubeconfig();
    assertThatThrownBy(() -> open(Map.of("kubeconfig", file.toString(), "context", "nope")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'context'")
        .hasMessageContaining("nope");
  }

  @Test
  void aMissingKubeconfigFileIsAConfigurationError() {
    assertThatThrownBy(() -> open(Map.of("kubeconfig", dir.resolve("absent").toString())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'kubeconfig'");
  }

  @Test
  void withoutKubeconfigOutsideAPodItSaysWhatToConfigure() {
    assertThatThrownBy(() -> open(Map.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inCluster");
  }

  @Test
  void inClusterItFollowsTheKubeletsTokenRotation() throws Exception {
    Path mount = dir.resolve("serviceaccount");
    Files.createDirectories(mount);
    projectToken(mount, "..2026_12_04_16_00_00.1", "token-one");
    Files.createSymbolicLink(mount.resolve("token"), Path.of("..data/token"));
    fake.acceptToken("token-one", "system:serviceaccount:myapp-alice:default");

    Map<String, Object> options = new HashMap<>();
    options.put("inCluster", "true");
    options.put("server", fake.basePath());
    options.put("tokenFile", mount.resolve("token").toString());
    try (SecretStore store = open(options)) {
      assertThat(read(store)).isEqualTo("s3cret");

      projectToken(mount, "..2026_12_04_17_00_00.2", "token-two");
      fake.acceptToken("token-two", "system:serviceaccount:myapp-alice:default");
      fake.revokeToken("token-one");

      assertThat(read(store)).isEqualTo("s3cret");
    }
  }

  @Test
  void inClusterATokenRejectedWith401IsReadAgainOnce() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "token-one");
    FileTime stamp = Files.getLastModifiedTime(token);
    fake.acceptToken("token-one", "sa");
    Map<String, Object> options = new HashMap<>();
    options.put("inCluster", "true");
    options.put("server", fake.basePath());
    options.put("tokenFile", token.toString());
    try (SecretStore store = open(options)) {
      assertThat(read(store)).isEqualTo("s3cret");

      // same size and modification time: only the server's 401 reveals the rotation
      Files.writeString(token, "token-two");
      Files.setLastModifiedTime(token, stamp);
      fake.acceptToken("token-two", "sa").revokeToken("token-one");

      assertThat(read(store)).isEqualTo("s3cret");
    }
  }

  @Test
  void inClusterWithoutATokenFileIsAConfigurationError() {
    Map<String, Object> options = new HashMap<>();
    options.put("inCluster", "true");
    options.put("server", fake.basePath());
    options.put("tokenFile", dir.resolve("absent").toString());
    assertThatThrownBy(() -> open(options))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("token");
  }

  @Test
  void badBehaviourOptionsAreConfigurationErrors() throws Exception {
    Path file = kubeconfig();
    assertThatThrownBy(() -> open(Map.of("kubeconfig", file.toString(), "conflictRetries", "-1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("conflictRetries");
    assertThatThrownBy(() -> open(Map.of("kubeconfig", file.toString(), "watchTimeout", "soon")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("watchTimeout");
  }

  /**
   * Writes a token the way the kubelet projects it: a new directory, then an atomic ..data swap.
   */
  private static void projectToken(Path mount, String version, String token) throws Exception {
    Path target = mount.resolve(version);
    Files.createDirectories(target);
    Files.writeString(target.resolve("token"), token);
    Path tmp = mount.resolve("..data_tmp");
    Files.createSymbolicLink(tmp, Path.of(version));
    Files.move(tmp, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
  }
}
