package io.olares.secrets.testing;

import io.olares.secrets.SecretRef;
import io.olares.secrets.spi.SecretStore;

class MemoryStoreConformanceTest extends SecretStoreConformanceTest {
  @Override
  protected SecretStore createStore() {
    return MemoryStore.create("mem");
  }

  @Override
  protected SecretRef ref(String name) {
    return SecretRef.of("mem", "conformance", name);
  }
}
