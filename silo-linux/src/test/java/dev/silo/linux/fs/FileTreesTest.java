package dev.silo.linux.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path tmp;

  @Test
  void deletesNestedTreeWithoutFollowingSymlinks() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "x");
    Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
    Files.writeString(tree.resolve("f"), "y");
    Files.createSymbolicLink(tmp.resolve("tree/a/link"), outside);

    FileTrees.deleteTree(tmp.resolve("tree"));

    assertThat(tmp.resolve("tree")).doesNotExist();
    assertThat(outside.resolve("keep")).hasContent("x");
  }

  @Test
  void deletesALoneSymlinkNotItsTarget() throws Exception {
    Path target = Files.createDirectories(tmp.resolve("target"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), target);

    FileTrees.deleteTree(link);

    assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(target).isDirectory();
  }

  @Test
  void missingPathIsNotAnError() throws Exception {
    FileTrees.deleteTree(tmp.resolve("absent"));
    assertThat(tmp.resolve("absent")).doesNotExist();
  }
}
