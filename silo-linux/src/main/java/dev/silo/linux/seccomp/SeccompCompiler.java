package dev.silo.linux.seccomp;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Compiles an OCI {@code linux.seccomp} profile into a classic BPF program with the semantics runc
 * gets from libseccomp, without libseccomp: arch check first, then a binary search on the syscall
 * number per ABI.
 */
public final class SeccompCompiler {
  /** BPF_MAXINSNS: the kernel refuses longer classic programs. */
  public static final int MAX_INSTRUCTIONS = 4096;

  static final int EPERM = 1;
  static final int SECCOMP_FILTER_FLAG_NEW_LISTENER = 8;
  private static final int MAX_ARGS = 6;
  private static final int MAX_DATA = 0xffff;
  private static final String PATH = "linux.seccomp";

  private SeccompCompiler() {}

  /**
   * Compiles for this host, whose native ABI is always filtered whether the profile lists it or
   * not.
   */
  public static CompiledFilter compile(SeccompProfile p) throws SeccompException {
    return compile(p, Abi.nativeAbi());
  }

  static CompiledFilter compile(SeccompProfile p, Abi nativeAbi) throws SeccompException {
    if (p.defaultAction() == Action.NOTIFY) {
      // runc refuses it too: the process could not even write the listener fd to its parent.
      throw new SeccompException(
          PATH + ".defaultAction", "SCMP_ACT_NOTIFY cannot be the default action");
    }
    int defaultRet =
        p.defaultAction().ret(data(p.defaultAction(), p.defaultErrno(), PATH + ".defaultErrnoRet"));
    int flags = flags(p.flags());
    Set<Abi> abis = abis(p.architectures(), nativeAbi);
    Map<Abi, Map<Integer, SyscallRules>> perAbi = new EnumMap<>(Abi.class);
    for (Abi abi : abis) {
      perAbi.put(abi, new HashMap<>());
    }
    Set<String> unknown = new LinkedHashSet<>();
    for (int i = 0; i < p.rules().size(); i++) {
      addRule(p.rules().get(i), PATH + ".syscalls[" + i + "]", defaultRet, flags, perAbi, unknown);
    }
    FilterCodegen codegen = new FilterCodegen(defaultRet);
    byte[] program = codegen.generate(perAbi);
    int count = program.length / CompiledFilter.INSTRUCTION_SIZE;
    if (count > MAX_INSTRUCTIONS) {
      throw new SeccompException(
          PATH,
          "profile compiles to "
              + count
              + " BPF instructions, more than the kernel's limit of "
              + MAX_INSTRUCTIONS);
    }
    return new CompiledFilter(program, flags, List.copyOf(unknown));
  }

  /**
   * The SECCOMP_RET_DATA value: errnoRet (or EPERM) for ERRNO, as runc also defaults TRACE to
   * EPERM.
   */
  private static int data(Action action, @Nullable Integer errno, String path)
      throws SeccompException {
    if (!action.takesData()) {
      return 0;
    }
    if (errno == null) {
      return EPERM;
    }
    if (errno < 0 || errno > MAX_DATA) {
      throw new SeccompException(path, errno + " is out of range 0.." + MAX_DATA);
    }
    return errno;
  }

  private static int flags(List<String> names) throws SeccompException {
    int bits = 0;
    for (int i = 0; i < names.size(); i++) {
      bits |=
          switch (names.get(i)) {
            case "SECCOMP_FILTER_FLAG_TSYNC" -> 1;
            case "SECCOMP_FILTER_FLAG_LOG" -> 2;
            case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> 4;
            case "SECCOMP_FILTER_FLAG_NEW_LISTENER" -> SECCOMP_FILTER_FLAG_NEW_LISTENER;
            case "SECCOMP_FILTER_FLAG_TSYNC_ESRCH" -> 16;
            case "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" -> 32;
            default ->
                throw new SeccompException(
                    PATH + ".flags[" + i + "]", "unknown flag " + names.get(i));
          };
    }
    return bits;
  }

  private static Set<Abi> abis(List<String> names, Abi nativeAbi) throws SeccompException {
    Set<Abi> abis = EnumSet.of(nativeAbi);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Abi abi = name.equals("SCMP_ARCH_NATIVE") ? nativeAbi : Abi.of(name);
      if (abi != null) {
        abis.add(abi);
      } else if (!KnownArchitectures.isKnown(name)) {
        throw new SeccompException(
            PATH + ".architectures[" + i + "]", "unknown architecture " + name);
      }
      // A valid arch without a Silo table (ARM, MIPS, ...) cannot run here; it meets the bad-arch
      // kill.
    }
    return abis;
  }

  private static void addRule(
      SeccompRule rule,
      String path,
      int defaultRet,
      int flags,
      Map<Abi, Map<Integer, SyscallRules>> perAbi,
      Set<String> unknown)
      throws SeccompException {
    Action action = rule.action();
    if (action == Action.NOTIFY) {
      checkNotify(rule, path, flags);
    }
    int ret = action.ret(data(action, rule.errno(), path + ".errnoRet"));
    List<List<ArgCondition>> alternatives = alternatives(rule.args(), path);
    for (int n = 0; n < rule.names().size(); n++) {
      if (rule.names().get(n).isEmpty()) {
        throw new SeccompException(path + ".names[" + n + "]", "empty syscall name");
      }
    }
    if (ret == defaultRet) {
      return; // runc skips rules that repeat the default action; libseccomp would refuse them
    }
    for (String name : rule.names()) {
      boolean known = false;
      for (Map.Entry<Abi, Map<Integer, SyscallRules>> e : perAbi.entrySet()) {
        int nr = e.getKey().number(name);
        if (nr >= 0) {
          known = true;
          SyscallRules rules = e.getValue().computeIfAbsent(nr, SyscallRules::new);
          for (List<ArgCondition> conditions : alternatives) {
            rules.add(new SyscallRules.Clause(ret, conditions));
          }
        }
      }
      if (!known && !knownAnywhere(name)) {
        // runc ignores names libseccomp does not know; a name of another ABI (chown32 on x86_64) is
        // not unknown.
        unknown.add(name);
      }
    }
  }

  private static boolean knownAnywhere(String name) {
    for (Abi abi : Abi.values()) {
      if (abi.number(name) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static void checkNotify(SeccompRule rule, String path, int flags)
      throws SeccompException {
    if ((flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) == 0) {
      throw new SeccompException(
          path + ".action",
          "SCMP_ACT_NOTIFY is not supported yet: it needs a seccomp"
              + " user-notification listener (SECCOMP_FILTER_FLAG_NEW_LISTENER) and agent, which Silo does not run");
    }
    if (rule.names().contains("write")) {
      // As runc: the container init must still write the listener fd to its parent.
      throw new SeccompException(
          path + ".action", "SCMP_ACT_NOTIFY cannot be used for the write syscall");
    }
  }

  /**
   * The OR-ed condition lists of one rule. Like runc, when two conditions name the same argument
   * each condition becomes a rule of its own (libseccomp cannot AND two checks on one argument);
   * otherwise all are AND-ed.
   */
  private static List<List<ArgCondition>> alternatives(List<ArgCondition> args, String path)
      throws SeccompException {
    int[] perIndex = new int[MAX_ARGS];
    boolean repeated = false;
    for (int i = 0; i < args.size(); i++) {
      int index = args.get(i).index();
      if (index < 0 || index >= MAX_ARGS) {
        throw new SeccompException(
            path + ".args[" + i + "].index", index + " is out of range 0..5");
      }
      repeated |= ++perIndex[index] > 1;
    }
    if (!repeated) {
      return List.of(args);
    }
    List<List<ArgCondition>> split = new ArrayList<>(args.size());
    for (ArgCondition c : args) {
      split.add(List.of(c));
    }
    return split;
  }
}
