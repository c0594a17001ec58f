package dev.silo.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * ProcWatch against real processes of this user: a sleep that ends, one that does not, and stat
 * parsing.
 */
class ProcWatchTest {

  @Test
  void parsesFieldsAfterACommWithSpacesAndParentheses() {
    String line = "42 (a) b) c) S 1 42 42 0 -1 4194560 100 0 0 0 7 9 0 0 20 0 1 0 123456 1000 200";
    assertThat(ProcWatch.field(line, 4)).isEqualTo(1); // ppid
    assertThat(ProcWatch.field(line, 22)).isEqualTo(123456); // starttime
  }

  @Test
  void returnsOnceTheProcessHasExitedEvenIfNotReapedYet() throws Exception {
    Process p = new ProcessBuilder("sleep", "0.2").start();
    ProcWatch watch = ProcWatch.of((int) p.pid());
    assertThat(watch.isRunning()).isTrue();
    long t0 = System.nanoTime();
    watch.awaitExit(5_000);
    assertThat(watch.isRunning()).isFalse();
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
    assertThat(p.waitFor()).isZero();
  }

  @Test
  void failsAfterItsBoundWhenTheProcessKeepsRunning() throws Exception {
    Process p = new ProcessBuilder("sleep", "30").start();
    try {
      ProcWatch watch = ProcWatch.of((int) p.pid());
      assertThatThrownBy(() -> watch.awaitExit(100))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("still running");
    } finally {
      p.destroyForcibly().waitFor();
    }
  }

  @Test
  void refusesAPidThatDoesNotExist() {
    assertThatThrownBy(() -> ProcWatch.of(Integer.MAX_VALUE)).isInstanceOf(IOException.class);
  }
}
