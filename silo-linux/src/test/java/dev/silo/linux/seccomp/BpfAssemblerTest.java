package dev.silo.linux.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.linux.seccomp.BpfAssembler.Label;
import dev.silo.linux.seccomp.BpfInterpreter.SeccompData;
import org.junit.jupiter.api.Test;

class BpfAssemblerTest {
  /**
   * Verdicts: 1 -> 1 (far true side), below 5 -> 2 (far false side), 6 -> 3 and other -> 4 (both
   * sides far).
   */
  private static BpfInterpreter program(int padding) {
    BpfAssembler asm = new BpfAssembler();
    Label farTrue = asm.label();
    Label farFalse = asm.label();
    Label bothTrue = asm.label();
    Label bothFalse = asm.label();
    asm.load(0);
    asm.jump(BpfAssembler.JMP_JEQ_K, 1, farTrue, null); // far true branch, short fall-through
    asm.jump(BpfAssembler.JMP_JGE_K, 5, null, farFalse); // short true branch, far false branch
    asm.jump(BpfAssembler.JMP_JEQ_K, 6, bothTrue, bothFalse); // both far
    asm.ret(100);
    for (int i = 0; i < padding; i++) {
      asm.ret(-1);
    }
    asm.bind(farTrue);
    asm.ret(1);
    asm.bind(farFalse);
    asm.ret(2);
    for (int i = 0; i < padding; i++) {
      asm.ret(-2);
    }
    asm.bind(bothTrue);
    asm.ret(3);
    asm.bind(bothFalse);
    asm.ret(4);
    return new BpfInterpreter(asm.assemble());
  }

  private static int run(BpfInterpreter bpf, int nr) {
    return bpf.run(new SeccompData(nr, 0, 0, new long[6]));
  }

  @Test
  void shortProgramsNeedNoTrampolines() {
    BpfInterpreter bpf = program(10);
    assertThat(bpf.length()).isEqualTo(5 + 20 + 4);
    assertThat(run(bpf, 1)).isEqualTo(1);
    assertThat(run(bpf, 2)).isEqualTo(2);
    assertThat(run(bpf, 6)).isEqualTo(3);
    assertThat(run(bpf, 7)).isEqualTo(4);
  }

  @Test
  void farBranchesOnEitherSideGoThroughJumpAlways() {
    BpfInterpreter bpf = program(300);
    assertThat(bpf.length()).isEqualTo(5 + 600 + 4 + 4); // four trampolines
    assertThat(run(bpf, 1)).isEqualTo(1);
    assertThat(run(bpf, 2)).isEqualTo(2);
    assertThat(run(bpf, 6)).isEqualTo(3);
    assertThat(run(bpf, 7)).isEqualTo(4);
  }
}
