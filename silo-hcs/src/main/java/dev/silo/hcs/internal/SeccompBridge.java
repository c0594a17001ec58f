package dev.silo.hcs.internal;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.linux.seccomp.Action;
import dev.silo.linux.seccomp.ArgCondition;
import dev.silo.linux.seccomp.CompiledFilter;
import dev.silo.linux.seccomp.SeccompCompiler;
import dev.silo.linux.seccomp.SeccompException;
import dev.silo.linux.seccomp.SeccompProfile;
import dev.silo.linux.seccomp.SeccompRule;
import dev.silo.schema.oci.LinuxSeccomp;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * OCI {@code linux.seccomp} to the compiler's profile, compiled to the BPF program silo-init loads.
 */
public final class SeccompBridge {
  private SeccompBridge() {}

  public static @Nullable CompiledFilter compile(@Nullable LinuxSeccomp s) throws HcsException {
    if (s == null) {
      return null;
    }
    try {
      List<SeccompRule> rules = new ArrayList<>();
      for (int i = 0; i < s.syscalls().size(); i++) {
        LinuxSeccomp.Syscall sc = s.syscalls().get(i);
        List<ArgCondition> args = new ArrayList<>();
        for (LinuxSeccomp.Arg a : sc.args()) {
          args.add(
              new ArgCondition(
                  (int) a.index(), a.value(), a.valueTwo(), ArgCondition.Op.of(a.op())));
        }
        rules.add(
            new SeccompRule(
                sc.names(),
                action(sc.action(), "linux.seccomp.syscalls[" + i + "].action"),
                sc.errnoRet() == null ? null : (int) (long) sc.errnoRet(),
                args));
      }
      SeccompProfile p =
          new SeccompProfile(
              action(s.defaultAction(), "linux.seccomp.defaultAction"),
              s.defaultErrnoRet() == null ? null : (int) (long) s.defaultErrnoRet(),
              s.architectures(),
              s.flags(),
              rules);
      return SeccompCompiler.compile(p);
    } catch (SeccompException | IllegalArgumentException e) {
      throw new HcsException(
          "create", "", HResult.HCS_E_INVALID_JSON, "config.json: " + e.getMessage(), e);
    }
  }

  private static Action action(String name, String field) {
    try {
      return Action.of(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": unknown action \"" + name + "\"", e);
    }
  }
}
