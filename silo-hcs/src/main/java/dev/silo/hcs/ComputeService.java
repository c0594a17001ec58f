package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.hcs.internal.Files2;
import dev.silo.hcs.internal.OverlayMount;
import dev.silo.hcs.internal.ProcStat;
import dev.silo.hcs.internal.ResourcesBridge;
import dev.silo.hcs.internal.StateStore;
import dev.silo.hcs.internal.StoredContainer;
import dev.silo.init.SiloInit;
import dev.silo.linux.cgroup.Cgroup;
import dev.silo.linux.cgroup.CgroupDriver;
import dev.silo.linux.cgroup.CgroupStats;
import dev.silo.schema.hcs.ComputeSystem;
import dev.silo.schema.hcs.Properties;
import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.oci.Hooks;
import dev.silo.schema.oci.LinuxResources;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The Host Compute Service on Linux, in process: compute systems and their processes, with the HCS
 * state machine (Created → Running ⇄ Paused → Stopped) and HRESULT errors. State lives in a root
 * directory, so separate runhcs processes act on the same systems, and no JVM stays per container.
 */
public final class ComputeService {
  private final StateStore store;
  private @Nullable CgroupDriver cgroups;
  private Consumer<String> debug = Discard.INSTANCE;
  private Consumer<String> warn = Discard.INSTANCE;

  private ComputeService(StateStore store) {
    this.store = store;
  }

  /** Opens the service over a state root (created if missing). */
  public static ComputeService open(Path root) throws HcsException {
    return new ComputeService(StateStore.open(root));
  }

  /** The capability names this service knows ({@code CAP_*}), for runhcs features. */
  public static List<String> knownCapabilities() {
    return dev.silo.hcs.internal.Capabilities.names();
  }

  /**
   * Where debug traces and warnings go (runhcs: --debug lines and warnings on stderr or the log).
   */
  public void setLog(Consumer<String> debug, Consumer<String> warn) {
    this.debug = debug;
    this.warn = warn;
  }

  void debug(String msg) {
    debug.accept(msg);
  }

  void warn(String msg) {
    warn.accept(msg);
  }

  public Path root() {
    return store.root();
  }

  CgroupDriver cgroups() throws HcsException {
    CgroupDriver d = cgroups;
    if (d == null) {
      try {
        d = CgroupDriver.detect();
      } catch (IOException e) {
        throw new HcsException(
            "detect cgroups",
            "",
            HResult.HCS_E_SERVICE_NOT_AVAILABLE,
            "cannot detect cgroups: " + e.getMessage(),
            e);
      }
      cgroups = d;
    }
    return d;
  }

  /**
   * Creates a compute system (HcsCreateComputeSystem): validates the spec, creates the cgroup and
   * starts silo-init, which stops before the user's process until {@link #start}. On any failure
   * nothing is left behind: no state directory, cgroup, mount or process.
   */
  public @Nullable RunningInit create(CreateRequest req) throws HcsException {
    ComputeSystem doc = OciToHcs.translate(req.id(), req.bundle(), req.spec(), req.owner());
    return createSystem(req.id(), doc, CreateOptions.of(req));
  }

  /**
   * Creates a compute system from its HCS schema v2 document (HcsCreateComputeSystem), the one
   * input of the service: a HostedSystem LinuxContainer runs its OCI spec; a Container stacks its
   * Storage layers with overlayfs under the scratch folder, bind-mounts its MappedDirectories and
   * limits its Memory/Processor, running the process of {@code opts.ociSpec()}; Hyper-V documents
   * (VirtualMachine, HostingSystemId) fail with HCS_E_HYPERV_NOT_INSTALLED. On any failure nothing
   * is left behind: no state directory, cgroup, mount or process.
   */
  public @Nullable RunningInit createSystem(String id, ComputeSystem doc, CreateOptions opts)
      throws HcsException {
    return DocumentCreator.create(this, store, id, doc, opts);
  }

  /** Starts a created system (HcsStartComputeSystem): releases its init into the user's process. */
  public void start(String id) throws HcsException {
    StoredContainer c = store.load("start", id);
    Status s = statusOf(c);
    switch (s) {
      case CREATED -> {
        Hooks hooks = hooks("start", id);
        Timing.mark("start-load+spec");
        Map<String, Object> state =
            HookRunner.state(id, "created", c.initPid(), c.bundle(), c.annotations());
        if (hooks != null) {
          HookRunner.run(
              "start", id, "startContainer", hooks.startContainer(), state, c.initPid(), null);
        }
        Starter.releaseFifo(store.dir(id), c);
        Timing.mark("release-fifo");
        if (hooks != null && !hooks.poststart().isEmpty()) {
          state.put("status", "running");
          try {
            HookRunner.run("start", id, "poststart", hooks.poststart(), state, null, null);
          } catch (HcsException e) {
            // runc tears the container down when a poststart hook fails.
            delete(id, true);
            throw e;
          }
        }
      }
      case STOPPED -> throw invalid("start", id, "cannot start a container that has stopped");
      default -> throw invalid("start", id, "cannot start an already running container");
    }
  }

  /** The state of one system (HcsGetComputeSystemProperties with the OCI view). */
  public ContainerState state(String id) throws HcsException {
    StoredContainer c = store.load("state", id);
    return toState(c, statusOf(c));
  }

  /** Every system under this root (HcsEnumerateComputeSystems). */
  public List<ContainerState> list() throws HcsException {
    List<ContainerState> out = new ArrayList<>();
    try {
      for (String id : store.ids()) {
        try {
          StoredContainer c = store.load("list", id);
          out.add(toState(c, statusOf(c)));
        } catch (HcsException e) {
          // A system deleted while we listed it is simply not there any more.
        }
      }
    } catch (IOException e) {
      throw new HcsException(
          "list", "", HResult.E_FAIL, "cannot list " + store.root() + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** Sends a signal to the init, or with {@code all} to every process of the system. */
  public void signal(String id, int signal, boolean all) throws HcsException {
    StoredContainer c = store.load("kill", id);
    Status s = statusOf(c);
    if (s == Status.STOPPED && !all) {
      throw new HcsException(
          "kill", id, HResult.HCS_E_SYSTEM_ALREADY_STOPPED, "container not running");
    }
    // With --all runc signals whatever is left in the cgroup, which may be nothing: not an error.
    List<Integer> pids = all ? pidsOf(c) : List.of(c.initPid());
    for (int pid : pids) {
      int rc = SiloInit.kill(pid, signal);
      if (rc < 0 && rc != -3) { // ESRCH: it exited meanwhile
        throw new HcsException(
            "kill", id, HResult.E_FAIL, "cannot signal process " + pid + ": errno " + -rc);
      }
    }
  }

  /** Freezes every process of a running system (HcsPauseComputeSystem). */
  public void pause(String id) throws HcsException {
    StoredContainer c = store.load("pause", id);
    if (statusOf(c) != Status.RUNNING) {
      throw invalid("pause", id, "container not running");
    }
    try {
      cgroupOf(c).freeze();
    } catch (IOException e) {
      throw new HcsException("pause", id, HResult.E_FAIL, "cannot freeze: " + e.getMessage(), e);
    }
  }

  /** Thaws a paused system (HcsResumeComputeSystem). */
  public void resume(String id) throws HcsException {
    StoredContainer c = store.load("resume", id);
    if (statusOf(c) != Status.PAUSED) {
      throw invalid("resume", id, "container not paused");
    }
    try {
      cgroupOf(c).thaw();
    } catch (IOException e) {
      throw new HcsException("resume", id, HResult.E_FAIL, "cannot thaw: " + e.getMessage(), e);
    }
  }

  /**
   * Removes a system (HcsCloseComputeSystem after Terminate): a stopped or created one always, a
   * running or paused one only with {@code force}, which kills it first. Unknown ids are fine with
   * force.
   */
  public void delete(String id, boolean force) throws HcsException {
    StoredContainer c;
    try {
      c = store.load("delete", id);
    } catch (HcsException e) {
      if (force && e.hresult() == HResult.HCS_E_SYSTEM_NOT_FOUND) {
        MonitorFiles.abandon(store.dir(id));
        removeLeftovers(id);
        return;
      }
      throw e;
    }
    Status s = statusOf(c);
    if ((s == Status.RUNNING || s == Status.PAUSED) && !force) {
      throw invalid(
          "delete", id, "cannot delete container " + id + " that is not stopped: " + s.ociName());
    }
    Hooks hooks = hooksOf(id);
    new Reaper(this, c).killAndRemove(s);
    Timing.mark("delete-reap");
    String ownedNamespace = c.annotations().get(NetworkRequest.OWNED_NAMESPACE_ANNOTATION);
    if (ownedNamespace != null) {
      // runhcs made this HNS namespace for the container: it goes with it (detaching endpoints).
      NetworkJoin.release(id, ownedNamespace);
    }
    if (hooks != null && !hooks.poststop().isEmpty()) {
      Map<String, Object> state = HookRunner.state(id, "stopped", 0, c.bundle(), c.annotations());
      // poststop hooks run after the container is gone; as in runc their failure does not undo the
      // delete.
      try {
        HookRunner.run("delete", id, "poststop", hooks.poststop(), state, null, null);
      } catch (HcsException e) {
        throw new HcsException(
            "delete", id, HResult.E_FAIL, e.detail() + " (the container was deleted)", e);
      }
    }
  }

  private @Nullable Hooks hooksOf(String id) {
    try {
      return hooks("delete", id);
    } catch (HcsException e) {
      return null;
    }
  }

  /**
   * The hooks of the spec snapshot. Most specs have none, and a text without the key cannot have
   * any: parsing it would cost more than the rest of a foreground run's start or delete
   * (interpreted, on runhcs's path).
   */
  private @Nullable Hooks hooks(String op, String id) throws HcsException {
    Path file = store.dir(id).resolve(StateStore.CONFIG_FILE);
    try {
      String text = Files.readString(file);
      return text.contains("\"hooks\"") ? OciSpecs.parseConfig(text).hooks() : null;
    } catch (IOException | JsonException e) {
      throw new HcsException(
          op, id, HResult.HCS_E_INVALID_JSON, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts a process in a running system (HcsCreateProcess). Detached, it returns the process's
   * host pid once it runs; otherwise it waits and returns the exit code (128+signal when killed).
   */
  public int exec(String id, ExecRequest req) throws HcsException {
    return Executor.exec(this, id, req);
  }

  /**
   * HcsGetComputeSystemProperties: Id, SystemType, State, and for a live system its Statistics and
   * ProcessList, from the cgroup and /proc.
   */
  public Properties properties(String id) throws HcsException {
    StoredContainer c = store.load("properties", id);
    ContainerState s = toState(c, statusOf(c));
    if (s.status() == Status.STOPPED) {
      return PropertiesReader.read(s, null, List.of());
    }
    CgroupStats stats;
    try {
      stats = cgroupOf(c).stats();
    } catch (IOException e) {
      stats = null;
    }
    return PropertiesReader.read(s, stats, pidsOf(c));
  }

  /**
   * Changes the resource limits of a live system (HcsModifyComputeSystem on the Container's
   * Processor, Memory and storage QoS): the cgroup is written at once.
   */
  public void update(String id, LinuxResources resources) throws HcsException {
    StoredContainer c = store.load("update", id);
    if (statusOf(c) == Status.STOPPED) {
      throw invalid("update", id, "container not running");
    }
    try {
      cgroupOf(c).apply(ResourcesBridge.toCgroup(resources));
    } catch (IOException | IllegalArgumentException e) {
      throw new HcsException("update", id, HResult.E_INVALIDARG, String.valueOf(e.getMessage()), e);
    }
  }

  /** Host pids of every process of the system (cgroup.procs). */
  public List<Integer> pids(String id) throws HcsException {
    return pidsOf(store.load("ps", id));
  }

  /** Resource usage of the system, from its cgroup. */
  public CgroupStats stats(String id) throws HcsException {
    StoredContainer c = store.load("events", id);
    if (statusOf(c) == Status.STOPPED) {
      throw new HcsException(
          "events", id, HResult.HCS_E_SYSTEM_ALREADY_STOPPED, "container not running");
    }
    try {
      return cgroupOf(c).stats();
    } catch (IOException e) {
      throw new HcsException(
          "events", id, HResult.E_FAIL, "cannot read stats: " + e.getMessage(), e);
    }
  }

  /**
   * How many times the kernel's OOM killer struck in the system's memory cgroup (v1
   * memory.oom_control / v2 memory.events "oom_kill"); -1 when no memory controller answers.
   */
  public long oomKills(String id) throws HcsException {
    StoredContainer c = store.load("events", id);
    Path dir = cgroupOf(c).paths().get("memory");
    if (dir == null) {
      return -1;
    }
    for (String file : List.of("memory.oom_control", "memory.events")) {
      try {
        for (String line : Files.readAllLines(dir.resolve(file))) {
          if (line.startsWith("oom_kill ")) {
            return Long.parseLong(line.substring(9).trim());
          }
        }
      } catch (IOException | NumberFormatException e) {
        // Try the other cgroup version's file.
      }
    }
    return -1;
  }

  /** The spec the system was created with (the snapshot taken at create). */
  public Spec spec(String id) throws HcsException {
    store.load("spec", id);
    Path file = store.dir(id).resolve(StateStore.CONFIG_FILE);
    try {
      return OciSpecs.parseConfig(Files.readString(file));
    } catch (IOException | JsonException e) {
      throw new HcsException(
          "spec", id, HResult.HCS_E_INVALID_JSON, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  List<Integer> pidsOf(StoredContainer c) throws HcsException {
    Cgroup cg = cgroupOf(c);
    try {
      if (cg.exists()) {
        return cg.pids();
      }
    } catch (IOException e) {
      throw new HcsException(
          "ps", c.id(), HResult.E_FAIL, "cannot list processes: " + e.getMessage(), e);
    }
    return ProcStat.isAlive(c.initPid(), c.initStartTime()) ? List.of(c.initPid()) : List.of();
  }

  Cgroup cgroupOf(StoredContainer c) throws HcsException {
    return cgroups().open(c.cgroupsPath(), c.id());
  }

  Status statusOf(StoredContainer c) throws HcsException {
    if (!ProcStat.isAlive(c.initPid(), c.initStartTime())) {
      return Status.STOPPED;
    }
    if (Files.exists(store.dir(c.id()).resolve(StateStore.EXEC_FIFO))) {
      return Status.CREATED;
    }
    try {
      return cgroupOf(c).isFrozen() ? Status.PAUSED : Status.RUNNING;
    } catch (IOException e) {
      return Status.RUNNING;
    }
  }

  private static ContainerState toState(StoredContainer c, Status s) {
    return new ContainerState(
        c.id(),
        c.initPid(),
        s,
        c.bundle(),
        c.rootfs(),
        c.created(),
        c.annotations(),
        c.owner(),
        c.isolation());
  }

  void removeLeftovers(String id) throws HcsException {
    try {
      // A layered container's overlay root must go first: removing the tree through it would
      // delete files of its layers.
      OverlayMount.unmountIfMounted(store.dir(id).resolve("rootfs"));
      Files2.removeTree(store.dir(id));
    } catch (IOException e) {
      throw new HcsException(
          "delete", id, HResult.E_FAIL, "cannot remove state: " + e.getMessage(), e);
    }
  }

  StateStore store() {
    return store;
  }

  static HcsException invalid(String op, String id, String detail) {
    return new HcsException(op, id, HResult.HCS_E_INVALID_STATE, detail);
  }

  static String json(Object o) {
    return Json.write(o);
  }

  /** Drops log lines; a class, not a lambda, to keep lambdas off runhcs's path (start-up). */
  private static final class Discard implements Consumer<String> {
    static final Discard INSTANCE = new Discard();

    @Override
    public void accept(String message) {}
  }
}
