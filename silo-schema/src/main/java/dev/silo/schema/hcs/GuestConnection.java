package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * How the host talks to the guest agent of a VM (hcsshim {@code schema2.GuestConnection}).
 *
 * @param useVsock AF_VSOCK instead of Hyper-V sockets
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GuestConnection(
    @JsonProperty("UseVsock") @Nullable Boolean useVsock,
    @JsonProperty("UseConnectedSuspend") @Nullable Boolean useConnectedSuspend,
    @JsonProperty("UseHostTimeZone") @Nullable Boolean useHostTimeZone) {}
