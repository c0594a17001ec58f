package dev.silo.hcs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.init.Namespaces;
import dev.silo.schema.oci.Linux;
import dev.silo.schema.oci.OciSpecs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * New namespaces become clone flags, ones with a path become joins (user first), and bad entries
 * fail.
 */
class NamespaceSetTest {
  static Linux linux(Linux.Namespace... namespaces) {
    return new Linux(
        List.of(),
        List.of(),
        Map.of(),
        null,
        null,
        List.of(namespaces),
        List.of(),
        null,
        null,
        List.of(),
        List.of(),
        null,
        null,
        null,
        Map.of());
  }

  static Linux.Namespace ns(String type) {
    return new Linux.Namespace(type, null);
  }

  @Test
  void everyOciTypeMapsToItsCloneFlag() {
    assertThat(NamespaceSet.flagOf("pid")).isEqualTo(Namespaces.CLONE_NEWPID);
    assertThat(NamespaceSet.flagOf("network")).isEqualTo(Namespaces.CLONE_NEWNET);
    assertThat(NamespaceSet.flagOf("mount")).isEqualTo(Namespaces.CLONE_NEWNS);
    assertThat(NamespaceSet.flagOf("ipc")).isEqualTo(Namespaces.CLONE_NEWIPC);
    assertThat(NamespaceSet.flagOf("uts")).isEqualTo(Namespaces.CLONE_NEWUTS);
    assertThat(NamespaceSet.flagOf("user")).isEqualTo(Namespaces.CLONE_NEWUSER);
    assertThat(NamespaceSet.flagOf("cgroup")).isEqualTo(Namespaces.CLONE_NEWCGROUP);
    assertThat(NamespaceSet.flagOf("time")).isEqualTo(Namespaces.CLONE_NEWTIME);
    assertThat(NamespaceSet.flagOf("net")).as("the OCI name is network").isZero();
  }

  @Test
  void runcsDefaultNamespacesAreAllNew() throws PlanException {
    NamespaceSet set = NamespaceSet.of(OciSpecs.defaultSpec().linux());

    assertThat(set.cloneFlags())
        .isEqualTo(
            Namespaces.CLONE_NEWPID
                | Namespaces.CLONE_NEWNET
                | Namespaces.CLONE_NEWIPC
                | Namespaces.CLONE_NEWUTS
                | Namespaces.CLONE_NEWNS);
    assertThat(set.joins()).isEmpty();
    assertThat(set.newNet()).isTrue();
    assertThat(set.newIpc()).isTrue();
    assertThat(set.newUts()).isTrue();
    assertThat(set.hasMount()).isTrue();
    assertThat(set.newUser()).isFalse();
  }

  @Test
  void noLinuxSectionMeansNoNamespaces() throws PlanException {
    NamespaceSet set = NamespaceSet.of(null);

    assertThat(set.cloneFlags()).isZero();
    assertThat(set.joins()).isEmpty();
  }

  @Test
  void pathsAreJoinedAndAJoinedUserNamespaceComesFirst() throws PlanException {
    NamespaceSet set =
        NamespaceSet.of(
            linux(
                new Linux.Namespace("network", "/var/run/netns/a"),
                ns("pid"),
                new Linux.Namespace("ipc", "/proc/7/ns/ipc"),
                new Linux.Namespace("user", "/proc/7/ns/user"),
                ns("mount")));

    assertThat(set.cloneFlags()).isEqualTo(Namespaces.CLONE_NEWPID | Namespaces.CLONE_NEWNS);
    assertThat(set.joins())
        .containsExactly(
            new NamespaceSet.Join(Namespaces.CLONE_NEWUSER, "/proc/7/ns/user"),
            new NamespaceSet.Join(Namespaces.CLONE_NEWNET, "/var/run/netns/a"),
            new NamespaceSet.Join(Namespaces.CLONE_NEWIPC, "/proc/7/ns/ipc"));
    assertThat(set.newNet()).isFalse();
  }

  @Test
  void anEmptyPathMeansANewNamespace() throws PlanException {
    assertThat(NamespaceSet.of(linux(new Linux.Namespace("uts", ""))).newUts()).isTrue();
  }

  @Test
  void unknownAndDuplicateTypesNameTheEntry() {
    assertThatThrownBy(() -> NamespaceSet.of(linux(ns("pid"), ns("net"))))
        .isInstanceOf(PlanException.class)
        .hasMessage("linux.namespaces[1].type: unknown namespace type \"net\"");
    List<Linux.Namespace> twice = new ArrayList<>(List.of(ns("uts"), ns("pid")));
    twice.add(new Linux.Namespace("uts", "/proc/1/ns/uts"));
    assertThatThrownBy(() -> NamespaceSet.of(linux(twice.toArray(Linux.Namespace[]::new))))
        .isInstanceOf(PlanException.class)
        .hasMessage("linux.namespaces[2].type: duplicate namespace \"uts\"");
  }
}
