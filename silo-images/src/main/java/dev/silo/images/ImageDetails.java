package dev.silo.images;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code docker image inspect} shows of an image (Docker Engine API {@code ImageInspect}).
 *
 * @param id {@code sha256:} digest of the image config
 * @param created RFC 3339 time from the config, or empty
 * @param config the config's {@code config} object (Env, Cmd, Entrypoint, …) as stored
 */
public record ImageDetails(
    @JsonProperty("Id") String id,
    @JsonProperty("RepoTags") List<String> repoTags,
    @JsonProperty("RepoDigests") List<String> repoDigests,
    @JsonProperty("Parent") String parent,
    @JsonProperty("Comment") String comment,
    @JsonProperty("Created") String created,
    @JsonProperty("Author") String author,
    @JsonProperty("Config") @Nullable JsonNode config,
    @JsonProperty("Architecture") String architecture,
    @JsonProperty("Variant") @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable String variant,
    @JsonProperty("Os") String os,
    @JsonProperty("OsVersion") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        @Nullable String osVersion,
    @JsonProperty("Size") long size,
    @JsonProperty("RootFS") RootFs rootFs) {

  public ImageDetails {
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
  }

  /** The layer list of the config ({@code rootfs}): diff ids, lowest first. */
  public record RootFs(
      @JsonProperty("Type") String type, @JsonProperty("Layers") List<String> layers) {
    public RootFs {
      layers = List.copyOf(layers);
    }
  }
}
