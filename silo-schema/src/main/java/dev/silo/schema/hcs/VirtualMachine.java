package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Virtual machine, the utility VM of Hyper-V isolation (hcsshim {@code schema2.VirtualMachine});
 * modelled minimally.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VirtualMachine(
    @JsonProperty("StopOnReset") @Nullable Boolean stopOnReset,
    @JsonProperty("Chipset") @Nullable Chipset chipset,
    @JsonProperty("ComputeTopology") @Nullable Topology computeTopology,
    @JsonProperty("Devices") @Nullable Devices devices,
    @JsonProperty("GuestConnection") @Nullable GuestConnection guestConnection) {}
