package dev.silo.linux.net;

import org.jspecify.annotations.Nullable;

/**
 * A veth pair made by one {@code RTM_NEWLINK}: the local end's bridge and state and the peer's
 * namespace, MAC and state, all set at creation instead of by one request each afterwards.
 *
 * @param name the local end
 * @param master bridge the local end becomes a port of, or null
 * @param peerName the other end, named in its namespace
 * @param peerNs where the peer is born, or null for here
 * @param peerMac the peer's MAC, or null for a random one
 * @param up whether the local end comes up at creation (the peer only can after it)
 */
public record VethSpec(
    String name,
    @Nullable String master,
    String peerName,
    @Nullable NetNs peerNs,
    @Nullable MacAddress peerMac,
    boolean up) {

  /** Checks both link names. */
  public VethSpec {
    Links.checkName(name);
    Links.checkName(peerName);
  }
}
