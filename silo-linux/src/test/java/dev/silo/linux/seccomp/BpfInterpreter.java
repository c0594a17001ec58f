package dev.silo.linux.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A small classic-BPF interpreter for the opcodes a seccomp filter may use here, checking the
 * program the way the kernel's loader does (known opcodes, jumps inside the program, aligned loads
 * inside seccomp_data, RET last).
 */
final class BpfInterpreter {
  /** The kernel's {@code struct seccomp_data}. */
  @SuppressWarnings(
      "ArrayRecordComponent") // mirrors the C struct; copied on the way in, never compared
  record SeccompData(int nr, int arch, long instructionPointer, long[] args) {
    SeccompData {
      args = args.clone();
    }

    int word(int offset) {
      if (offset < 0 || offset > 60 || offset % 4 != 0) {
        throw new AssertionError("load outside seccomp_data or unaligned: " + offset);
      }
      long v =
          switch (offset) {
            case 0 -> nr;
            case 4 -> arch;
            case 8, 12 -> instructionPointer;
            default -> args[(offset - 16) / 8];
          };
      return (int) (offset % 8 == 4 && offset != 4 ? v >>> 32 : v);
    }
  }

  private final int[] codes;
  private final int[] jts;
  private final int[] jfs;
  private final int[] ks;

  BpfInterpreter(byte[] program) {
    if (program.length == 0 || program.length % 8 != 0) {
      throw new AssertionError("program length " + program.length);
    }
    int n = program.length / 8;
    codes = new int[n];
    jts = new int[n];
    jfs = new int[n];
    ks = new int[n];
    ByteBuffer in = ByteBuffer.wrap(program).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      codes[i] = in.getShort() & 0xffff;
      jts[i] = in.get() & 0xff;
      jfs[i] = in.get() & 0xff;
      ks[i] = in.getInt();
    }
    check();
  }

  int length() {
    return codes.length;
  }

  int opcode(int i) {
    return codes[i];
  }

  /** One line per instruction, for failure messages and debugging. */
  String disassemble() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < codes.length; i++) {
      out.append(
          String.format(
              "%4d: code=0x%02x jt=%d jf=%d k=0x%x%n", i, codes[i], jts[i], jfs[i], ks[i]));
    }
    return out.toString();
  }

  private void check() {
    int n = codes.length;
    if (codes[n - 1] != 0x06) {
      throw new AssertionError("last instruction is not RET");
    }
    for (int i = 0; i < n; i++) {
      switch (codes[i]) {
        case 0x20 -> word(new SeccompData(0, 0, 0, new long[6]), ks[i]);
        case 0x54, 0x06 -> {}
        case 0x05 -> requireInside(i, Integer.toUnsignedLong(ks[i]));
        case 0x15, 0x25, 0x35, 0x45 -> {
          requireInside(i, jts[i]);
          requireInside(i, jfs[i]);
        }
        default ->
            throw new AssertionError("opcode 0x" + Integer.toHexString(codes[i]) + " at " + i);
      }
    }
  }

  private void requireInside(int at, long offset) {
    if (at + 1 + offset >= codes.length) {
      throw new AssertionError("jump out of the program at " + at);
    }
  }

  private static int word(SeccompData d, int offset) {
    return d.word(offset);
  }

  /** Runs the filter and returns its SECCOMP_RET_* value. */
  int run(SeccompData d) {
    int a = 0;
    int pc = 0;
    while (true) {
      int i = pc++;
      switch (codes[i]) {
        case 0x20 -> a = d.word(ks[i]);
        case 0x54 -> a &= ks[i];
        case 0x05 -> pc += ks[i];
        case 0x15 -> pc += a == ks[i] ? jts[i] : jfs[i];
        case 0x25 -> pc += Integer.compareUnsigned(a, ks[i]) > 0 ? jts[i] : jfs[i];
        case 0x35 -> pc += Integer.compareUnsigned(a, ks[i]) >= 0 ? jts[i] : jfs[i];
        case 0x45 -> pc += (a & ks[i]) != 0 ? jts[i] : jfs[i];
        case 0x06 -> {
          return ks[i];
        }
        default -> throw new AssertionError("opcode " + codes[i]);
      }
    }
  }
}
