package dev.silo.schema.oci;

import static dev.silo.schema.oci.TestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecChecksTest {
  private static final String VALID_START =
      "{\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}, ";

  @Test
  void runcDefaultAndRootlessSpecsAreValid() {
    assertThat(SpecChecks.check(OciSpecs.defaultSpec())).isEmpty();
    assertThat(SpecChecks.check(OciSpecs.rootless(OciSpecs.defaultSpec(), 1000, 1000))).isEmpty();
  }

  @Test
  void missingOciVersion() throws Exception {
    Spec spec = OciSpecs.parseConfig("{\"root\": {\"path\": \"rootfs\"}}");

    assertThat(SpecChecks.check(spec)).containsExactly("ociVersion: must be present");
  }

  @Test
  void missingRootOnLinux() throws Exception {
    Spec spec = OciSpecs.parseConfig("{\"ociVersion\": \"1.2.0\"}");

    assertThat(SpecChecks.check(spec)).containsExactly("root.path: must be present");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"mounts\": [{\"destination\": \"/proc\"}, {\"destination\": \"proc\"}]"
            + "| mounts[1].destination: must be an absolute path, got \"proc\"",
        "\"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"net\"}]}"
            + "| linux.namespaces[1].type: unknown namespace type \"net\"",
        "\"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"uts\"}, {\"type\": \"pid\","
            + " \"path\": \"/p\"}]}| linux.namespaces[2].type: duplicate namespace \"pid\"",
        "\"process\": {\"cwd\": \"/\"}| process.args: must not be empty",
        "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", \"rlimits\": [{\"type\": \"NOFILE\"}]}"
            + "| process.rlimits[0].type: must be an RLIMIT_* name, got \"NOFILE\"",
        "\"process\": {\"args\": [\"sh\"], \"cwd\": \"/\", \"capabilities\": {\"ambient\":"
            + " [\"CAP_KILL\", \"KILL\"]}}| process.capabilities.ambient[1]: must be a CAP_* name,"
            + " got \"KILL\"",
        "\"linux\": {\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 0}]}"
            + "| linux.uidMappings[0].size: must be greater than 0",
        "\"mounts\": [{\"destination\": \"/d\", \"gidMappings\": [{\"containerID\": 0, \"hostID\":"
            + " 1}]}]| mounts[0].gidMappings[0].size: must be greater than 0",
        "\"hooks\": {\"poststart\": [{\"path\": \"/ok\"}, {\"path\": \"notify\"}]}"
            + "| hooks.poststart[1].path: must be an absolute path, got \"notify\"",
        "\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_DENY\"}}"
            + "| linux.seccomp.defaultAction: unknown action \"SCMP_ACT_DENY\"",
        "\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\":"
            + " [{\"names\": [\"a\"], \"action\": \"ALLOW\"}]}}| linux.seccomp.syscalls[0].action:"
            + " unknown action \"ALLOW\"",
        "\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\":"
            + " [{\"names\": [\"a\"], \"action\": \"SCMP_ACT_LOG\", \"args\": [{\"index\": 0,"
            + " \"value\": 1, \"op\": \"SCMP_CMP_IN\"}]}]}}| linux.seccomp.syscalls[0].args[0].op:"
            + " unknown operator \"SCMP_CMP_IN\"",
        "\"windows\": {\"layerFolders\": []}| windows.layerFolders: must list at least one folder",
        "\"windows\": {\"layerFolders\": [\"C:\\\\l\"], \"hyperv\": {}}"
            + "| windows.hyperv: must not be set together with root.path",
      })
  void eachRuleNamesTheField(String fields, String problem) throws Exception {
    Spec spec = OciSpecs.parseConfig(VALID_START + fields + "}");

    assertThat(SpecChecks.check(spec)).containsExactly(problem);
  }

  @Test
  void windowsPathsAndCommandLineAreAccepted() throws Exception {
    Spec spec =
        OciSpecs.parseConfig(
            """
            {"ociVersion": "1.2.0", "process": {"commandLine": "cmd /c dir", "cwd": "C:\\\\"},
             "mounts": [{"destination": "C:\\\\data"}, {"destination": "\\\\\\\\?\\\\pipe"}],
             "windows": {"layerFolders": ["C:\\\\layers\\\\1"], "hyperv": {}}}\
            """);

    assertThat(SpecChecks.check(spec)).isEmpty();
  }

  @Test
  void problemsComeInDocumentOrder() throws Exception {
    Spec spec =
        OciSpecs.parseConfig(
            """
            {"process": {"cwd": "/"}, "mounts": [{"destination": "x"}],
             "linux": {"namespaces": [{"type": "pid"}, {"type": "pid"}]}}\
            """);

    assertThat(SpecChecks.check(spec))
        .containsExactly(
            "ociVersion: must be present",
            "root.path: must be present",
            "process.args: must not be empty",
            "mounts[0].destination: must be an absolute path, got \"x\"",
            "linux.namespaces[1].type: duplicate namespace \"pid\"");
  }

  @Test
  void fullConfigBreaksOnlyTheHyperVRule() throws Exception {
    Spec spec = OciSpecs.parseConfig(resource("full-config.json"));

    assertThat(SpecChecks.check(spec))
        .containsExactly("windows.hyperv: must not be set together with root.path");
  }
}
