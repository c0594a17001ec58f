package dev.silo.linux.net;

import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * A bridge forwarding entry: MAC to a remote VTEP IP on a vxlan device ({@code bridge fdb}).
 *
 * @param dst the remote tunnel endpoint, null for entries without one (local MACs)
 */
public record FdbEntry(String device, MacAddress mac, @Nullable InetAddress dst, int state) {}
