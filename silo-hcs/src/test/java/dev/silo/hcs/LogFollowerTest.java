package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading json-file logs as silo-monitor writes and rotates them, with a writer in the test. */
class LogFollowerTest {
  private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

  @TempDir Path dir;

  private static String line(int n, String stream) {
    return "{\"log\":\"line "
        + n
        + "\\n\",\"stream\":\""
        + stream
        + "\",\"time\":\""
        + T0.plusSeconds(n)
        + "\"}\n";
  }

  private Path write(String name, int from, int to) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int n = from; n < to; n++) {
      sb.append(line(n, n % 3 == 0 ? "stderr" : "stdout"));
    }
    return Files.writeString(dir.resolve(name), sb.toString());
  }

  private static List<String> logs(List<LogEntry> entries) {
    return entries.stream().map(e -> e.log().strip()).toList();
  }

  @Test
  void readsRotatedFilesOldestFirst() throws IOException {
    write("c-json.log.2", 0, 3);
    write("c-json.log.1", 3, 6);
    write("c-json.log", 6, 8);
    LogFollower f = new LogFollower(dir.resolve("c-json.log"));
    assertThat(f.files())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("c-json.log.2", "c-json.log.1", "c-json.log");
    assertThat(logs(f.read(LogFollower.Query.ALL)))
        .containsExactly(
            "line 0", "line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "line 7");
  }

  @Test
  void tailTakesTheLastEntriesAcrossFiles() throws IOException {
    write("c-json.log.1", 0, 5);
    write("c-json.log", 5, 7);
    LogFollower f = new LogFollower(dir.resolve("c-json.log"));
    assertThat(logs(f.read(new LogFollower.Query(null, null, 3, true, true))))
        .containsExactly("line 4", "line 5", "line 6");
    assertThat(f.read(new LogFollower.Query(null, null, 0, true, true))).isEmpty();
    assertThat(logs(f.read(new LogFollower.Query(null, null, 100, true, true)))).hasSize(7);
  }

  @Test
  void sinceUntilAndStreamsFilter() throws IOException {
    write("c-json.log", 0, 10);
    LogFollower f = new LogFollower(dir.resolve("c-json.log"));
    assertThat(logs(f.read(new LogFollower.Query(T0.plusSeconds(7), null, -1, true, true))))
        .containsExactly("line 7", "line 8", "line 9");
    assertThat(
            logs(
                f.read(
                    new LogFollower.Query(T0.plusSeconds(2), T0.plusSeconds(5), -1, true, true))))
        .containsExactly("line 2", "line 3", "line 4");
    assertThat(logs(f.read(new LogFollower.Query(null, null, -1, false, true))))
        .containsExactly("line 0", "line 3", "line 6", "line 9");
    assertThat(logs(f.read(new LogFollower.Query(null, null, 2, true, false))))
        .containsExactly("line 7", "line 8");
  }

  @Test
  void aMissingLogIsEmpty() throws IOException {
    assertThat(new LogFollower(dir.resolve("none.log")).read(LogFollower.Query.ALL)).isEmpty();
  }

  @Test
  void aHalfWrittenLineWaitsForItsNewline() throws IOException {
    Path log = write("c-json.log", 0, 2);
    String next = line(2, "stdout");
    Files.writeString(log, next.substring(0, 20), StandardOpenOption.APPEND);
    LogFollower f = new LogFollower(log);
    assertThat(logs(f.read(LogFollower.Query.ALL))).containsExactly("line 0", "line 1");
  }

  @Test
  void followSeesNewLinesAndRotations() throws Exception {
    Path log = write("c-json.log", 0, 2);
    LogFollower f = new LogFollower(log);
    List<LogEntry> seen = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch gotFirst = new CountDownLatch(2);
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    f.follow(
                        LogFollower.Query.ALL,
                        e -> {
                          seen.add(e);
                          gotFirst.countDown();
                        },
                        done::get);
                  } catch (IOException e) {
                    throw new AssertionError(e);
                  }
                });
    assertThat(gotFirst.await(10, TimeUnit.SECONDS)).isTrue();
    Files.writeString(log, line(2, "stdout"), StandardOpenOption.APPEND);
    awaitSize(seen, 3);
    // a rotation as the monitor does it: the live file becomes .1, a new one starts; the last line
    // of the old file lands just before the rename
    Files.writeString(log, line(3, "stdout"), StandardOpenOption.APPEND);
    Files.move(log, dir.resolve("c-json.log.1"));
    Files.writeString(log, line(4, "stdout") + line(5, "stdout"), StandardCharsets.UTF_8);
    awaitSize(seen, 6);
    done.set(true);
    t.join(10_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(logs(seen))
        .containsExactly("line 0", "line 1", "line 2", "line 3", "line 4", "line 5");
  }

  @Test
  void followReadsToTheEndBeforeStopping() throws IOException {
    Path log = write("c-json.log", 0, 3);
    List<LogEntry> seen = new ArrayList<>();
    new LogFollower(log)
        .follow(new LogFollower.Query(null, null, 1, true, true), seen::add, () -> true);
    assertThat(logs(seen)).containsExactly("line 2");
  }

  private static void awaitSize(List<LogEntry> seen, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (seen.size() < n) {
      assertThat(System.nanoTime())
          .as("waiting for " + n + " entries: " + seen)
          .isLessThan(deadline);
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
