package dev.silo.linux.seccomp;

import dev.silo.linux.seccomp.BpfAssembler.Label;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Lays out the filter: dispatch on {@code seccomp_data.arch}, then per ABI a binary search on the
 * syscall number down to short linear leaves, each syscall followed by its argument checks (64-bit,
 * high word first).
 */
final class FilterCodegen {
  /** SECCOMP_RET_KILL_THREAD: libseccomp's default bad-arch action, which runc keeps. */
  static final int BAD_ARCH_RET = 0;

  private static final int OFF_NR = 0;
  private static final int OFF_ARCH = 4;
  private static final int OFF_ARGS = 16;
  private static final int LEAF_SIZE = 8;

  private final int defaultRet;
  private final BpfAssembler asm = new BpfAssembler();

  FilterCodegen(int defaultRet) {
    this.defaultRet = defaultRet;
  }

  byte[] generate(Map<Abi, Map<Integer, SyscallRules>> perAbi) {
    Label x86 = asm.label();
    Label i386 = asm.label();
    Label aarch64 = asm.label();
    boolean hasX86 = perAbi.containsKey(Abi.X86_64) || perAbi.containsKey(Abi.X32);
    asm.load(OFF_ARCH);
    if (hasX86) {
      asm.jump(BpfAssembler.JMP_JEQ_K, Abi.X86_64.auditArch, x86, null);
    }
    if (perAbi.containsKey(Abi.I386)) {
      asm.jump(BpfAssembler.JMP_JEQ_K, Abi.I386.auditArch, i386, null);
    }
    if (perAbi.containsKey(Abi.AARCH64)) {
      asm.jump(BpfAssembler.JMP_JEQ_K, Abi.AARCH64.auditArch, aarch64, null);
    }
    asm.ret(BAD_ARCH_RET);
    if (hasX86) {
      asm.bind(x86);
      emitX86(sorted(perAbi.get(Abi.X86_64)), sorted(perAbi.get(Abi.X32)));
    }
    emitSection(i386, sorted(perAbi.get(Abi.I386)));
    emitSection(aarch64, sorted(perAbi.get(Abi.AARCH64)));
    return asm.assemble();
  }

  private static SyscallRules @Nullable [] sorted(@Nullable Map<Integer, SyscallRules> rules) {
    if (rules == null) {
      return null;
    }
    SyscallRules[] array = rules.values().toArray(new SyscallRules[0]);
    Arrays.sort(array, Comparator.comparingInt(r -> r.nr));
    return array;
  }

  private void emitSection(Label start, SyscallRules @Nullable [] rules) {
    if (rules != null) {
      asm.bind(start);
      asm.load(OFF_NR);
      emitTree(rules, 0, rules.length);
    }
  }

  /**
   * x86_64 and x32 share AUDIT_ARCH_X86_64; x32 numbers carry bit 30. Without X32 in the profile
   * those numbers meet the bad-arch action, except -1, which a tracer uses to skip a syscall
   * (libseccomp does the same).
   */
  private void emitX86(SyscallRules @Nullable [] x64, SyscallRules @Nullable [] x32) {
    Label high = asm.label();
    asm.load(OFF_NR);
    asm.jump(BpfAssembler.JMP_JGE_K, Abi.X32_SYSCALL_BIT, high, null);
    if (x64 != null) {
      emitTree(x64, 0, x64.length);
    } else {
      asm.ret(BAD_ARCH_RET);
    }
    asm.bind(high);
    if (x32 != null) {
      emitTree(x32, 0, x32.length);
    } else {
      Label kill = asm.label();
      asm.jump(BpfAssembler.JMP_JEQ_K, -1, null, kill);
      asm.ret(defaultRet);
      asm.bind(kill);
      asm.ret(BAD_ARCH_RET);
    }
  }

  /**
   * Binary search on the syscall number in A; A is not changed until a leaf has matched a number.
   */
  private void emitTree(SyscallRules[] rules, int from, int to) {
    if (to - from <= LEAF_SIZE) {
      emitLeaf(rules, from, to);
      return;
    }
    int mid = (from + to) >>> 1;
    Label upper = asm.label();
    asm.jump(BpfAssembler.JMP_JGE_K, rules[mid].nr, upper, null);
    emitTree(rules, from, mid);
    asm.bind(upper);
    emitTree(rules, mid, to);
  }

  private void emitLeaf(SyscallRules[] rules, int from, int to) {
    Map<Integer, Label> returns = new HashMap<>();
    Label[] bodies = new Label[to - from];
    for (int i = from; i < to; i++) {
      SyscallRules r = rules[i];
      Label target;
      if (r.isUnconditional()) {
        target = returns.computeIfAbsent(r.unconditionalRet(), ret -> asm.label());
      } else {
        target = asm.label();
        bodies[i - from] = target;
      }
      asm.jump(BpfAssembler.JMP_JEQ_K, r.nr, target, null);
    }
    asm.ret(defaultRet);
    for (int i = from; i < to; i++) {
      Label body = bodies[i - from];
      if (body != null) {
        asm.bind(body);
        emitClauses(rules[i].conditional());
      }
    }
    for (Map.Entry<Integer, Label> e : returns.entrySet()) {
      asm.bind(e.getValue());
      asm.ret(e.getKey());
    }
  }

  private void emitClauses(List<SyscallRules.Clause> clauses) {
    for (SyscallRules.Clause clause : clauses) {
      Label next = asm.label();
      for (ArgCondition c : clause.conditions()) {
        emitCondition(c, next);
      }
      asm.ret(clause.ret());
      asm.bind(next);
    }
    asm.ret(defaultRet);
  }

  /** Falls through when the condition holds, jumps to {@code fail} otherwise. */
  private void emitCondition(ArgCondition c, Label fail) {
    int lo = OFF_ARGS + 8 * c.index(); // little-endian: the low word comes first
    int hi = lo + 4;
    int vh = (int) (c.value() >>> 32);
    int vl = (int) c.value();
    Label pass = asm.label();
    switch (c.op()) {
      case EQ -> {
        asm.load(hi);
        asm.jump(BpfAssembler.JMP_JEQ_K, vh, null, fail);
        asm.load(lo);
        asm.jump(BpfAssembler.JMP_JEQ_K, vl, null, fail);
      }
      case NE -> {
        asm.load(hi);
        asm.jump(BpfAssembler.JMP_JEQ_K, vh, null, pass);
        asm.load(lo);
        asm.jump(BpfAssembler.JMP_JEQ_K, vl, fail, null);
      }
      case GT, GE -> {
        asm.load(hi);
        asm.jump(BpfAssembler.JMP_JGT_K, vh, pass, null);
        asm.jump(BpfAssembler.JMP_JEQ_K, vh, null, fail);
        asm.load(lo);
        int op = c.op() == ArgCondition.Op.GT ? BpfAssembler.JMP_JGT_K : BpfAssembler.JMP_JGE_K;
        asm.jump(op, vl, null, fail);
      }
      case LT, LE -> {
        asm.load(hi);
        asm.jump(BpfAssembler.JMP_JGT_K, vh, fail, null);
        asm.jump(BpfAssembler.JMP_JEQ_K, vh, null, pass);
        asm.load(lo);
        int op = c.op() == ArgCondition.Op.LT ? BpfAssembler.JMP_JGE_K : BpfAssembler.JMP_JGT_K;
        asm.jump(op, vl, fail, null);
      }
      case MASKED_EQ -> {
        asm.load(hi);
        asm.and((int) (c.value() >>> 32));
        asm.jump(BpfAssembler.JMP_JEQ_K, (int) (c.valueTwo() >>> 32), null, fail);
        asm.load(lo);
        asm.and((int) c.value());
        asm.jump(BpfAssembler.JMP_JEQ_K, (int) c.valueTwo(), null, fail);
      }
    }
    asm.bind(pass);
  }
}
