package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runc-shaped state document and the OCI/HCS names of each status. */
class ContainerStateTest {
  static ContainerState state(Status s, Map<String, String> annotations) {
    return new ContainerState(
        "c1", 42, s, "/b", "/b/rootfs", "2026-01-01T00:00:00Z", annotations, "me", "Process");
  }

  @Test
  void ociJsonHasRuncsKeysInRuncsOrder() {
    Map<String, Object> json = state(Status.RUNNING, Map.of("a", "b")).toOciJson();

    assertThat(json.keySet())
        .containsExactly(
            "ociVersion",
            "id",
            "pid",
            "status",
            "bundle",
            "rootfs",
            "created",
            "annotations",
            "owner");
    assertThat(json).containsEntry("pid", 42).containsEntry("status", "running");
  }

  @Test
  void aStoppedContainerHasPidZeroAndEmptyAnnotationsAreOmitted() {
    Map<String, Object> json = state(Status.STOPPED, Map.of()).toOciJson();

    assertThat(json)
        .containsEntry("pid", 0)
        .containsEntry("status", "stopped")
        .doesNotContainKey("annotations");
  }

  @Test
  void statusNamesForOciAndHcs() {
    assertThat(Status.CREATED.ociName()).isEqualTo("created");
    assertThat(Status.CREATED.hcsState()).isEqualTo("Created");
    assertThat(Status.RUNNING.hcsState()).isEqualTo("Running");
    assertThat(Status.PAUSED.ociName()).isEqualTo("paused");
    assertThat(Status.PAUSED.hcsState()).isEqualTo("Paused");
    assertThat(Status.STOPPED.hcsState()).isEqualTo("Stopped");
  }
}
