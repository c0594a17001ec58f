package dev.silo.init;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The ordered primitive steps that {@code silo-init} executes to build a container (the part of
 * runc's libcontainer that runs after fork); immutable, built by {@link #builder()}, encoded as in
 * docs/plan-format.md.
 */
public final class Plan {
  static final int MAGIC = 0x534c4f50;
  static final int VERSION = 1;

  private static final String[] RLIMITS = {
    "CPU", "FSIZE", "DATA", "STACK", "CORE", "RSS", "NPROC", "NOFILE",
    "MEMLOCK", "AS", "LOCKS", "SIGPENDING", "MSGQUEUE", "NICE", "RTPRIO", "RTTIME"
  };

  /** One encoded step; not a record, because its payload is an array. */
  private static final class Step {
    final int op;
    final byte[] payload;
    final String description;

    Step(int op, byte[] payload, String description) {
      this.op = op;
      this.payload = payload;
      this.description = description;
    }
  }

  private final List<Step> steps;
  static final int FLAG_FOREGROUND = 1;
  static final int FLAG_CONSOLE_RELAY = 2;

  private final boolean foreground;
  private final boolean consoleRelay;
  private final int preserveFds;

  private Plan(Builder b) {
    this.steps = List.copyOf(b.steps);
    this.foreground = b.foreground;
    this.consoleRelay = b.consoleRelay;
    this.preserveFds = b.preserveFds;
  }

  /** A new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The binary encoding that the helper reads from its sync socket. */
  public byte[] encode() {
    Payload out =
        new Payload()
            .u32(MAGIC)
            .u32(VERSION)
            .u32(steps.size())
            .u32((foreground ? FLAG_FOREGROUND : 0) | (consoleRelay ? FLAG_CONSOLE_RELAY : 0));
    for (Step s : steps) {
      out.u16(s.op).u16(0).bytes(s.payload);
    }
    return out.toArray();
  }

  /** The number of steps. */
  public int size() {
    return steps.size();
  }

  /** One step in words, e.g. {@code mount(proc → /run/x/rootfs/proc)}; {@code silo-init} for -1. */
  public String describe(int stepIndex) {
    if (stepIndex < 0 || stepIndex >= steps.size()) {
      return "silo-init";
    }
    return steps.get(stepIndex).description;
  }

  /** Whether the helper stays, waits for the container and exits with its status. */
  public boolean foreground() {
    return foreground;
  }

  /** Whether P relays its own stdio to the container's pty (a foreground run with a terminal). */
  public boolean consoleRelay() {
    return consoleRelay;
  }

  /** The N of CLOSE_FDS: fds 3 … 3+N-1 are passed to the container process. */
  int preserveFds() {
    return preserveFds;
  }

  /** Builds a {@link Plan}, one call per step, in execution order. */
  public static final class Builder {
    private final List<Step> steps = new ArrayList<>();
    private boolean foreground;
    private boolean consoleRelay;
    private int preserveFds;
    private int cloneFlags = -1;

    private Builder() {}

    private Builder add(int op, Payload payload, String description) {
      if (Op.beforeClone(op) && cloneFlags >= 0) {
        throw new IllegalStateException(description + " must come before cloneNamespaces()");
      }
      steps.add(new Step(op, payload.toArray(), description));
      return this;
    }

    private Builder afterUserClone(int op, Payload payload, String description) {
      if (cloneFlags < 0 || (cloneFlags & Namespaces.CLONE_NEWUSER) == 0) {
        throw new IllegalStateException(
            description + " needs cloneNamespaces(CLONE_NEWUSER | …) first");
      }
      return add(op, payload, description);
    }

    /**
     * Foreground: the helper waits for the container and exits with its status, forwarding signals.
     */
    /**
     * A foreground run with a terminal and no console socket, as {@code runc run} without -d: C
     * sends the pty master to P (instead of a caller's socket) and P copies between its stdio and
     * the pty until C exits. CONSOLE_SETUP still has to be in the plan; CONSOLE_CONNECT must not
     * be.
     */
    public Builder consoleRelay() {
      this.consoleRelay = true;
      return this;
    }

    public Builder foreground(boolean on) {
      this.foreground = on;
      return this;
    }

    public Builder joinNamespace(int cloneFlag, String path) {
      return add(
          Op.JOIN_NS,
          new Payload().u32(cloneFlag).str(path),
          "setns(" + Namespaces.names(cloneFlag) + ", " + path + ")");
    }

    public Builder joinCgroup(String cgroupProcsFile) {
      return add(
          Op.JOIN_CGROUP,
          new Payload().str(cgroupProcsFile),
          "join_cgroup(" + cgroupProcsFile + ")");
    }

    public Builder mkfifo(String path, int mode) {
      return add(Op.MKFIFO, new Payload().str(path).u32(mode), "mkfifo(" + path + ")");
    }

    public Builder stateDir(String path) {
      return add(Op.STATE_DIR, new Payload().str(path), "open_state_dir(" + path + ")");
    }

    public Builder cloneNamespaces(int cloneFlags) {
      if (this.cloneFlags >= 0) {
        throw new IllegalStateException("cloneNamespaces() twice");
      }
      add(Op.CLONE, new Payload().u32(cloneFlags), "clone(" + Namespaces.names(cloneFlags) + ")");
      this.cloneFlags = cloneFlags;
      return this;
    }

    public Builder uidMap(String content) {
      return afterUserClone(
          Op.UID_MAP, new Payload().str(content), "uid_map(" + content.strip() + ")");
    }

    public Builder gidMap(String content) {
      return afterUserClone(
          Op.GID_MAP, new Payload().str(content), "gid_map(" + content.strip() + ")");
    }

    public Builder setgroupsAllow() {
      return afterUserClone(Op.SETGROUPS_ALLOW, new Payload(), "setgroups_allow()");
    }

    public Builder consoleConnect(String socketPath) {
      return add(
          Op.CONSOLE_CONNECT, new Payload().str(socketPath), "console_connect(" + socketPath + ")");
    }

    public Builder sethostname(String name) {
      return add(Op.SETHOSTNAME, new Payload().str(name), "sethostname(" + name + ")");
    }

    public Builder setdomainname(String name) {
      return add(Op.SETDOMAINNAME, new Payload().str(name), "setdomainname(" + name + ")");
    }

    /**
     * A {@code mount(2)}; empty or null source/fstype/data are passed as NULL; opts: {@code
     * MountFlags.OPT_*}.
     */
    public Builder mount(
        @Nullable String source,
        String target,
        @Nullable String fstype,
        long flags,
        @Nullable String data,
        int opts) {
      String src = Objects.requireNonNullElse(source, "");
      String type = Objects.requireNonNullElse(fstype, "");
      Payload p =
          new Payload()
              .str(src)
              .str(target)
              .str(type)
              .u64(flags)
              .str(Objects.requireNonNullElse(data, ""))
              .u32(opts);
      String shown = !src.isEmpty() ? src : !type.isEmpty() ? type : "none";
      return add(Op.MOUNT, p, "mount(" + shown + " → " + target + ")");
    }

    public Builder mkdirs(String path, int mode) {
      return add(Op.MKDIRS, new Payload().str(path).u32(mode), "mkdirs(" + path + ")");
    }

    public Builder mknod(String path, int mode, int major, int minor, int uid, int gid) {
      Payload p = new Payload().str(path).u32(mode).u32(major).u32(minor).u32(uid).u32(gid);
      return add(Op.MKNOD, p, "mknod(" + path + ")");
    }

    public Builder bindDevice(String hostPath, String target) {
      return add(
          Op.BIND_DEVICE,
          new Payload().str(hostPath).str(target),
          "bind_device(" + hostPath + " → " + target + ")");
    }

    public Builder symlink(String target, String linkPath) {
      return add(
          Op.SYMLINK,
          new Payload().str(target).str(linkPath),
          "symlink(" + linkPath + " → " + target + ")");
    }

    public Builder maskPath(String path) {
      return add(Op.MASK_PATH, new Payload().str(path), "mask_path(" + path + ")");
    }

    public Builder readonlyPath(String path) {
      return add(Op.READONLY_PATH, new Payload().str(path), "readonly_path(" + path + ")");
    }

    public Builder pivotRoot(String newRoot) {
      return add(Op.PIVOT_ROOT, new Payload().str(newRoot), "pivot_root(" + newRoot + ")");
    }

    public Builder chrootMove(String newRoot) {
      return add(Op.CHROOT_MOVE, new Payload().str(newRoot), "chroot_move(" + newRoot + ")");
    }

    public Builder setPropagation(String target, long flags) {
      return add(
          Op.SET_PROPAGATION,
          new Payload().str(target).u64(flags),
          "set_propagation(" + target + ")");
    }

    public Builder consoleSetup() {
      return add(Op.CONSOLE_SETUP, new Payload(), "console_setup()");
    }

    public Builder setsid() {
      return add(Op.SETSID, new Payload(), "setsid()");
    }

    public Builder setrlimit(int resource, long soft, long hard) {
      String name =
          resource >= 0 && resource < RLIMITS.length
              ? "RLIMIT_" + RLIMITS[resource]
              : "" + resource;
      return add(
          Op.SETRLIMIT, new Payload().u32(resource).u64(soft).u64(hard), "setrlimit(" + name + ")");
    }

    public Builder writeFile(String path, String content) {
      return add(Op.WRITE_FILE, new Payload().str(path).str(content), "write_file(" + path + ")");
    }

    public Builder setgroups(int[] gids) {
      Payload p = new Payload().u32(gids.length);
      StringBuilder shown = new StringBuilder();
      for (int gid : gids) {
        p.u32(gid);
        shown.append(shown.isEmpty() ? "" : ", ").append(Integer.toUnsignedString(gid));
      }
      return add(Op.SETGROUPS, p, "setgroups(" + shown + ")");
    }

    public Builder setIds(int uid, int gid) {
      return add(
          Op.SETIDS,
          new Payload().u32(uid).u32(gid),
          "setids(" + Integer.toUnsignedString(uid) + ", " + Integer.toUnsignedString(gid) + ")");
    }

    /** Capability sets as bit masks (bit n = capability n). */
    public Builder caps(
        long bounding, long effective, long permitted, long inheritable, long ambient) {
      Payload p =
          new Payload().u64(bounding).u64(effective).u64(permitted).u64(inheritable).u64(ambient);
      return add(Op.CAPS, p, "capabilities()");
    }

    public Builder noNewPrivs() {
      return add(Op.NO_NEW_PRIVS, new Payload(), "no_new_privs()");
    }

    /** A classic BPF program ({@code struct sock_filter[]}, 8 bytes each, host byte order). */
    public Builder seccomp(int flags, byte[] program) {
      if (program.length == 0 || program.length % 8 != 0) {
        throw new IllegalArgumentException(
            "seccomp program length " + program.length + " is not a multiple of 8");
      }
      return add(
          Op.SECCOMP,
          new Payload().u32(flags).bytes(program),
          "seccomp(" + program.length / 8 + " insns)");
    }

    public Builder chdir(String path) {
      return add(Op.CHDIR, new Payload().str(path), "chdir(" + path + ")");
    }

    /**
     * A pause for OCI hooks before pivot_root: C waits, P reports HOOKS, Java runs createRuntime
     * and createContainer hooks (which still see host paths) and lets it go on ({@link
     * InitProcess#awaitHooks}, {@link InitProcess#resumeAfterHooks}).
     */
    public Builder hooks() {
      return add(Op.HOOKS, new Payload(), "hooks()");
    }

    /**
     * fchown(fd, uid, gid): gives the console's slave (fd 0 after CONSOLE_SETUP) to the container
     * user.
     */
    public Builder fchown(int fd, int uid, int gid) {
      return add(
          Op.FCHOWN,
          new Payload().u32(fd).u32(uid).u32(gid),
          "fchown(" + fd + ", " + uid + ", " + gid + ")");
    }

    /** TIOCSWINSZ on a terminal fd: process.consoleSize. */
    public Builder winsize(int fd, int rows, int cols) {
      return add(
          Op.WINSIZE,
          new Payload().u32(fd).u32(rows).u32(cols),
          "winsize(" + rows + "x" + cols + ")");
    }

    public Builder umask(int mask) {
      return add(Op.UMASK, new Payload().u32(mask), "umask(0" + Integer.toOctalString(mask) + ")");
    }

    /**
     * Closes every fd above 2 but the {@code preserveFds} ones from 3 on (runc's --preserve-fds).
     */
    public Builder closeFds(int preserveFds) {
      if (preserveFds < 0) {
        throw new IllegalArgumentException("preserveFds " + preserveFds);
      }
      this.preserveFds = preserveFds;
      return add(Op.CLOSE_FDS, new Payload().u32(preserveFds), "close_fds(" + preserveFds + ")");
    }

    public Builder execFifoWait(String fifoName) {
      return add(
          Op.EXEC_FIFO_WAIT, new Payload().str(fifoName), "exec_fifo_wait(" + fifoName + ")");
    }

    public Builder ready() {
      return add(Op.READY, new Payload(), "ready()");
    }

    /** execve; a path without {@code /} is looked up in the PATH of {@code env}. */
    public Builder exec(String path, List<String> argv, List<String> env) {
      return add(Op.EXEC, new Payload().str(path).strs(argv).strs(env), "exec(" + path + ")");
    }

    public Plan build() {
      return new Plan(this);
    }
  }
}
