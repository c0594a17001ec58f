package dev.silo.images.tool;

import dev.silo.images.ImageDetails;
import dev.silo.images.ImageException;
import dev.silo.images.ImageReference;
import dev.silo.images.ImageService;
import dev.silo.images.OsVersion;
import dev.silo.linux.fs.FileTrees;
import java.io.BufferedOutputStream;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code silo-image}: builds Silo's base images offline (no daemon, no registry) and writes them as
 * one {@code docker load} archive — the role {@code docker save} of a Microsoft base image plays on
 * Windows, for an image Silo makes itself from Debian packages.
 */
@Command(
    name = "silo-image",
    mixinStandardHelpOptions = true,
    version = "silo-image 0.1.0",
    description = "Builds Silo base images offline and writes them as a docker load archive.",
    footer = {
      "",
      "Example:",
      "  silo-image busybox silo/busybox:latest -o busybox.tar",
      "  silo-image busybox busybox | docker load"
    })
public final class SiloImage {
  private SiloImage() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err, new FileOutputStream(FileDescriptor.out), isTerminal()));
  }

  /**
   * Runs the command line; the archive goes to {@code stdout} unless {@code -o} names a file, and
   * never to a terminal.
   */
  static int run(
      String[] args, PrintWriter out, PrintWriter err, OutputStream stdout, boolean stdoutIsTty) {
    Busybox busybox = new Busybox();
    busybox.stdout = stdout;
    busybox.stdoutIsTty = stdoutIsTty;
    CommandLine cl = new CommandLine(new SiloImage()).addSubcommand("busybox", busybox);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          line.getErr().println("silo-image: " + e.getMessage());
          return 1;
        });
    return cl.execute(args);
  }

  private static boolean isTerminal() {
    Console c = System.console();
    return c != null && c.isTerminal();
  }

  @Command(
      name = "busybox",
      mixinStandardHelpOptions = true,
      description = {
        "Builds a busybox base image from Debian's busybox-static, offline.",
        "One layer: /bin/busybox, applet links, /etc/passwd, group, hosts; os.version set.",
        "Written as a docker-archive (also an OCI archive) to FILE or standard output;",
        "the same binary gives the same image id."
      },
      footer = {
        "",
        "Example:",
        "  silo-image busybox --os-version 10.0.26100 busybox:ltsc2025 -o b.tar"
      })
  static final class Busybox implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME[:TAG]", description = "the image's tag")
    @SuppressWarnings("NullAway.Init") // set by picocli before call()
    String ref;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "write the archive to FILE (default: standard output)")
    @Nullable Path output;

    @Option(
        names = "--os-version",
        paramLabel = "V",
        description =
            "the image's os.version, major.minor.build[.revision] (default: $SILO_HOST_OS_VERSION"
                + " or 10.0.20348.1, silod's default host)")
    @Nullable String osVersion;

    @Option(
        names = "--busybox",
        paramLabel = "PATH",
        description = "the static busybox binary (default: ${DEFAULT-VALUE})",
        defaultValue = "/bin/busybox")
    Path busybox = Path.of("/bin/busybox");

    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    OutputStream stdout = OutputStream.nullOutputStream();
    boolean stdoutIsTty;

    @Override
    public Integer call() throws Exception {
      OsVersion version = version();
      ImageReference tag = ImageReference.parse(ref); // a bad name fails before anything is made
      if (output == null && stdoutIsTty) {
        throw new IllegalArgumentException(
            "refusing to write an image archive to a terminal: use -o FILE or redirect the output");
      }
      Path target = output == null ? null : output.toAbsolutePath();
      if (target != null && Files.isDirectory(target)) {
        throw new IllegalArgumentException("-o " + output + " is a directory");
      }
      if (target != null && !Files.isDirectory(parentOf(target))) {
        throw new IllegalArgumentException(
            "-o " + output + ": directory " + parentOf(target) + " does not exist");
      }
      // A private store in a temporary directory: the build runs through the same ImageService
      // code as the daemon's, and nothing of it stays once the archive is written.
      Path root = Files.createTempDirectory("silo-image");
      try {
        ImageService images = ImageService.open(root, version);
        ImageDetails built = images.buildBusybox(tag.toString(), busybox);
        if (target == null) {
          OutputStream o = new BufferedOutputStream(stdout, 1 << 16);
          images.save(List.of(tag.toString()), o);
          o.flush();
        } else {
          writeAtomically(images, tag, target);
        }
        spec.commandLine()
            .getErr()
            .println(
                "silo-image: built "
                    + tag.familiar()
                    + " "
                    + built.id()
                    + " (os.version "
                    + version
                    + ")"
                    + (target == null ? "" : " -> " + target));
        return 0;
      } finally {
        try {
          FileTrees.deleteTree(root);
        } catch (IOException ignored) {
          // a temporary directory; nothing refers to it
        }
      }
    }

    private OsVersion version() {
      if (osVersion == null) {
        return OsVersion.hostDefault();
      }
      try {
        return OsVersion.parse(osVersion);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--os-version: " + e.getMessage(), e);
      }
    }

    private static Path parentOf(Path absolute) {
      Path p = absolute.getParent();
      return p == null ? Path.of("/") : p;
    }

    /** The archive appears under its name only when whole (temporary file + rename). */
    private static void writeAtomically(ImageService images, ImageReference tag, Path target)
        throws IOException, ImageException {
      Path tmp = Files.createTempFile(parentOf(target), ".silo-image-", ".tmp");
      try {
        // createTempFile makes it 0600; an image archive is no secret (docker save writes 0644)
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
          images.save(List.of(tag.toString()), o);
        }
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
