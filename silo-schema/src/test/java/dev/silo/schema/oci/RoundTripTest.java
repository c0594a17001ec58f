package dev.silo.schema.oci;

import static dev.silo.schema.oci.TestSupport.nn;
import static dev.silo.schema.oci.TestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.schema.json.Json;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundTripTest {

  @Test
  void fullConfigRoundTripsStructurally() throws Exception {
    String text = resource("full-config.json");
    @SuppressWarnings("unchecked")
    Map<String, Object> expected = (Map<String, Object>) nn(Json.parse(text));
    expected.remove("unknownTopLevel");

    Spec spec = OciSpecs.parseConfig(text);
    String written = OciSpecs.writeConfig(spec);

    assertThat(Json.parse(written)).isEqualTo(expected);
    assertThat(OciSpecs.parseConfig(written)).isEqualTo(spec);
  }

  @Test
  void fullConfigReadsTypedValues() throws Exception {
    Spec spec = OciSpecs.parseConfig(resource("full-config.json"));

    Process p = nn(spec.process());
    assertThat(p.user().additionalGids()).containsExactly(5L, 6L, 4294967295L);
    assertThat(p.user().umask()).isEqualTo(18L);
    assertThat(p.rlimits().get(1).hard()).isEqualTo(-1L); // RLIM_INFINITY's bits
    assertThat(p.oomScoreAdj()).isEqualTo(-500);
    assertThat(p.args().get(2)).isEqualTo("echo \"hi\" <&> é☃");
    assertThat(nn(spec.hooks()).createRuntime().get(0).timeout()).isEqualTo(5);
    LinuxResources r = nn(nn(spec.linux()).resources());
    assertThat(nn(r.memory()).kernel()).isEqualTo(-1L);
    assertThat(nn(r.memory()).disableOomKiller()).isFalse();
    assertThat(nn(r.cpu()).cpus()).isEqualTo("2-3");
    assertThat(nn(r.blockIO()).weightDevice().get(1).leafWeight()).isNull();
    assertThat(nn(r.rdma().get("mlx4_0")).hcaHandles()).isNull();
    LinuxSeccomp.Arg arg = nn(nn(spec.linux()).seccomp()).syscalls().get(1).args().get(0);
    assertThat(arg.value()).isEqualTo(-1L);
    assertThat(arg.valueTwo()).isEqualTo(4294967295L);
    assertThat(nn(spec.linux()).timeOffsets().get("monotonic"))
        .isEqualTo(new Linux.TimeOffset(-86400, 500));
    assertThat(nn(nn(nn(spec.windows()).resources()).storage()).bps()).isEqualTo(-1L);
    assertThat(nn(nn(spec.windows()).hyperv()).utilityVmPath()).isEqualTo("C:\\path\\to\\uvm");
    assertThat(nn(nn(spec.windows()).network()).dnsSearchList()).containsExactly("a.com", "b.com");
  }

  @Test
  void unsignedValuesAreWrittenUnsigned() {
    Process.Rlimit r = new Process.Rlimit("RLIMIT_CORE", -1L, 0);

    assertThat(r.toJson().get("hard")).isEqualTo(new BigInteger("18446744073709551615"));
    assertThat(Json.write(r.toJson()))
        .isEqualTo("{\"type\":\"RLIMIT_CORE\",\"hard\":18446744073709551615,\"soft\":0}");
  }

  @Test
  void absentOptionalFieldsAreLeftOutAsGoOmitemptyDoes() throws Exception {
    Spec spec =
        OciSpecs.parseConfig(
            """
            {"ociVersion": "1.2.0", "hostname": "", "mounts": [], "annotations": {},
             "process": {"terminal": false, "args": ["sh"], "env": [], "cwd": "/"},
             "linux": {"namespaces": [], "resources": {"memory": {"swappiness": 0}}}}\
            """);

    assertThat(Json.write(spec.toJson()))
        .isEqualTo(
            "{\"ociVersion\":\"1.2.0\","
                + "\"process\":{\"user\":{\"uid\":0,\"gid\":0},\"args\":[\"sh\"],"
                + "\"cwd\":\"/\"},\"linux\":{\"resources\":{\"memory\":{\"swappiness\":0}}}}");
    assertThat(spec.mounts()).isEmpty();
    assertThat(spec.hostname()).isNull();
  }

  @Test
  void goMapsAreWrittenWithSortedKeys() throws Exception {
    Spec spec =
        OciSpecs.parseConfig(
            """
            {"ociVersion": "1.2.0", "annotations": {"b": "2", "c": "3", "a": "1"}}\
            """);

    assertThat(OciSpecs.writeConfig(spec))
        .isEqualTo(
            """
            {
            \t"ociVersion": "1.2.0",
            \t"annotations": {
            \t\t"a": "1",
            \t\t"b": "2",
            \t\t"c": "3"
            \t}
            }""");
  }

  @Test
  void recordsCopyTheirCollections() {
    List<String> args = new java.util.ArrayList<>(List.of("sh"));
    Hooks.Hook hook = new Hooks.Hook("/bin/true", args, List.of(), null);
    args.add("-c");

    assertThat(hook.args()).containsExactly("sh");
  }

  @Test
  void goStringEscapingIsReproduced() {
    String written = Json.writeGoIndented("a<b>&\"\\\n\r\t\b\f\u0001\u2028é\ud800x");

    assertThat(written)
        .isEqualTo(
            "\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\r\\t\\u0008\\u000c\\u0001\\u2028é\\ufffdx\"");
  }
}
