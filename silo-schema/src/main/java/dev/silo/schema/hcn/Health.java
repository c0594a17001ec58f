package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Health of an HCN object (hcsshim {@code hcn.Health}); Silo reports dataplane drift here.
 *
 * @param data free-form status text
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Health(@JsonProperty("Data") @Nullable String data) {}
