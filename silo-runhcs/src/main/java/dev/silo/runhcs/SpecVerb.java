package dev.silo.runhcs;

import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code runhcs spec}: writes runc's default config.json into the bundle. */
final class SpecVerb implements Verb {
  @Override
  public String name() {
    return "spec";
  }

  @Override
  public String summary() {
    return "create a new specification file";
  }

  @Override
  public String argsUsage() {
    return "";
  }

  @Override
  public String description() {
    return "Writes a default config.json (the same defaults as runc spec) for a rootfs in ./rootfs.\n\n"
        + "EXAMPLE:\n   mkdir -p rootfs && tar -C rootfs -xf busybox.tar && runhcs spec && runhcs run c1";
  }

  @Override
  public List<Flag> flags() {
    return List.of(
        Flag.value("DIR", "path to the root of the bundle directory", "bundle", "b"),
        Flag.bool("generate a configuration for a rootless container", "rootless"));
  }

  @Override
  public int run(Runhcs ctx, Arguments args) throws Exception {
    if (!args.positionals().isEmpty()) {
      throw new UsageException("\"spec\" takes no arguments");
    }
    Path bundle = ctx.resolve(args.value("bundle", "."));
    Path config = bundle.resolve("config.json");
    if (Files.exists(config)) {
      throw new RunhcsException("File " + config.getFileName() + " exists. Remove it first");
    }
    Spec spec = OciSpecs.defaultSpec();
    if (args.bool("rootless")) {
      spec = OciSpecs.rootless(spec);
    }
    Files.writeString(config, OciSpecs.writeConfig(spec));
    return 0;
  }
}
