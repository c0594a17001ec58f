package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ContainerMountsTest {
  @Test
  void anAnonymousVolumeMountIsNamedOnceAtCreateAndLabelledAnonymous() throws Exception {
    JsonNode asked =
        Json.MAPPER.readTree(
            "{\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/data\"},"
                + "{\"Type\":\"volume\",\"Source\":\"named\",\"Target\":\"/n\"}]}");
    JsonNode named = ContainerMounts.nameAnonymousVolumes(asked);
    JsonNode anon = named.path("Mounts").get(0);
    assertThat(anon.path("Source").asText()).matches("[0-9a-f]{64}");
    assertThat(anon.path("VolumeOptions").path("Labels").has(VolumeStore.ANONYMOUS)).isTrue();
    assertThat(named.path("Mounts").get(1).path("Source").asText()).isEqualTo("named");
    assertThat(named.path("Mounts").get(1).has("VolumeOptions")).isFalse();
    assertThat(asked.path("Mounts").get(0).has("Source")).as("the body is not changed").isFalse();
  }
}
