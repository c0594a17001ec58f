package dev.silo.hcs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import org.junit.jupiter.api.Test;

/** /proc/<pid>/stat of live and missing processes, and the start-time check against pid reuse. */
class ProcStatTest {
  @Test
  void readsThisProcess() {
    int pid = (int) ProcessHandle.current().pid();

    ProcStat s = Objects.requireNonNull(ProcStat.read(pid));

    assertThat(s.pid()).isEqualTo(pid);
    assertThat(s.state()).isIn('R', 'S');
    long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L);
    assertThat(s.ppid()).isEqualTo((int) parent);
    assertThat(s.startTime()).isPositive();
    assertThat(ProcStat.isAlive(pid, s.startTime())).isTrue();
    assertThat(ProcStat.isAlive(pid, s.startTime() + 1))
        .as("same pid, other start time: a reused pid")
        .isFalse();
  }

  @Test
  void missingProcessesAreNull() {
    assertThat(ProcStat.read(0)).isNull();
    assertThat(ProcStat.read(-5)).isNull();
    assertThat(ProcStat.read(Integer.MAX_VALUE)).isNull();
    assertThat(ProcStat.isAlive(Integer.MAX_VALUE, 1)).isFalse();
  }
}
