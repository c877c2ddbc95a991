package io.olares.secrets.fakes;

import io.olares.secrets.Classification;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.spi.SecretStoreProvider;
import io.olares.secrets.spi.StoreConfig;
import io.olares.secrets.spi.StoreContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Opens {@link FakeStore}s of type {@code fake}, classified by the option {@code class}. */
public final class FakeProvider implements SecretStoreProvider {
  public final List<FakeStore> opened = new CopyOnWriteArrayList<>();
  public final List<StoreContext> contexts = new CopyOnWriteArrayList<>();

  @Override
  public String type() {
    return "fake";
  }

  @Override
  public Set<Classification> classifications() {
    return Set.of(Classification.values());
  }

  @Override
  public String description() {
    return "in-memory fake for tests";
  }

  @Override
  public SecretStore open(StoreConfig config, StoreContext context) {
    Classification c = Classification.valueOf(config.string("class").orElse("CREDENTIAL"));
    if (config.bool("fail").orElse(false)) {
      throw config.bad("fail", "was asked to fail");
    }
    FakeStore store = new FakeStore(config.name(), c);
    opened.add(store);
    contexts.add(context);
    return store;
  }
}
