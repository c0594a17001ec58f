package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A modify document (hcsshim {@code hcn.ModifyNetworkSettingRequest} and its endpoint / namespace
 * twins); Settings stays a raw JSON tree because its shape depends on ResourceType.
 *
 * @param resourceType Network: Policy|DNS|Extension; Endpoint: Policy|Port; Namespace:
 *     Container|Endpoint
 * @param requestType Add, Remove, Update or Refresh
 * @param settings e.g. {@code {"Policies":[…]}} or {@code {"EndpointId": …}}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ModificationRequest(
    @JsonProperty("ResourceType") @Nullable String resourceType,
    @JsonProperty("RequestType") @Nullable ModifyRequestType requestType,
    @JsonProperty("Settings") @Nullable Object settings) {}
