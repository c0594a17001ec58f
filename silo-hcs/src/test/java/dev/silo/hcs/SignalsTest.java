package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Signal names and numbers as runc kill takes them, and their HCS console names. */
class SignalsTest {
  @ParameterizedTest
  @CsvSource({
    "9, 9", "KILL, 9", "SIGKILL, 9", "sigkill, 9", "Kill, 9", "' TERM ', 15", "HUP, 1", "INT, 2",
        "QUIT, 3",
    "USR1, 10", "USR2, 12", "CHLD, 17", "CONT, 18", "STOP, 19", "WINCH, 28", "SYS, 31", "IOT, 6",
        "POLL, 29",
    "0, 0", "64, 64", "RTMIN+3, 37", "SIGRTMIN+0, 34", "rtmin+30, 64", "RTMAX-1, 63",
        "SIGRTMAX-0, 64"
  })
  void parsesNumbersNamesAndRealtimeOffsets(String text, int expected) {
    assertThat(Signals.parse(text)).isEqualTo(OptionalInt.of(expected));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "junk",
        "",
        "SIG",
        "65",
        "-9",
        "99999999999",
        "RTMIN+31",
        "RTMAX-31",
        "RTMIN+x",
        "KILL9"
      })
  void rejectsJunk(String text) {
    assertThat(Signals.parse(text)).isEmpty();
  }

  @Test
  void mapsToHcsConsoleSignals() {
    assertThat(Signals.hcsName(Signals.SIGINT)).isEqualTo("CtrlC");
    assertThat(Signals.hcsName(Signals.SIGQUIT)).isEqualTo("CtrlBreak");
    assertThat(Signals.hcsName(Signals.SIGTERM)).isEqualTo("CtrlShutdown");
    assertThat(Signals.hcsName(Signals.SIGKILL)).isEqualTo("Terminate");
    assertThat(Signals.hcsName(10)).isEqualTo("Signal10");
  }
}
