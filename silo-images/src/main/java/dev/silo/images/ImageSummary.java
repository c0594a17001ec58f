package dev.silo.images;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** One row of {@code docker images} (Docker Engine API {@code ImageSummary}). */
public record ImageSummary(
    @JsonProperty("Id") String id,
    @JsonProperty("ParentId") String parentId,
    @JsonProperty("RepoTags") List<String> repoTags,
    @JsonProperty("RepoDigests") List<String> repoDigests,
    @JsonProperty("Created") long created,
    @JsonProperty("Size") long size,
    @JsonProperty("SharedSize") long sharedSize,
    @JsonProperty("Labels") Map<String, String> labels,
    @JsonProperty("Containers") long containers) {
  public ImageSummary {
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
    labels = Map.copyOf(labels);
  }
}
