/**
 * Test support for olares-secrets and for apps that use it.
 *
 * <ul>
 *   <li>{@link io.olares.secrets.testing.MemoryStore}, opened by {@link
 *       io.olares.secrets.testing.MemoryStoreProvider} as {@code type: memory}: a real, thread-safe
 *       store that keeps versioned values in memory.
 *   <li>{@link io.olares.secrets.testing.SecretStoreConformanceTest}: the behaviour every store
 *       must show, including that no value leaks into messages, {@code toString} or logs.
 *   <li>{@link io.olares.secrets.testing.LogCapture}: captures SLF4J (simple binding), {@code
 *       java.util.logging} and standard-stream output so tests can look for leaked values.
 *   <li>{@link io.olares.secrets.testing.TestData}: the shared test data folder, skipping tests
 *       cleanly where it is absent.
 * </ul>
 */
package io.olares.secrets.testing;
