package dev.silo.images.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.images.ImageDetails;
import dev.silo.images.ImageService;
import dev.silo.images.OsVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code silo-image busybox} in-process: the archive it writes loads into a fresh store with the
 * asked os.version, the same binary gives the same image id, and bad input is one line, exit 1,
 * with no output file and no temporary store left behind.
 */
class SiloImageIT {
  @TempDir Path dir;

  private record Result(int exit, String out, String err, byte[] stdout) {}

  private static Result run(boolean tty, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int rc =
        SiloImage.run(args, new PrintWriter(out, true), new PrintWriter(err, true), stdout, tty);
    return new Result(rc, out.toString(), err.toString(), stdout.toByteArray());
  }

  @Test
  void writesAnArchiveThatLoadsWithTheAskedOsVersion() throws Exception {
    List<Path> tmpBefore = storesInTmp();
    Path tar = dir.resolve("b.tar");
    Result r =
        run(false, "busybox", "--os-version", "10.0.26100", "demo/bb:v1", "-o", tar.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).startsWith("silo-image: built demo/bb:v1 sha256:").contains("10.0.26100");
    assertThat(r.stdout()).isEmpty();
    assertThat(dir).isDirectoryNotContaining("glob:**/.silo-image-*");
    assertThat(storesInTmp()).isEqualTo(tmpBefore);

    ImageService fresh = ImageService.open(dir.resolve("data"), OsVersion.parse("10.0.26100"));
    List<ImageDetails> loaded;
    try (InputStream in = Files.newInputStream(tar)) {
      loaded = fresh.load(in);
    }
    assertThat(loaded).hasSize(1);
    assertThat(loaded.getFirst().repoTags()).containsExactly("demo/bb:v1");
    assertThat(loaded.getFirst().osVersion()).isEqualTo("10.0.26100.0");
    assertThat(fresh.layerFolders("demo/bb:v1").getFirst().resolve("bin/busybox")).isExecutable();

    // to standard output: the same bytes' image (reproducible id)
    Result s = run(false, "busybox", "--os-version", "10.0.26100", "demo/bb:v1");
    assertThat(s.exit()).as(s.err()).isZero();
    ImageService second = ImageService.open(dir.resolve("data2"), OsVersion.parse("10.0.26100"));
    List<ImageDetails> again = second.load(new java.io.ByteArrayInputStream(s.stdout()));
    assertThat(again.getFirst().id()).isEqualTo(loaded.getFirst().id());
  }

  @Test
  void badInputIsOneLineAndLeavesNothing() throws Exception {
    List<Path> tmpBefore = storesInTmp();
    Path tar = dir.resolve("x.tar");
    assertOneLineError(
        run(false, "busybox", "--os-version", "ten", "x", "-o", tar.toString()),
        "silo-image: --os-version: invalid OS version \"ten\"");
    assertOneLineError(
        run(false, "busybox", "Bad Name", "-o", tar.toString()),
        "silo-image: invalid reference format");
    assertOneLineError(
        run(
            false,
            "busybox",
            "--busybox",
            dir.resolve("none").toString(),
            "x",
            "-o",
            tar.toString()),
        "silo-image: cannot build x:latest: " + dir.resolve("none") + " is missing");
    assertOneLineError(
        run(false, "busybox", "x", "-o", dir.resolve("no/dir/x.tar").toString()),
        "silo-image: -o " + dir.resolve("no/dir/x.tar") + ": directory " + dir.resolve("no/dir"));
    assertOneLineError(
        run(true, "busybox", "x"), "silo-image: refusing to write an image archive to a terminal");
    Result usage = run(false, "busybox");
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).startsWith("Missing required parameter: 'NAME[:TAG]'");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.toList()).isEmpty();
    }
    assertThat(storesInTmp()).isEqualTo(tmpBefore);
  }

  private static void assertOneLineError(Result r, String prefix) {
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith(prefix);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.stdout()).isEmpty();
  }

  private static List<Path> storesInTmp() throws IOException {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return s.filter(p -> p.getFileName().toString().startsWith("silo-image")).sorted().toList();
    }
  }
}
