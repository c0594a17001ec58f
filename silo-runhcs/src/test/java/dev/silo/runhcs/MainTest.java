package dev.silo.runhcs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import dev.silo.schema.oci.OciSpecs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI through {@link Main#run} with captured streams: version, help, global errors, spec,
 * state.
 */
class MainTest {
  /** One run: its exit code and what it printed. */
  record Result(int code, String out, String err) {
    List<String> outLines() {
      return out.lines().toList();
    }
  }

  static Result run(Path cwd, String... argv) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(argv, o, e, cwd);
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void versionPrintsThreeRuncShapedLines(@TempDir Path cwd) {
    for (String flag : List.of("-v", "--version")) {
      Result r = run(cwd, flag);

      assertThat(r.code()).isZero();
      assertThat(r.outLines()).hasSize(3);
      assertThat(r.outLines().get(0)).startsWith("runhcs version ");
      assertThat(r.outLines().get(1)).startsWith("commit: ");
      assertThat(r.outLines().get(2)).startsWith("spec: ");
      assertThat(r.err()).isEmpty();
    }
  }

  @Test
  void helpAndNoArgumentsPrintTheMainPage(@TempDir Path cwd) {
    for (String[] argv : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[0])) {
      Result r = run(cwd, argv);

      assertThat(r.code()).isZero();
      assertThat(r.out())
          .startsWith("NAME:\n")
          .contains("\nUSAGE:\n", "\nCOMMANDS:\n", "\nGLOBAL OPTIONS:\n");
      for (Verb v : Verbs.ALL) {
        assertThat(r.out()).contains("   " + v.name() + " ");
      }
    }
  }

  @Test
  void everyVerbHasAHelpPageWhoseDescriptionEndsWithAnExample(@TempDir Path cwd) {
    assertThat(Verbs.ALL)
        .extracting(Verb::name)
        .containsExactly(
            "create",
            "delete",
            "events",
            "exec",
            "features",
            "kill",
            "list",
            "pause",
            "ps",
            "resume",
            "run",
            "spec",
            "start",
            "state",
            "update");
    for (Verb v : Verbs.ALL) {
      for (String flag : List.of("--help", "-h")) {
        Result r = run(cwd, v.name(), flag);

        assertThat(r.code()).as(v.name() + " " + flag).isZero();
        List<String> lines = r.outLines();
        assertThat(lines.subList(0, 2))
            .containsExactly("NAME:", "   runhcs " + v.name() + " - " + v.summary());
        assertThat(lines).contains("USAGE:", "DESCRIPTION:");
        int options = lines.indexOf("OPTIONS:");
        int end = options < 0 ? lines.size() : options - 1;
        assertThat(lines.get(end - 2))
            .as(v.name() + ": the line before the example")
            .isEqualTo("   EXAMPLE:");
        assertThat(lines.get(end - 1))
            .as(v.name() + ": the example")
            .startsWith("      ")
            .contains("runhcs ");
        assertThat(options < 0).as(v.name() + " lists its flags").isEqualTo(v.flags().isEmpty());
      }
    }
  }

  @Test
  void helpAfterTheCommandOfExecGoesToTheProcess(@TempDir Path cwd) {
    Result r = run(cwd, "--root", cwd.resolve("root").toString(), "exec", "c1", "grep", "-h");

    assertThat(r.out()).doesNotContain("NAME:");
    assertThat(r.code()).as("runc exec fails with 255").isEqualTo(255);
    assertThat(r.err()).isEqualTo("runhcs: container does not exist (HCS_E_SYSTEM_NOT_FOUND)\n");
  }

  @Test
  void unknownCommand(@TempDir Path cwd) {
    Result r = run(cwd, "bogus");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("runhcs: No help topic for 'bogus'\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unknownGlobalAndVerbFlags(@TempDir Path cwd) {
    Result global = run(cwd, "--bogus", "state", "c1");
    assertThat(global.code()).isEqualTo(1);
    assertThat(global.err()).isEqualTo("runhcs: flag provided but not defined: -bogus\n");

    Result verb = run(cwd, "--root", cwd.toString(), "state", "--bogus", "c1");
    assertThat(verb.code()).isEqualTo(1);
    assertThat(verb.err())
        .isEqualTo("runhcs: flag provided but not defined: -bogus (see 'runhcs state --help')\n");
  }

  @Test
  void systemdCgroupIsRefused(@TempDir Path cwd) {
    Result r = run(cwd, "--systemd-cgroup", "state", "c1");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("runhcs: systemd cgroup flag passed").endsWith("\n");
  }

  @Test
  void anUnknownLogFormatIsRefused(@TempDir Path cwd) {
    Result r = run(cwd, "--log-format", "xml", "state", "c1");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("runhcs: invalid log-format: xml\n");
  }

  @Test
  void specWritesRuncsDefaultConfigAndRefusesToOverwrite(@TempDir Path cwd) throws IOException {
    Path bundle = Files.createDirectories(cwd.resolve("b"));

    Result first = run(cwd, "spec", "--bundle", "b");

    assertThat(first.code()).isZero();
    Path config = bundle.resolve("config.json");
    assertThat(config).hasContent(OciSpecs.writeConfig(OciSpecs.defaultSpec()));
    Files.writeString(config, "{\"mine\": true}");

    Result second = run(cwd, "spec", "-b", bundle.toString());

    assertThat(second.code()).isEqualTo(1);
    assertThat(second.err()).isEqualTo("runhcs: File config.json exists. Remove it first\n");
    assertThat(config).hasContent("{\"mine\": true}");
  }

  @Test
  void specWithoutBundleWritesIntoTheWorkingDirectory(@TempDir Path cwd) {
    assertThat(run(cwd, "spec").code()).isZero();
    assertThat(cwd.resolve("config.json")).isRegularFile();
    assertThat(run(cwd, "spec", "extra").err()).startsWith("runhcs: \"spec\" takes no arguments");
  }

  @Test
  void stateOfAnUnknownIdFailsWithRuncsMessage(@TempDir Path cwd) {
    Result r = run(cwd, "--root", cwd.resolve("root").toString(), "state", "nope");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("runhcs: container does not exist (HCS_E_SYSTEM_NOT_FOUND)\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void errorsAlsoGoToTheJsonLogThatContainerdReads(@TempDir Path cwd)
      throws IOException, JsonException {
    Path log = cwd.resolve("log.json");

    Result r =
        run(
            cwd,
            "--root",
            cwd.resolve("root").toString(),
            "--log",
            "log.json",
            "--log-format",
            "json",
            "state",
            "nope");

    assertThat(r.code()).isEqualTo(1);
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(1);
    JsonObject line = Json.parseObject(lines.getFirst(), "log.json");
    assertThat(line.keys()).containsExactly("level", "msg", "time");
    assertThat(line.string("level")).isEqualTo("error");
    assertThat(line.string("msg")).isEqualTo("container does not exist (HCS_E_SYSTEM_NOT_FOUND)");
    assertThat(line.string("time")).isNotBlank();
  }

  @Test
  void textLogIsLogrusShaped(@TempDir Path cwd) throws IOException {
    Path log = cwd.resolve("log.txt");

    run(cwd, "--root", cwd.resolve("root").toString(), "--log", log.toString(), "state", "nope");

    assertThat(Files.readString(log))
        .startsWith("time=\"")
        .endsWith(" level=error msg=\"container does not exist (HCS_E_SYSTEM_NOT_FOUND)\"\n");
  }
}
