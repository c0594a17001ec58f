package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.daemon.http.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeStoreTest {
  @TempDir Path root;

  @Test
  void aVolumeIsADataDirectoryWithItsMetadata() throws Exception {
    VolumeStore s = new VolumeStore(root, n -> false);
    VolumeStore.Created c = s.create("v1", Map.of("k", "v"), Map.of());
    assertThat(c.isNew()).isTrue();
    assertThat(root.resolve("v1/_data")).isDirectory();
    assertThat(root.resolve("v1/opts.json")).isRegularFile();
    assertThat(s.create("v1", Map.of(), Map.of()).isNew()).isFalse();
    assertThat(new VolumeStore(root, n -> false).find("v1").labels()).containsEntry("k", "v");
  }

  @Test
  void badNamesAndOptionsLeaveNothing() throws Exception {
    VolumeStore s = new VolumeStore(root, n -> false);
    assertThatThrownBy(() -> s.create("a/b", Map.of(), Map.of()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage(
            "create a/b: \"a/b\" includes invalid characters for a local volume name, only"
                + " \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host"
                + " directory, use absolute path");
    assertThatThrownBy(() -> s.create("x", Map.of(), Map.of()))
        .hasMessageContaining("volume name is too short");
    assertThatThrownBy(() -> s.create("v2", Map.of(), Map.of("colour", "red")))
        .hasMessage("create v2: invalid option key: \"colour\"");
    try (var files = Files.list(root)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aHalfCreatedVolumeIsCleanedAtOpen() throws Exception {
    Files.createDirectories(root.resolve(".create-v3/_data"));
    VolumeStore s = new VolumeStore(root, n -> false);
    assertThat(root.resolve(".create-v3")).doesNotExist();
    assertThat(s.list()).isEmpty();
  }

  @Test
  void removeIs404ForUnknownAnd409InUse() throws Exception {
    VolumeStore s = new VolumeStore(root, Set.of("busy")::contains);
    assertThatThrownBy(() -> s.remove("v9"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
        .hasMessage("get v9: no such volume");
    s.create("busy", Map.of(), Map.of());
    assertThatThrownBy(() -> s.remove("busy"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
        .hasMessage("remove busy: volume is in use");
    s.create("free", Map.of(), Map.of());
    Files.writeString(root.resolve("free/_data/f"), "12345");
    assertThat(s.remove("free")).isEqualTo(5);
    assertThat(root.resolve("free")).doesNotExist();
  }
}
