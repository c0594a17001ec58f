package dev.silo.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.images.internal.Digests;
import dev.silo.images.internal.Manifests;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestsTest {
  private static final String ARM = "sha256:" + "a".repeat(64);
  private static final String ARM_V7 = "sha256:" + "b".repeat(64);
  private static final String AMD = "sha256:" + "c".repeat(64);
  private static final String WIN = "sha256:" + "d".repeat(64);

  private static JsonNode index() throws Exception {
    String json =
        """
        {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",
         "manifests":[
          {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"%s","size":1,
           "platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
          {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"%s","size":2,
           "platform":{"architecture":"arm","os":"linux","variant":"v7"}},
          {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"%s","size":3,
           "platform":{"architecture":"amd64","os":"windows","os.version":"10.0.20348.1"}},
          {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":"%s","size":4,
           "platform":{"architecture":"amd64","os":"linux"}}
         ]}
        """
            .formatted(ARM, ARM_V7, WIN, AMD);
    return new ObjectMapper().readTree(json);
  }

  @Test
  void picksThePlatformAsked() throws Exception {
    assertThat(Manifests.pick(index(), Platform.LINUX_AMD64, "x").digest()).isEqualTo(AMD);
    assertThat(Manifests.pick(index(), Platform.parse("linux/arm64"), "x").digest()).isEqualTo(ARM);
    assertThat(Manifests.pick(index(), Platform.parse("linux/arm/v7"), "x").digest())
        .isEqualTo(ARM_V7);
    assertThat(Manifests.pick(index(), Platform.parse("windows/amd64"), "x").size()).isEqualTo(3);
  }

  @Test
  void missingPlatformNamesWhatThereIs() {
    assertThatThrownBy(() -> Manifests.pick(index(), Platform.parse("linux/s390x"), "busybox:1"))
        .isInstanceOfSatisfying(
            ImageException.class,
            e -> assertThat(e.kind()).isEqualTo(ImageException.Kind.NOT_FOUND))
        .hasMessageContaining("linux/s390x")
        .hasMessageContaining("busybox:1")
        .hasMessageContaining("linux/arm64/v8, linux/arm/v7, windows/amd64, linux/amd64");
  }

  @Test
  void mediaTypeFromDocumentThenHeaderThenShape() throws Exception {
    ObjectMapper m = new ObjectMapper();
    assertThat(Manifests.mediaType(index(), null)).isEqualTo(Manifests.DOCKER_LIST);
    assertThat(Manifests.mediaType(m.readTree("{\"manifests\":[]}"), null))
        .isEqualTo(Manifests.OCI_INDEX);
    assertThat(
            Manifests.mediaType(
                m.readTree("{\"layers\":[]}"), Manifests.DOCKER_MANIFEST + "; charset=utf-8"))
        .isEqualTo(Manifests.DOCKER_MANIFEST);
  }

  @Test
  void chainIdsFollowTheOciFormula() {
    String a = "sha256:" + "1".repeat(64);
    String b = "sha256:" + "2".repeat(64);
    List<String> chain = Digests.chainIds(List.of(a, b));
    assertThat(chain.get(0)).isEqualTo(a);
    assertThat(chain.get(1))
        .isEqualTo(Digests.of((a + " " + b).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
  }

  @Test
  void diffIdCountMustMatchLayers() throws Exception {
    JsonNode config =
        new ObjectMapper()
            .readTree("{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + AMD + "\"]}}");
    assertThat(Manifests.diffIds(config, 1, "x")).containsExactly(AMD);
    assertThatThrownBy(() -> Manifests.diffIds(config, 2, "img"))
        .hasMessageContaining("lists 1 diff_ids but the manifest has 2 layers");
  }
}
