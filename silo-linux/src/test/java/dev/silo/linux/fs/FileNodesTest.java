package dev.silo.linux.fs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileNodesTest {
  @Test
  void makedevMatchesGlibc() {
    assertThat(FileNodes.makedev(0, 0)).isZero();
    assertThat(FileNodes.makedev(1, 3)).isEqualTo(0x103L); // /dev/null
    assertThat(FileNodes.makedev(8, 17)).isEqualTo(0x811L); // /dev/sdb1
    // minor bits above 8 go to bits 20 and up; major bits 0-11 to bits 8-19
    assertThat(FileNodes.makedev(259, 0x12345))
        .isEqualTo(((259L & 0xfff) << 8) | (0x45L) | ((0x12345L & ~0xffL) << 12));
    assertThat(FileNodes.makedev(0x1000, 0)).isEqualTo(0x1000L << 32);
  }
}
