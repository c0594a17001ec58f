package dev.silo.linux.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CgroupFilesTest {
  @Test
  void wordsSplitOnAnyRunOfWhitespace() {
    assertThat(CgroupFiles.words("max 100000\n")).containsExactly("max", "100000");
    assertThat(CgroupFiles.words("cpu  io\tmemory\r\npids"))
        .containsExactly("cpu", "io", "memory", "pids");
    assertThat(CgroupFiles.words("  lead")).containsExactly("lead");
  }

  @Test
  void blankTextIsOneEmptyWord() {
    assertThat(CgroupFiles.words("")).containsExactly("");
    assertThat(CgroupFiles.words(" \n")).containsExactly("");
  }
}
