package dev.silo.linux.seccomp;

import java.util.Set;

/**
 * The {@code SCMP_ARCH_*} names of the OCI runtime spec, to tell a typo from an arch without a Silo
 * table.
 */
final class KnownArchitectures {
  private static final Set<String> NAMES =
      Set.of(
          "SCMP_ARCH_X86",
          "SCMP_ARCH_X86_64",
          "SCMP_ARCH_X32",
          "SCMP_ARCH_ARM",
          "SCMP_ARCH_AARCH64",
          "SCMP_ARCH_MIPS",
          "SCMP_ARCH_MIPS64",
          "SCMP_ARCH_MIPS64N32",
          "SCMP_ARCH_MIPSEL",
          "SCMP_ARCH_MIPSEL64",
          "SCMP_ARCH_MIPSEL64N32",
          "SCMP_ARCH_PPC",
          "SCMP_ARCH_PPC64",
          "SCMP_ARCH_PPC64LE",
          "SCMP_ARCH_S390",
          "SCMP_ARCH_S390X",
          "SCMP_ARCH_PARISC",
          "SCMP_ARCH_PARISC64",
          "SCMP_ARCH_RISCV64",
          "SCMP_ARCH_LOONGARCH64",
          "SCMP_ARCH_M68K",
          "SCMP_ARCH_SH",
          "SCMP_ARCH_SHEB");

  private KnownArchitectures() {}

  static boolean isKnown(String name) {
    return NAMES.contains(name);
  }
}
