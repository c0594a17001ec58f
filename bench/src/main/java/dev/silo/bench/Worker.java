package dev.silo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * One runtime's measuring process: reads commands from stdin, runs the runtime and answers one line
 * each.
 *
 * <p>Every runtime gets its own worker so that a runtime needing a different mount namespace (crun
 * on a hybrid cgroup host) is measured from inside it, with the same spawn path as every other
 * runtime.
 *
 * <p>Protocol: {@code floor} | {@code run ID} | {@code cycle ID} | {@code rss ID} | {@code quit};
 * answers {@code ok key=value...} or {@code err message}. The first line the worker prints is
 * {@code ready VERSION}.
 */
public final class Worker {

  private static final Pattern STOPPED = Pattern.compile("\"status\"\\s*:\\s*\"stopped\"");
  private static final long WAIT_LIMIT_SECONDS = 10;

  private final String runtime;
  private final Path root;
  private final Path bundle;
  private final Path scratch;
  private final TimedExec exec;
  private final Subreaper reaper;
  private final ScheduledExecutorService watchdog;

  private Worker(String runtime, Path root, Path bundle, Path scratch) {
    this.runtime = runtime;
    this.root = root;
    this.bundle = bundle;
    this.scratch = scratch;
    this.exec = new TimedExec(scratch);
    this.reaper = Subreaper.become();
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("watchdog").unstarted(r));
  }

  /** Entry point: {@code Worker RUNTIME ROOT BUNDLE SCRATCH}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: Worker RUNTIME ROOT BUNDLE SCRATCH");
      System.exit(2);
    }
    Path root = Path.of(args[1]);
    Path scratch = Path.of(args[3]);
    Files.createDirectories(root);
    Files.createDirectories(scratch);
    Worker worker = new Worker(args[0], root, Path.of(args[2]), scratch);
    // Ctrl-C reaches the whole process group: remove our containers before the JVM goes.
    Runtime.getRuntime().addShutdownHook(new Thread(worker::removeAll, "cleanup"));
    worker.serve(System.out);
  }

  private void serve(PrintStream out) throws IOException {
    out.println("ready " + version());
    out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.strip().split(" ");
      if (words[0].equals("quit")) {
        break;
      }
      out.println(answer(words));
      out.flush();
    }
    removeAll();
    out.println("bye");
    out.flush();
  }

  private String answer(String[] words) {
    try {
      Map<String, Double> result =
          switch (words[0]) {
            case "floor" -> Map.of("floor", millis(exec.run(List.of("/bin/true"))));
            case "run" ->
                Map.of(
                    "run", millis(exec.run(cli("run", "--bundle", bundle.toString(), words[1]))));
            case "cycle" -> cycle(words[1]);
            case "rss" -> Map.of("rssKb", (double) peakRss(words[1]));
            default -> throw new BenchException("unknown command " + words[0]);
          };
      StringBuilder sb = new StringBuilder("ok");
      for (Entry<String, Double> e : result.entrySet()) {
        sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
      }
      return sb.toString();
    } catch (IOException | RuntimeException e) {
      if (words.length > 1) {
        exec.runQuietly(cli("delete", "--force", words[1]));
      }
      return "err " + String.valueOf(e.getMessage()).replace('\n', ' ');
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "err interrupted";
    }
  }

  /**
   * create, start, wait for init's exit, state (must say stopped), delete; each phase and the
   * total.
   */
  private Map<String, Double> cycle(String id) throws IOException, InterruptedException {
    Path pidFile = scratch.resolve(id + ".pid");
    Map<String, Double> phases = new LinkedHashMap<>();
    List<String> create =
        cli("create", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id);
    long begin = System.nanoTime();
    phases.put("create", millis(exec.run(create)));
    int pid = Integer.parseInt(Files.readString(pidFile).strip());
    phases.put("start", millis(exec.run(cli("start", id))));
    long waitStart = System.nanoTime();
    awaitExit(pid);
    phases.put("wait", millis(System.nanoTime() - waitStart));
    phases.put("state", millis(exec.run(cli("state", id))));
    if (!STOPPED.matcher(exec.output()).find()) {
      throw new BenchException(
          "state " + id + " after init exited is not stopped: " + exec.output().strip());
    }
    phases.put("delete", millis(exec.run(cli("delete", id))));
    phases.put("total", millis(System.nanoTime() - begin));
    Files.deleteIfExists(pidFile);
    return phases;
  }

  private void awaitExit(int pid) {
    ScheduledFuture<?> kill =
        watchdog.schedule(
            () -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly),
            WAIT_LIMIT_SECONDS,
            TimeUnit.SECONDS);
    try {
      OptionalInt status = reaper.await(pid);
      if (status.isEmpty()) {
        pollUntilGone(pid);
      } else if (status.getAsInt() != 0) {
        throw new BenchException(
            "container init " + pid + " ended with wait status " + status.getAsInt());
      }
    } finally {
      kill.cancel(false);
    }
  }

  // Fallback when init is not our child: watch /proc, where a zombie (state Z) also counts as gone.
  private static void pollUntilGone(int pid) {
    System.err.println(
        "bench: init " + pid + " is not a child of the caller; polling /proc instead");
    Path stat = Path.of("/proc", Integer.toString(pid), "stat");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_LIMIT_SECONDS);
    while (System.nanoTime() < deadline) {
      try {
        String s = Files.readString(stat);
        if (s.substring(s.lastIndexOf(')') + 2).startsWith("Z")) {
          return;
        }
      } catch (IOException gone) {
        return;
      }
      LockSupport.parkNanos(100_000);
    }
    throw new BenchException(
        "container init " + pid + " still alive after " + WAIT_LIMIT_SECONDS + " s");
  }

  /**
   * Peak RSS in KiB of one {@code run}, as GNU time reports it (largest of the waited-for
   * processes).
   */
  private long peakRss(String id) throws IOException, InterruptedException {
    Path report = scratch.resolve("time.out");
    List<String> argv =
        new ArrayList<>(List.of("/usr/bin/time", "-f", "%M", "-o", report.toString()));
    argv.addAll(cli("run", "--bundle", bundle.toString(), id));
    exec.run(argv);
    return Long.parseLong(Files.readString(report).strip());
  }

  private String version() {
    try {
      exec.run(List.of(runtime, "--version"));
      return exec.output().lines().findFirst().orElse("unknown");
    } catch (IOException | RuntimeException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** Deletes every container left in our state root (after a failure or an interrupt). */
  private void removeAll() {
    try {
      exec.runQuietly(cli("list", "-q"));
      for (String id :
          exec.output().lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
        exec.runQuietly(cli("delete", "--force", id));
      }
    } catch (IOException e) {
      System.err.println("bench: cannot list containers in " + root + ": " + e.getMessage());
    }
  }

  private List<String> cli(String... command) {
    List<String> argv = new ArrayList<>(List.of(runtime, "--root", root.toString()));
    argv.addAll(List.of(command));
    return argv;
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
