package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.hcs.internal.Files2;
import dev.silo.hcs.internal.OverlayMount;
import dev.silo.hcs.internal.PlanCompiler;
import dev.silo.hcs.internal.PlanException;
import dev.silo.hcs.internal.PlanInput;
import dev.silo.hcs.internal.ProcStat;
import dev.silo.hcs.internal.ResourcesBridge;
import dev.silo.hcs.internal.SeccompBridge;
import dev.silo.hcs.internal.SecureJoin;
import dev.silo.hcs.internal.StateStore;
import dev.silo.hcs.internal.StoredContainer;
import dev.silo.init.InitException;
import dev.silo.init.InitProcess;
import dev.silo.init.MonitorConfig;
import dev.silo.init.Plan;
import dev.silo.init.SiloInit;
import dev.silo.linux.cgroup.Cgroup;
import dev.silo.linux.cgroup.CgroupResources;
import dev.silo.linux.seccomp.CompiledFilter;
import dev.silo.schema.json.Rfc3339;
import dev.silo.schema.oci.Hooks;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Spec;
import dev.silo.schema.oci.SpecChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One create call: validate, then build up state step by step, and tear all of it down on failure.
 */
final class Creator {
  private final ComputeService service;
  private final StateStore store;
  private final CreateRequest req;
  private final @Nullable OverlayMount overlay;
  private final @Nullable CgroupResources limits;
  private @Nullable Path dir;
  private @Nullable Cgroup cgroup;
  private @Nullable InitProcess init;
  private int pid;

  Creator(ComputeService service, StateStore store, CreateRequest req) {
    this(service, store, req, null, null);
  }

  /**
   * A create whose rootfs is an overlay this call mounts (a layered Container document), with the
   * document's Memory/Processor limits written after the spec's own.
   */
  Creator(
      ComputeService service,
      StateStore store,
      CreateRequest req,
      @Nullable OverlayMount overlay,
      @Nullable CgroupResources limits) {
    this.service = service;
    this.store = store;
    this.req = req;
    this.overlay = overlay;
    this.limits = limits;
  }

  @Nullable RunningInit create() throws HcsException {
    String id = req.id();
    StateStore.validateId("create", id);
    Spec spec = req.spec();
    if (req.monitor() != null) {
      validateMonitored(id, spec);
    }
    Path rootfs = validate(id, spec);
    Timing.mark("validate");
    try {
      dir = store.reserve(id);
      Timing.mark("reserve");
      if (overlay != null) {
        rootfs = mountOverlay(id, spec, overlay);
      }
      return build(id, spec, rootfs, dir);
    } catch (HcsException | RuntimeException e) {
      rollBack(e);
      throw e;
    }
  }

  /** What a monitor cannot do: the caller is not the container's parent, nor its console. */
  private void validateMonitored(String id, Spec spec) throws HcsException {
    @Nullable String what =
        req.foreground()
            ? "a foreground create"
            : req.consoleSocket() != null
                ? "a console socket"
                : req.preserveFds() > 0 ? "preserved fds" : null;
    if (what != null) {
      throw new HcsException(
          "create",
          id,
          HResult.E_INVALIDARG,
          what + " cannot be combined with a monitored container (its monitor holds the stdio)");
    }
    // The monitor binds its sockets relative to its state directory and attach clients reach
    // them through /proc/<monitor>/cwd, so only the console socket silo-init connects to by its
    // full path (tty containers) must fit in sun_path.
    var process = spec.process();
    if (process == null || !process.terminal()) {
      return;
    }
    Path sock = store.dir(id).resolve(MonitorConfig.CONSOLE_SOCKET);
    int len = sock.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (len > MonitorConfig.MAX_SOCKET_PATH) {
      throw new HcsException(
          "create",
          id,
          HResult.E_INVALIDARG,
          "the console socket "
              + sock
              + " would be "
              + len
              + " bytes long, over the "
              + MonitorConfig.MAX_SOCKET_PATH
              + " a unix socket path may have: use a shorter state root or id");
    }
  }

  /** The monitor's contract for this container, or null on runhcs's daemonless path. */
  private @Nullable MonitorConfig monitorConfig(Path dir, Spec spec) {
    MonitorOptions m = req.monitor();
    if (m == null) {
      return null;
    }
    boolean tty = spec.process() != null && spec.process().terminal();
    return new MonitorConfig(
        dir,
        dir.resolve(req.id() + MonitorFiles.LOG_SUFFIX),
        m.log().maxSize(),
        m.log().maxFiles(),
        tty,
        m.openStdin());
  }

  private Path validate(String id, Spec spec) throws HcsException {
    List<String> problems = SpecChecks.check(spec);
    if (!problems.isEmpty()) {
      throw new HcsException(
          "create", id, HResult.HCS_E_INVALID_JSON, "config.json: " + problems.getFirst());
    }
    if (spec.windows() != null && spec.windows().hyperv() != null) {
      throw new HcsException(
          "create",
          id,
          HResult.HCS_E_HYPERV_NOT_INSTALLED,
          "Hyper-V isolation (windows.hyperv) is not available on this host yet");
    }
    if (spec.root() == null) {
      throw new HcsException(
          "create", id, HResult.HCS_E_INVALID_JSON, "config.json: root: required field is missing");
    }
    if (overlay != null) {
      if (store.dir(id).toFile().exists()) {
        throw new HcsException(
            "create", id, HResult.HCS_E_SYSTEM_ALREADY_EXISTS, "container with id exists: " + id);
      }
      // The overlay is mounted once the state directory is reserved; its rootfs is checked then.
      return overlay.layout().target();
    }
    Path rootfs = req.bundle().resolve(spec.root().path()).normalize();
    if (!Files.isDirectory(rootfs)) {
      throw new HcsException(
          "create", id, HResult.ERROR_FILE_NOT_FOUND, "rootfs (" + rootfs + ") does not exist");
    }
    if (store.dir(id).toFile().exists()) {
      throw new HcsException(
          "create", id, HResult.HCS_E_SYSTEM_ALREADY_EXISTS, "container with id exists: " + id);
    }
    requireProgram(id, spec, rootfs);
    try {
      // Mount and pivot_root steps need the real path: a symlinked rootfs would resolve differently
      // later.
      return rootfs.toRealPath();
    } catch (IOException e) {
      throw new HcsException(
          "create",
          id,
          HResult.ERROR_FILE_NOT_FOUND,
          "rootfs (" + rootfs + "): " + e.getMessage(),
          e);
    }
  }

  /** Mounts the layers, then checks the merged view as a plain rootfs is checked. */
  private Path mountOverlay(String id, Spec spec, OverlayMount o) throws HcsException {
    try {
      o.mount();
    } catch (java.nio.file.NoSuchFileException e) {
      throw new HcsException(
          "create",
          id,
          HResult.ERROR_FILE_NOT_FOUND,
          "layer folder (" + e.getFile() + ") does not exist or is not a directory",
          e);
    } catch (IOException e) {
      throw new HcsException("create", id, HResult.E_FAIL, String.valueOf(e.getMessage()), e);
    }
    requireProgram(id, spec, o.layout().target());
    try {
      return o.layout().target().toRealPath();
    } catch (IOException e) {
      throw new HcsException("create", id, HResult.E_FAIL, String.valueOf(e.getMessage()), e);
    }
  }

  /**
   * The program must exist in the rootfs (runc fails create the same way), unless a mount of the
   * spec may bring it in, which only the container's own mount namespace can tell.
   */
  private static void requireProgram(String id, Spec spec, Path rootfs) throws HcsException {
    if (spec.process() == null || spec.process().args().isEmpty()) {
      return;
    }
    String prog = spec.process().args().getFirst();
    List<String> dirs = new ArrayList<>();
    if (prog.contains("/")) {
      dirs.add("");
    } else {
      String path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
      for (String e : spec.process().env()) {
        if (e.startsWith("PATH=")) {
          path = e.substring(5);
        }
      }
      dirs.addAll(List.of(path.split(":")));
    }
    for (String dir : dirs) {
      String candidate = dir.isEmpty() ? prog : dir + "/" + prog;
      if (!candidate.startsWith("/")) {
        return; // relative to cwd: only the container can resolve it
      }
      for (var m : spec.mounts()) {
        // a file bind mount (dockerd's /sbin/docker-init) is the program itself
        if (candidate.equals(m.destination())
            || candidate.startsWith(
                m.destination().endsWith("/") ? m.destination() : m.destination() + "/")) {
          return;
        }
      }
      Path host = Path.of(SecureJoin.resolve(rootfs, candidate));
      if (Files.isExecutable(host) && !Files.isDirectory(host)) {
        return;
      }
    }
    throw new HcsException(
        "create",
        id,
        HResult.ERROR_FILE_NOT_FOUND,
        "exec: \"" + prog + "\": executable file not found in $PATH");
  }

  private @Nullable RunningInit build(String id, Spec spec, Path rootfs, Path dir)
      throws HcsException {
    String cgroupsPath =
        spec.linux() == null || spec.linux().cgroupsPath() == null
            ? ""
            : spec.linux().cgroupsPath();
    try {
      Files2.writeAtomically(dir.resolve(StateStore.CONFIG_FILE), OciSpecs.writeConfig(spec));
      Timing.mark("write-config");
      Cgroup cg = service.cgroups().create(cgroupsPath, id);
      Timing.mark("cgroup-create");
      if (cg.isFrozen()) {
        // Joining a frozen cgroup would freeze silo-init itself; runc refuses the same way.
        throw new HcsException(
            "create", id, HResult.HCS_E_INVALID_STATE, "container's cgroup unexpectedly frozen");
      }
      cgroup = cg;
      List<Integer> already = cg.madeEveryDir() ? List.of() : cg.pids();
      if (!already.isEmpty()) {
        service.warn("container's cgroup is not empty: " + already.size() + " process(es) found");
      }
      if (spec.linux() != null && spec.linux().resources() != null) {
        try {
          cg.apply(ResourcesBridge.toCgroup(spec.linux().resources()));
        } catch (IOException | IllegalArgumentException e) {
          String m = String.valueOf(e.getMessage());
          throw new HcsException(
              "create",
              id,
              HResult.HCS_E_INVALID_JSON,
              m.startsWith("cannot set unified") || e instanceof IllegalArgumentException
                  ? "invalid configuration: " + m
                  : m,
              e);
        }
      }
      if (limits != null) {
        cg.apply(limits);
      }
      Timing.mark("cgroup-apply");
      MonitorConfig mc = monitorConfig(dir, spec);
      Plan plan = PlanCompiler.compileInit(planInput(spec, rootfs, dir, cg, mc));
      Timing.mark("plan-compile");
      InitProcess ip =
          mc == null ? SiloInit.locate().start(plan) : SiloInit.locate().startMonitored(plan, mc);
      init = ip;
      pid = ip.awaitPid();
      Timing.mark("spawn+pid");
      if (PlanCompiler.hasCreateHooks(spec) && hasNewMountNamespace(spec)) {
        ip.awaitHooks();
        runCreateHooks(spec, id, pid, rootfs);
        ip.resumeAfterHooks();
      }
      ip.awaitReady();
      Timing.mark("await-ready");
      ProcStat st = ProcStat.read(pid);
      if (st == null) {
        throw new HcsException(
            "create",
            id,
            HResult.HCS_E_TERMINATED_DURING_START,
            "container init exited during create");
      }
      String created = Rfc3339.now();
      StoredContainer c =
          new StoredContainer(
              id,
              pid,
              st.startTime(),
              req.bundle().toString(),
              rootfs.toString(),
              created,
              spec.annotations(),
              req.owner(),
              cgroupsPath,
              "Process");
      store.save(c);
      writePidFile(pid);
      Timing.mark("store-save");
      if (req.foreground()) {
        return new RunningInit(ip, pid);
      }
      ip.waitHelper();
      ip.close();
      return null;
    } catch (InitException e) {
      throw new HcsException(
          "create", id, HResult.HCS_E_TERMINATED_DURING_START, String.valueOf(e.getMessage()), e);
    } catch (PlanException e) {
      throw new HcsException(
          "create", id, HResult.HCS_E_INVALID_JSON, "config.json: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new HcsException("create", id, HResult.E_FAIL, String.valueOf(e.getMessage()), e);
    }
  }

  private PlanInput planInput(
      Spec spec, Path rootfs, Path dir, Cgroup cg, @Nullable MonitorConfig mc) throws HcsException {
    CompiledFilter filter =
        spec.linux() == null ? null : SeccompBridge.compile(spec.linux().seccomp());
    Map<Path, Path> mounts = new LinkedHashMap<>();
    for (Path p : cg.paths().values()) {
      Path mountPoint = hierarchyMount(p);
      mounts.putIfAbsent(mountPoint, p);
    }
    List<String> extraEnv = new ArrayList<>();
    int preserve = req.preserveFds();
    String listen = mc == null ? System.getenv("LISTEN_FDS") : null;
    if (listen != null && listen.matches("[0-9]+")) {
      // systemd socket activation passes through as in runc: the fds follow stdio and count as
      // preserved.
      extraEnv.add("LISTEN_FDS=" + listen);
      preserve += Integer.parseInt(listen);
    }
    return new PlanInput(
        spec,
        req.bundle(),
        rootfs,
        dir,
        mc != null && mc.tty() ? mc.consoleSocket().toString() : req.consoleSocket(),
        req.noPivot(),
        preserve,
        req.foreground(),
        cg.procsFiles(),
        mounts,
        filter == null ? null : filter.program(),
        filter == null ? 0 : filter.flags(),
        Kernel.lastCap(),
        extraEnv);
  }

  /**
   * prestart and createRuntime in the runtime's namespaces, createContainer in the container's, all
   * while the init waits before pivot_root (runc's order), so hooks can still mount host paths in.
   */
  private void runCreateHooks(Spec spec, String id, int initPid, Path rootfs) throws HcsException {
    Hooks h = spec.hooks();
    if (h == null) {
      return;
    }
    Map<String, Object> state =
        HookRunner.state(id, "creating", initPid, req.bundle().toString(), spec.annotations());
    HookRunner.run("create", id, "prestart", h.prestart(), state, null, null);
    HookRunner.run("create", id, "createRuntime", h.createRuntime(), state, null, null);
    HookRunner.run("create", id, "createContainer", h.createContainer(), state, initPid, rootfs);
  }

  private static boolean hasNewMountNamespace(Spec spec) {
    if (spec.linux() == null) {
      return false;
    }
    for (var n : spec.linux().namespaces()) {
      if (n.type().equals("mount") && (n.path() == null || n.path().isEmpty())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The hierarchy mount point of a cgroup directory, e.g. /sys/fs/cgroup/memory for
   * /sys/fs/cgroup/memory/x.
   */
  static Path hierarchyMount(Path cgroupDir) {
    Path base = Path.of("/sys/fs/cgroup");
    if (cgroupDir.startsWith(base) && cgroupDir.getNameCount() > base.getNameCount()) {
      return base.resolve(cgroupDir.getName(base.getNameCount()));
    }
    return cgroupDir;
  }

  private void writePidFile(int pid) throws IOException {
    Path f = req.pidFile();
    if (f != null) {
      Files2.writeAtomically(f, Integer.toString(pid));
    }
  }

  private void rollBack(Exception cause) {
    if (pid > 0) {
      SiloInit.kill(pid, Signals.SIGKILL);
    }
    InitProcess ip = init;
    if (ip != null) {
      // Close first: a helper waiting at the HOOKS step reads the sync socket, and only its EOF
      // makes it kill the init and exit (waiting first deadlocked a failed prestart hook).
      ip.close();
      ip.waitHelper();
      if (ip.monitorPid() > 0 && !MonitorFiles.kill(ip.monitorPid())) {
        cause.addSuppressed(
            new IOException("silo-monitor " + ip.monitorPid() + " did not exit after SIGKILL"));
      }
    }

    Cgroup cg = cgroup;
    if (cg != null) {
      try {
        Reaper.destroyCgroup(cg);
      } catch (IOException e) {
        cause.addSuppressed(e);
      }
    }
    OverlayMount o = overlay;
    if (o != null) {
      try {
        o.undo();
      } catch (IOException e) {
        cause.addSuppressed(e);
        // Removing the state directory now would walk into the still-mounted layers.
        return;
      }
    }
    Path d = dir;
    if (d != null) {
      try {
        Files2.removeTree(d);
      } catch (IOException e) {
        cause.addSuppressed(e);
      }
    }
    Path pf = req.pidFile();
    if (pf != null && pid > 0) {
      try {
        Files.deleteIfExists(pf);
      } catch (IOException e) {
        cause.addSuppressed(e);
      }
    }
  }
}
