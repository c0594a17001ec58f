package dev.silo.linux.seccomp;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded generators of profiles and syscall invocations for the property tests. */
final class RandomProfiles {
  static final int AUDIT_X86_64 = 0xc000003e;
  static final int AUDIT_I386 = 0x40000003;
  static final int AUDIT_AARCH64 = 0xc00000b7;
  static final int AUDIT_ARM = 0x40000028;

  /** Names present on some ABIs only, plus names no table knows, so both paths are exercised. */
  static final List<String> NAMES =
      List.of(
          "read",
          "write",
          "openat",
          "open",
          "mkdir",
          "mkdirat",
          "clone",
          "socket",
          "personality",
          "ioctl",
          "mmap",
          "mmap2",
          "chown32",
          "arch_prctl",
          "kill",
          "getpid",
          "futex",
          "execve",
          "ptrace",
          "mount",
          "unshare",
          "setns",
          "bpf",
          "io_uring_setup",
          "fcntl64",
          "socketcall",
          "no_such_syscall",
          "renameat",
          "statx",
          "close_range");

  static final long[] INTERESTING = {
    0,
    1,
    2,
    8,
    40,
    0x7fffffffL,
    0x80000000L,
    0xffffffffL,
    0x1_0000_0000L,
    0x1_0000_0001L,
    0xffffffff_00000000L,
    -1L,
    0x7e020000L,
    0x8000_0000_0000_0000L,
    0x0000_0002_8000_0000L
  };

  private static final Action[] ACTIONS = {
    Action.KILL,
    Action.KILL_PROCESS,
    Action.KILL_THREAD,
    Action.TRAP,
    Action.ERRNO,
    Action.TRACE,
    Action.ALLOW,
    Action.LOG
  };
  private static final String[] ARCHS = {
    "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"
  };

  /** Which kind of profile to draw. */
  enum Family {
    DENY_LIST,
    ALLOW_LIST_WITH_ARGS,
    MULTI_ARCH
  }

  private final Random random;

  RandomProfiles(long seed) {
    this.random = new Random(seed);
  }

  SeccompProfile profile(Family family) {
    Action defaultAction =
        switch (family) {
          case DENY_LIST -> Action.ALLOW;
          case ALLOW_LIST_WITH_ARGS -> Action.ERRNO;
          case MULTI_ARCH -> pick(ACTIONS);
        };
    Integer defaultErrno = random.nextBoolean() ? null : random.nextInt(4096);
    List<String> archs = new ArrayList<>();
    if (family == Family.MULTI_ARCH) {
      for (String a : ARCHS) {
        if (random.nextBoolean()) {
          archs.add(a);
        }
      }
    }
    List<SeccompRule> rules = new ArrayList<>();
    int count = 1 + random.nextInt(25);
    for (int i = 0; i < count; i++) {
      rules.add(rule(family));
    }
    return new SeccompProfile(defaultAction, defaultErrno, archs, List.of(), rules);
  }

  private SeccompRule rule(Family family) {
    List<String> names = new ArrayList<>();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      names.add(NAMES.get(random.nextInt(NAMES.size())));
    }
    Action action =
        switch (family) {
          case DENY_LIST -> random.nextInt(4) == 0 ? pick(ACTIONS) : Action.ERRNO;
          case ALLOW_LIST_WITH_ARGS -> random.nextInt(4) == 0 ? pick(ACTIONS) : Action.ALLOW;
          case MULTI_ARCH -> pick(ACTIONS);
        };
    Integer errno = random.nextInt(3) == 0 ? null : random.nextInt(200);
    List<ArgCondition> args = new ArrayList<>();
    int conditions = family == Family.DENY_LIST ? random.nextInt(2) : random.nextInt(4);
    for (int i = 0; i < conditions; i++) {
      args.add(condition());
    }
    return new SeccompRule(names, action, errno, args);
  }

  private ArgCondition condition() {
    ArgCondition.Op op = pick(ArgCondition.Op.values());
    long value = value();
    long two = op == ArgCondition.Op.MASKED_EQ && random.nextBoolean() ? value & value() : value();
    return new ArgCondition(random.nextInt(3), value, two, op);
  }

  long value() {
    return switch (random.nextInt(4)) {
      case 0 -> random.nextLong();
      case 1 -> random.nextInt(64);
      default -> INTERESTING[random.nextInt(INTERESTING.length)];
    };
  }

  /**
   * Arguments drawn from the profile's own constants (nudged by one) so that conditions sometimes
   * hold.
   */
  long[] args(SeccompProfile p) {
    List<Long> constants = new ArrayList<>();
    for (SeccompRule r : p.rules()) {
      for (ArgCondition c : r.args()) {
        constants.add(c.value());
        constants.add(c.valueTwo());
        constants.add(c.valueTwo() | (random.nextLong() & ~c.value()));
      }
    }
    long[] args = new long[6];
    for (int i = 0; i < 6; i++) {
      long v =
          constants.isEmpty() || random.nextInt(3) == 0
              ? value()
              : constants.get(random.nextInt(constants.size()));
      args[i] = v + (random.nextInt(4) == 0 ? random.nextInt(3) - 1 : 0);
    }
    return args;
  }

  int arch() {
    return switch (random.nextInt(8)) {
      case 0, 1, 2, 3 -> AUDIT_X86_64;
      case 4, 5 -> AUDIT_I386;
      case 6 -> AUDIT_AARCH64;
      default -> AUDIT_ARM;
    };
  }

  /**
   * A syscall number: mostly one the profile names in the arch's ABI, else random, -1 or an x32
   * number.
   */
  int nr(int arch) {
    Abi abi =
        switch (arch) {
          case AUDIT_I386 -> Abi.I386;
          case AUDIT_AARCH64 -> Abi.AARCH64;
          default -> random.nextInt(4) == 0 ? Abi.X32 : Abi.X86_64;
        };
    int k = random.nextInt(10);
    if (k < 7) {
      int nr = abi.number(NAMES.get(random.nextInt(NAMES.size())));
      return nr >= 0 ? nr : random.nextInt(500);
    }
    return k == 7 ? -1 : k == 8 ? random.nextInt(1000) : random.nextInt();
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }
}
