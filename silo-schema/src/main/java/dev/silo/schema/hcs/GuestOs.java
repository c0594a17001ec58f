package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Guest operating-system settings of a container (hcsshim {@code schema2.GuestOs}).
 *
 * @param hostName host name inside the container (Silo: UTS namespace)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GuestOs(@JsonProperty("HostName") @Nullable String hostName) {}
