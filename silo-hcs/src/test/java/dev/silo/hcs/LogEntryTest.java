package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogEntryTest {
  @Test
  void parsesADockerJsonFileLine() {
    LogEntry e =
        LogEntry.parse(
            "{\"log\":\"a \\u003cb\\u003e \\\"q\\\"\\ttab\\n\",\"stream\":\"stderr\","
                + "\"time\":\"2026-12-07T01:35:11.506422573Z\"}");
    assertThat(e.log()).isEqualTo("a <b> \"q\"\ttab\n");
    assertThat(e.stream()).isEqualTo("stderr");
    assertThat(e.isStderr()).isTrue();
    assertThat(e.time()).isEqualTo(Instant.parse("2026-12-07T01:35:11.506422573Z"));
  }

  @Test
  void keepsAPartialLineWithoutNewline() {
    LogEntry e =
        LogEntry.parse(
            "{\"log\":\"partial\",\"stream\":\"stdout\",\"time\":\"2026-01-02T03:04:05Z\"}");
    assertThat(e.log()).isEqualTo("partial");
    assertThat(e.isStderr()).isFalse();
  }

  @Test
  void rendersWithDockersFixedNanosecondTimestamps() {
    LogEntry e = new LogEntry("hi\n", "stdout", Instant.parse("2026-01-02T03:04:05.120Z"));
    assertThat(e.render(false)).isEqualTo("hi\n");
    assertThat(e.render(true)).isEqualTo("2026-01-02T03:04:05.120000000Z hi\n");
    assertThat(new LogEntry("x", "stdout", Instant.parse("2026-01-02T03:04:05Z")).render(true))
        .isEqualTo("2026-01-02T03:04:05.000000000Z x");
  }

  @Test
  void badLinesNameWhatIsWrong() {
    assertThatThrownBy(() -> LogEntry.parse("{\"log\":\"x\",\"time\":\"2026-01-02T03:04:05Z\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stream");
    assertThatThrownBy(
            () ->
                LogEntry.parse(
                    "{\"log\":\"x\",\"stream\":\"stdin\",\"time\":\"2026-01-02T03:04:05Z\"}"))
        .hasMessageContaining("stream: must be stdout or stderr");
    assertThatThrownBy(
            () -> LogEntry.parse("{\"log\":\"x\",\"stream\":\"stdout\",\"time\":\"yesterday\"}"))
        .hasMessageContaining("time");
    assertThatThrownBy(() -> LogEntry.parse("{\"log\":"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
