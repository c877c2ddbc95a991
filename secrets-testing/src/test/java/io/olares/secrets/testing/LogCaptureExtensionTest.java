package io.olares.secrets.testing;

import static io.olares.secrets.testing.LogCaptureTest.marker;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogCaptureExtensionTest {
  private static final Logger LOG = LoggerFactory.getLogger(LogCaptureExtensionTest.class);

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void itCapturesTheWholeTestMethod() {
    String marker = marker();

    LOG.info("logged by the test itself {}", marker);

    assertThat(logs.text()).contains(marker);
  }

  @Test
  void aCaptureInsideTheTestSeesOnlyItsBlockWhileTheExtensionSeesBoth() throws Exception {
    String first = marker();
    String second = marker();
    LOG.info(first);

    String inner = LogCapture.capture(() -> LOG.info(second));

    assertThat(inner).contains(second).doesNotContain(first);
    assertThat(logs.text()).contains(first, second);
  }
}
