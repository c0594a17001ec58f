package dev.silo.bench.jmh;

import dev.silo.api.HcsException;
import dev.silo.hcs.ComputeService;
import dev.silo.hcs.ContainerState;
import dev.silo.hcs.CreateRequest;
import dev.silo.hcs.Status;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The detached container life cycle through the in-process HCS API, as silod would drive it: one op is
 * create → start → wait for the {@code /bin/true} init to exit → state (must say stopped) → delete, the same
 * five steps as the whole-process harness' {@code cycle} scenario, minus one process start per step.
 *
 * <p>Needs root and the system properties {@code silo.bench.bundle} (an OCI bundle from
 * {@code bench/make-bundle.sh}) and {@code silo.init.helper}/{@code silo.init.jni} or {@code silo.home};
 * {@code bench/run-jmh.sh} sets them all.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Benchmark)
@SuppressWarnings("NullAway.Init") // JMH fills the fields in @Setup before any @Benchmark call
public class InProcessLifecycleBench {

  /** Bound on one init's run of /bin/true; far above any sample, it only stops a hung benchmark. */
  private static final long EXIT_TIMEOUT_MILLIS = 10_000;

  private ComputeService hcs;
  private Path bundle;
  private Spec spec;
  private Path scratch;
  private String prefix;
  private long next;
  private final Set<String> live = new LinkedHashSet<>();

  /** Opens the service over a fresh state root and reads the bundle's config once. */
  @Setup(Level.Trial)
  public void open() throws IOException, JsonException, HcsException {
    String dir = System.getProperty("silo.bench.bundle");
    if (dir == null || dir.isEmpty()) {
      throw new IllegalStateException("set -Dsilo.bench.bundle=<OCI bundle dir> (bench/make-bundle.sh makes one)");
    }
    bundle = Path.of(dir).toAbsolutePath();
    spec = OciSpecs.readConfig(bundle);
    scratch = Files.createTempDirectory("silo-jmh-");
    Files.createDirectories(scratch.resolve("pids"));
    hcs = ComputeService.open(scratch.resolve("state"));
    // Ids unique per JVM and across runs sharing a cgroup tree; the script sweeps cgroups by this prefix.
    prefix = System.getProperty("silo.bench.idPrefix", "sj" + ProcessHandle.current().pid());
  }

  /** One detached life cycle; fails (and so fails the run) on any error or a wrong final state. */
  @Benchmark
  public void lifecycle() throws HcsException, IOException {
    String id = prefix + "-" + next++;
    Path pidFile = scratch.resolve("pids").resolve(id);
    live.add(id);
    hcs.create(new CreateRequest(id, bundle, spec, null, pidFile, false, 0, false, ""));
    ProcWatch init = ProcWatch.of(Integer.parseInt(Files.readString(pidFile).trim()));
    hcs.start(id);
    init.awaitExit(EXIT_TIMEOUT_MILLIS);
    ContainerState state = hcs.state(id);
    if (state.status() != Status.STOPPED) {
      throw new IllegalStateException(id + " is " + state.status().ociName() + " after its init exited");
    }
    hcs.delete(id, false);
    live.remove(id);
    Files.delete(pidFile);
  }

  /** Force-deletes whatever a failed op left, then removes the state root and checks nothing is left. */
  @TearDown(Level.Trial)
  public void close() throws IOException, HcsException {
    for (String id : List.copyOf(live)) {
      hcs.delete(id, true);
      live.remove(id);
    }
    List<String> left = hcs.list().stream().map(ContainerState::id).toList();
    if (!left.isEmpty()) {
      throw new IllegalStateException("containers left in " + hcs.root() + ": " + left);
    }
    Scratch.remove(scratch);
    List<Path> cgroups = Scratch.cgroupsNamed(prefix + "-");
    if (!cgroups.isEmpty()) {
      throw new IllegalStateException("cgroups left behind: " + cgroups);
    }
  }
}
