package dev.silo.hns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v1 HNSCall surface answers in the {Success, Error, Output} envelope over the v2 service. */
class HnsV1ApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  TestHns t;
  HnsV1Api v1;

  @BeforeEach
  void open() throws Exception {
    t = new TestHns(dir);
    v1 = new HnsV1Api(t.open());
  }

  JsonNode call(String method, String path, String body) throws Exception {
    return JSON.readTree(v1.call(method, path, body));
  }

  @Test
  void networkAndEndpointLifecycle() throws Exception {
    JsonNode net =
        call(
            "POST",
            "/networks",
            "{\"Name\":\"nat\",\"Type\":\"nat\",\"Subnets\":[{\"AddressPrefix\":\"172.20.0.0/16\",\"GatewayAddress\":\"172.20.0.1\"}]}");
    assertThat(net.get("Success").asBoolean()).isTrue();
    String netId = net.at("/Output/ID").asText();
    assertThat(net.at("/Output/Type").asText()).isEqualTo("nat");
    assertThat(net.at("/Output/Subnets/0/GatewayAddress").asText()).isEqualTo("172.20.0.1");

    JsonNode ep =
        call(
            "POST",
            "/endpoints",
            "{\"Name\":\"web\",\"VirtualNetworkName\":\"nat\",\"Policies\":[{\"Type\":\"NAT\",\"Protocol\":\"TCP\",\"InternalPort\":80,\"ExternalPort\":8080}]}");
    assertThat(ep.get("Success").asBoolean()).as(ep.toString()).isTrue();
    String epId = ep.at("/Output/ID").asText();
    assertThat(ep.at("/Output/VirtualNetwork").asText()).isEqualTo(netId);
    assertThat(ep.at("/Output/IPAddress").asText()).isEqualTo("172.20.0.2");
    assertThat(ep.at("/Output/GatewayAddress").asText()).isEqualTo("172.20.0.1");
    assertThat(ep.at("/Output/Policies/0/ExternalPort").asInt()).isEqualTo(8080);
    assertThat(ep.at("/Output/State").asInt()).isEqualTo(1);

    JsonNode attached = call("POST", "/endpoints/" + epId + "/attach", "{\"ContainerId\":\"c1\"}");
    assertThat(attached.at("/Output/State").asInt()).as(attached.toString()).isEqualTo(2);
    assertThat(call("GET", "/namespaces/c1", "").at("/Output/Resources/0/Data/ID").asText())
        .isEqualTo(epId);
    assertThat(call("POST", "/endpoints/" + epId + "/detach", "{}").at("/Output/State").asInt())
        .isEqualTo(1);

    assertThat(call("GET", "/endpoints", "").at("/Output").size()).isEqualTo(1);
    assertThat(call("DELETE", "/endpoints/" + epId, "").get("Success").asBoolean()).isTrue();
    assertThat(call("DELETE", "/networks/" + netId, "").get("Success").asBoolean()).isTrue();
    assertThat(call("GET", "/networks", "").at("/Output").size()).isZero();
  }

  @Test
  void errorsComeBackInTheEnvelope() throws Exception {
    JsonNode missing = call("GET", "/networks/0bad0000-0000-0000-0000-000000000000", "");
    assertThat(missing.get("Success").asBoolean()).isFalse();
    assertThat(missing.get("Error").asText()).contains("not found").contains("0x803b0001");

    JsonNode bad =
        call(
            "POST",
            "/networks",
            "{\"Name\":\"n\",\"Type\":\"nat\",\"Subnets\":[{\"AddressPrefix\":\"10.0.0.0/99\"}]}");
    assertThat(bad.get("Error").asText()).contains("above 32");

    assertThat(call("PUT", "/globals/x", "").get("Error").asText()).contains("not supported");
    assertThat(call("POST", "/networks", "{not json").get("Error").asText())
        .contains("HCN_E_INVALID_JSON");
  }

  @Test
  void namespaceAddAndRemoveResource() throws Exception {
    call(
        "POST",
        "/networks",
        "{\"Name\":\"nat\",\"Type\":\"nat\",\"Subnets\":[{\"AddressPrefix\":\"10.0.0.0/24\"}]}");
    String ep =
        call("POST", "/endpoints", "{\"Name\":\"e\",\"VirtualNetworkName\":\"nat\"}")
            .at("/Output/ID")
            .asText();
    String ns = call("POST", "/namespaces", "{}").at("/Output/ID").asText();

    JsonNode added =
        call(
            "POST",
            "/namespaces/" + ns + "/addresource",
            "{\"Type\":\"Endpoint\",\"Data\":{\"Id\":\"" + ep + "\"}}");
    assertThat(added.at("/Output/Resources/0/Data/ID").asText()).as(added.toString()).isEqualTo(ep);
    JsonNode removed =
        call(
            "POST",
            "/namespaces/" + ns + "/removeresource",
            "{\"Type\":\"Endpoint\",\"Data\":{\"Id\":\"" + ep + "\"}}");
    assertThat(removed.at("/Output/Resources").size()).isZero();
    assertThat(call("DELETE", "/namespaces/" + ns, "").get("Success").asBoolean()).isTrue();
  }
}
