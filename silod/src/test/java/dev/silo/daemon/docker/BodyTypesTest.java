package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.daemon.http.ApiException;
import org.junit.jupiter.api.Test;

class BodyTypesTest {
  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s);
  }

  @Test
  void whatTheDockerCliSendsIsAccepted() throws Exception {
    String body =
        """
        {"Image":"busybox","Cmd":["sh","-c","true"],"Entrypoint":null,"Env":["A=1"],"Tty":false,
         "Labels":{"k":"v"},"ExposedPorts":{"80/tcp":{}},"StopTimeout":null,"Unknown":{"x":[1]},
         "HostConfig":{"Memory":268435456,"NanoCpus":500000000,"PidsLimit":null,"CapAdd":["NET_ADMIN"],
          "RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3},"Init":true,
          "PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},"ConsoleSize":[0,0]},
         "NetworkingConfig":{"EndpointsConfig":{}}}
        """;
    assertThatCode(() -> BodyTypes.container(json(body))).doesNotThrowAnyException();
    assertThatCode(() -> BodyTypes.container(json("{\"Cmd\":\"true\"}")))
        .as("a strslice may be one string")
        .doesNotThrowAnyException();
  }

  @Test
  void aFieldOfTheWrongTypeIsNamedWithItsGoType() {
    assertThatThrownBy(() -> BodyTypes.container(json("{\"Image\":5}")))
        .isInstanceOf(ApiException.class)
        .hasMessage(
            "json: cannot unmarshal number into Go struct field ContainerConfigWrapper.Image of"
                + " type string")
        .extracting(e -> ((ApiException) e).status())
        .isEqualTo(400);
    assertThatThrownBy(
            () ->
                BodyTypes.container(json("{\"Image\":\"b\",\"HostConfig\":{\"Memory\":\"lots\"}}")))
        .hasMessage(
            "json: cannot unmarshal string into Go struct field HostConfig.HostConfig.Memory of"
                + " type int64");
    assertThatThrownBy(() -> BodyTypes.container(json("{\"HostConfig\":{\"NanoCpus\":1.5}}")))
        .hasMessageContaining("cannot unmarshal number 1.5 into")
        .hasMessageEndingWith("of type int64");
    assertThatThrownBy(() -> BodyTypes.container(json("{\"Env\":[\"A=1\",2]}")))
        .hasMessageContaining("Go struct field ContainerConfigWrapper.Env of type []string");
    assertThatThrownBy(() -> BodyTypes.container(json("{\"Labels\":{\"a\":1}}")))
        .hasMessageContaining("ContainerConfigWrapper.Labels of type map[string]string");
    assertThatThrownBy(
            () ->
                BodyTypes.container(
                    json("{\"HostConfig\":{\"RestartPolicy\":{\"MaximumRetryCount\":\"3\"}}}")))
        .hasMessageContaining("RestartPolicy.MaximumRetryCount of type int");
    assertThatThrownBy(() -> BodyTypes.container(json("{\"HostConfig\":{\"BlkioWeight\":-1}}")))
        .hasMessageContaining("cannot unmarshal number -1 into")
        .hasMessageEndingWith("of type uint16");
  }

  @Test
  void execNetworkAndVolumeBodiesAreCheckedToo() {
    assertThatThrownBy(() -> BodyTypes.exec(json("{\"Cmd\":[\"sh\"],\"Tty\":\"yes\"}")))
        .hasMessage(
            "json: cannot unmarshal string into Go struct field ExecOptions.Tty of type bool");
    assertThatThrownBy(() -> BodyTypes.network(json("{\"Name\":\"n\",\"Internal\":1}")))
        .hasMessage(
            "json: cannot unmarshal number into Go struct field CreateRequest.Internal of type"
                + " bool");
    assertThatThrownBy(() -> BodyTypes.volume(json("{\"Name\":[\"v\"]}")))
        .hasMessage(
            "json: cannot unmarshal array into Go struct field CreateOptions.Name of type string");
    assertThatCode(() -> BodyTypes.network(json("{\"Name\":\"n\",\"Driver\":\"nat\",\"IPAM\":{}}")))
        .doesNotThrowAnyException();
  }

  @Test
  void aBodyThatIsNotAnObjectIsRefused() {
    assertThatThrownBy(() -> BodyTypes.container(json("[1]")))
        .hasMessage(
            "json: cannot unmarshal array into Go value of type container.ContainerConfigWrapper");
  }
}
