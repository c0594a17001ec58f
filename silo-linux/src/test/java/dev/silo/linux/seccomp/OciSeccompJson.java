package dev.silo.linux.seccomp;

import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OCI {@code linux.seccomp} JSON document (a test resource) into a {@link SeccompProfile}.
 */
final class OciSeccompJson {
  private OciSeccompJson() {}

  static SeccompProfile resource(String name) throws IOException, JsonException {
    try (InputStream in = OciSeccompJson.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  static SeccompProfile parse(String text) throws JsonException {
    JsonObject o = Json.parseObject(text, "linux.seccomp");
    List<SeccompRule> rules = new ArrayList<>();
    for (JsonObject s : o.objects("syscalls")) {
      List<ArgCondition> args = new ArrayList<>();
      for (JsonObject a : s.objects("args")) {
        Long two = a.optUnsigned("valueTwo");
        Long value = a.optUnsigned("value");
        args.add(
            new ArgCondition(
                (int) a.longValue("index", -1),
                value == null ? 0 : value,
                two == null ? 0 : two,
                ArgCondition.Op.of(a.string("op"))));
      }
      rules.add(
          new SeccompRule(
              s.strings("names"), Action.of(s.string("action")), s.optInt("errnoRet"), args));
    }
    return new SeccompProfile(
        Action.of(o.string("defaultAction")),
        o.optInt("defaultErrnoRet"),
        o.strings("architectures"),
        o.strings("flags"),
        rules);
  }
}
