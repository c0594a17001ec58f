package dev.silo.daemon.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What silod keeps of a Docker container beside its compute system ({@code
 * containers/<id>/config.v2.json}, as dockerd names it): the create body, the image, the networks
 * it is on and the last run's times and exit. The running state comes from the container's monitor.
 *
 * @param hcsId the compute system's id (the container id)
 * @param networkName the network mode it was created with: a network name, or {@code none}
 * @param namespaceId the HNS namespace every endpoint of the container is attached to, or empty
 *     with NetworkMode none
 * @param networks one entry per network the container is on, in connect order
 * @param ports the published ports, as {@code docker port} shows them
 * @param manuallyStopped the user stopped or killed the container since its last start (dockerd's
 *     HasBeenManuallyStopped: an {@code unless-stopped} container is then not restarted)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(
    @JsonProperty("ID") String id,
    @JsonProperty("Name") String name,
    @JsonProperty("Created") String created,
    @JsonProperty("Image") String image,
    @JsonProperty("ImageID") String imageId,
    @JsonProperty("Config") JsonNode config,
    @JsonProperty("HostConfig") JsonNode hostConfig,
    @JsonProperty("NetworkName") String networkName,
    @JsonProperty("NamespaceID") String namespaceId,
    @JsonProperty("Networks") List<Endpoint> networks,
    @JsonProperty("Ports") List<PortBinding> ports,
    @JsonProperty("StartedAt") String startedAt,
    @JsonProperty("FinishedAt") String finishedAt,
    @JsonProperty("ExitCode") int exitCode,
    @JsonProperty("RestartCount") int restartCount,
    @JsonProperty("HasRun") boolean hasRun,
    @JsonProperty("HasBeenManuallyStopped") boolean manuallyStopped) {

  /** Go's zero time, as dockerd shows a time that never was. */
  public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  public ContainerRecord {
    networks = List.copyOf(networks);
    ports = List.copyOf(ports);
  }

  /**
   * The container's place on one network: one HNS endpoint in the container's namespace.
   *
   * @param network the Docker network's name
   * @param networkId the Docker network's id
   * @param endpointId the HNS endpoint, empty until the next start when connected while stopped
   * @param ipAddress the endpoint's address, empty without an endpoint
   * @param prefixLength the address's prefix length, 0 when unknown
   * @param requestedIp the address asked for ({@code IPAMConfig.IPv4Address}), or empty
   * @param aliases the network-scoped aliases asked for
   */
  public record Endpoint(
      @JsonProperty("Network") String network,
      @JsonProperty("NetworkID") String networkId,
      @JsonProperty("EndpointID") String endpointId,
      @JsonProperty("IPAddress") String ipAddress,
      @JsonProperty("IPPrefixLen") int prefixLength,
      @JsonProperty("Gateway") String gateway,
      @JsonProperty("MacAddress") String macAddress,
      @JsonProperty("RequestedIPv4Address") String requestedIp,
      @JsonProperty("Aliases") List<String> aliases) {
    public Endpoint {
      aliases = aliases == null ? List.of() : List.copyOf(aliases);
      requestedIp = requestedIp == null ? "" : requestedIp;
    }

    /** Whether the endpoint exists (a connect while stopped makes it at the next start). */
    public boolean made() {
      return !endpointId.isEmpty();
    }

    /** This entry with its endpoint made. */
    public Endpoint madeAs(String newEndpointId, String ip, int prefix, String mac) {
      return new Endpoint(
          network, networkId, newEndpointId, ip, prefix, gateway, mac, requestedIp, aliases);
    }
  }

  /** One published port: container port/proto → host address and port. */
  public record PortBinding(
      @JsonProperty("PrivatePort") int privatePort,
      @JsonProperty("Type") String type,
      @JsonProperty("IP") String hostIp,
      @JsonProperty("PublicPort") int publicPort) {}

  /**
   * Reads a record, upgrading the single-network format of earlier silods (top-level {@code
   * NetworkID}, {@code EndpointID}, {@code IPAddress}, {@code Gateway}, {@code MacAddress} and no
   * {@code Networks}) to one {@link Endpoint} on the {@code NetworkName} network.
   */
  public static ContainerRecord read(JsonNode doc) throws JsonProcessingException {
    if (!(doc instanceof ObjectNode o)) {
      throw new JsonMappingException(null, "a container record is a JSON object");
    }
    if (!o.has("Networks")) {
      ObjectNode up = o.deepCopy();
      ArrayNode nets = up.putArray("Networks");
      String endpoint = up.path("EndpointID").asText("");
      String mode = up.path("NetworkName").asText("");
      if (!endpoint.isEmpty() && !mode.isEmpty() && !mode.equals("none")) {
        nets.addObject()
            .put("Network", mode)
            .put("NetworkID", up.path("NetworkID").asText(""))
            .put("EndpointID", endpoint)
            .put("IPAddress", up.path("IPAddress").asText(""))
            .put("IPPrefixLen", 0)
            .put("Gateway", up.path("Gateway").asText(""))
            .put("MacAddress", up.path("MacAddress").asText(""))
            .put("RequestedIPv4Address", "")
            .putArray("Aliases");
      }
      for (String old : List.of("NetworkID", "EndpointID", "IPAddress", "Gateway", "MacAddress")) {
        up.remove(old);
      }
      return Json.MAPPER.treeToValue(up, ContainerRecord.class);
    }
    return Json.MAPPER.treeToValue(doc, ContainerRecord.class);
  }

  /** The entry of the network with this Docker id, or null. */
  public @Nullable Endpoint network(String networkIdOrName) {
    for (Endpoint e : networks) {
      if (e.networkId().equals(networkIdOrName) || e.network().equals(networkIdOrName)) {
        return e;
      }
    }
    return null;
  }

  /**
   * The entry whose address {@code docker inspect} shows at the top of NetworkSettings: that of the
   * network the container was created on, while it is still on it.
   */
  public @Nullable Endpoint primary() {
    return network(networkName);
  }

  /** The ids of the endpoints that exist. */
  public List<String> endpointIds() {
    return networks.stream().filter(Endpoint::made).map(Endpoint::endpointId).toList();
  }

  /** The record with the network entry of {@code e.networkId()} replaced, or appended. */
  public ContainerRecord withNetwork(Endpoint e) {
    List<Endpoint> out = new ArrayList<>();
    boolean replaced = false;
    for (Endpoint have : networks) {
      if (have.networkId().equals(e.networkId())) {
        out.add(e);
        replaced = true;
      } else {
        out.add(have);
      }
    }
    if (!replaced) {
      out.add(e);
    }
    return withNetworks(out);
  }

  /** The record without the entry of this Docker network. */
  public ContainerRecord withoutNetwork(String networkId) {
    return withNetworks(networks.stream().filter(e -> !e.networkId().equals(networkId)).toList());
  }

  private ContainerRecord withNetworks(List<Endpoint> list) {
    return new ContainerRecord(
        id,
        name,
        created,
        image,
        imageId,
        config,
        hostConfig,
        networkName,
        namespaceId,
        list,
        ports,
        startedAt,
        finishedAt,
        exitCode,
        restartCount,
        hasRun,
        manuallyStopped);
  }

  /** The record with another name. */
  public ContainerRecord withName(String newName) {
    return new ContainerRecord(
        id,
        newName,
        created,
        image,
        imageId,
        config,
        hostConfig,
        networkName,
        namespaceId,
        networks,
        ports,
        startedAt,
        finishedAt,
        exitCode,
        restartCount,
        hasRun,
        manuallyStopped);
  }

  /**
   * The record after a start: by a restart policy (which counted it when it decided), or by the
   * user (RestartCount starts again at 0, as dockerd's).
   */
  public ContainerRecord started(String at, boolean restart) {
    return new ContainerRecord(
        id,
        name,
        created,
        image,
        imageId,
        config,
        hostConfig,
        networkName,
        namespaceId,
        networks,
        ports,
        at,
        finishedAt,
        exitCode,
        restart ? restartCount : 0,
        true,
        false);
  }

  /** The record after an exit. */
  public ContainerRecord finished(@Nullable String at, int code) {
    return new ContainerRecord(
        id,
        name,
        created,
        image,
        imageId,
        config,
        hostConfig,
        networkName,
        namespaceId,
        networks,
        ports,
        startedAt,
        at == null ? finishedAt : at,
        code,
        restartCount,
        hasRun,
        manuallyStopped);
  }

  /** The record with another restart count and manual-stop mark. */
  public ContainerRecord withRestarts(int count, boolean stoppedByUser) {
    return new ContainerRecord(
        id,
        name,
        created,
        image,
        imageId,
        config,
        hostConfig,
        networkName,
        namespaceId,
        networks,
        ports,
        startedAt,
        finishedAt,
        exitCode,
        count,
        hasRun,
        stoppedByUser);
  }

  /** The short id docker ps shows. */
  public String shortId() {
    return id.substring(0, 12);
  }
}
