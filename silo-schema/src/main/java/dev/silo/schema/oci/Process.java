package dev.silo.schema.oci;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The container process ({@code process}, or a whole {@code process.json} for {@code exec}); on
 * Windows HCS's {@code ProcessParameters}, where {@code commandLine} is preferred to {@code args}.
 *
 * <p>Named as runtime-spec's {@code specs.Process}; it shadows {@code java.lang.Process}, so code
 * that also spawns processes refers to one of the two by its full name.
 */
@SuppressWarnings("AvoidCommonTypeNames")
public record Process(
    boolean terminal,
    @Nullable ConsoleSize consoleSize,
    User user,
    List<String> args,
    @Nullable String commandLine,
    List<String> env,
    String cwd,
    @Nullable Capabilities capabilities,
    List<Rlimit> rlimits,
    boolean noNewPrivileges,
    @Nullable String apparmorProfile,
    @Nullable Integer oomScoreAdj,
    @Nullable Scheduler scheduler,
    @Nullable String selinuxLabel,
    @Nullable IoPriority ioPriority)
    implements OciJson {

  public Process {
    args = List.copyOf(args);
    env = List.copyOf(env);
    rlimits = List.copyOf(rlimits);
  }

  public static Process fromJson(JsonObject o) throws JsonException {
    return new Process(
        o.bool("terminal", false),
        Fields.opt(o, "consoleSize", ConsoleSize.class),
        User.fromJson(o.has("user") ? o.object("user") : JsonObject.empty(o.pathOf("user"))),
        o.strings("args"),
        Fields.optString(o, "commandLine"),
        o.strings("env"),
        o.string("cwd", ""),
        Fields.opt(o, "capabilities", Capabilities.class),
        Fields.list(o, "rlimits", Rlimit.class),
        o.bool("noNewPrivileges", false),
        Fields.optString(o, "apparmorProfile"),
        o.optInt("oomScoreAdj"),
        Fields.opt(o, "scheduler", Scheduler.class),
        Fields.optString(o, "selinuxLabel"),
        Fields.opt(o, "ioPriority", IoPriority.class));
  }

  @Override
  public Map<String, Object> toJson() {
    return new Fields.Out()
        .flag("terminal", terminal)
        .opt("consoleSize", consoleSize)
        .put("user", user)
        .list("args", args)
        .str("commandLine", commandLine)
        .list("env", env)
        .put("cwd", cwd)
        .opt("capabilities", capabilities)
        .list("rlimits", rlimits)
        .flag("noNewPrivileges", noNewPrivileges)
        .str("apparmorProfile", apparmorProfile)
        .opt("oomScoreAdj", oomScoreAdj)
        .opt("scheduler", scheduler)
        .str("selinuxLabel", selinuxLabel)
        .opt("ioPriority", ioPriority)
        .build();
  }

  /** The terminal size ({@code consoleSize}, Go's {@code Box}) in characters. */
  public record ConsoleSize(long height, long width) implements OciJson {
    public static ConsoleSize fromJson(JsonObject o) throws JsonException {
      return new ConsoleSize(Fields.unsigned(o, "height"), Fields.unsigned(o, "width"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().unsigned("height", height).unsigned("width", width).build();
    }
  }

  /** The identity of the process: numeric ids on Linux, {@code username} on Windows. */
  public record User(
      long uid,
      long gid,
      @Nullable Long umask,
      List<Long> additionalGids,
      @Nullable String username)
      implements OciJson {

    public User {
      additionalGids = List.copyOf(additionalGids);
    }

    public static User fromJson(JsonObject o) throws JsonException {
      return new User(
          Fields.uint32(o, "uid"),
          Fields.uint32(o, "gid"),
          Fields.optUint32(o, "umask"),
          Fields.uint32s(o, "additionalGids"),
          Fields.optString(o, "username"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .put("uid", uid)
          .put("gid", gid)
          .opt("umask", umask)
          .list("additionalGids", additionalGids)
          .str("username", username)
          .build();
    }
  }

  /** The Linux capability sets kept for the process, names like {@code CAP_KILL}. */
  public record Capabilities(
      List<String> bounding,
      List<String> effective,
      List<String> inheritable,
      List<String> permitted,
      List<String> ambient)
      implements OciJson {

    public Capabilities {
      bounding = List.copyOf(bounding);
      effective = List.copyOf(effective);
      inheritable = List.copyOf(inheritable);
      permitted = List.copyOf(permitted);
      ambient = List.copyOf(ambient);
    }

    public static Capabilities fromJson(JsonObject o) throws JsonException {
      return new Capabilities(
          o.strings("bounding"),
          o.strings("effective"),
          o.strings("inheritable"),
          o.strings("permitted"),
          o.strings("ambient"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .list("bounding", bounding)
          .list("effective", effective)
          .list("inheritable", inheritable)
          .list("permitted", permitted)
          .list("ambient", ambient)
          .build();
    }

    /** The sets with their JSON names, for checks that visit every capability. */
    public Map<String, List<String>> byName() {
      return Map.of(
          "bounding", bounding,
          "effective", effective,
          "inheritable", inheritable,
          "permitted", permitted,
          "ambient", ambient);
    }
  }

  /** A POSIX resource limit; {@code hard}/{@code soft} are uint64 (RLIM_INFINITY reads as -1L). */
  public record Rlimit(String type, long hard, long soft) implements OciJson {
    public static Rlimit fromJson(JsonObject o) throws JsonException {
      return new Rlimit(
          o.string("type", ""), Fields.unsigned(o, "hard"), Fields.unsigned(o, "soft"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .put("type", type)
          .unsigned("hard", hard)
          .unsigned("soft", soft)
          .build();
    }
  }

  /** The I/O priority class and level ({@code ioprio_set}). */
  public record IoPriority(String ioClass, int priority) implements OciJson {
    public static IoPriority fromJson(JsonObject o) throws JsonException {
      return new IoPriority(o.string("class", ""), Fields.optInt(o, "priority"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().put("class", ioClass).put("priority", priority).build();
    }
  }

  /** The scheduling attributes of the process ({@code sched_setattr}). */
  public record Scheduler(
      String policy,
      int nice,
      int priority,
      List<String> flags,
      long runtime,
      long deadline,
      long period)
      implements OciJson {

    public Scheduler {
      flags = List.copyOf(flags);
    }

    public static Scheduler fromJson(JsonObject o) throws JsonException {
      return new Scheduler(
          o.string("policy", ""),
          Fields.optInt(o, "nice"),
          Fields.optInt(o, "priority"),
          o.strings("flags"),
          Fields.unsigned(o, "runtime"),
          Fields.unsigned(o, "deadline"),
          Fields.unsigned(o, "period"));
    }

    @Override
    public Map<String, Object> toJson() {
      Fields.Out out = new Fields.Out().put("policy", policy).nonZero("nice", nice);
      out.nonZero("priority", priority).list("flags", flags);
      if (runtime != 0) {
        out.unsigned("runtime", runtime);
      }
      if (deadline != 0) {
        out.unsigned("deadline", deadline);
      }
      if (period != 0) {
        out.unsigned("period", period);
      }
      return out.build();
    }
  }
}
