package dev.silo.linux.seccomp;

import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A syscall ABI that Silo has a table for, with the {@code AUDIT_ARCH_*} value the kernel puts in
 * seccomp_data.
 */
enum Abi {
  X86_64("SCMP_ARCH_X86_64", 0xc000_003e),
  I386("SCMP_ARCH_X86", 0x4000_0003),
  // x32 shares AUDIT_ARCH_X86_64 and is told apart by bit 30 of the syscall number.
  X32("SCMP_ARCH_X32", 0xc000_003e),
  AARCH64("SCMP_ARCH_AARCH64", 0xc000_00b7);

  /** __X32_SYSCALL_BIT: set in every x32 syscall number. */
  static final int X32_SYSCALL_BIT = 0x4000_0000;

  final String ociName;
  final int auditArch;

  Abi(String ociName, int auditArch) {
    this.ociName = ociName;
    this.auditArch = auditArch;
  }

  /**
   * The ABI for an OCI name, or a short name (x86_64, amd64, x86, i386, x32, aarch64, arm64); null
   * if none.
   */
  static @Nullable Abi of(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "scmp_arch_x86_64", "x86_64", "amd64" -> X86_64;
      case "scmp_arch_x86", "x86", "i386", "i686" -> I386;
      case "scmp_arch_x32", "x32" -> X32;
      case "scmp_arch_aarch64", "aarch64", "arm64" -> AARCH64;
      default -> null;
    };
  }

  /** The host's ABI from {@code os.arch}; x86_64 where the JVM does not say otherwise. */
  static Abi nativeAbi() {
    Abi abi = of(System.getProperty("os.arch", "amd64"));
    return abi == null || abi == X32 ? X86_64 : abi;
  }

  /** The syscall number of {@code name} in this ABI, or -1 when the ABI has no such syscall. */
  int number(String name) {
    String[] names = names();
    int i = Arrays.binarySearch(names, name);
    return i < 0 ? -1 : numbers()[i];
  }

  private String[] names() {
    return switch (this) {
      case X86_64 -> SyscallNumbers.X86_64.NAMES;
      case I386 -> SyscallNumbers.I386.NAMES;
      case X32 -> SyscallNumbers.X32.NAMES;
      case AARCH64 -> SyscallNumbers.AARCH64.NAMES;
    };
  }

  private int[] numbers() {
    return switch (this) {
      case X86_64 -> SyscallNumbers.X86_64.NUMBERS;
      case I386 -> SyscallNumbers.I386.NUMBERS;
      case X32 -> SyscallNumbers.X32.NUMBERS;
      case AARCH64 -> SyscallNumbers.AARCH64.NUMBERS;
    };
  }
}
