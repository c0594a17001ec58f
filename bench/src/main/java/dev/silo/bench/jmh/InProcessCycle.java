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

/**
 * The detached life cycle through {@link ComputeService}, as silod would drive it: create → start →
 * wait for the init to exit → state (must be stopped) → delete, the five steps of the whole-process
 * {@code cycle} scenario. Owns a scratch directory (state root, pid files) and removes it, and
 * every container, on close.
 */
public final class InProcessCycle implements AutoCloseable {

  /** The phases, in order, whose end times {@link #run} records. */
  public static final List<String> PHASES = List.of("create", "start", "wait", "state", "delete");

  /** Bound on one init's run of /bin/true; far above any sample, it only stops a hung benchmark. */
  private static final long EXIT_TIMEOUT_MILLIS = 10_000;

  private final ComputeService hcs;
  private final Path bundle;
  private final Spec spec;
  private final Path scratch;
  private final String prefix;
  private final Set<String> live = new LinkedHashSet<>();
  private long next;

  private InProcessCycle(ComputeService hcs, Path bundle, Spec spec, Path scratch, String prefix) {
    this.hcs = hcs;
    this.bundle = bundle;
    this.spec = spec;
    this.scratch = scratch;
    this.prefix = prefix;
  }

  /**
   * Reads the bundle's config once and opens the service over a fresh state root in the temp dir.
   */
  public static InProcessCycle open(Path bundle, String idPrefix)
      throws IOException, JsonException, HcsException {
    Path dir = bundle.toAbsolutePath();
    Spec spec = OciSpecs.readConfig(dir);
    Path scratch = Files.createTempDirectory("silo-jmh-");
    Files.createDirectories(scratch.resolve("pids"));
    return new InProcessCycle(
        ComputeService.open(scratch.resolve("state")), dir, spec, scratch, idPrefix);
  }

  /**
   * Runs one life cycle of a new container; {@code marks} (length ≥ 6) receives {@code
   * System.nanoTime()} at the start and after each of {@link #PHASES}. Fails on any error or a
   * wrong final state.
   */
  public void run(long[] marks) throws HcsException, IOException {
    String id = prefix + "-" + next++;
    Path pidFile = scratch.resolve("pids").resolve(id);
    live.add(id);
    marks[0] = System.nanoTime();
    hcs.create(new CreateRequest(id, bundle, spec, null, pidFile, false, 0, false, ""));
    // The pid file stands in for runc's --pid-file, which the whole-process harness reads the same
    // way.
    ProcWatch init = ProcWatch.of(Integer.parseInt(Files.readString(pidFile).trim()));
    marks[1] = System.nanoTime();
    hcs.start(id);
    marks[2] = System.nanoTime();
    init.awaitExit(EXIT_TIMEOUT_MILLIS);
    marks[3] = System.nanoTime();
    ContainerState state = hcs.state(id);
    if (state.status() != Status.STOPPED) {
      throw new IllegalStateException(
          id + " is " + state.status().ociName() + " after its init exited");
    }
    marks[4] = System.nanoTime();
    hcs.delete(id, false);
    marks[5] = System.nanoTime();
    live.remove(id);
    Files.delete(pidFile);
  }

  /**
   * Force-deletes whatever a failed run left, removes the scratch tree and checks no cgroup is
   * left.
   */
  @Override
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
