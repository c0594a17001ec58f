package dev.silo.linux.net;

import org.jspecify.annotations.Nullable;

/**
 * A network interface as rtnetlink reports it.
 *
 * @param kind the {@code IFLA_INFO_KIND} ({@code veth}, {@code bridge}, ...), null for physical
 *     devices and {@code lo}
 * @param master the ifindex of the bridge (or bond) it is enslaved to, 0 if none
 * @param up whether {@code IFF_UP} is set (administratively up)
 * @param operState RFC 2863 state: {@code UP}, {@code DOWN}, {@code UNKNOWN}, ...
 */
public record Link(
    String name,
    int index,
    @Nullable String kind,
    @Nullable MacAddress mac,
    int master,
    boolean up,
    String operState,
    int mtu) {}
