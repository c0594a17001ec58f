package dev.silo.linux.net;

/** {@code IPVLAN_MODE_*}: L2 for HNS l2bridge (children share the parent's MAC). */
public enum IpvlanMode {
  /** Layer-2: children answer ARP with the parent MAC. */
  L2(0),
  /** Layer-3: the parent routes; no broadcast. */
  L3(1),
  /** Layer-3 with netfilter hooks on the parent side. */
  L3S(2);

  final int code;

  IpvlanMode(int code) {
    this.code = code;
  }
}
