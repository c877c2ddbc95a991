package io.olares.secrets.audit;

import static io.olares.secrets.audit.AuditFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Slf4jAuditSinkTest {
  @Test
  void writesOneInfoLineToTheAuditLoggerNamingTheAccess() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      new Slf4jAuditSink().record(event(7));
    } finally {
      System.setErr(original);
    }

    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("INFO io.olares.secrets.audit")
        .contains("app=myapp op=read ref=infisical://myapp/prod/KEY_7")
        .contains("class=APPLICATION_CREDENTIAL decision=allow outcome=ok micros=1234");
  }
}
