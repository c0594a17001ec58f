package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.init.MonitorConfig;
import dev.silo.linux.cgroup.CgroupDriver;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Process;
import dev.silo.schema.oci.Spec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Monitored containers on the real kernel, as root: json-file logs with streams and rotation,
 * exit.json, attach (frames, stdin, tty resize), a monitor that outlives its JVM owner killed with
 * SIGKILL, the monitor's resident set, and nothing left behind after delete or a failed create.
 */
class MonitorIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** The requirement of issue 5: a monitor costs less than 1 MiB of memory per container. */
  private static final long MAX_RSS_KB = 1024;

  private static Path base;
  private static Path bundle;

  private Path root;
  private ComputeService service;
  private Monitors monitors;
  private final List<String> ids = new ArrayList<>();
  private final List<Integer> pids = new ArrayList<>();

  @BeforeAll
  static void buildBundle() throws IOException, InterruptedException {
    base = BusyboxRootfs.tempBase("silo-mon-it");
    bundle = Files.createDirectories(base.resolve("bundle"));
    BusyboxRootfs.make(bundle.resolve("rootfs"));
  }

  @AfterAll
  static void removeBundle() throws IOException {
    if (base != null) {
      BusyboxRootfs.delete(base);
    }
  }

  @BeforeEach
  void open() throws IOException, HcsException {
    root = Files.createTempDirectory(base, "root");
    service = ComputeService.open(root);
    monitors = new Monitors(service);
  }

  /** Deletes every container and proves that nothing of it is left. */
  @AfterEach
  void deleteAll() throws IOException {
    List<String> left = new ArrayList<>();
    for (String id : ids) {
      try {
        service.delete(id, true);
      } catch (HcsException e) {
        left.add(id + ": " + e.getMessage());
      }
      if (cgroupExists(id)) {
        left.add(id + ": cgroup");
      }
      if (Files.exists(root.resolve(id))) {
        left.add(id + ": state dir");
      }
    }
    assertThat(left).as("left behind").isEmpty();
    for (int pid : pids) {
      poll(() -> !live(pid), "process " + pid + " gone");
    }
    assertThat(monitorsUnder(root)).as("monitors left").isEmpty();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(root.toString());
  }

  @Test
  void logsOutputAsJsonFileWithItsStreamAndRecordsTheExit() throws Exception {
    String id = newId();
    // cat would wait forever unless stdin is /dev/null without --stdin
    create(
        id,
        "cat; echo out1; echo err1 >&2; echo out2; printf 'no newline'; exit 3",
        LogOptions.DEFAULT);
    int monitor = monitorPid(id);
    assertThat(Files.readString(root.resolve(id).resolve(MonitorConfig.INIT_PID)).strip())
        .isEqualTo(Integer.toString(service.state(id).pid()));
    service.start(id);
    MonitoredState st = awaitStopped(id);
    assertThat(st.exitCode()).isEqualTo(3);
    assertThat(st.signal()).isZero();
    assertThat(st.finishedAt()).endsWith("Z");
    poll(() -> !live(monitor), "monitor exits after its container");

    List<LogEntry> all = monitors.logs(id).read(LogFollower.Query.ALL);
    assertThat(all.stream().filter(e -> !e.isStderr()).map(LogEntry::log))
        .containsExactly("out1\n", "out2\n", "no newline");
    assertThat(all.stream().filter(LogEntry::isStderr).map(LogEntry::log))
        .containsExactly("err1\n");
    String raw = Files.readString(monitors.logFile(id));
    assertThat(raw).contains("{\"log\":\"out1\\n\",\"stream\":\"stdout\",\"time\":\"");
    assertThat(raw).contains("{\"log\":\"err1\\n\",\"stream\":\"stderr\",\"time\":\"");
    assertThat(Files.readString(root.resolve(id).resolve(MonitorConfig.EXIT_FILE)))
        .startsWith("{\"ExitCode\":3,\"Signal\":0,\"FinishedAt\":\"");
  }

  /**
   * Lines written alternately to stderr and stdout are logged in the order they were written, with
   * times that never go back: each stderr line is followed at once by a stdout line (both are often
   * pending at one wake-up of the monitor, which must then read stderr first), and each pair by a
   * pause of 100 ms (the workload's own: on this loaded 2-core host the monitor was once seen to
   * stall about 40 ms, longer than a 10 ms pause).
   */
  @Test
  void writesToBothStreamsSeparatedInTimeKeepTheirOrder() throws Exception {
    String id = newId();
    create(
        id,
        "i=0; while [ $i -lt 20 ]; do echo err$i >&2; echo out$i; usleep 100000; i=$((i+1)); done",
        LogOptions.DEFAULT);
    service.start(id);
    assertThat(awaitStopped(id).exitCode()).isZero();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("stderr err" + i + "\n");
      expected.add("stdout out" + i + "\n");
    }
    List<LogEntry> all = monitors.logs(id).read(LogFollower.Query.ALL);
    assertThat(all).extracting(e -> e.stream() + " " + e.log()).containsExactlyElementsOf(expected);
    List<String> raw = Files.readAllLines(monitors.logFile(id));
    assertThat(raw).hasSize(expected.size());
    Instant previous = Instant.EPOCH;
    for (String line : raw) {
      Instant t = LogEntry.parse(line).time();
      assertThat(t).as("time of " + line).isAfterOrEqualTo(previous);
      previous = t;
    }
  }

  @Test
  void escapesLikeDockerAndSplitsLongLines() throws Exception {
    String id = newId();
    // a 20000-byte line, then control bytes, HTML characters, quotes, a tab and an invalid byte
    create(
        id,
        "head -c 20000 /dev/zero | tr '\\0' a; echo; printf '\\001<&>\\t\"q\"\\\\ \\377 é\\342\\200\\250\\n'",
        LogOptions.DEFAULT);
    service.start(id);
    assertThat(awaitStopped(id).exitCode()).isZero();
    List<LogEntry> all = monitors.logs(id).read(LogFollower.Query.ALL);
    assertThat(all).extracting(e -> e.log().length()).containsExactly(16384, 20000 - 16384 + 1, 15);
    assertThat(all.get(1).log()).endsWith("a\n");
    assertThat(all.get(2).log()).isEqualTo("\u0001<&>\t\"q\"\\ \ufffd é\u2028\n");
    assertThat(Files.readString(monitors.logFile(id)))
        .contains("\"log\":\"\\u0001\\u003c\\u0026\\u003e\\t\\\"q\\\"\\\\ \\ufffd é\\u2028\\n\"");
  }

  @Test
  void rotatesAtMaxSizeKeepingMaxFileFiles() throws Exception {
    String id = newId();
    create(
        id,
        "i=0; while [ $i -lt 300 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done",
        new LogOptions(2048, 3));
    service.start(id);
    assertThat(awaitStopped(id).exitCode()).isZero();
    Path log = monitors.logFile(id);
    Path dir = Objects.requireNonNull(log.getParent());
    assertThat(dir.resolve(log.getFileName() + ".1")).exists();
    assertThat(dir.resolve(log.getFileName() + ".2")).exists();
    assertThat(dir.resolve(log.getFileName() + ".3")).doesNotExist();
    for (Path f : monitors.logs(id).files()) {
      assertThat(Files.size(f)).as(f.toString()).isLessThanOrEqualTo(2048);
    }
    List<String> lines =
        monitors.logs(id).read(LogFollower.Query.ALL).stream().map(LogEntry::log).toList();
    assertThat(lines).hasSizeLessThan(300).last().asString().startsWith("line-299-");
    int first = Integer.parseInt(lines.getFirst().split("-")[1]);
    for (int k = 0; k < lines.size(); k++) {
      assertThat(lines.get(k)).startsWith("line-" + (first + k) + "-"); // no gap across files
    }
    List<LogEntry> tail = monitors.logs(id).read(new LogFollower.Query(null, null, 5, true, true));
    assertThat(tail).hasSize(5).last().extracting(LogEntry::log).asString().startsWith("line-299");
  }

  @Test
  void aSingleLogFileIsTruncatedAtMaxSize() throws Exception {
    String id = newId();
    create(
        id,
        "i=0; while [ $i -lt 100 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done",
        new LogOptions(1024, 1));
    service.start(id);
    assertThat(awaitStopped(id).exitCode()).isZero();
    assertThat(monitors.logs(id).files()).containsExactly(monitors.logFile(id));
    assertThat(Files.size(monitors.logFile(id))).isLessThanOrEqualTo(1024);
    List<String> lines =
        monitors.logs(id).read(LogFollower.Query.ALL).stream().map(LogEntry::log).toList();
    assertThat(lines).isNotEmpty().hasSizeLessThan(100);
    assertThat(lines.getLast()).startsWith("line-99-");
  }

  @Test
  void killedByASignalIsRecordedAsIt() throws Exception {
    String id = newId();
    create(id, "echo up; while :; do sleep 1; done", LogOptions.DEFAULT);
    service.start(id);
    awaitLog(id, "up\n");
    service.signal(id, Signals.SIGKILL, false);
    MonitoredState st = awaitStopped(id);
    assertThat(st.exitCode()).isEqualTo(137);
    assertThat(st.signal()).isEqualTo(9);
  }

  @Test
  void containerOutlivesItsOwnerKilledWithSigkillAndIsReattached() throws Exception {
    String id = newId();
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    java.lang.Process owner =
        new ProcessBuilder(
                javaBin,
                "--enable-native-access=ALL-UNNAMED",
                "-Dsilo.init.helper=" + System.getProperty("silo.init.helper"),
                "-Dsilo.init.jni=" + System.getProperty("silo.init.jni"),
                "-cp",
                System.getProperty("java.class.path"),
                MonitorOwnerMain.class.getName(),
                root.toString(),
                bundle.toString(),
                id,
                "trap 'echo bye; exit 7' TERM; echo ready; while :; do sleep 1 & wait; done")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String started;
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
      started =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return out.readLine();
                    } catch (IOException e) {
                      return null;
                    }
                  })
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      owner.destroyForcibly(); // SIGKILL
      assertThat(owner.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
    assertThat(started).startsWith("started ");
    int init = Integer.parseInt(started.substring(8));
    pids.add(init);
    int monitor = monitorPid(id);
    assertThat(owner.exitValue()).isEqualTo(137);

    // a new service and Monitors over the same root: what a restarted daemon does
    Monitors again = new Monitors(ComputeService.open(root));
    MonitoredState st = again.state(id);
    assertThat(st.status()).isEqualTo(Status.RUNNING);
    assertThat(st.initPid()).isEqualTo(init);
    assertThat(st.monitorPid()).isEqualTo(monitor);
    assertThat(again.list()).extracting(MonitoredState::id).containsExactly(id);
    awaitLog(id, "ready\n");

    try (MonitorAttach a = again.attach(id)) {
      service.signal(id, Signals.SIGTERM, false);
      StringBuilder out = new StringBuilder();
      readUntil(a, out, new StringBuilder(), () -> out.toString().contains("bye\n"));
      assertThat(drainToEnd(a)).as("connection closed after the exit").isTrue();
    }
    MonitoredState stopped = again.state(id);
    assertThat(stopped.status()).isEqualTo(Status.STOPPED);
    assertThat(stopped.exitCode()).isEqualTo(7);
    assertThat(stopped.signal()).isZero();
    awaitLog(id, "bye\n");
  }

  @Test
  void attachGetsLiveFramesAndFeedsStdin() throws Exception {
    String id = newId();
    monitors.create(
        CreateRequest.of(
            id,
            bundle,
            spec(
                List.of(
                    "sh",
                    "-c",
                    "echo hello; echo warn >&2; while read l; do echo \"got $l\"; "
                        + "[ \"$l\" = bye ] && exit 5; done"),
                false)),
        new MonitorOptions(LogOptions.DEFAULT, true));
    pids.add(service.state(id).pid());
    int monitor = monitorPid(id);
    try (MonitorAttach a = monitors.attach(id)) {
      service.start(id);
      StringBuilder out = new StringBuilder();
      StringBuilder err = new StringBuilder();
      readUntil(
          a,
          out,
          err,
          () -> out.toString().contains("hello\n") && err.toString().contains("warn\n"));
      a.write("ping\n".getBytes(StandardCharsets.UTF_8));
      readUntil(a, out, err, () -> out.toString().contains("got ping\n"));
      assertThat(rssKb(monitor)).as("monitor VmRSS (kB)").isLessThan(MAX_RSS_KB);
      a.write("bye\n".getBytes(StandardCharsets.UTF_8));
      readUntil(a, out, err, () -> out.toString().contains("got bye\n"));
      assertThat(drainToEnd(a)).as("connection closed after the exit").isTrue();
      assertThat(out.toString()).isEqualTo("hello\ngot ping\ngot bye\n");
      assertThat(err.toString()).isEqualTo("warn\n");
    }
    assertThat(awaitStopped(id).exitCode()).isEqualTo(5);
  }

  @Test
  void stdinTheContainerDoesNotReadYetNeverStallsItsOutput() throws Exception {
    String id = newId();
    // it fills its stdout pipe several times over before it reads any of its stdin
    monitors.create(
        CreateRequest.of(
            id,
            bundle,
            spec(
                List.of(
                    "sh",
                    "-c",
                    "head -c 300000 /dev/zero | tr '\\0' x; echo; echo wrote; wc -c; exit 0"),
                false)),
        new MonitorOptions(LogOptions.DEFAULT, true));
    pids.add(service.state(id).pid());
    try (MonitorAttach a = monitors.attach(id)) {
      byte[] input = new byte[300_000];
      java.util.Arrays.fill(input, (byte) 'y');
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  a.write(input);
                  a.closeStdin();
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      service.start(id);
      StringBuilder out = new StringBuilder();
      readUntil(a, out, new StringBuilder(), () -> out.toString().contains("300000\n"));
      writer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(out.toString()).contains("wrote\n").endsWith("300000\n");
    }
    assertThat(awaitStopped(id).exitCode()).isZero();
  }

  @Test
  void ttyContainerGetsRawOutputAndResize() throws Exception {
    String id = newId();
    monitors.create(
        CreateRequest.of(
            id,
            bundle,
            spec(List.of("sh", "-c", "read l; stty size; echo \"tty $l\"; exit 4"), true)),
        new MonitorOptions(LogOptions.DEFAULT, true));
    pids.add(service.state(id).pid());
    try (MonitorAttach a = monitors.attach(id)) {
      service.start(id);
      a.resize(33, 111);
      a.write("go\r".getBytes(StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder();
      readUntil(a, out, new StringBuilder(), () -> out.toString().contains("tty go"));
      assertThat(out.toString()).contains("33 111");
    }
    assertThat(awaitStopped(id).exitCode()).isEqualTo(4);
    assertThat(monitors.logs(id).read(LogFollower.Query.ALL))
        .allMatch(e -> e.stream().equals(LogEntry.STDOUT))
        .anyMatch(e -> e.log().contains("33 111"));
  }

  @Test
  void monitorResidentSetStaysUnderOneMebibyte() throws Exception {
    String id = newId();
    create(
        id,
        "i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done; sleep 30",
        new LogOptions(4096, 2));
    service.start(id);
    awaitLog(id, "line 1999\n");
    long kb = rssKb(monitorPid(id));
    assertThat(kb).as("monitor VmRSS (kB)").isGreaterThan(0).isLessThan(MAX_RSS_KB);
  }

  @Test
  void failedMonitoredCreateLeavesNothing() throws Exception {
    String id = newId();
    Spec bad =
        spec(List.of("sh", "-c", "true"), false)
            .withProcess(
                withCwd(
                    Objects.requireNonNull(spec(List.of("sh"), false).process()), "/no/such/dir"));
    List<Integer> before = monitorsUnder(root);
    assertThatThrownBy(
            () ->
                monitors.create(
                    CreateRequest.of(id, bundle, bad),
                    new MonitorOptions(LogOptions.DEFAULT, false)))
        .isInstanceOf(HcsException.class)
        .hasMessageContaining("chdir");
    assertThat(root.resolve(id)).doesNotExist();
    assertThat(cgroupExists(id)).isFalse();
    assertThat(monitorsUnder(root)).isEqualTo(before);

    HcsException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            HcsException.class,
            () ->
                monitors.create(
                    new CreateRequest(
                        id, bundle, spec(List.of("true"), false), null, null, false, 0, true, ""),
                    new MonitorOptions(LogOptions.DEFAULT, false)));
    assertThat(e.hresult()).isEqualTo(HResult.E_INVALIDARG);
    assertThat(e.getMessage()).contains("foreground");
    assertThat(root.resolve(id)).doesNotExist();
  }

  @Test
  void followDeliversLinesAsTheyComeAndEndsAfterTheExit() throws Exception {
    String id = newId();
    create(id, "echo one; sleep 0.3; echo two >&2; sleep 0.3; echo three", LogOptions.DEFAULT);
    service.start(id);
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    monitors.follow(id, LogFollower.Query.ALL, e -> seen.add(e.stream() + ":" + e.log()));
    assertThat(seen).containsExactly("stdout:one\n", "stderr:two\n", "stdout:three\n");
    assertThat(monitors.state(id).status()).isEqualTo(Status.STOPPED);
  }

  @Test
  void theHcsHandleApiDrivesAMonitoredContainer() throws Exception {
    String id = newId();
    CreateRequest req =
        CreateRequest.of(id, bundle, spec(List.of("sh", "-c", "echo via-hcs; exit 2"), false))
            .withMonitor(new MonitorOptions(LogOptions.DEFAULT, false));
    try (dev.silo.api.ComputeSystem cs = LocalHcs.over(service).create(req, false)) {
      pids.add(service.state(id).pid());
      monitorPid(id);
      cs.start();
      assertThat(cs.waitForExit(TIMEOUT)).isNotNull();
      assertThat(awaitStopped(id).exitCode()).isEqualTo(2);
      awaitLog(id, "via-hcs\n");
    }
    // HCS systems are ephemeral: closing the last handle of a stopped one removes it (and the
    // monitor's files)
    assertThat(root.resolve(id)).doesNotExist();
  }

  @Test
  void forcedDeleteOfAStatelessDirectoryStopsItsMonitorAndContainer() throws Exception {
    String id = newId();
    create(id, "while :; do sleep 1; done", LogOptions.DEFAULT);
    int monitor = monitorPid(id);
    int init = service.state(id).pid();
    // what a create interrupted after the monitor started and before the state was saved leaves
    Files.delete(root.resolve(id).resolve("state.json"));
    service.delete(id, true);
    poll(() -> !live(monitor) && !live(init), "monitor and init gone");
    assertThat(root.resolve(id)).doesNotExist();
    CgroupDriver.detect().open("", id).destroy(); // unknown without the state: the caller's part
  }

  @Test
  void aDeepStateRootIsAttachedThroughTheMonitorsWorkingDirectory() throws Exception {
    Path deep = Files.createDirectories(root.resolve("d".repeat(60)).resolve("e".repeat(40)));
    ComputeService s = ComputeService.open(deep);
    Monitors m = new Monitors(s);
    String id = newId();
    m.create(
        CreateRequest.of(
            id, bundle, spec(List.of("sh", "-c", "read l; echo \"got $l\"; sleep 300"), false)),
        new MonitorOptions(LogOptions.DEFAULT, true));
    assertThat(deep.resolve(id).resolve("attach.sock").toString().length())
        .as("longer than a unix socket address")
        .isGreaterThan(107);
    try {
      pids.add(s.state(id).pid());
      try (MonitorAttach a = m.attach(id)) {
        s.start(id);
        a.write("deep\n".getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        readUntil(a, out, err, () -> out.toString().contains("got deep\n"));
      }
    } finally {
      s.delete(id, true);
    }
    assertThat(deep.resolve(id)).doesNotExist();
    assertThat(cgroupExists(id)).isFalse();
  }

  @Test
  void aTtyConsoleSocketPathTooLongIsRefusedBeforeAnythingIsMade() throws Exception {
    Path deep = Files.createDirectories(root.resolve("d".repeat(60)).resolve("e".repeat(40)));
    ComputeService s = ComputeService.open(deep);
    String id = newId();
    HcsException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            HcsException.class,
            () ->
                new Monitors(s)
                    .create(
                        CreateRequest.of(id, bundle, spec(List.of("true"), true)),
                        new MonitorOptions(LogOptions.DEFAULT, false)));
    assertThat(e.hresult()).isEqualTo(HResult.E_INVALIDARG);
    assertThat(e.getMessage()).contains("console.sock").contains("over the 107");
    try (Stream<Path> left = Files.list(deep)) {
      assertThat(left).isEmpty();
    }
    assertThat(cgroupExists(id)).isFalse();
  }

  // ---- helpers ----

  private String newId() {
    String id = "silo-mon-" + UUID.randomUUID().toString().substring(0, 8);
    ids.add(id);
    return id;
  }

  private void create(String id, String script, LogOptions log) throws HcsException {
    monitors.create(
        CreateRequest.of(id, bundle, spec(List.of("sh", "-c", script), false)),
        new MonitorOptions(log, false));
    pids.add(service.state(id).pid());
  }

  private int monitorPid(String id) throws IOException {
    int pid =
        Integer.parseInt(
            Files.readString(root.resolve(id).resolve(MonitorConfig.MONITOR_PID)).strip());
    pids.add(pid);
    assertThat(live(pid)).as("monitor " + pid + " alive").isTrue();
    return pid;
  }

  private MonitoredState awaitStopped(String id) throws HcsException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      MonitoredState st = monitors.state(id);
      if (st.status() == Status.STOPPED) {
        assertThat(st.exitCode()).as("exit recorded").isNotNull();
        return st;
      }
      assertThat(System.nanoTime())
          .as("timed out waiting for " + id + " to stop")
          .isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  private void awaitLog(String id, String line) {
    poll(
        () -> {
          try {
            return monitors.logs(id).read(LogFollower.Query.ALL).stream()
                .anyMatch(e -> e.log().equals(line));
          } catch (IOException e) {
            return false;
          }
        },
        "log line " + line.strip());
  }

  private static void readUntil(
      MonitorAttach a, StringBuilder out, StringBuilder err, BooleanSupplier done)
      throws IOException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!done.getAsBoolean()) {
      MonitorAttach.Frame f = a.read(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (f == null) {
        throw new AssertionError("output ended early; so far: " + out + " / " + err);
      }
      (f.stream() == MonitorAttach.STDERR ? err : out)
          .append(new String(f.data(), StandardCharsets.UTF_8));
    }
  }

  private static boolean drainToEnd(MonitorAttach a) throws IOException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (a.read(TIMEOUT) == null) {
        return true;
      }
    }
    return false;
  }

  static Spec spec(List<String> args, boolean terminal) {
    Spec spec = OciSpecs.defaultSpec();
    Process p = Objects.requireNonNull(spec.process());
    return spec.withProcess(
        new Process(
            terminal,
            terminal ? new Process.ConsoleSize(24, 80) : null,
            p.user(),
            args,
            null,
            p.env(),
            p.cwd(),
            p.capabilities(),
            p.rlimits(),
            p.noNewPrivileges(),
            null,
            null,
            null,
            null,
            null));
  }

  static Process withCwd(Process p, String cwd) {
    return new Process(
        p.terminal(),
        p.consoleSize(),
        p.user(),
        List.of("sh", "-c", "true"),
        null,
        p.env(),
        cwd,
        p.capabilities(),
        p.rlimits(),
        p.noNewPrivileges(),
        null,
        null,
        null,
        null,
        null);
  }

  private static long rssKb(int pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring(6).replace("kB", "").strip());
      }
    }
    throw new AssertionError("no VmRSS for " + pid);
  }

  /** Live silo-monitor processes whose state directory is under {@code dir}. */
  static List<Integer> monitorsUnder(Path dir) throws IOException {
    List<Integer> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
          if (cmd.contains("silo-monitor")
              && cmd.contains(dir.toString())
              && live(Integer.parseInt(name))) {
            out.add(Integer.parseInt(name));
          }
        } catch (IOException e) {
          // exited meanwhile
        }
      }
    }
    return out;
  }

  private static boolean live(int pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean cgroupExists(String id) {
    try {
      return CgroupDriver.detect().open("", id).exists();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void poll(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + TIMEOUT + " waiting for: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }
}
