package dev.silo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.silo.api.HResult;
import dev.silo.hcs.OciToHcs;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Process;
import dev.silo.schema.oci.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HNS and HCS REST API of silod over its unix socket (curl): HCN v2 objects created, read,
 * modified and deleted, a real busybox compute system taken through its states, and HRESULT errors
 * with fitting HTTP statuses.
 */
class HcsRestIT {
  private static final ObjectMapper DOCS =
      JsonMapper.builder().serializationInclusion(JsonInclude.Include.NON_EMPTY).build();

  private static SilodProcess d;

  @BeforeAll
  static void start() throws Exception {
    d = SilodProcess.start(false);
  }

  @AfterAll
  static void stop() throws Exception {
    if (d != null) {
      d.close();
    }
  }

  @Test
  void hnsObjectsRoundTrip() throws Exception {
    String before = d.kernelAndStore();
    SilodProcess.Http net =
        d.curl(
            "POST",
            "/hns/v2/networks",
            "{\"Name\":\"rest1\",\"Type\":\"NAT\",\"Ipams\":[{\"Type\":\"Static\",\"Subnets\":"
                + "[{\"IpAddressPrefix\":\"10.90.0.0/24\"}]}],\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}");
    assertThat(net.status()).as(net.body()).isEqualTo(201);
    String netId = net.json().path("ID").asText();
    assertThat(netId).isNotEmpty();
    assertThat(d.curl("GET", "/hns/v2/networks", null).json().findValuesAsText("Name"))
        .contains("rest1", "nat");
    String q = "%7B%22Filter%22%3A%22%7B%5C%22Name%5C%22%3A%5C%22rest1%5C%22%7D%22%7D";
    JsonNode filtered = d.curl("GET", "/hns/v2/networks?query=" + q, null).json();
    assertThat(filtered.findValuesAsText("Name")).containsExactly("rest1");

    SilodProcess.Http ep =
        d.curl(
            "POST",
            "/hns/v2/endpoints",
            "{\"Name\":\"rest1-ep\",\"HostComputeNetwork\":\"" + netId + "\"}");
    assertThat(ep.status()).as(ep.body()).isEqualTo(201);
    String epId = ep.json().path("ID").asText();
    assertThat(ep.json().path("IpConfigurations").get(0).path("IpAddress").asText())
        .startsWith("10.90.0.");

    SilodProcess.Http ns = d.curl("POST", "/hns/v2/namespaces", "{\"Type\":\"Host\"}");
    assertThat(ns.status()).as(ns.body()).isEqualTo(201);
    String nsId = ns.json().path("ID").asText();
    SilodProcess.Http attach =
        d.curl(
            "PATCH",
            "/hns/v2/namespaces/" + nsId,
            "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Add\",\"Settings\":{\"EndpointId\":\""
                + epId
                + "\"}}");
    assertThat(attach.status()).as(attach.body()).isEqualTo(200);
    assertThat(
            d.curl("GET", "/hns/v2/endpoints/" + epId, null)
                .json()
                .path("HostComputeNamespace")
                .asText())
        .isEqualToIgnoringCase(nsId);

    // a load balancer over the endpoint: created, replaced in place, listed, deleted
    String lbDoc =
        "{\"HostComputeEndpoints\":[\"%s\"],\"FrontendVIPs\":[\"10.96.0.10\"],"
            + "\"PortMappings\":[{\"Protocol\":6,\"InternalPort\":80,\"ExternalPort\":%d}],"
            + "\"SchemaVersion\":{\"Major\":2,\"Minor\":0}}";
    SilodProcess.Http lb =
        d.curl("POST", "/hns/v2/loadbalancers", String.format(lbDoc, epId, 8080));
    assertThat(lb.status()).as(lb.body()).isEqualTo(201);
    String lbId = lb.json().path("ID").asText();
    SilodProcess.Http lb2 =
        d.curl("PATCH", "/hns/v2/loadbalancers/" + lbId, String.format(lbDoc, epId, 9090));
    assertThat(lb2.status()).as(lb2.body()).isEqualTo(200);
    assertThat(
            d.curl("GET", "/hns/v2/loadbalancers/" + lbId, null)
                .json()
                .path("PortMappings")
                .path(0)
                .path("ExternalPort")
                .asInt())
        .isEqualTo(9090);
    assertThat(d.curl("GET", "/hns/v2/loadbalancers", null).json().findValuesAsText("ID"))
        .contains(lbId);
    assertThat(d.curl("DELETE", "/hns/v2/loadbalancers/" + lbId, null).status()).isEqualTo(204);

    // a network with an endpoint is still referenced
    SilodProcess.Http busy = d.curl("DELETE", "/hns/v2/networks/" + netId, null);
    assertThat(busy.status()).isEqualTo(409);
    assertThat(busy.json().path("Error").asInt())
        .isEqualTo(HResult.HCN_E_ENTITY_HAS_REFERENCES.code());

    SilodProcess.Http detach =
        d.curl(
            "POST",
            "/hns/v2/namespaces/" + nsId,
            "{\"ResourceType\":\"Endpoint\",\"RequestType\":\"Remove\",\"Settings\":{\"EndpointId\":\""
                + epId
                + "\"}}");
    assertThat(detach.status()).as(detach.body()).isEqualTo(200);
    assertThat(d.curl("DELETE", "/hns/v2/namespaces/" + nsId, null).status()).isEqualTo(204);
    assertThat(d.curl("DELETE", "/hns/v2/endpoints/" + epId, null).status()).isEqualTo(204);
    assertThat(d.curl("DELETE", "/hns/v2/networks/" + netId, null).status()).isEqualTo(204);

    SilodProcess.Http gone = d.curl("GET", "/hns/v2/networks/" + netId, null);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().path("Error").asInt()).isEqualTo(HResult.HCN_E_NETWORK_NOT_FOUND.code());
    assertThat(gone.json().path("ErrorMessage").asText()).contains(netId);
    assertThat(d.kernelAndStore()).isEqualTo(before);
  }

  @Test
  void badHnsDocumentsAreInvalidJsonAndLeaveNothing() throws Exception {
    String before = d.kernelAndStore();
    SilodProcess.Http malformed = d.curl("POST", "/hns/v2/networks", "{\"Name\":");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().path("Error").asInt()).isEqualTo(HResult.HCN_E_INVALID_JSON.code());
    SilodProcess.Http unknownField =
        d.curl("POST", "/hns/v2/networks", "{\"Name\":\"x\",\"Type\":\"NAT\",\"Colour\":\"red\"}");
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(unknownField.json().path("ErrorMessage").asText()).contains("Colour");
    SilodProcess.Http badSubnet =
        d.curl(
            "POST",
            "/hns/v2/networks",
            "{\"Name\":\"bad\",\"Type\":\"NAT\",\"Ipams\":[{\"Subnets\":[{\"IpAddressPrefix\":\"10.0.0.0/40\"}]}]}");
    assertThat(badSubnet.status()).isEqualTo(400);
    assertThat(badSubnet.json().path("Error").asInt()).isNotZero();
    SilodProcess.Http unsupported = d.curl("GET", "/hns/v2/switches", null);
    assertThat(unsupported.status()).isEqualTo(404);
    assertThat(unsupported.json().path("Error").asInt())
        .isEqualTo(HResult.HCN_E_REQUEST_UNSUPPORTED.code());
    assertThat(d.kernelAndStore()).isEqualTo(before);
  }

  @Test
  void aComputeSystemGoesThroughItsStates() throws Exception {
    Path bundle = Files.createDirectories(d.base.resolve("bundle"));
    SilodProcess.Result rootfs =
        SilodProcess.run(
            List.of("sh", script().toString(), bundle.resolve("rootfs").toString()), Map.of());
    assertThat(rootfs.exit()).as(rootfs.err()).isZero();
    String id = "silod-rest-" + UUID.randomUUID().toString().substring(0, 8);
    String doc = DOCS.writeValueAsString(OciToHcs.translate(id, bundle, sleeping(), "silod-it"));

    SilodProcess.Http created = d.curl("POST", "/hcs/v2/systems/" + id, doc);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("State").asText()).isEqualTo("Created");
    SilodProcess.Http again = d.curl("POST", "/hcs/v2/systems/" + id, doc);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().path("Error").asInt())
        .isEqualTo(HResult.HCS_E_SYSTEM_ALREADY_EXISTS.code());

    assertThat(
            d.curl("POST", "/hcs/v2/systems/" + id + "/start", null).json().path("State").asText())
        .isEqualTo("Running");
    SilodProcess.Http startAgain = d.curl("POST", "/hcs/v2/systems/" + id + "/start", null);
    assertThat(startAgain.status()).isEqualTo(409);
    assertThat(startAgain.json().path("Error").asInt())
        .isEqualTo(HResult.HCS_E_INVALID_STATE.code());

    JsonNode list = d.curl("GET", "/hcs/v2/systems", null).json();
    assertThat(list.findValuesAsText("Id")).contains(id);
    JsonNode props = d.curl("GET", "/hcs/v2/systems/" + id, null).json();
    assertThat(props.path("State").asText()).isEqualTo("Running");
    assertThat(props.path("Owner").asText()).isEqualTo("silod-it");

    assertThat(
            d.curl("POST", "/hcs/v2/systems/" + id + "/pause", null).json().path("State").asText())
        .isEqualTo("Paused");
    assertThat(
            d.curl("POST", "/hcs/v2/systems/" + id + "/resume", null).json().path("State").asText())
        .isEqualTo("Running");

    SilodProcess.Http term = d.curl("POST", "/hcs/v2/systems/" + id + "/terminate", null);
    assertThat(term.status()).as(term.body()).isEqualTo(200);
    SilodProcess.until(
        "the system is stopped",
        () ->
            d.curl("GET", "/hcs/v2/systems/" + id, null).body().contains("\"State\":\"Stopped\""));
    assertThat(d.curl("DELETE", "/hcs/v2/systems/" + id, null).status()).isEqualTo(204);
    SilodProcess.Http gone = d.curl("GET", "/hcs/v2/systems/" + id, null);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().path("Error").asInt()).isEqualTo(HResult.HCS_E_SYSTEM_NOT_FOUND.code());
    assertThat(d.execRoot.resolve("hcs").resolve(id)).doesNotExist();
  }

  @Test
  void badComputeSystemDocumentsAreInvalidJson() throws Exception {
    SilodProcess.Http bad =
        d.curl("POST", "/hcs/v2/systems/bad1", "{\"Owner\": 7, \"Nope\": true}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("Error").asInt()).isEqualTo(HResult.HCS_E_INVALID_JSON.code());
    assertThat(bad.json().path("ErrorMessage").asText()).contains("Nope");
    assertThat(d.curl("GET", "/hcs/v2/systems/bad1", null).status()).isEqualTo(404);
    assertThat(d.execRoot.resolve("hcs").resolve("bad1")).doesNotExist();
  }

  private static Spec sleeping() {
    Spec spec = OciSpecs.defaultSpec();
    Process p = Objects.requireNonNull(spec.process());
    return spec.withProcess(
        new Process(
            false,
            null,
            p.user(),
            List.of("sleep", "300"),
            null,
            p.env(),
            p.cwd(),
            p.capabilities(),
            p.rlimits(),
            p.noNewPrivileges(),
            null,
            null,
            null,
            null,
            null));
  }

  private static Path script() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("tools/busybox-rootfs.sh");
      if (Files.isRegularFile(script)) {
        return script;
      }
    }
    throw new AssertionError("tools/busybox-rootfs.sh not found");
  }
}
