package dev.silo.images;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One line of {@code docker history} (Docker Engine API {@code HistoryResponseItem}), newest first;
 * {@code id} is {@code <missing>} for every step but the image itself.
 */
public record HistoryEntry(
    @JsonProperty("Id") String id,
    @JsonProperty("Created") long created,
    @JsonProperty("CreatedBy") String createdBy,
    @JsonProperty("Tags") List<String> tags,
    @JsonProperty("Size") long size,
    @JsonProperty("Comment") String comment) {
  public HistoryEntry {
    tags = List.copyOf(tags);
  }
}
