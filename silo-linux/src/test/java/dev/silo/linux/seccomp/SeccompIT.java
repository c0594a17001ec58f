package dev.silo.linux.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.linux.LinuxFeatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs compiled programs in the real kernel: a small C helper (src/test/c/seccomp) reads the
 * bytes, sets no_new_privs, calls seccomp(SECCOMP_SET_MODE_FILTER) and execs a command, whose
 * outcome shows the filter works.
 */
class SeccompIT {
  private static final int SIGSYS = 31;

  @TempDir static Path work;
  private static Path helper;

  @BeforeAll
  static void buildHelper() throws Exception {
    assertThat(LinuxFeatures.isRoot()).as("SeccompIT runs as root").isTrue();
    helper = work.resolve("seccomp-exec");
    Result gcc =
        exec(
            List.of(
                "gcc",
                "-O2",
                "-Wall",
                "-Werror",
                "-o",
                helper.toString(),
                Path.of("src/test/c/seccomp/seccomp-exec.c").toAbsolutePath().toString()));
    assertThat(gcc.exit()).as(gcc.stderr()).isZero();
  }

  @Test
  void denyRuleMakesMkdirFailWithEperm() throws Exception {
    SeccompProfile deny =
        profile(
            Action.ALLOW,
            null,
            new SeccompRule(List.of("mkdir", "mkdirat"), Action.ERRNO, null, List.of()));
    Path dir = work.resolve("denied");
    Result r = run(deny, "mkdir", dir.toString());
    assertThat(r.exit()).isNotZero();
    assertThat(r.stderr()).contains("Operation not permitted");
    assertThat(dir).doesNotExist();

    Path allowed = work.resolve("allowed");
    Result control = run(profile(Action.ALLOW, null), "mkdir", allowed.toString());
    assertThat(control.exit()).as(control.stderr()).isZero();
    assertThat(allowed).isDirectory();
  }

  @Test
  void errnoRetReachesTheProcess() throws Exception {
    SeccompProfile p =
        profile(
            Action.ALLOW,
            null,
            new SeccompRule(List.of("mkdir", "mkdirat"), Action.ERRNO, 28, List.of()));
    Result r = run(p, "mkdir", work.resolve("enospc").toString());
    assertThat(r.stderr()).contains("No space left on device");
  }

  @Test
  void maskedArgumentConditionIsCheckedByTheKernel() throws Exception {
    // Deny directories that nobody but the owner may use: (mode & 077) == 0.
    ArgCondition privateMode = new ArgCondition(1, 0077, 0, ArgCondition.Op.MASKED_EQ);
    ArgCondition privateModeAt = new ArgCondition(2, 0077, 0, ArgCondition.Op.MASKED_EQ);
    SeccompProfile p =
        profile(
            Action.ALLOW,
            null,
            new SeccompRule(List.of("mkdir"), Action.ERRNO, null, List.of(privateMode)),
            new SeccompRule(List.of("mkdirat"), Action.ERRNO, null, List.of(privateModeAt)));
    Result denied = run(p, "mkdir", "-m", "700", work.resolve("private").toString());
    assertThat(denied.stderr()).contains("Operation not permitted");
    Result allowed = run(p, "mkdir", "-m", "755", work.resolve("shared").toString());
    assertThat(allowed.exit()).as(allowed.stderr()).isZero();
    assertThat(work.resolve("shared")).isDirectory();
    assertThat(work.resolve("private")).doesNotExist();
  }

  @Test
  void dockerDefaultAllowListRunsProgramsAndDeniesTheRest() throws Exception {
    SeccompProfile docker = DockerDefaultProfileTest.dockerDefault();
    assertThat(run(docker, "/bin/true").exit()).isZero();
    Result sh = run(docker, "sh", "-c", "echo forked; /bin/true");
    assertThat(sh.exit()).as(sh.stderr()).isZero();
    assertThat(sh.stdout()).isEqualTo("forked\n");
    // The same allow-list without mkdir/mkdirat: the default errno (EPERM) applies.
    List<SeccompRule> rules = new ArrayList<>(docker.rules());
    SeccompRule first = rules.getFirst();
    List<String> names = new ArrayList<>(first.names());
    names.removeAll(List.of("mkdir", "mkdirat"));
    rules.set(0, new SeccompRule(names, first.action(), first.errno(), first.args()));
    SeccompProfile noMkdir =
        new SeccompProfile(
            docker.defaultAction(),
            docker.defaultErrno(),
            docker.architectures(),
            docker.flags(),
            rules);
    Result r = run(noMkdir, "mkdir", work.resolve("docker-denied").toString());
    assertThat(r.stderr()).contains("Operation not permitted");
    assertThat(work.resolve("docker-denied")).doesNotExist();
  }

  @Test
  void killProcessActionKillsWithSigsys() throws Exception {
    SeccompProfile p =
        profile(
            Action.ALLOW,
            null,
            new SeccompRule(List.of("mkdir", "mkdirat"), Action.KILL_PROCESS, null, List.of()));
    // sh reports a child killed by a signal as 128 + signal number.
    Result r = run(p, "sh", "-c", "mkdir " + work.resolve("killed") + "; echo $?");
    assertThat(r.stdout().strip()).isEqualTo(String.valueOf(128 + SIGSYS));
  }

  @Test
  void kernelAcceptsTheLogFlag() throws Exception {
    SeccompProfile p =
        new SeccompProfile(
            Action.ALLOW,
            null,
            List.of(),
            List.of("SECCOMP_FILTER_FLAG_LOG"),
            List.of(new SeccompRule(List.of("mount"), Action.ERRNO, null, List.of())));
    Result r = run(p, "/bin/true");
    assertThat(r.exit()).as(r.stderr()).isZero();
  }

  private static SeccompProfile profile(
      Action defaultAction, @Nullable Integer defaultErrno, SeccompRule... rules) {
    return SeccompCompilerTest.profile(defaultAction, defaultErrno, rules);
  }

  private static Result run(SeccompProfile p, String... command) throws Exception {
    CompiledFilter f = SeccompCompiler.compile(p);
    Path program = Files.createTempFile(work, "filter", ".bpf");
    Files.write(program, f.program());
    List<String> argv =
        new ArrayList<>(
            List.of(helper.toString(), program.toString(), Integer.toString(f.flags())));
    argv.addAll(List.of(command));
    Result r = exec(argv);
    assertThat(r.exit())
        .as("helper failed to install the filter: %s", r.stderr())
        .isNotEqualTo(125);
    return r;
  }

  private record Result(int exit, String stdout, String stderr) {}

  private static Result exec(List<String> argv) throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process p =
        new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("timed out: " + argv);
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
