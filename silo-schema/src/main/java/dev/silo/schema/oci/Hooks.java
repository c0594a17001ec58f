package dev.silo.schema.oci;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The lifecycle hooks ({@code hooks}): programs the runtime runs around create, start and stop. */
public record Hooks(
    List<Hook> prestart,
    List<Hook> createRuntime,
    List<Hook> createContainer,
    List<Hook> startContainer,
    List<Hook> poststart,
    List<Hook> poststop)
    implements OciJson {

  public Hooks {
    prestart = List.copyOf(prestart);
    createRuntime = List.copyOf(createRuntime);
    createContainer = List.copyOf(createContainer);
    startContainer = List.copyOf(startContainer);
    poststart = List.copyOf(poststart);
    poststop = List.copyOf(poststop);
  }

  public static Hooks fromJson(JsonObject o) throws JsonException {
    return new Hooks(
        Fields.list(o, "prestart", Hook.class),
        Fields.list(o, "createRuntime", Hook.class),
        Fields.list(o, "createContainer", Hook.class),
        Fields.list(o, "startContainer", Hook.class),
        Fields.list(o, "poststart", Hook.class),
        Fields.list(o, "poststop", Hook.class));
  }

  @Override
  public Map<String, Object> toJson() {
    return new Fields.Out()
        .list("prestart", prestart)
        .list("createRuntime", createRuntime)
        .list("createContainer", createContainer)
        .list("startContainer", startContainer)
        .list("poststart", poststart)
        .list("poststop", poststop)
        .build();
  }

  /** The hook lists with their JSON names, in document order, for checks that visit every hook. */
  public Map<String, List<Hook>> byName() {
    Map<String, List<Hook>> m = new LinkedHashMap<>();
    m.put("prestart", prestart);
    m.put("createRuntime", createRuntime);
    m.put("createContainer", createContainer);
    m.put("startContainer", startContainer);
    m.put("poststart", poststart);
    m.put("poststop", poststop);
    return m;
  }

  /** One hook: an absolute program path, its argv and environment, and a timeout in seconds. */
  public record Hook(String path, List<String> args, List<String> env, @Nullable Integer timeout)
      implements OciJson {

    public Hook {
      args = List.copyOf(args);
      env = List.copyOf(env);
    }

    public static Hook fromJson(JsonObject o) throws JsonException {
      return new Hook(
          o.string("path", ""), o.strings("args"), o.strings("env"), o.optInt("timeout"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .put("path", path)
          .list("args", args)
          .list("env", env)
          .opt("timeout", timeout)
          .build();
    }
  }
}
