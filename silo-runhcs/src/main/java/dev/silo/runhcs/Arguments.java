package dev.silo.runhcs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The flags and positional arguments of one command, parsed against its flag list. */
final class Arguments {
  private final Map<String, List<String>> values = new HashMap<>();
  private final List<String> positionals = new ArrayList<>();

  /**
   * Parses {@code args}. Without {@code interspersed}, the first positional ends flag parsing (so
   * {@code exec ID sh -c x} keeps {@code -c} for the process); with it, flags may follow
   * positionals ({@code update ID --pids-limit 42}).
   */
  static Arguments parse(List<Flag> flags, List<String> args, boolean interspersed)
      throws UsageException {
    Arguments out = new Arguments();
    boolean flagsDone = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (flagsDone || !a.startsWith("-") || a.equals("-")) {
        out.positionals.add(a);
        if (!interspersed) {
          flagsDone = true;
        }
        continue;
      }
      if (a.equals("--")) {
        flagsDone = true;
        continue;
      }
      String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
      String inline = null;
      int eq = body.indexOf('=');
      if (eq >= 0) {
        inline = body.substring(eq + 1);
        body = body.substring(0, eq);
      }
      Flag f = find(flags, body);
      if (f == null) {
        throw new UsageException("flag provided but not defined: -" + body);
      }
      String value;
      if (f.takesValue()) {
        if (inline != null) {
          value = inline;
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw new UsageException("flag needs an argument: -" + body);
        }
      } else {
        value = inline == null ? "true" : inline;
        if (!value.equals("true") && !value.equals("false")) {
          throw new UsageException("invalid boolean value \"" + value + "\" for -" + body);
        }
      }
      // No computeIfAbsent lambda: lambdas on the CLI path cost start-up (docs/benchmarks.md).
      List<String> seen = out.values.get(f.key());
      if (seen == null) {
        seen = new ArrayList<>();
        out.values.put(f.key(), seen);
      }
      seen.add(value);
    }
    return out;
  }

  private static @Nullable Flag find(List<Flag> flags, String name) {
    for (Flag f : flags) {
      if (f.names().contains(name)) {
        return f;
      }
    }
    return null;
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  boolean bool(String key) {
    List<String> v = values.get(key);
    return v != null && v.getLast().equals("true");
  }

  @Nullable String value(String key) {
    List<String> v = values.get(key);
    return v == null ? null : v.getLast();
  }

  String value(String key, String fallback) {
    String v = value(key);
    return v == null ? fallback : v;
  }

  List<String> all(String key) {
    return values.getOrDefault(key, List.of());
  }

  List<String> positionals() {
    return positionals;
  }

  /** The one positional argument a command needs, usually the container id. */
  String requireOne(String command, String what) throws UsageException {
    if (positionals.size() != 1) {
      throw new UsageException(
          "\""
              + command
              + "\" requires exactly 1 argument ("
              + what
              + "), got "
              + positionals.size());
    }
    return positionals.getFirst();
  }

  String requireFirst(String command, String what) throws UsageException {
    if (positionals.isEmpty()) {
      throw new UsageException(
          "\"" + command + "\" requires a minimum of 1 argument (" + what + ")");
    }
    return positionals.getFirst();
  }
}
