package dev.silo.linux.seccomp;

import static dev.silo.linux.seccomp.SeccompCompilerTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.linux.seccomp.BpfInterpreter.SeccompData;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Docker's default profile (moby profiles/seccomp/default.json, resolved for amd64 and default
 * caps).
 */
class DockerDefaultProfileTest {
  private static final int ALLOW = 0x7fff0000;
  private static final int EPERM = 0x00050001;
  private static final int X86_64 = RandomProfiles.AUDIT_X86_64;
  private static final int I386 = RandomProfiles.AUDIT_I386;

  static SeccompProfile dockerDefault() throws Exception {
    return OciSeccompJson.resource("docker-default.json");
  }

  @Test
  void compilesWithinTheKernelLimits() throws Exception {
    CompiledFilter f = SeccompCompiler.compile(dockerDefault(), Abi.X86_64);
    assertThat(f.instructionCount()).isBetween(300, SeccompCompiler.MAX_INSTRUCTIONS);
    assertThat(f.program()).hasSize(f.instructionCount() * 8);
    System.out.println(
        "docker default profile: "
            + f.instructionCount()
            + " instructions, unknown syscalls "
            + f.unknownSyscalls());
    new BpfInterpreter(
        f.program()); // checks opcodes, jump targets and load offsets like the kernel
    // Names of other architectures' syscalls (or newer than the kernel headers) are skipped, not
    // fatal.
    assertThat(f.unknownSyscalls()).doesNotContain("read", "clone", "socket", "mkdir", "chown32");
  }

  @Test
  void allowsAndDeniesTheExpectedSyscalls() throws Exception {
    BpfInterpreter bpf =
        new BpfInterpreter(SeccompCompiler.compile(dockerDefault(), Abi.X86_64).program());
    assertThat(run(bpf, X86_64, nr("read"))).isEqualTo(ALLOW);
    assertThat(run(bpf, X86_64, nr("mkdir"))).isEqualTo(ALLOW);
    assertThat(run(bpf, X86_64, nr("arch_prctl"))).isEqualTo(ALLOW);
    assertThat(run(bpf, X86_64, nr("mount"))).isEqualTo(EPERM);
    assertThat(run(bpf, X86_64, nr("unshare"))).isEqualTo(EPERM);
    assertThat(run(bpf, X86_64, nr("reboot"))).isEqualTo(EPERM);
    assertThat(run(bpf, X86_64, nr("keyctl"))).isEqualTo(EPERM);
    assertThat(run(bpf, X86_64, nr("clone3")))
        .isEqualTo(0x00050026); // ENOSYS so libc falls back to clone
    assertThat(run(bpf, X86_64, nr("socket"), 2)).isEqualTo(ALLOW); // AF_INET
    assertThat(run(bpf, X86_64, nr("socket"), 40)).isEqualTo(EPERM); // AF_VSOCK
    assertThat(run(bpf, X86_64, nr("personality"), 0xffffffffL)).isEqualTo(ALLOW);
    assertThat(run(bpf, X86_64, nr("personality"), 1)).isEqualTo(EPERM);
    assertThat(run(bpf, X86_64, nr("clone"), 0x01200011))
        .isEqualTo(ALLOW); // fork(): CHILD_SETTID|CLEARTID|SIGCHLD
    assertThat(run(bpf, X86_64, nr("clone"), 0x10000000 | 17)).isEqualTo(EPERM); // CLONE_NEWUSER
    assertThat(run(bpf, I386, SyscallTable.number("SCMP_ARCH_X86", "chown32").orElseThrow()))
        .isEqualTo(ALLOW);
    assertThat(run(bpf, I386, SyscallTable.number("SCMP_ARCH_X86", "mount").orElseThrow()))
        .isEqualTo(EPERM);
    assertThat(run(bpf, X86_64, SyscallTable.number("SCMP_ARCH_X32", "read").orElseThrow()))
        .isEqualTo(ALLOW);
    assertThat(run(bpf, RandomProfiles.AUDIT_AARCH64, 63)).isZero(); // not listed: killed
  }

  @Test
  void agreesWithTheDirectEvaluationOnRandomCalls() throws Exception {
    SeccompProfile p = dockerDefault();
    BpfInterpreter bpf = new BpfInterpreter(SeccompCompiler.compile(p, Abi.X86_64).program());
    RandomProfiles gen = new RandomProfiles(7);
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      int arch = gen.arch();
      int nr = random.nextInt(4) == 0 ? gen.nr(arch) : random.nextInt(470);
      long[] args = gen.args(p);
      assertThat(bpf.run(new SeccompData(nr, arch, 0, args)))
          .as("arch %x nr %d args %s", arch, nr, Arrays.toString(args))
          .isEqualTo(ReferenceSemantics.verdict(p, Abi.X86_64, arch, nr, args));
    }
  }

  @Test
  void compilesWellUnderAMillisecondOnceWarm() throws Exception {
    SeccompProfile p = dockerDefault();
    for (int i = 0; i < 3000; i++) {
      SeccompCompiler.compile(p);
    }
    // Process CPU time (java.management is not readable from this module), best of several batches:
    // other
    // builds share the two cores of this machine, so wall-clock time would measure them too.
    long best = Long.MAX_VALUE;
    for (int batch = 0; batch < 10; batch++) {
      long start = cpuNanos();
      for (int i = 0; i < 500; i++) {
        SeccompCompiler.compile(p);
      }
      best = Math.min(best, (cpuNanos() - start) / 500);
    }
    System.out.println("docker default profile: " + best / 1000 + " us CPU per compile");
    assertThat(best).isLessThan(1_000_000);
  }

  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }

  private static int nr(String name) {
    return SyscallTable.number("SCMP_ARCH_X86_64", name).orElseThrow();
  }
}
