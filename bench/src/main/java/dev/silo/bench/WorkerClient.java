package dev.silo.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's handle on one {@link Worker} process: starts it, sends commands, parses the
 * answers.
 */
final class WorkerClient implements AutoCloseable {

  /**
   * crun 1.8 refuses hybrid hosts ("cgroups in hybrid mode not supported"). In a private mount
   * namespace we unmount cgroup2 and put an empty tmpfs in its place: crun then sees a pure v1
   * host, and the directories it still makes under "unified" vanish with the namespace instead of
   * piling up in the host's /sys/fs/cgroup tmpfs.
   */
  private static final String HIDE_CGROUP2 =
      "umount /sys/fs/cgroup/unified && mount -t tmpfs -o size=1m,mode=755 silo-bench /sys/fs/cgroup/unified"
          + " && exec \"$@\"";

  private final RuntimeSpec runtime;
  private final Process process;
  private final BufferedReader answers;
  private final Writer commands;
  private final String version;

  private WorkerClient(RuntimeSpec runtime, Process process) throws IOException {
    this.runtime = runtime;
    this.process = process;
    this.answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    String ready = readAnswer();
    if (!ready.startsWith("ready ")) {
      throw new BenchException(runtime.name() + " worker did not start: " + ready);
    }
    this.version = ready.substring("ready ".length());
  }

  /**
   * Starts a worker JVM for the runtime, inside a cgroup2-less mount namespace when hideCgroup2 is
   * set.
   */
  static WorkerClient start(RuntimeSpec runtime, Path work, Path bundle, boolean hideCgroup2)
      throws IOException {
    List<String> argv = new ArrayList<>();
    if (hideCgroup2) {
      argv.addAll(
          List.of("unshare", "-m", "--propagation", "private", "sh", "-c", HIDE_CGROUP2, "sh"));
    }
    argv.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            Worker.class.getName(),
            runtime.path().toString(),
            work.resolve("state").resolve(runtime.name()).toString(),
            bundle.toString(),
            work.resolve("scratch").resolve(runtime.name()).toString()));
    Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new WorkerClient(runtime, p);
  }

  RuntimeSpec runtime() {
    return runtime;
  }

  /** The first line of the runtime's {@code --version}. */
  String version() {
    return version;
  }

  /**
   * Sends one command and returns its key=value results; an {@code err} answer is a {@link
   * BenchException}.
   */
  Map<String, Double> call(String command) throws IOException {
    commands.write(command + "\n");
    commands.flush();
    String answer = readAnswer();
    if (!answer.startsWith("ok")) {
      throw new BenchException(runtime.name() + ": " + command + ": " + answer);
    }
    Map<String, Double> values = new LinkedHashMap<>();
    for (String pair : answer.substring(2).strip().split(" ")) {
      int eq = pair.indexOf('=');
      values.put(pair.substring(0, eq), Double.parseDouble(pair.substring(eq + 1)));
    }
    return values;
  }

  private String readAnswer() throws IOException {
    String line = answers.readLine();
    if (line == null) {
      throw new BenchException(runtime.name() + " worker exited unexpectedly");
    }
    return line;
  }

  /** Asks the worker to remove its containers and exit; kills it if it does not within 30 s. */
  @Override
  public void close() throws IOException, InterruptedException {
    if (process.isAlive()) {
      commands.write("quit\n");
      commands.flush();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
