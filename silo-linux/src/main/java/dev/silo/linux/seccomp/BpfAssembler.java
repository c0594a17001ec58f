package dev.silo.linux.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Builds a classic BPF program with forward labels. Conditional jumps only reach 255 instructions,
 * so a branch that ends up farther away is routed through a {@code BPF_JA} trampoline placed right
 * after the jump.
 */
final class BpfAssembler {
  static final int LD_W_ABS = 0x20;
  static final int ALU_AND_K = 0x54;
  static final int JMP_JA = 0x05;
  static final int JMP_JEQ_K = 0x15;
  static final int JMP_JGT_K = 0x25;
  static final int JMP_JGE_K = 0x35;
  static final int RET_K = 0x06;
  private static final int MAX_SHORT_JUMP = 255;

  /** A jump target, bound once to the index of the next instruction emitted. */
  static final class Label {
    private int index = -1;
  }

  private int size;
  private int[] codes = new int[256];
  private int[] ks = new int[256];
  private @Nullable Label[] trueTargets = new Label[256];
  private @Nullable Label[] falseTargets = new Label[256];

  Label label() {
    return new Label();
  }

  void bind(Label label) {
    label.index = size;
  }

  int size() {
    return size;
  }

  /** {@code A = seccomp_data[offset..offset+4)}. */
  void load(int offset) {
    emit(LD_W_ABS, offset, null, null);
  }

  void and(int k) {
    emit(ALU_AND_K, k, null, null);
  }

  /** A conditional jump on A against {@code k}; a null target means the next instruction. */
  void jump(int op, int k, @Nullable Label ifTrue, @Nullable Label ifFalse) {
    emit(op, k, ifTrue, ifFalse);
  }

  void jumpAlways(Label target) {
    emit(JMP_JA, 0, target, null);
  }

  void ret(int k) {
    emit(RET_K, k, null, null);
  }

  private void emit(int code, int k, @Nullable Label jt, @Nullable Label jf) {
    if (size == codes.length) {
      int n = size * 2;
      codes = Arrays.copyOf(codes, n);
      ks = Arrays.copyOf(ks, n);
      trueTargets = Arrays.copyOf(trueTargets, n);
      falseTargets = Arrays.copyOf(falseTargets, n);
    }
    codes[size] = code;
    ks[size] = k;
    trueTargets[size] = jt;
    falseTargets[size] = jf;
    size++;
  }

  private boolean isConditional(int i) {
    return (codes[i] & 0x07) == 0x05 && codes[i] != JMP_JA;
  }

  /**
   * Resolves labels (adding trampolines as needed) and encodes {@code struct sock_filter[]}
   * little-endian.
   */
  byte[] assemble() {
    boolean[] farTrue = new boolean[size];
    boolean[] farFalse = new boolean[size];
    int[] pos = new int[size + 1];
    // Adding a trampoline only lengthens other jumps, so this converges after a few rounds at most.
    while (layout(pos, farTrue, farFalse)) {
      // repeat until no short jump is out of range
    }
    ByteBuffer out =
        ByteBuffer.allocate(pos[size] * CompiledFilter.INSTRUCTION_SIZE)
            .order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < size; i++) {
      encode(out, i, pos, farTrue[i], farFalse[i]);
    }
    return out.array();
  }

  private boolean layout(int[] pos, boolean[] farTrue, boolean[] farFalse) {
    int p = 0;
    for (int i = 0; i < size; i++) {
      pos[i] = p;
      p += 1 + (farTrue[i] ? 1 : 0) + (farFalse[i] ? 1 : 0);
    }
    pos[size] = p;
    boolean changed = false;
    for (int i = 0; i < size; i++) {
      if (!isConditional(i)) {
        continue;
      }
      if (!farTrue[i] && distance(pos, i, trueTargets[i]) > MAX_SHORT_JUMP) {
        farTrue[i] = true;
        changed = true;
      }
      if (!farFalse[i] && distance(pos, i, falseTargets[i]) > MAX_SHORT_JUMP) {
        farFalse[i] = true;
        changed = true;
      }
    }
    return changed;
  }

  private static int distance(int[] pos, int from, @Nullable Label target) {
    // A null target is the next emitted instruction, which trampolines of this jump may push
    // further away.
    int index = target == null ? from + 1 : target.index;
    if (index <= from) {
      throw new IllegalStateException("unbound or backward label at instruction " + from);
    }
    return pos[index] - (pos[from] + 1);
  }

  private void encode(ByteBuffer out, int i, int[] pos, boolean farTrue, boolean farFalse) {
    if (codes[i] == JMP_JA) {
      put(out, JMP_JA, 0, 0, distance(pos, i, trueTargets[i]));
      return;
    }
    if (!isConditional(i)) {
      put(out, codes[i], 0, 0, ks[i]);
      return;
    }
    int jt = farTrue ? 0 : distance(pos, i, trueTargets[i]);
    int jf = farFalse ? (farTrue ? 1 : 0) : distance(pos, i, falseTargets[i]);
    put(out, codes[i], jt, jf, ks[i]);
    int at = pos[i] + 1;
    if (farTrue) {
      put(out, JMP_JA, 0, 0, pos[requireBound(trueTargets[i])] - (at + 1));
      at++;
    }
    if (farFalse) {
      put(out, JMP_JA, 0, 0, pos[requireBound(falseTargets[i])] - (at + 1));
    }
  }

  private static int requireBound(@Nullable Label label) {
    if (label == null || label.index < 0) {
      throw new IllegalStateException("trampoline without a bound target");
    }
    return label.index;
  }

  private static void put(ByteBuffer out, int code, int jt, int jf, int k) {
    out.putShort((short) code).put((byte) jt).put((byte) jf).putInt(k);
  }
}
