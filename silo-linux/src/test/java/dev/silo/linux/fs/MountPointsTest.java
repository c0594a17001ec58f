package dev.silo.linux.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountPointsTest {
  @Test
  void mountinfoOctalEscapesAreUndone() {
    assertThat(MountPoints.unescape("/data\\040root/x\\011y")).isEqualTo("/data root/x\ty");
    assertThat(MountPoints.unescape("/plain")).isEqualTo("/plain");
  }

  @Test
  void procIsAMountPointAndAFreshDirectoryIsNot(@TempDir Path dir) throws Exception {
    assertThat(MountPoints.isMountPoint(Path.of("/proc"))).isTrue();
    assertThat(MountPoints.isMountPoint(dir)).isFalse();
  }
}
