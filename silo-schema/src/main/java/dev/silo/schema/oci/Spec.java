package dev.silo.schema.oci;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An OCI runtime-spec container configuration ({@code config.json}); the document runhcs hands to
 * HCS on Windows, and the one runc reads on Linux.
 */
public record Spec(
    String ociVersion,
    @Nullable Process process,
    @Nullable Root root,
    @Nullable String hostname,
    @Nullable String domainname,
    List<Mount> mounts,
    @Nullable Hooks hooks,
    Map<String, String> annotations,
    @Nullable Linux linux,
    @Nullable Windows windows)
    implements OciJson {

  /** The runtime-spec version Silo writes into new documents. */
  public static final String VERSION = "1.2.0";

  public Spec {
    mounts = List.copyOf(mounts);
    annotations = Map.copyOf(annotations);
  }

  public static Spec fromJson(JsonObject o) throws JsonException {
    return new Spec(
        o.string("ociVersion", ""),
        Fields.opt(o, "process", Process.class),
        Fields.opt(o, "root", Root.class),
        Fields.optString(o, "hostname"),
        Fields.optString(o, "domainname"),
        Fields.list(o, "mounts", Mount.class),
        Fields.opt(o, "hooks", Hooks.class),
        o.stringMap("annotations"),
        Fields.opt(o, "linux", Linux.class),
        Fields.opt(o, "windows", Windows.class));
  }

  @Override
  public Map<String, Object> toJson() {
    return new Fields.Out()
        .put("ociVersion", ociVersion)
        .opt("process", process)
        .opt("root", root)
        .str("hostname", hostname)
        .str("domainname", domainname)
        .list("mounts", mounts)
        .opt("hooks", hooks)
        .map("annotations", annotations)
        .opt("linux", linux)
        .opt("windows", windows)
        .build();
  }

  public Spec withProcess(@Nullable Process p) {
    return new Spec(
        ociVersion, p, root, hostname, domainname, mounts, hooks, annotations, linux, windows);
  }

  public Spec withMounts(List<Mount> m) {
    return new Spec(
        ociVersion, process, root, hostname, domainname, m, hooks, annotations, linux, windows);
  }

  public Spec withLinux(@Nullable Linux l) {
    return new Spec(
        ociVersion, process, root, hostname, domainname, mounts, hooks, annotations, l, windows);
  }
}
