package dev.silo.schema.oci;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The seccomp filter of a Linux container ({@code linux.seccomp}), in libseccomp's vocabulary. */
public record LinuxSeccomp(
    String defaultAction,
    @Nullable Long defaultErrnoRet,
    List<String> architectures,
    List<String> flags,
    @Nullable String listenerPath,
    @Nullable String listenerMetadata,
    List<Syscall> syscalls)
    implements OciJson {

  /** The actions runtime-spec defines ({@code LinuxSeccompAction}). */
  public static final List<String> ACTIONS =
      List.of(
          "SCMP_ACT_KILL",
          "SCMP_ACT_KILL_PROCESS",
          "SCMP_ACT_KILL_THREAD",
          "SCMP_ACT_TRAP",
          "SCMP_ACT_ERRNO",
          "SCMP_ACT_TRACE",
          "SCMP_ACT_ALLOW",
          "SCMP_ACT_LOG",
          "SCMP_ACT_NOTIFY");

  /** The argument comparison operators runtime-spec defines ({@code LinuxSeccompOperator}). */
  public static final List<String> OPERATORS =
      List.of(
          "SCMP_CMP_NE",
          "SCMP_CMP_LT",
          "SCMP_CMP_LE",
          "SCMP_CMP_EQ",
          "SCMP_CMP_GE",
          "SCMP_CMP_GT",
          "SCMP_CMP_MASKED_EQ");

  public LinuxSeccomp {
    architectures = List.copyOf(architectures);
    flags = List.copyOf(flags);
    syscalls = List.copyOf(syscalls);
  }

  public static LinuxSeccomp fromJson(JsonObject o) throws JsonException {
    return new LinuxSeccomp(
        o.string("defaultAction", ""),
        Fields.optUnsigned(o, "defaultErrnoRet"),
        o.strings("architectures"),
        o.strings("flags"),
        Fields.optString(o, "listenerPath"),
        Fields.optString(o, "listenerMetadata"),
        Fields.list(o, "syscalls", Syscall.class));
  }

  @Override
  public Map<String, Object> toJson() {
    return new Fields.Out()
        .put("defaultAction", defaultAction)
        .optUnsigned("defaultErrnoRet", defaultErrnoRet)
        .list("architectures", architectures)
        .list("flags", flags)
        .str("listenerPath", listenerPath)
        .str("listenerMetadata", listenerMetadata)
        .list("syscalls", syscalls)
        .build();
  }

  /** A rule: the action for the named system calls when all argument conditions hold. */
  public record Syscall(List<String> names, String action, @Nullable Long errnoRet, List<Arg> args)
      implements OciJson {

    public Syscall {
      names = List.copyOf(names);
      args = List.copyOf(args);
    }

    public static Syscall fromJson(JsonObject o) throws JsonException {
      return new Syscall(
          o.strings("names"),
          o.string("action", ""),
          Fields.optUnsigned(o, "errnoRet"),
          Fields.list(o, "args", Arg.class));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .put("names", names)
          .put("action", action)
          .optUnsigned("errnoRet", errnoRet)
          .list("args", args)
          .build();
    }
  }

  /** A condition on one system-call argument; {@code value}/{@code valueTwo} are uint64 bits. */
  public record Arg(long index, long value, long valueTwo, String op) implements OciJson {
    public static Arg fromJson(JsonObject o) throws JsonException {
      return new Arg(
          Fields.unsigned(o, "index"),
          Fields.unsigned(o, "value"),
          Fields.unsigned(o, "valueTwo"),
          o.string("op", ""));
    }

    @Override
    public Map<String, Object> toJson() {
      Fields.Out out = new Fields.Out().unsigned("index", index).unsigned("value", value);
      if (valueTwo != 0) {
        out.unsigned("valueTwo", valueTwo);
      }
      return out.put("op", op).build();
    }
  }
}
