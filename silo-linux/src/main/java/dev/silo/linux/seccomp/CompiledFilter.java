package dev.silo.linux.seccomp;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A classic BPF program ({@code struct sock_filter[]}, 8 little-endian bytes per instruction) ready
 * for {@code seccomp(SECCOMP_SET_MODE_FILTER, flags, ...)}, and the syscall names that no compiled
 * ABI knows.
 */
// The raw bytes are what the C helper receives; equals/hashCode/toString below compare contents.
@SuppressWarnings("ArrayRecordComponent")
public record CompiledFilter(byte[] program, int flags, List<String> unknownSyscalls) {
  /** Size of one {@code struct sock_filter}. */
  public static final int INSTRUCTION_SIZE = 8;

  public CompiledFilter {
    program = program.clone();
    unknownSyscalls = List.copyOf(unknownSyscalls);
  }

  /** A copy of the program bytes (the record keeps its own). */
  @Override
  public byte[] program() {
    return program.clone();
  }

  /** Number of BPF instructions. */
  public int instructionCount() {
    return program.length / INSTRUCTION_SIZE;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CompiledFilter other
        && Arrays.equals(program, other.program)
        && flags == other.flags
        && unknownSyscalls.equals(other.unknownSyscalls);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(program) + flags) + unknownSyscalls.hashCode();
  }

  @Override
  public String toString() {
    return "CompiledFilter[instructions="
        + instructionCount()
        + ", flags=0x"
        + Integer.toHexString(flags)
        + ", unknownSyscalls="
        + unknownSyscalls
        + ", program="
        + HexFormat.of().formatHex(program)
        + "]";
  }
}
