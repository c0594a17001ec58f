package dev.silo.runhcs;

import dev.silo.hcs.CreateOptions;
import dev.silo.hcs.OciToHcs;
import dev.silo.hcs.RunningInit;
import dev.silo.schema.hcs.ComputeSystem;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code runhcs create}: HcsCreateComputeSystem from an OCI bundle; the init waits for start. */
final class CreateVerb implements Verb {
  static final List<Flag> FLAGS =
      List.of(
          Flag.value(
              "DIR",
              "path to the root of the bundle directory (default: current directory)",
              "bundle",
              "b"),
          Flag.value(
              "PATH",
              "AF_UNIX socket that receives the pty master of a terminal process",
              "console-socket"),
          Flag.value(
              "PATH",
              "AF_UNIX socket that receives a pidfd of the init (not supported yet)",
              "pidfd-socket"),
          Flag.value("FILE", "file to write the init's host pid to", "pid-file"),
          Flag.bool(
              "do not use pivot_root to jail the process (MS_MOVE + chroot instead)", "no-pivot"),
          Flag.bool(
              "do not create a new session keyring (accepted; Silo creates none)",
              "no-new-keyring"),
          Flag.value(
              "N",
              "pass N additional file descriptors (3 … 3+N-1) to the container",
              "preserve-fds"));

  @Override
  public String name() {
    return "create";
  }

  @Override
  public String summary() {
    return "create a container";
  }

  @Override
  public String argsUsage() {
    return "<container-id>";
  }

  @Override
  public String description() {
    return "Creates a compute system from the bundle's config.json. Its init stops before the user's\n"
        + "process until 'runhcs start'.\n\nEXAMPLE:\n   runhcs create --bundle /mycontainer --pid-file /run/c1.pid c1";
  }

  @Override
  public List<Flag> flags() {
    return FLAGS;
  }

  @Override
  public int run(Runhcs ctx, Arguments args) throws Exception {
    String id = args.requireOne(name(), "container id");
    create(ctx, args, id, false);
    return 0;
  }

  /**
   * Shared with run: reads the bundle and creates the system; foreground keeps the init attached.
   */
  static @Nullable RunningInit create(Runhcs ctx, Arguments args, String id, boolean foreground)
      throws Exception {
    Path bundle = ctx.resolve(args.value("bundle", "."));
    if (!Files.isDirectory(bundle)) {
      throw new RunhcsException("bundle " + bundle + " does not exist or is not a directory");
    }
    if (args.has("pidfd-socket")) {
      throw new RunhcsException("--pidfd-socket is not supported yet");
    }
    Spec spec = OciSpecs.readConfig(bundle);
    dev.silo.hcs.Timing.mark("read-config");
    String console = args.value("console-socket");
    boolean terminal = spec.process() != null && spec.process().terminal();
    boolean detached = !foreground;
    if (terminal && detached && console == null) {
      throw new RunhcsException(
          "cannot allocate tty if runc will detach without setting console socket");
    }
    if (console != null && !(terminal && detached)) {
      throw new RunhcsException(
          "cannot use console socket if runc will not detach or allocate tty");
    }
    String pidFile = args.value("pid-file");
    String owner = "runhcs";
    // The HCS document is the service's one input: the bundle is translated first (pure, no
    // Jackson on this path), then created from the document.
    ComputeSystem doc = OciToHcs.translate(id, bundle, spec, owner);
    dev.silo.hcs.Timing.mark("oci-to-hcs");
    CreateOptions opts =
        new CreateOptions(
            bundle,
            spec,
            console == null ? null : ctx.resolve(console).toString(),
            pidFile == null ? null : ctx.resolve(pidFile),
            args.bool("no-pivot"),
            Integer.parseInt(args.value("preserve-fds", "0")),
            foreground,
            owner);
    return ctx.service().createSystem(id, doc, opts);
  }
}
