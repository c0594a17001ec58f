package dev.silo.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {

  @Test
  void encodesHeaderAndStepsLittleEndian() {
    Plan plan =
        Plan.builder()
            .foreground(true)
            .cloneNamespaces(Namespaces.CLONE_NEWNS | Namespaces.CLONE_NEWPID)
            .sethostname("ab")
            .ready()
            .build();

    assertThat(plan.encode())
        .containsExactly(
            0x50, 0x4f, 0x4c, 0x53, // magic "SLOP" 0x534c4f50
            1, 0, 0, 0, // version
            3, 0, 0, 0, // step count
            1, 0, 0, 0, // flags: foreground
            5, 0, 0, 0, 4, 0, 0, 0, // CLONE, reserved, payload length 4
            0x00, 0x00, 0x02, 0x20, // CLONE_NEWNS | CLONE_NEWPID
            20, 0, 0, 0, 6, 0, 0, 0, // SETHOSTNAME, length 6
            2, 0, 0, 0, 'a', 'b', // str
            45, 0, 0, 0, 0, 0, 0, 0); // READY, empty
  }

  @Test
  void encodesMountWithEmptyOptionalStrings() {
    byte[] encoded =
        Plan.builder()
            .mount(
                null,
                "/t",
                "proc",
                MountFlags.MS_NOSUID | MountFlags.MS_NODEV,
                null,
                MountFlags.OPT_MKDIR)
            .build()
            .encode();

    byte[] step = java.util.Arrays.copyOfRange(encoded, 16, encoded.length);
    assertThat(step)
        .containsExactly(
            22, 0, 0, 0, 34, 0, 0, 0, // MOUNT, payload length 34
            0, 0, 0, 0, // source ""
            2, 0, 0, 0, '/', 't', // target
            4, 0, 0, 0, 'p', 'r', 'o', 'c', // fstype
            6, 0, 0, 0, 0, 0, 0, 0, // flags u64
            0, 0, 0, 0, // data ""
            1, 0, 0, 0); // opts
  }

  @Test
  void encodesExecWithStringLists() {
    byte[] encoded =
        Plan.builder().exec("sh", List.of("sh", "-c"), List.of("A=1")).build().encode();

    byte[] step = java.util.Arrays.copyOfRange(encoded, 16, encoded.length);
    assertThat(step)
        .containsExactly(
            46, 0, 0, 0, 33, 0, 0, 0, 2, 0, 0, 0, 's', 'h', // path
            2, 0, 0, 0, 2, 0, 0, 0, 's', 'h', 2, 0, 0, 0, '-', 'c', // argv
            1, 0, 0, 0, 3, 0, 0, 0, 'A', '=', '1'); // envp
  }

  @Test
  void encodesCapsAsFiveU64() {
    byte[] encoded = Plan.builder().caps(-1L, 1L << 33, 2, 0, 0).build().encode();

    assertThat(encoded).hasSize(16 + 8 + 40);
    assertThat(java.util.Arrays.copyOfRange(encoded, 24, 40))
        .containsExactly(-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 2, 0, 0, 0);
  }

  @Test
  void describesSteps() {
    Plan plan =
        Plan.builder()
            .joinNamespace(Namespaces.CLONE_NEWNET, "/run/netns/x")
            .cloneNamespaces(Namespaces.CLONE_NEWNS | Namespaces.CLONE_NEWUTS)
            .mount("proc", "/run/x/rootfs/proc", "proc", 0, null, 0)
            .mount(null, "/run/x/rootfs/dev", "tmpfs", 0, "mode=755", 0)
            .pivotRoot("/run/x/rootfs")
            .setrlimit(7, 1024, 1024)
            .exec("/bin/sh", List.of("sh"), List.of())
            .build();

    assertThat(plan.size()).isEqualTo(7);
    assertThat(plan.describe(0)).isEqualTo("setns(net, /run/netns/x)");
    assertThat(plan.describe(1)).isEqualTo("clone(mnt|uts)");
    assertThat(plan.describe(2)).isEqualTo("mount(proc → /run/x/rootfs/proc)");
    assertThat(plan.describe(3)).isEqualTo("mount(tmpfs → /run/x/rootfs/dev)");
    assertThat(plan.describe(4)).isEqualTo("pivot_root(/run/x/rootfs)");
    assertThat(plan.describe(5)).isEqualTo("setrlimit(RLIMIT_NOFILE)");
    assertThat(plan.describe(6)).isEqualTo("exec(/bin/sh)");
    assertThat(plan.describe(-1)).isEqualTo("silo-init");
    assertThat(plan.foreground()).isFalse();
  }

  @Test
  void rejectsMisorderedSteps() {
    assertThatThrownBy(() -> Plan.builder().cloneNamespaces(0).stateDir("/run/x"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Plan.builder().cloneNamespaces(Namespaces.CLONE_NEWNS).uidMap("0 0 1"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Plan.builder().chdir("a\0b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void errorMessagesNameTheStepAndTheErrno() {
    InitException e = new InitException("mount(proc → /r/proc)", 3, 1, "");
    assertThat(e).hasMessage("mount(proc → /r/proc): EPERM (Operation not permitted)");
    assertThat(e.errnoName()).isEqualTo("EPERM");
    assertThat(new InitException("x", 0, 2, "mkdir -p /a"))
        .hasMessage("x: ENOENT (No such file or directory): mkdir -p /a");
    assertThat(Errno.name(11)).isEqualTo("EAGAIN");
    assertThat(Errno.name(9999)).isEqualTo("E9999");
  }
}
