package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.daemon.http.ApiException;
import dev.silo.schema.oci.Mount;
import dev.silo.schema.oci.Spec;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The create body + image config → OCI spec translation, without a kernel. */
class ContainerSpecTest {
  private static final List<String> KNOWN =
      List.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_FSETID",
          "CAP_FOWNER",
          "CAP_MKNOD",
          "CAP_NET_RAW",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETFCAP",
          "CAP_SETPCAP",
          "CAP_NET_BIND_SERVICE",
          "CAP_SYS_CHROOT",
          "CAP_KILL",
          "CAP_AUDIT_WRITE",
          "CAP_SYS_ADMIN",
          "CAP_NET_ADMIN");

  private static JsonNode json(String s) throws Exception {
    return Json.MAPPER.readTree(s.replace('\'', '"'));
  }

  private static Spec build(String image, String config, String host) throws Exception {
    return ContainerSpec.build(
        new ContainerSpec.Input(
            json(image),
            json(config),
            json(host),
            "abc123",
            List.of(Path.of("/layers/base"), Path.of("/layers/top")),
            Path.of("/c/scratch"),
            Path.of("/run/netns/ns1"),
            List.of(new ContainerSpec.Bind("/host/www", "/www", true)),
            "root:x:0:0::/root:/bin/sh\nwww:x:33:34::/var/www:/bin/false\n",
            KNOWN,
            4,
            Path.of("/usr/bin/tini-static")));
  }

  @Test
  void theImageSuppliesWhatTheBodyLeavesOut() throws Exception {
    Spec s =
        build(
            "{'Env':['PATH=/bin','A=image'],'Entrypoint':['/entry'],'Cmd':['default'],"
                + "'WorkingDir':'/srv','User':'www'}",
            "{'Env':['A=body','B=2']}",
            "{}");
    var p = Objects.requireNonNull(s.process());
    assertThat(p.args()).containsExactly("/entry", "default");
    assertThat(p.env())
        .as("dockerd's order: PATH, HOSTNAME, then the body's Env, then the image's")
        .containsExactly("PATH=/bin", "HOSTNAME=abc123", "A=body", "B=2");
    assertThat(p.cwd()).isEqualTo("/srv");
    assertThat(p.user().uid()).isEqualTo(33);
    assertThat(p.user().gid()).isEqualTo(34);
    assertThat(p.terminal()).isFalse();
    assertThat(s.hostname()).isEqualTo("abc123");
  }

  @Test
  void aBodyCmdReplacesTheImageCmdAndABodyEntrypointBoth() throws Exception {
    JsonNode image = json("{'Entrypoint':['/entry'],'Cmd':['default']}");
    assertThat(ContainerSpec.args(image, json("{'Cmd':['x','y']}")))
        .containsExactly("/entry", "x", "y");
    assertThat(ContainerSpec.args(image, json("{'Entrypoint':['sh'],'Cmd':['-c','true']}")))
        .containsExactly("sh", "-c", "true");
    assertThat(ContainerSpec.args(image, json("{'Entrypoint':[],'Cmd':['ls']}")))
        .containsExactly("ls");
  }

  @Test
  void noCommandAtAllIsABadParameter() {
    assertThatThrownBy(() -> ContainerSpec.args(json("{}"), json("{}")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).isEqualTo("no command specified");
            });
  }

  @Test
  void layersStackTopFirstOverTheScratchFolderAndTheNetnsIsJoined() throws Exception {
    Spec s = build("{'Cmd':['true']}", "{}", "{'Memory':67108864,'NanoCpus':2000000000}");
    var w = Objects.requireNonNull(s.windows());
    assertThat(w.layerFolders()).containsExactly("/layers/top", "/layers/base", "/c/scratch");
    assertThat(Objects.requireNonNull(Objects.requireNonNull(w.resources()).memory()).limit())
        .isEqualTo(64L << 20);
    assertThat(Objects.requireNonNull(Objects.requireNonNull(w.resources()).cpu()).maximum())
        .as("2 of 4 CPUs is 5000 of 10000")
        .isEqualTo(5000);
    assertThat(Objects.requireNonNull(s.linux()).namespaces())
        .anySatisfy(
            n -> {
              assertThat(n.type()).isEqualTo("network");
              assertThat(n.path()).isEqualTo("/run/netns/ns1");
            });
    assertThat(s.mounts())
        .extracting(Mount::destination, Mount::source)
        .contains(org.assertj.core.groups.Tuple.tuple("/www", "/host/www"));
    assertThat(s.mounts().getLast().options()).contains("ro");
  }

  @Test
  void capAddAndDropChangeDockersDefaultSet() throws Exception {
    List<String> caps =
        ContainerSpec.capabilities(json("{'CapAdd':['sys_admin'],'CapDrop':['NET_RAW']}"), KNOWN);
    assertThat(caps).contains("CAP_SYS_ADMIN", "CAP_CHOWN").doesNotContain("CAP_NET_RAW");
    assertThat(ContainerSpec.capabilities(json("{'CapDrop':['ALL'],'CapAdd':['KILL']}"), KNOWN))
        .containsExactly("CAP_KILL");
    assertThatThrownBy(() -> ContainerSpec.capabilities(json("{'CapAdd':['BOGUS']}"), KNOWN))
        .hasMessage("unknown capability: \"CAP_BOGUS\"");
  }

  @Test
  void usersAreNumbersOrPasswdNames() throws Exception {
    assertThat(ContainerSpec.user("", null)).containsExactly(0, 0);
    assertThat(ContainerSpec.user("1000:1001", null)).containsExactly(1000, 1001);
    assertThat(ContainerSpec.user("www:7", "www:x:33:34::/:/bin/false")).containsExactly(33, 7);
    assertThatThrownBy(() -> ContainerSpec.user("nobody", "root:x:0:0::/:/bin/sh"))
        .hasMessage("unable to find user nobody: no matching entries in passwd file");
  }

  @Test
  void aTtyGetsATermAndATerminal() throws Exception {
    Spec s = build("{'Cmd':['sh']}", "{'Tty':true}", "{'ReadonlyRootfs':true,'PidsLimit':50}");
    var p = Objects.requireNonNull(s.process());
    assertThat(p.terminal()).isTrue();
    assertThat(p.env()).contains("TERM=xterm");
    assertThat(Objects.requireNonNull(s.root()).readonly()).isTrue();
    assertThat(
            Objects.requireNonNull(
                    Objects.requireNonNull(Objects.requireNonNull(s.linux()).resources()).pids())
                .limit())
        .isEqualTo(50);
  }

  @Test
  void initTmpfsAndConsoleSizeFollowTheHostConfig() throws Exception {
    Spec s =
        build(
            "{'Cmd':['sh']}",
            "{'Tty':true}",
            "{'Init':true,'ConsoleSize':[40,120],'Tmpfs':{'/tmp':'size=1m,exec'}}");
    var p = Objects.requireNonNull(s.process());
    assertThat(p.args()).containsExactly("/sbin/docker-init", "--", "sh");
    assertThat(Objects.requireNonNull(p.consoleSize()).height()).isEqualTo(40);
    assertThat(Objects.requireNonNull(p.consoleSize()).width()).isEqualTo(120);
    Mount init =
        s.mounts().stream()
            .filter(m -> m.destination().equals("/sbin/docker-init"))
            .findFirst()
            .orElseThrow();
    assertThat(init.source()).isEqualTo("/usr/bin/tini-static");
    assertThat(init.options()).contains("ro");
    Mount tmp =
        s.mounts().stream().filter(m -> m.destination().equals("/tmp")).findFirst().orElseThrow();
    assertThat(tmp.type()).isEqualTo("tmpfs");
    assertThat(tmp.options()).containsExactly("nosuid", "nodev", "size=1m", "exec");

    Spec plain = build("{'Cmd':['sh']}", "{'Tty':true}", "{}");
    assertThat(Objects.requireNonNull(plain.process()).args()).containsExactly("sh");
    assertThat(
            Objects.requireNonNull(Objects.requireNonNull(plain.process()).consoleSize()).height())
        .isEqualTo(24);
    assertThatThrownBy(() -> build("{'Cmd':['sh']}", "{}", "{'Tmpfs':{'tmp':''}}"))
        .hasMessageContaining("mount path must be absolute");
  }

  @Test
  void portBindingsAreCheckedAsDockerdDoes() throws Exception {
    assertThat(
            ports(
                "{'PortBindings':{'80/tcp':[{'HostIp':'127.0.0.1','HostPort':'8080'}],"
                    + "'53/udp':[{'HostPort':''}],'81':[{'HostPort':'8000-8010'}]}}",
                "{}"))
        .containsExactly(
            new PortBindings.Request(80, "tcp", "127.0.0.1", 8080, 8080),
            new PortBindings.Request(53, "udp", "", 0, 0),
            new PortBindings.Request(81, "tcp", "", 8000, 8010));
    for (String bad : List.of("99999", "8001-8000", "1-2-3", "a", "0-5", "80-")) {
      assertThatThrownBy(
              () -> ports("{'PortBindings':{'80/tcp':[{'HostPort':'" + bad + "'}]}}", "{}"))
          .hasMessage("invalid port specification: \"" + bad + "\"");
    }
    assertThatThrownBy(() -> ports("{'PortBindings':{'x/tcp':[{'HostPort':'80'}]}}", "{}"))
        .hasMessage("invalid port specification: \"x\"");
    assertThatThrownBy(() -> ports("{'PortBindings':{'80/sctp':[{'HostPort':'80'}]}}", "{}"))
        .hasMessage("invalid proto: sctp");
  }

  @Test
  void publishAllPortsPublishesEveryExposedPortWithoutABinding() throws Exception {
    assertThat(
            ports(
                "{'PublishAllPorts':true,'PortBindings':{'80/tcp':[{'HostPort':'8080'}]}}",
                "{'ExposedPorts':{'80/tcp':{},'53/udp':{}}}"))
        .containsExactlyInAnyOrder(
            new PortBindings.Request(80, "tcp", "", 8080, 8080),
            new PortBindings.Request(53, "udp", "", 0, 0),
            new PortBindings.Request(443, "tcp", "", 0, 0));
    assertThat(ports("{}", "{'ExposedPorts':{'80/tcp':{}}}")).as("only with -P").isEmpty();
  }

  private static List<PortBindings.Request> ports(String hostConfig, String config)
      throws Exception {
    return PortBindings.parse(
        json(hostConfig), json(config), json("{'ExposedPorts':{'443/tcp':{}}}"));
  }
}
