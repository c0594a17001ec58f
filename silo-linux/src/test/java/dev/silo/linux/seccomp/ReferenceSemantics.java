package dev.silo.linux.seccomp;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The profile's meaning evaluated directly, without BPF, as runc + libseccomp define it; the oracle
 * for the compiler's property tests. Written independently of the code generator (it shares only
 * the syscall tables).
 */
final class ReferenceSemantics {
  static final int KILL_THREAD = 0;
  private static final int AUDIT_X86_64 = 0xc000003e;
  private static final int AUDIT_I386 = 0x40000003;
  private static final int AUDIT_AARCH64 = 0xc00000b7;

  private ReferenceSemantics() {}

  /** The SECCOMP_RET_* value the kernel should get for this syscall. */
  static int verdict(SeccompProfile p, Abi nativeAbi, int arch, int nr, long[] args) {
    Set<Abi> listed = new HashSet<>();
    listed.add(nativeAbi);
    for (String a : p.architectures()) {
      Abi abi = Abi.of(a);
      if (abi != null) {
        listed.add(abi);
      }
    }
    int defaultRet = ret(p.defaultAction(), p.defaultErrno());
    Abi abi;
    if (arch == AUDIT_X86_64 && Integer.compareUnsigned(nr, 0x40000000) >= 0) {
      if (nr == -1) {
        return listed.contains(Abi.X32) || listed.contains(Abi.X86_64) ? defaultRet : KILL_THREAD;
      }
      abi = Abi.X32;
    } else if (arch == AUDIT_X86_64) {
      abi = Abi.X86_64;
    } else if (arch == AUDIT_I386) {
      abi = Abi.I386;
    } else if (arch == AUDIT_AARCH64) {
      abi = Abi.AARCH64;
    } else {
      return KILL_THREAD;
    }
    if (!listed.contains(abi)) {
      return KILL_THREAD;
    }
    return syscallVerdict(p.rules(), abi, nr, args, defaultRet);
  }

  private static int syscallVerdict(
      List<SeccompRule> rules, Abi abi, int nr, long[] args, int defaultRet) {
    for (SeccompRule r : rules) {
      int ret = ret(r.action(), r.errno());
      if (ret != defaultRet && r.args().isEmpty() && names(r, abi, nr)) {
        return ret; // an unconditional rule beats every conditional one
      }
    }
    for (SeccompRule r : rules) {
      int ret = ret(r.action(), r.errno());
      if (ret != defaultRet
          && !r.args().isEmpty()
          && names(r, abi, nr)
          && matches(r.args(), args)) {
        return ret;
      }
    }
    return defaultRet;
  }

  private static boolean names(SeccompRule r, Abi abi, int nr) {
    for (String name : r.names()) {
      if (SyscallTable.number(abi.ociName, name).orElse(-2) == nr) {
        return true;
      }
    }
    return false;
  }

  /**
   * runc: conditions on distinct arguments are AND-ed; if an argument repeats, any single one
   * suffices.
   */
  private static boolean matches(List<ArgCondition> conditions, long[] args) {
    Set<Integer> seen = new HashSet<>();
    boolean repeated = false;
    for (ArgCondition c : conditions) {
      repeated |= !seen.add(c.index());
    }
    for (ArgCondition c : conditions) {
      boolean ok = holds(c, args[c.index()]);
      if (repeated && ok) {
        return true;
      }
      if (!repeated && !ok) {
        return false;
      }
    }
    return !repeated;
  }

  private static boolean holds(ArgCondition c, long arg) {
    long v = c.value();
    return switch (c.op()) {
      case EQ -> arg == v;
      case NE -> arg != v;
      case LT -> Long.compareUnsigned(arg, v) < 0;
      case LE -> Long.compareUnsigned(arg, v) <= 0;
      case GT -> Long.compareUnsigned(arg, v) > 0;
      case GE -> Long.compareUnsigned(arg, v) >= 0;
      case MASKED_EQ -> (arg & v) == c.valueTwo();
    };
  }

  /** SECCOMP_RET_* values as the kernel's uapi/linux/seccomp.h defines them. */
  static int ret(Action action, @Nullable Integer errno) {
    int data = errno == null ? 1 : errno;
    return switch (action) {
      case KILL, KILL_THREAD -> 0;
      case KILL_PROCESS -> 0x80000000;
      case TRAP -> 0x00030000;
      case ERRNO -> 0x00050000 | data;
      case TRACE -> 0x7ff00000 | data;
      case LOG -> 0x7ffc0000;
      case ALLOW -> 0x7fff0000;
      case NOTIFY -> 0x7fc00000;
    };
  }
}
