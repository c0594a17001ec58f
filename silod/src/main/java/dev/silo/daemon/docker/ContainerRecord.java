package dev.silo.daemon.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What silod keeps of a Docker container beside its compute system ({@code
 * containers/<id>/config.v2.json}, as dockerd names it): the create body, the image, the network
 * attachment and the last run's times and exit. The running state comes from the container's
 * monitor.
 *
 * @param hcsId the compute system's id (the container id)
 * @param endpointId the HNS endpoint, or empty with NetworkMode none
 * @param namespaceId the HNS namespace the endpoint is attached to, or empty
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
    @JsonProperty("NetworkID") String networkId,
    @JsonProperty("EndpointID") String endpointId,
    @JsonProperty("NamespaceID") String namespaceId,
    @JsonProperty("IPAddress") String ipAddress,
    @JsonProperty("Gateway") String gateway,
    @JsonProperty("MacAddress") String macAddress,
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
    ports = List.copyOf(ports);
  }

  /** One published port: container port/proto → host address and port. */
  public record PortBinding(
      @JsonProperty("PrivatePort") int privatePort,
      @JsonProperty("Type") String type,
      @JsonProperty("IP") String hostIp,
      @JsonProperty("PublicPort") int publicPort) {}

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
        networkId,
        endpointId,
        namespaceId,
        ipAddress,
        gateway,
        macAddress,
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
        networkId,
        endpointId,
        namespaceId,
        ipAddress,
        gateway,
        macAddress,
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
        networkId,
        endpointId,
        namespaceId,
        ipAddress,
        gateway,
        macAddress,
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
        networkId,
        endpointId,
        namespaceId,
        ipAddress,
        gateway,
        macAddress,
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
