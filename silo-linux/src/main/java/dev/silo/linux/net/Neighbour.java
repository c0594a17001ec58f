package dev.silo.linux.net;

import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * A neighbour (ARP/NDP) entry: IP to MAC on a device; HNS's remote endpoints become permanent ones.
 *
 * @param state the {@code NUD_*} bits, e.g. {@code 0x80} for permanent
 */
public record Neighbour(String device, InetAddress ip, @Nullable MacAddress mac, int state) {
  /** {@code NUD_PERMANENT}. */
  public static final int PERMANENT = 0x80;

  /** Whether the entry is permanent (never aged out or probed). */
  public boolean permanent() {
    return (state & PERMANENT) != 0;
  }
}
