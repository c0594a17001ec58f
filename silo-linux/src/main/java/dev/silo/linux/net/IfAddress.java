package dev.silo.linux.net;

/** An address assigned to an interface (what {@code ip addr} lists). */
public record IfAddress(String device, int index, IpPrefix prefix) {}
