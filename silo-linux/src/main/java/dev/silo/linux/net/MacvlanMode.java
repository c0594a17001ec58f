package dev.silo.linux.net;

/**
 * {@code MACVLAN_MODE_*}: bridge for HNS transparent, VEPA for l2tunnel (hair-pin via the switch).
 */
public enum MacvlanMode {
  /** Children cannot talk to each other at all. */
  PRIVATE(1),
  /** Children talk through the external switch (needs hair-pin there). */
  VEPA(2),
  /** Children talk directly inside the host. */
  BRIDGE(4);

  final int code;

  MacvlanMode(int code) {
    this.code = code;
  }
}
