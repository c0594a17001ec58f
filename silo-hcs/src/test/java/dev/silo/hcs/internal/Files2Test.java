package dev.silo.hcs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic replacement and recursive removal that never follows a symlink out of the tree. */
class Files2Test {
  @Test
  void writeAtomicallyCreatesAndReplacesWithoutLeavingTheTempFile(@TempDir Path tmp)
      throws IOException {
    Path f = tmp.resolve("state.json");

    Files2.writeAtomically(f, "one");
    Files2.writeAtomically(f, "two");

    assertThat(f).hasContent("two");
    try (var files = Files.list(tmp)) {
      assertThat(files).containsExactly(f);
    }
  }

  @Test
  void removeTreeDeletesLinksNotTheirTargets(@TempDir Path tmp) throws IOException {
    Path outside =
        Files.writeString(Files.createDirectories(tmp.resolve("outside")).resolve("keep"), "x");
    Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
    Files.writeString(tree.resolve("f"), "y");
    Files.createSymbolicLink(tmp.resolve("tree/link"), outside.getParent());

    Files2.removeTree(tmp.resolve("tree"));
    Files2.removeTree(tmp.resolve("tree"));

    assertThat(tmp.resolve("tree")).doesNotExist();
    assertThat(outside).hasContent("x");
  }
}
