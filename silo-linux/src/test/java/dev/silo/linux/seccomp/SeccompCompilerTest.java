package dev.silo.linux.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.linux.seccomp.BpfInterpreter.SeccompData;
import dev.silo.linux.seccomp.RandomProfiles.Family;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SeccompCompilerTest {
  private static final int ALLOW = 0x7fff0000;
  private static final int EPERM = 0x00050001;
  private static final int X86_64 = RandomProfiles.AUDIT_X86_64;

  @ParameterizedTest
  @EnumSource(Family.class)
  void interpretedVerdictEqualsDirectEvaluation(Family family) throws SeccompException {
    for (int seed = 0; seed < 150; seed++) {
      RandomProfiles gen = new RandomProfiles(seed * 31L + family.name().hashCode());
      SeccompProfile p = gen.profile(family);
      for (Abi nativeAbi : List.of(Abi.X86_64, Abi.AARCH64)) {
        BpfInterpreter bpf = new BpfInterpreter(SeccompCompiler.compile(p, nativeAbi).program());
        for (int q = 0; q < 400; q++) {
          int arch = gen.arch();
          int nr = gen.nr(arch);
          long[] args = gen.args(p);
          int expected = ReferenceSemantics.verdict(p, nativeAbi, arch, nr, args);
          int actual = bpf.run(new SeccompData(nr, arch, 0x1234, args));
          assertThat(Integer.toHexString(actual))
              .as(
                  "seed %d native %s arch %x nr %d args %s profile %s",
                  seed, nativeAbi, arch, nr, java.util.Arrays.toString(args), p)
              .isEqualTo(Integer.toHexString(expected));
        }
      }
    }
  }

  @Test
  void denyRuleReturnsItsErrnoAndEverythingElseIsAllowed() throws SeccompException {
    SeccompProfile p =
        profile(
            Action.ALLOW,
            null,
            new SeccompRule(List.of("mkdir", "mkdirat"), Action.ERRNO, 28, List.of()));
    BpfInterpreter bpf = interpreter(p);
    assertThat(run(bpf, X86_64, 83)).isEqualTo(0x0005001c); // mkdir -> ENOSPC
    assertThat(run(bpf, X86_64, 258)).isEqualTo(0x0005001c); // mkdirat
    assertThat(run(bpf, X86_64, 0)).isEqualTo(ALLOW);
  }

  @Test
  void actionsEncodeTheKernelReturnValues() throws SeccompException {
    record Case(Action action, @Nullable Integer errno, int expected) {}
    List<Case> cases =
        List.of(
            new Case(Action.KILL, null, 0),
            new Case(Action.KILL_THREAD, null, 0),
            new Case(Action.KILL_PROCESS, null, 0x80000000),
            new Case(Action.TRAP, null, 0x00030000),
            new Case(Action.ERRNO, null, EPERM),
            new Case(Action.ERRNO, 38, 0x00050026),
            new Case(Action.TRACE, null, 0x7ff00001),
            new Case(Action.TRACE, 7, 0x7ff00007),
            new Case(Action.LOG, null, 0x7ffc0000),
            new Case(Action.ALLOW, null, ALLOW));
    for (Case c : cases) {
      SeccompProfile p =
          profile(
              c.action() == Action.ALLOW ? Action.LOG : Action.ALLOW,
              null,
              new SeccompRule(List.of("getpid"), c.action(), c.errno(), List.of()));
      assertThat(run(interpreter(p), X86_64, 39)).as(c.toString()).isEqualTo(c.expected());
    }
  }

  @Test
  void defaultErrnoAppliesToTheDefaultActionOnly() throws SeccompException {
    SeccompProfile p =
        profile(Action.ERRNO, 13, new SeccompRule(List.of("read"), Action.ERRNO, null, List.of()));
    BpfInterpreter bpf = interpreter(p);
    assertThat(run(bpf, X86_64, 1)).isEqualTo(0x0005000d);
    assertThat(run(bpf, X86_64, 0)).isEqualTo(EPERM); // as runc: a rule's errno defaults to EPERM
  }

  @Test
  void foreignArchAndUnlistedX32AreKilledButMinusOneIsLeftToTheDefault() throws SeccompException {
    SeccompProfile p =
        profile(Action.ALLOW, null, new SeccompRule(List.of("read"), Action.ERRNO, 5, List.of()));
    BpfInterpreter bpf = interpreter(p);
    assertThat(run(bpf, RandomProfiles.AUDIT_I386, 3)).isZero();
    assertThat(run(bpf, RandomProfiles.AUDIT_AARCH64, 63)).isZero();
    assertThat(run(bpf, X86_64, 0x40000000)).isZero();
    assertThat(run(bpf, X86_64, -1)).isEqualTo(ALLOW);
    assertThat(run(bpf, X86_64, 0)).isEqualTo(0x00050005);
  }

  @Test
  void listedCompatAbisUseTheirOwnNumbers() throws SeccompException {
    SeccompProfile p =
        new SeccompProfile(
            Action.ALLOW,
            null,
            List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
            List.of(),
            List.of(new SeccompRule(List.of("read", "chown32"), Action.ERRNO, 5, List.of())));
    BpfInterpreter bpf = interpreter(p);
    assertThat(run(bpf, RandomProfiles.AUDIT_I386, 3)).isEqualTo(0x00050005); // i386 read
    assertThat(run(bpf, RandomProfiles.AUDIT_I386, 212)).isEqualTo(0x00050005); // i386 chown32
    assertThat(run(bpf, RandomProfiles.AUDIT_I386, 0)).isEqualTo(ALLOW);
    assertThat(run(bpf, X86_64, 0x40000000)).isEqualTo(0x00050005); // x32 read
    assertThat(run(bpf, X86_64, 0x40000001)).isEqualTo(ALLOW);
  }

  @Test
  void sixtyFourBitConditionsCompareBothHalves() throws SeccompException {
    long big = 0x0000_0001_0000_0005L;
    SeccompProfile p =
        profile(
            Action.ERRNO,
            null,
            new SeccompRule(
                List.of("ioctl"),
                Action.ALLOW,
                null,
                List.of(new ArgCondition(1, big, 0, ArgCondition.Op.EQ))),
            new SeccompRule(
                List.of("mmap"),
                Action.ALLOW,
                null,
                List.of(
                    new ArgCondition(
                        2,
                        0xffff_0000_0000_00ffL,
                        0x0001_0000_0000_0001L,
                        ArgCondition.Op.MASKED_EQ))),
            new SeccompRule(
                List.of("read"),
                Action.ALLOW,
                null,
                List.of(new ArgCondition(0, big, 0, ArgCondition.Op.GT))));
    BpfInterpreter bpf = interpreter(p);
    assertThat(run(bpf, X86_64, 16, 0, big)).isEqualTo(ALLOW);
    assertThat(run(bpf, X86_64, 16, 0, 5)).isEqualTo(EPERM); // same low half only
    assertThat(run(bpf, X86_64, 9, 0, 0, 0x0001_1234_0000_ff01L)).isEqualTo(ALLOW);
    assertThat(run(bpf, X86_64, 9, 0, 0, 0x0000_1234_0000_ff01L)).isEqualTo(EPERM);
    assertThat(run(bpf, X86_64, 0, big + 1)).isEqualTo(ALLOW);
    assertThat(run(bpf, X86_64, 0, 0xffff_ffffL))
        .isEqualTo(EPERM); // larger low half, smaller high half
    assertThat(run(bpf, X86_64, 0, -1L)).isEqualTo(ALLOW); // unsigned
  }

  @Test
  void unconditionalRuleWinsAndConditionalRulesKeepProfileOrder() throws SeccompException {
    ArgCondition zero = new ArgCondition(0, 0, 0, ArgCondition.Op.EQ);
    ArgCondition small = new ArgCondition(0, 10, 0, ArgCondition.Op.LT);
    SeccompProfile p =
        profile(
            Action.ALLOW,
            null,
            new SeccompRule(List.of("kill"), Action.ERRNO, 1, List.of(zero)),
            new SeccompRule(List.of("kill"), Action.ERRNO, 2, List.of()),
            new SeccompRule(List.of("getpid"), Action.ERRNO, 3, List.of(zero)),
            new SeccompRule(List.of("getpid"), Action.ERRNO, 4, List.of(small)));
    BpfInterpreter bpf = interpreter(p);
    assertThat(run(bpf, X86_64, 62, 0)).isEqualTo(0x00050002);
    assertThat(run(bpf, X86_64, 39, 0)).isEqualTo(0x00050003);
    assertThat(run(bpf, X86_64, 39, 5)).isEqualTo(0x00050004);
    assertThat(run(bpf, X86_64, 39, 50)).isEqualTo(ALLOW);
  }

  @Test
  void repeatedArgumentIndexOrsTheConditionsAsRuncDoes() throws SeccompException {
    SeccompProfile p =
        profile(
            Action.ERRNO,
            null,
            new SeccompRule(
                List.of("personality"),
                Action.ALLOW,
                null,
                List.of(
                    new ArgCondition(0, 0, 0, ArgCondition.Op.EQ),
                    new ArgCondition(0, 8, 0, ArgCondition.Op.EQ))));
    BpfInterpreter bpf = interpreter(p);
    assertThat(run(bpf, X86_64, 135, 0)).isEqualTo(ALLOW);
    assertThat(run(bpf, X86_64, 135, 8)).isEqualTo(ALLOW);
    assertThat(run(bpf, X86_64, 135, 1)).isEqualTo(EPERM);
  }

  @Test
  void unknownNamesAreSkippedAndReportedOnce() throws SeccompException {
    SeccompProfile p =
        profile(
            Action.ERRNO,
            null,
            new SeccompRule(
                List.of("read", "no_such_call", "chown32", "no_such_call"),
                Action.ALLOW,
                null,
                List.of()));
    CompiledFilter f = SeccompCompiler.compile(p, Abi.X86_64);
    // chown32 is i386-only: not unknown, just absent from x86_64 (as libseccomp's pseudo-syscalls).
    assertThat(f.unknownSyscalls()).containsExactly("no_such_call");
    assertThat(run(new BpfInterpreter(f.program()), X86_64, 0)).isEqualTo(ALLOW);
  }

  @Test
  void flagsBecomeBits() throws SeccompException {
    SeccompProfile p =
        new SeccompProfile(
            Action.ALLOW,
            null,
            List.of(),
            List.of(
                "SECCOMP_FILTER_FLAG_LOG",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                "SECCOMP_FILTER_FLAG_TSYNC"),
            List.of());
    assertThat(SeccompCompiler.compile(p).flags()).isEqualTo(7);
  }

  @Test
  void errorsNameTheField() {
    assertThatThrownBy(() -> Action.of("SCMP_ACT_FOO")).hasMessage("unknown action SCMP_ACT_FOO");
    assertThatThrownBy(() -> ArgCondition.Op.of("SCMP_CMP_FOO"))
        .hasMessage("unknown operator SCMP_CMP_FOO");
    SeccompRule ok = new SeccompRule(List.of("read"), Action.ALLOW, null, List.of());
    assertThatThrownBy(
            () ->
                SeccompCompiler.compile(
                    profile(
                        Action.ERRNO,
                        null,
                        ok,
                        new SeccompRule(List.of("mount"), Action.NOTIFY, null, List.of()))))
        .isInstanceOf(SeccompException.class)
        .hasMessageStartingWith(
            "linux.seccomp.syscalls[1].action: SCMP_ACT_NOTIFY is not supported yet");
    assertThatThrownBy(() -> SeccompCompiler.compile(profile(Action.NOTIFY, null)))
        .hasMessageStartingWith("linux.seccomp.defaultAction: ");
    assertThatThrownBy(
            () ->
                SeccompCompiler.compile(
                    profile(
                        Action.ERRNO,
                        null,
                        ok,
                        ok,
                        new SeccompRule(
                            List.of("read"),
                            Action.ALLOW,
                            null,
                            List.of(new ArgCondition(6, 0, 0, ArgCondition.Op.EQ))))))
        .hasMessage("linux.seccomp.syscalls[2].args[0].index: 6 is out of range 0..5");
    assertThatThrownBy(() -> SeccompCompiler.compile(profile(Action.ERRNO, 70000)))
        .hasMessage("linux.seccomp.defaultErrnoRet: 70000 is out of range 0..65535");
    assertThatThrownBy(
            () ->
                SeccompCompiler.compile(
                    new SeccompProfile(
                        Action.ALLOW,
                        null,
                        List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_Z80"),
                        List.of(),
                        List.of())))
        .hasMessage("linux.seccomp.architectures[1]: unknown architecture SCMP_ARCH_Z80");
    assertThatThrownBy(
            () ->
                SeccompCompiler.compile(
                    new SeccompProfile(
                        Action.ALLOW,
                        null,
                        List.of(),
                        List.of("SECCOMP_FILTER_FLAG_BOGUS"),
                        List.of())))
        .hasMessage("linux.seccomp.flags[0]: unknown flag SECCOMP_FILTER_FLAG_BOGUS");
  }

  @Test
  void notifyIsAcceptedOnlyWithAListenerAndNeverForWrite() throws SeccompException {
    SeccompProfile p =
        new SeccompProfile(
            Action.ALLOW,
            null,
            List.of(),
            List.of("SECCOMP_FILTER_FLAG_NEW_LISTENER"),
            List.of(new SeccompRule(List.of("mount"), Action.NOTIFY, null, List.of())));
    CompiledFilter f = SeccompCompiler.compile(p, Abi.X86_64);
    assertThat(f.flags()).isEqualTo(8);
    assertThat(run(new BpfInterpreter(f.program()), X86_64, 165)).isEqualTo(0x7fc00000);
    SeccompProfile write =
        new SeccompProfile(
            Action.ALLOW,
            null,
            List.of(),
            List.of("SECCOMP_FILTER_FLAG_NEW_LISTENER"),
            List.of(new SeccompRule(List.of("write"), Action.NOTIFY, null, List.of())));
    assertThatThrownBy(() -> SeccompCompiler.compile(write)).hasMessageContaining("write");
  }

  @Test
  void farBranchesGoThroughTrampolines() throws SeccompException {
    // Many conditions on one syscall make its body longer than a conditional jump can cross.
    List<ArgCondition> many = new ArrayList<>();
    List<SeccompRule> rules = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      rules.add(
          new SeccompRule(
              List.of("ioctl"),
              Action.ERRNO,
              i + 1,
              List.of(
                  new ArgCondition(1, 1000 + i, 0, ArgCondition.Op.EQ),
                  new ArgCondition(2, i, 0, ArgCondition.Op.GE))));
      many.add(new ArgCondition(i % 6, i, 0, ArgCondition.Op.NE));
    }
    rules.add(new SeccompRule(List.of("read", "write", "open", "close"), Action.ERRNO, 99, many));
    SeccompProfile p = new SeccompProfile(Action.ALLOW, null, List.of(), List.of(), rules);
    BpfInterpreter bpf = interpreter(p);
    boolean hasJa = false;
    for (int i = 0; i < bpf.length(); i++) {
      hasJa |= bpf.opcode(i) == BpfAssembler.JMP_JA;
    }
    assertThat(hasJa).isTrue();
    assertThat(run(bpf, X86_64, 16, 0, 1079, 500)).isEqualTo(0x00050050);
    assertThat(run(bpf, X86_64, 16, 0, 1079, 78)).isEqualTo(ALLOW);
    assertThat(run(bpf, X86_64, 3, 100, 100, 100))
        .isEqualTo(0x00050063); // close: repeated indexes, OR-ed
    assertThat(run(bpf, X86_64, 39)).isEqualTo(ALLOW);
  }

  @Test
  void profilesBeyondTheKernelLimitAreRefused() {
    List<ArgCondition> conditions = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      conditions.add(new ArgCondition(i, i, 0, ArgCondition.Op.LE));
    }
    List<SeccompRule> rules = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rules.add(new SeccompRule(List.of("ioctl"), Action.ERRNO, i + 1, conditions));
    }
    SeccompProfile p = new SeccompProfile(Action.ALLOW, null, List.of(), List.of(), rules);
    assertThatThrownBy(() -> SeccompCompiler.compile(p))
        .hasMessageMatching(
            "linux\\.seccomp: profile compiles to \\d+ BPF instructions, more than the kernel's limit of 4096");
  }

  @Test
  void syscallTableKnowsTheFourAbis() {
    assertThat(SyscallTable.number("SCMP_ARCH_X86_64", "mkdir")).hasValue(83);
    assertThat(SyscallTable.number("SCMP_ARCH_X86", "mkdir")).hasValue(39);
    assertThat(SyscallTable.number("SCMP_ARCH_X32", "mkdir")).hasValue(0x40000000 + 83);
    assertThat(SyscallTable.number("SCMP_ARCH_AARCH64", "mkdirat")).hasValue(34);
    assertThat(SyscallTable.number("SCMP_ARCH_AARCH64", "openat")).hasValue(56);
    assertThat(SyscallTable.number("SCMP_ARCH_AARCH64", "mkdir")).isEmpty();
    assertThat(SyscallTable.number("SCMP_ARCH_X86_64", "nope")).isEmpty();
    assertThat(SyscallTable.number("SCMP_ARCH_MIPS", "read")).isEmpty();
  }

  static SeccompProfile profile(
      Action defaultAction, @Nullable Integer defaultErrno, SeccompRule... rules) {
    return new SeccompProfile(defaultAction, defaultErrno, List.of(), List.of(), List.of(rules));
  }

  private static BpfInterpreter interpreter(SeccompProfile p) throws SeccompException {
    return new BpfInterpreter(SeccompCompiler.compile(p, Abi.X86_64).program());
  }

  static int run(BpfInterpreter bpf, int arch, int nr, long... args) {
    return bpf.run(new SeccompData(nr, arch, 0, java.util.Arrays.copyOf(args, 6)));
  }
}
