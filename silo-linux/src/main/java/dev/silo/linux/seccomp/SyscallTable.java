package dev.silo.linux.seccomp;

import java.util.OptionalInt;

/**
 * Syscall name to number for the ABIs Silo filters (x86_64, i386, x32, aarch64), generated from the
 * kernel's UAPI tables into static arrays so that nothing is parsed at start-up.
 */
public final class SyscallTable {
  private SyscallTable() {}

  /**
   * The number of syscall {@code name} for {@code arch} ({@code SCMP_ARCH_X86_64}, {@code
   * SCMP_ARCH_X86}, {@code SCMP_ARCH_X32} with the x32 bit included, {@code SCMP_ARCH_AARCH64}, or
   * x86_64/i386/x32/aarch64); empty when the arch has no such syscall or Silo has no table for the
   * arch.
   */
  public static OptionalInt number(String arch, String name) {
    Abi abi = Abi.of(arch);
    if (abi == null) {
      return OptionalInt.empty();
    }
    int nr = abi.number(name);
    return nr < 0 ? OptionalInt.empty() : OptionalInt.of(nr);
  }
}
