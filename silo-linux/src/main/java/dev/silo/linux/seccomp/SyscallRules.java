package dev.silo.linux.seccomp;

import java.util.ArrayList;
import java.util.List;

/**
 * What the profile says about one syscall number in one ABI: an unconditional return value, or
 * conditional clauses tried in profile order. As in libseccomp, an unconditional rule wins over any
 * conditional one.
 */
final class SyscallRules {
  /** One rule after runc's expansion: all conditions must hold (empty = always). */
  record Clause(int ret, List<ArgCondition> conditions) {}

  final int nr;
  private boolean unconditional;
  private int unconditionalRet;
  private final List<Clause> conditional = new ArrayList<>(2);

  SyscallRules(int nr) {
    this.nr = nr;
  }

  void add(Clause clause) {
    if (unconditional) {
      return; // the first unconditional rule already decides this syscall
    }
    if (clause.conditions().isEmpty()) {
      unconditional = true;
      unconditionalRet = clause.ret();
      conditional.clear();
    } else {
      conditional.add(clause);
    }
  }

  boolean isUnconditional() {
    return unconditional;
  }

  int unconditionalRet() {
    return unconditionalRet;
  }

  List<Clause> conditional() {
    return conditional;
  }
}
