package dev.silo.linux.net;

/** {@code IPVLAN_F_*}: bridge (no flag), private or VEPA between children. */
public enum IpvlanFlag {
  /** Children cannot talk to each other. */
  PRIVATE(1),
  /** Children talk through the external switch. */
  VEPA(2);

  final int bit;

  IpvlanFlag(int bit) {
    this.bit = bit;
  }
}
