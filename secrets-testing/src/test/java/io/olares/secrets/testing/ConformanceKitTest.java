package io.olares.secrets.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.olares.secrets.SecretRef;
import io.olares.secrets.spi.SecretStore;
import io.olares.secrets.testing.FlawedStore.Flaw;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.TestAbortedException;

/** Proves that each conformance test can fail: a store with the matching flaw fails it. */
class ConformanceKitTest {

  /** The kit run against a {@link FlawedStore}, one test method at a time. */
  static final class KitOverFlawedStore extends SecretStoreConformanceTest {
    private final Flaw flaw;
    private final Set<Feature> features;

    KitOverFlawedStore(Flaw flaw) {
      this(flaw, EnumSet.allOf(Feature.class));
    }

    KitOverFlawedStore(Flaw flaw, Set<Feature> features) {
      this.flaw = flaw;
      this.features = features;
    }

    @Override
    protected Set<Feature> features() {
      return features;
    }

    @Override
    protected SecretStore createStore() {
      return new FlawedStore("flawed", flaw);
    }

    @Override
    protected SecretRef ref(String name) {
      return SecretRef.of("flawed", "kit", name);
    }

    @Override
    protected Duration watchTimeout() {
      return Duration.ofMillis(300);
    }

    /** Runs one kit test with its set-up and tear-down; returns what it threw, or null. */
    Throwable run(String testName) throws Exception {
      Method test = SecretStoreConformanceTest.class.getMethod(testName);
      openStoreUnderTest();
      try {
        test.invoke(this);
        return null;
      } catch (InvocationTargetException e) {
        return e.getCause();
      } finally {
        closeStoreUnderTest();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Flaw.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
  void aStoreWithAFlawFailsTheTestThatChecksForIt(Flaw flaw) throws Exception {
    Throwable thrown = new KitOverFlawedStore(flaw).run(flaw.caughtBy);

    assertThat(thrown)
        .as("%s must fail %s", flaw, flaw.caughtBy)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(flaw.failureMentions);
  }

  @ParameterizedTest
  @EnumSource(value = Flaw.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
  void theSameTestPassesWithoutTheFlaw(Flaw flaw) throws Exception {
    Throwable thrown = new KitOverFlawedStore(Flaw.NONE).run(flaw.caughtBy);

    assertThat(thrown).as("%s on a store without flaws", flaw.caughtBy).isNull();
  }

  @Test
  void everyKitTestIsCheckedByAtLeastOneFlaw() {
    Set<String> kitTests =
        Arrays.stream(SecretStoreConformanceTest.class.getDeclaredMethods())
            .filter(m -> m.isAnnotationPresent(org.junit.jupiter.api.Test.class))
            .filter(m -> Modifier.isPublic(m.getModifiers()))
            .map(Method::getName)
            .collect(Collectors.toSet());
    Set<String> covered =
        Arrays.stream(Flaw.values())
            .map(f -> f.caughtBy)
            .filter(name -> name != null)
            .collect(Collectors.toSet());
    // a store cannot fail these by misbehaving alone: they are the kit's baselines
    List<String> baselines = List.of("aSecretThatWasNeverWrittenReadsAsEmpty");

    assertThat(kitTests).hasSizeGreaterThanOrEqualTo(17);
    assertThat(kitTests)
        .allSatisfy(
            name ->
                assertThat(covered.contains(name) || baselines.contains(name)).as(name).isTrue());
  }

  @Test
  void aSwitchedOffFeatureSkipsItsTestsWithAMessageNamingIt() throws Exception {
    KitOverFlawedStore readOnly =
        new KitOverFlawedStore(Flaw.NONE, EnumSet.of(SecretStoreConformanceTest.Feature.LIST));

    Throwable thrown = readOnly.run("overwritingReplacesTheWholeValue");

    assertThat(thrown).isInstanceOf(TestAbortedException.class).hasMessageContaining("WRITE");
  }
}
