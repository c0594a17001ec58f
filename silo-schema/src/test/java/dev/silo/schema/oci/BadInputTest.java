package dev.silo.schema.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.schema.json.JsonException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BadInputTest {

  @Test
  void malformedJsonNamesFileLineAndColumn(@TempDir Path bundle) throws Exception {
    Files.writeString(
        bundle.resolve("config.json"),
        "{\n  \"ociVersion\": \"1.2.0\",\n  \"process\": {\"args\": [\"sh\",]}\n}");

    assertThatThrownBy(() -> OciSpecs.readConfig(bundle))
        .isInstanceOf(JsonException.class)
        .hasMessage("config.json: invalid JSON at line 3 column 29: unexpected ']'");
  }

  @Test
  void truncatedDocument() {
    assertThatThrownBy(() -> OciSpecs.parseConfig("{\"ociVersion\": \"1.2.0\",\n\"root\": {"))
        .hasMessage("config.json: invalid JSON at line 2 column 10: unexpected end of input");
  }

  @Test
  void topLevelMustBeAnObject() {
    assertThatThrownBy(() -> OciSpecs.parseConfig("[]"))
        .hasMessage("config.json: expected a JSON object at the top level");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{\"process\": {\"args\": [\"sh\", 1], \"cwd\": \"/\"}}"
            + "| process.args[1]: expected a string, got a number",
        "{\"process\": {\"user\": {\"uid\": -1}}}| process.user.uid: -1 is out of range",
        "{\"process\": {\"user\": {\"additionalGids\": [1, 4294967296]}}}"
            + "| process.user.additionalGids[1]: 4294967296 is out of range",
        "{\"process\": {\"terminal\": \"yes\"}}| process.terminal: expected a boolean, got a"
            + " string",
        "{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\":"
            + " 18446744073709551616}]}}| process.rlimits[0].hard: 18446744073709551616 is out of"
            + " range",
        "{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": -1}]}}"
            + "| process.rlimits[0].soft: -1 is out of range",
        "{\"mounts\": [{\"destination\": \"/a\"}, {\"destination\": \"/b\", \"options\": \"ro\"}]}"
            + "| mounts[1].options: expected an array, got a string",
        "{\"mounts\": [\"/proc\"]}| mounts[0]: expected an object, got a string",
        "{\"hooks\": {\"poststop\": [{\"path\": \"/x\", \"timeout\": \"5s\"}]}}"
            + "| hooks.poststop[0].timeout: expected an integer, got a string",
        "{\"annotations\": {\"a\": 1}}| annotations.a: expected a string, got a number",
        "{\"linux\": {\"resources\": {\"memory\": {\"limit\": \"1G\"}}}}"
            + "| linux.resources.memory.limit: expected an integer, got a string",
        "{\"linux\": {\"resources\": {\"blockIO\": {\"weight\": 70000}}}}"
            + "| linux.resources.blockIO.weight: 70000 is out of range",
        "{\"linux\": {\"resources\": {\"rdma\": {\"mlx\": {\"hcaHandles\": true}}}}}"
            + "| linux.resources.rdma.mlx.hcaHandles: expected an integer, got a boolean",
        "{\"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\":"
            + " [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0,"
            + " \"value\": \"1\"}]}]}}}| linux.seccomp.syscalls[0].args[0].value: expected an"
            + " integer, got a string",
        "{\"linux\": {\"namespaces\": {\"type\": \"pid\"}}}| linux.namespaces: expected an array,"
            + " got an object",
        "{\"linux\": {\"timeOffsets\": {\"monotonic\": 5}}}"
            + "| linux.timeOffsets.monotonic: expected an object, got a number",
        "{\"windows\": {\"layerFolders\": [\"C:\\\\l\"], \"resources\": {\"cpu\": {\"maximum\":"
            + " -1}}}}| windows.resources.cpu.maximum: -1 is out of range",
        "{\"windows\": {\"hyperv\": \"yes\"}}| windows.hyperv: expected an object, got a string",
      })
  void wrongTypesNameTheFieldPath(String json, String message) {
    String doc = "{\"ociVersion\": \"1.2.0\", " + json.substring(1);

    assertThatThrownBy(() -> OciSpecs.parseConfig(doc))
        .isInstanceOf(JsonException.class)
        .hasMessage("config.json: " + message);
  }

  @Test
  void unknownFieldsAreIgnored() throws Exception {
    Spec spec =
        OciSpecs.parseConfig(
            "{\"ociVersion\": \"1.2.0\", \"solaris\": {\"milestone\": 1}, \"root\": {\"path\":"
                + " \"r\", \"x\": []}}");

    assertThat(spec.root()).isEqualTo(new Root("r", false));
  }

  @Test
  void processDocumentErrorsNameProcessJson(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("process.json");
    Files.writeString(file, "{\"args\": [\"sh\"], \"cwd\": \"/\", \"env\": [\"A=1\", null]}");

    assertThatThrownBy(() -> OciSpecs.readProcess(file))
        .isInstanceOf(JsonException.class)
        .hasMessage("process.json: env[1]: expected a string, got null");
  }

  @Test
  void processDocumentMalformed() {
    assertThatThrownBy(() -> OciSpecs.parseProcess("{\"args\": [\"sh\"] \"cwd\": \"/\"}"))
        .hasMessage("process.json: invalid JSON at line 1 column 17: expected ',' or '}'");
  }

  @Test
  void readsAProcessDocument(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("process.json");
    Files.writeString(
        file,
        "{\"terminal\": true, \"user\": {\"uid\": 5, \"gid\": 6}, \"args\": [\"top\"],"
            + " \"cwd\": \"/tmp\", \"capabilities\": {\"bounding\": [\"CAP_KILL\"]}}");

    Process p = OciSpecs.readProcess(file);

    assertThat(p.terminal()).isTrue();
    assertThat(p.user().uid()).isEqualTo(5);
    assertThat(p.user().gid()).isEqualTo(6);
    assertThat(p.args()).containsExactly("top");
    assertThat(p.cwd()).isEqualTo("/tmp");
    assertThat(SpecChecks.checkProcess(p)).isEmpty();
  }

  @Test
  void missingConfigIsAnIoError(@TempDir Path bundle) {
    assertThatThrownBy(() -> OciSpecs.readConfig(bundle)).isInstanceOf(NoSuchFileException.class);
  }
}
