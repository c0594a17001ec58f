package dev.silo.hcs.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Atomic writes and recursive removal, the two file operations state handling needs. */
public final class Files2 {
  private Files2() {}

  /** Writes {@code content} to a hidden temp file beside {@code target}, then renames it over. */
  public static void writeAtomically(Path target, String content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null) {
      throw new IOException("cannot write " + target + ": no parent directory");
    }
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Removes a tree; a missing tree is fine. Does not follow symlinks. java.io.File.list, not
   * walkFileTree: closing the JDK's SecureDirectoryStream runs a lambda, which would put the
   * classfile API into runhcs's AOT cache (docs/benchmarks.md).
   */
  public static void removeTree(Path root) throws IOException {
    if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      String[] names = root.toFile().list();
      if (names != null) {
        for (String name : names) {
          removeTree(root.resolve(name));
        }
      }
    }
    Files.deleteIfExists(root);
  }
}
