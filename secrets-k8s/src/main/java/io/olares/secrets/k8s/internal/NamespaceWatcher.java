package io.olares.secrets.k8s.internal;

import io.olares.secrets.k8s.internal.KubeJson.SecretPage;
import io.olares.secrets.k8s.internal.KubeJson.WatchEvent;
import io.olares.secrets.k8s.internal.SecretsApi.SecretWatch;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace's list-then-watch loop on its own daemon thread. A watch resumes from the last
 * resourceVersion it saw; an expired one (410 Gone, as an HTTP status or an ERROR event) is
 * replaced by a fresh list whose differences are reported; a dropped or failed one is retried after
 * an exponential backoff with jitter. Secret values arriving with events are wiped at once.
 */
final class NamespaceWatcher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceWatcher.class);
  private static final int MAX_LIST_RESTARTS = 3;

  private final String namespace;
  private final SecretsApi api;
  private final SecretWatchHub.Settings settings;
  private final Backoff backoff;
  private final SecretWatchHub hub;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile SecretWatch current;

  NamespaceWatcher(
      String namespace,
      SecretsApi api,
      SecretWatchHub.Settings settings,
      Backoff backoff,
      SecretWatchHub hub) {
    this.namespace = namespace;
    this.api = api;
    this.settings = settings;
    this.backoff = backoff;
    this.hub = hub;
    this.thread = new Thread(this, "olares-secrets-watch-" + namespace);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() {
    stopped = true;
    closeCurrent();
    thread.interrupt();
  }

  @Override
  public void run() {
    LOG.info("watching Secrets in namespace {}", namespace);
    String resourceVersion = null;
    while (!stopped) {
      try {
        if (resourceVersion == null) {
          resourceVersion = relist();
        }
        resourceVersion = watchFrom(resourceVersion);
      } catch (KubeCallException e) {
        if (stopped) {
          break;
        }
        if (e.code() == 410) {
          LOG.debug("watch of namespace {} expired: relisting", namespace);
          resourceVersion = null;
          continue;
        }
        pause("the watch failed (" + e.code() + " " + e.reason() + ": " + e.serverMessage() + ")");
      } catch (Exception e) {
        // IOException, runtime failures, and checked exceptions OkHttp's Kotlin code throws
        // undeclared (an InterruptedException when stop() interrupts a read)
        if (stopped) {
          break;
        }
        pause("the watch connection dropped (" + describe(e) + ")");
      }
    }
    LOG.info("stopped watching Secrets in namespace {}", namespace);
  }

  private String relist() throws KubeCallException {
    for (int attempt = 0; ; attempt++) {
      Map<String, String> versions = new HashMap<>();
      String listVersion = null;
      String token = null;
      try {
        do {
          SecretPage page = api.list(namespace, null, token, settings.pageSize());
          if (listVersion == null) {
            listVersion = page.resourceVersion();
          }
          for (KubeSecret s : page.items()) {
            s.wipe();
            if (s.name() != null) {
              versions.put(s.name(), s.resourceVersion());
            }
          }
          token = page.continueToken();
        } while (token != null && !stopped);
      } catch (KubeCallException e) {
        if (e.code() == 410 && attempt < MAX_LIST_RESTARTS) {
          continue;
        }
        throw e;
      }
      hub.relisted(namespace, versions, listVersion);
      return listVersion;
    }
  }

  /** Follows one watch request; returns the version to resume from, null to relist. */
  private String watchFrom(String resourceVersion) throws KubeCallException, IOException {
    String last = resourceVersion;
    boolean sawEvent = false;
    long started = System.nanoTime();
    SecretWatch watch = api.watch(namespace, resourceVersion, settings.timeout());
    current = watch;
    try {
      WatchEvent event;
      while (!stopped && (event = watch.next()) != null) {
        sawEvent = true;
        if ("ERROR".equals(event.type())) {
          KubeCallException failure = SecretsApi.fromStatus(500, event.status(), -1);
          if (failure.code() == 410) {
            LOG.debug("watch of namespace {} expired: {}", namespace, failure.serverMessage());
            return null;
          }
          throw failure;
        }
        KubeSecret secret = event.secret();
        if (secret == null || secret.name() == null) {
          continue;
        }
        secret.wipe();
        if (secret.resourceVersion() != null) {
          last = secret.resourceVersion();
        }
        switch (event.type()) {
          case "ADDED", "MODIFIED" -> hub.event(namespace, secret.name(), last, true);
          case "DELETED" -> hub.event(namespace, secret.name(), last, false);
          default -> {
            // BOOKMARK and unknown types only move the resume point.
          }
        }
      }
    } finally {
      current = null;
      watch.close();
    }
    Duration lasted = Duration.ofNanos(System.nanoTime() - started);
    if (sawEvent || lasted.compareTo(settings.timeout().dividedBy(2)) >= 0) {
      backoff.reset();
    } else {
      // a watch that ends at once without events must not turn into a busy loop
      sleep(backoff.next());
    }
    return last;
  }

  private void pause(String why) {
    Duration delay = backoff.next();
    int failures = backoff.failures();
    if (failures == 1 || failures % 10 == 0) {
      LOG.warn(
          "namespace {}: {}; retrying in {} ms (failure {})",
          namespace,
          why,
          delay.toMillis(),
          failures);
    } else {
      LOG.debug("namespace {}: {}; retrying in {} ms", namespace, why, delay.toMillis());
    }
    sleep(delay);
  }

  private void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  private void closeCurrent() {
    SecretWatch w = current;
    if (w != null) {
      w.cancel();
    }
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName();
  }
}
