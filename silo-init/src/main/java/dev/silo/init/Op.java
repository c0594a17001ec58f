package dev.silo.init;

/** Opcodes of the plan's steps (docs/plan-format.md); the numbers are the wire format. */
final class Op {
  static final int JOIN_NS = 1;
  static final int JOIN_CGROUP = 2;
  static final int MKFIFO = 3;
  static final int STATE_DIR = 4;
  static final int CLONE = 5;
  static final int UID_MAP = 6;
  static final int GID_MAP = 7;
  static final int SETGROUPS_ALLOW = 8;
  static final int CONSOLE_CONNECT = 9;
  static final int SETHOSTNAME = 20;
  static final int SETDOMAINNAME = 21;
  static final int MOUNT = 22;
  static final int MKDIRS = 23;
  static final int MKNOD = 24;
  static final int BIND_DEVICE = 25;
  static final int SYMLINK = 26;
  static final int MASK_PATH = 27;
  static final int READONLY_PATH = 28;
  static final int PIVOT_ROOT = 29;
  static final int CHROOT_MOVE = 30;
  static final int SET_PROPAGATION = 31;
  static final int CONSOLE_SETUP = 32;
  static final int SETSID = 33;
  static final int SETRLIMIT = 34;
  static final int WRITE_FILE = 35;
  static final int SETGROUPS = 36;
  static final int SETIDS = 37;
  static final int CAPS = 38;
  static final int NO_NEW_PRIVS = 39;
  static final int SECCOMP = 40;
  static final int CHDIR = 41;
  static final int UMASK = 42;
  static final int CLOSE_FDS = 43;
  static final int EXEC_FIFO_WAIT = 44;
  static final int READY = 45;
  static final int EXEC = 46;
  static final int FCHOWN = 47;
  static final int WINSIZE = 48;
  static final int HOOKS = 49;

  private Op() {}

  /**
   * Steps that P runs before the clone (the id maps, which P writes after it, are not among them).
   */
  static boolean beforeClone(int op) {
    return op >= JOIN_NS && op <= STATE_DIR;
  }
}
