package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One read-only image layer of a container (hcsshim {@code schema2.Layer}).
 *
 * @param id layer GUID
 * @param path layer directory
 * @param cache cache mode: {@code Unspecified}, {@code Disabled}, {@code Enabled} or {@code
 *     Private}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Layer(
    @JsonProperty("Id") @Nullable String id,
    @JsonProperty("Path") @Nullable String path,
    @JsonProperty("PathType") @Nullable PathType pathType,
    @JsonProperty("Cache") @Nullable String cache) {}
