package dev.silo.schema.oci;

import static dev.silo.schema.oci.TestSupport.nn;
import static dev.silo.schema.oci.TestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.silo.schema.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciSpecsTest {
  private static final Path RUNC = Path.of("/usr/sbin/runc");

  @Test
  void readsRuncDefaultConfigAndWritesItBackByteForByte(@TempDir Path bundle) throws Exception {
    String golden = resource("runc-1.1.5-config.json");
    Files.writeString(bundle.resolve("config.json"), golden);

    Spec spec = OciSpecs.readConfig(bundle);
    String written = OciSpecs.writeConfig(spec);

    assertThat(Json.parse(written)).isEqualTo(Json.parse(golden));
    assertThat(written).isEqualTo(golden);
  }

  @Test
  void defaultSpecIsRuncsDefault() throws Exception {
    Spec golden = OciSpecs.parseConfig(resource("runc-1.1.5-config.json"));

    Spec spec = OciSpecs.defaultSpec();

    assertThat(spec).isEqualTo(golden);
    assertThat(nn(nn(spec.process()).capabilities()).inheritable()).isEmpty();
    assertThat(nn(spec.linux()).namespaces())
        .extracting(Linux.Namespace::type)
        .containsExactly("pid", "network", "ipc", "uts", "mount");
    assertThat(SpecChecks.check(spec)).isEmpty();
  }

  @Test
  void rootlessIsRuncsRootlessForRoot() throws Exception {
    Spec golden = OciSpecs.parseConfig(resource("runc-1.1.5-rootless-config.json"));

    Spec spec = OciSpecs.rootless(OciSpecs.defaultSpec(), 0, 0);

    assertThat(spec).isEqualTo(golden);
    assertThat(OciSpecs.writeConfig(spec)).isEqualTo(resource("runc-1.1.5-rootless-config.json"));
  }

  @Test
  void rootlessMapsTheGivenIdsDropsNetnsAndResourcesAndBindsSys() {
    Spec spec = OciSpecs.rootless(OciSpecs.defaultSpec(), 1000, 1001);

    assertThat(nn(spec.linux()).uidMappings()).containsExactly(new IdMapping(0, 1000, 1));
    assertThat(nn(spec.linux()).gidMappings()).containsExactly(new IdMapping(0, 1001, 1));
    assertThat(nn(spec.linux()).namespaces())
        .extracting(Linux.Namespace::type)
        .containsExactly("pid", "ipc", "uts", "mount", "user");
    assertThat(nn(spec.linux()).resources()).isNull();
    Mount sys = spec.mounts().get(5);
    assertThat(sys)
        .isEqualTo(
            new Mount("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")));
    assertThat(spec.mounts().get(2).options()).doesNotContain("gid=5").contains("mode=0620");
  }

  @Test
  void rootlessUsesTheEffectiveIdsOfThisProcess() throws Exception {
    long[] ids = RuncDefaults.effectiveIds(Path.of("/proc/self/status"));

    Spec spec = OciSpecs.rootless(OciSpecs.defaultSpec());

    assertThat(nn(spec.linux()).uidMappings()).containsExactly(new IdMapping(0, ids[0], 1));
    assertThat(nn(spec.linux()).gidMappings()).containsExactly(new IdMapping(0, ids[1], 1));
  }

  @Test
  void effectiveIdsAreTheSecondFieldOfUidAndGid(@TempDir Path dir) throws Exception {
    Path status = dir.resolve("status");
    Files.writeString(status, "Name:\tx\nUid:\t1000\t2000\t3000\t4000\nGid:\t10\t20\t30\t40\n");

    assertThat(RuncDefaults.effectiveIds(status)).containsExactly(2000, 20);
  }

  @Test
  void runcSpecEqualsDefaultSpec(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(RUNC), "runc is not installed at " + RUNC);

    String runcOutput = runcSpec(dir, List.of());

    assertThat(OciSpecs.parseConfig(runcOutput)).isEqualTo(OciSpecs.defaultSpec());
    assertThat(OciSpecs.writeConfig(OciSpecs.defaultSpec())).isEqualTo(runcOutput);
  }

  @Test
  void runcSpecRootlessEqualsRootless(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(RUNC), "runc is not installed at " + RUNC);

    String runcOutput = runcSpec(dir, List.of("--rootless"));

    assertThat(OciSpecs.writeConfig(OciSpecs.rootless(OciSpecs.defaultSpec())))
        .isEqualTo(runcOutput);
  }

  @Test
  void writeConfigIntoBundleWritesWhatReadConfigReads(@TempDir Path bundle) throws Exception {
    Spec spec = OciSpecs.parseConfig(resource("full-config.json"));

    OciSpecs.writeConfig(bundle, spec);

    assertThat(OciSpecs.readConfig(bundle)).isEqualTo(spec);
  }

  private static String runcSpec(Path dir, List<String> flags) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(List.of(RUNC.toString(), "spec", "--bundle", dir.toString()));
    cmd.addAll(flags);
    java.lang.Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("runc spec: %s", out).isZero();
    return Files.readString(dir.resolve("config.json"));
  }
}
