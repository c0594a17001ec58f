package dev.silo.linux.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Queueing disciplines of one {@link Rtnetlink} socket ({@code tc qdisc}): the root token bucket
 * filter that caps an interface's egress rate (HNS QOS policies), without a {@code tc} process.
 */
public final class Qdiscs {
  static final int RTM_NEWQDISC = 36;
  static final int RTM_DELQDISC = 37;
  static final int RTM_GETQDISC = 38;
  static final int TCA_KIND = 1;
  static final int TCA_OPTIONS = 2;
  static final int TCA_TBF_PARMS = 1;
  static final int TCA_TBF_RATE64 = 4;
  static final int TCA_TBF_BURST = 6;
  static final int TC_H_ROOT = 0xFFFFFFFF;

  /** {@code TC_LINKLAYER_ETHERNET}: the kernel then needs no rate table ({@code TCA_TBF_RTAB}). */
  static final int LINKLAYER_ETHERNET = 1;

  private final Rtnetlink rt;

  Qdiscs(Rtnetlink rt) {
    this.rt = rt;
  }

  /**
   * Makes a token bucket filter the root qdisc of {@code device} (replacing any root qdisc): egress
   * shaped to {@code bytesPerSecond}, bursts of {@code burstBytes}, at most {@code limitBytes}
   * queued ({@code tc qdisc replace dev D root tbf rate R burst B limit L}).
   */
  public void replaceRootTbf(String device, long bytesPerSecond, int burstBytes, int limitBytes) {
    if (bytesPerSecond <= 0 || burstBytes <= 0 || limitBytes <= 0) {
      throw new IllegalArgumentException(
          "tbf rate/burst/limit must be positive: " + bytesPerSecond + "/" + burstBytes);
    }
    int index = rt.links().get(device).index();
    NlRequest r =
        new NlRequest(RTM_NEWQDISC, NlRequest.F_ACK | NlRequest.F_CREATE | NlRequest.F_REPLACE);
    tcmsg(r, index, 0, TC_H_ROOT);
    r.attrString(TCA_KIND, "tbf");
    int opts = r.begin(TCA_OPTIONS);
    r.attr(TCA_TBF_PARMS, tbfParms(bytesPerSecond, limitBytes));
    if (bytesPerSecond >= 0xFFFFFFFFL) {
      r.attr(TCA_TBF_RATE64, u64(bytesPerSecond));
    }
    r.attrU32(TCA_TBF_BURST, burstBytes);
    r.end(opts);
    rt.socket().execute(r, "RTM_NEWQDISC tbf rate " + bytesPerSecond + "B/s", device);
  }

  /** Deletes the root qdisc of {@code device} (back to the default); no-op when it has none. */
  public void deleteRoot(String device) {
    Optional<Link> link = rt.links().find(device);
    if (link.isEmpty() || rootKind(device).isEmpty()) {
      return;
    }
    NlRequest r = new NlRequest(RTM_DELQDISC, NlRequest.F_ACK);
    tcmsg(r, link.get().index(), 0, TC_H_ROOT);
    rt.socket().execute(r, "RTM_DELQDISC root", device);
  }

  /**
   * The kind of the root qdisc explicitly set on {@code device} ({@code tbf}, …), empty when the
   * device runs its default ({@code noqueue}, or a kernel-assigned qdisc with handle 0).
   */
  public Optional<String> rootKind(String device) {
    int index = rt.links().get(device).index();
    NlRequest r = new NlRequest(RTM_GETQDISC, NlRequest.F_DUMP);
    tcmsg(r, index, 0, 0);
    for (NlMessage m : rt.socket().query(r, "RTM_GETQDISC", device)) {
      ByteBuffer b = m.body();
      if (m.type() != RTM_NEWQDISC || b.getInt(4) != index || b.getInt(12) != TC_H_ROOT) {
        continue;
      }
      String kind = m.attrs(20).string(TCA_KIND);
      // a default qdisc has handle 0 (noqueue) or is the system default (pfifo_fast, fq_codel…)
      return b.getInt(8) == 0 || kind == null ? Optional.empty() : Optional.of(kind);
    }
    return Optional.empty();
  }

  /** The rate in bytes per second of the root tbf of {@code device}, if it has one. */
  public Optional<Long> rootTbfRate(String device) {
    int index = rt.links().get(device).index();
    NlRequest r = new NlRequest(RTM_GETQDISC, NlRequest.F_DUMP);
    tcmsg(r, index, 0, 0);
    for (NlMessage m : rt.socket().query(r, "RTM_GETQDISC", device)) {
      ByteBuffer b = m.body();
      NlAttrs a = m.attrs(20);
      if (m.type() == RTM_NEWQDISC
          && b.getInt(4) == index
          && b.getInt(12) == TC_H_ROOT
          && "tbf".equals(a.string(TCA_KIND))) {
        NlAttrs o = a.nested(TCA_OPTIONS);
        byte[] r64 = o.bytes(TCA_TBF_RATE64);
        if (r64 != null && r64.length == 8) {
          return Optional.of(ByteBuffer.wrap(r64).order(ByteOrder.nativeOrder()).getLong());
        }
        byte[] parms = o.bytes(TCA_TBF_PARMS);
        if (parms != null && parms.length >= 12) {
          return Optional.of(
              Integer.toUnsignedLong(
                  ByteBuffer.wrap(parms).order(ByteOrder.nativeOrder()).getInt(8)));
        }
      }
    }
    return Optional.empty();
  }

  /** {@code struct tcmsg}: family, padding, ifindex, handle, parent, info. */
  private static void tcmsg(NlRequest r, int index, int handle, int parent) {
    r.u8(0).u8(0).u16(0).u32(index).u32(handle).u32(parent).u32(0);
  }

  /**
   * {@code struct tc_tbf_qopt}: rate and peakrate {@code tc_ratespec} (12 bytes each), limit,
   * buffer, mtu. The buffer is left 0 because {@code TCA_TBF_BURST} sets it in bytes.
   */
  static byte[] tbfParms(long bytesPerSecond, int limitBytes) {
    ByteBuffer b = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
    b.put((byte) 0).put((byte) LINKLAYER_ETHERNET).putShort((short) 0); // cell_log, linklayer
    b.putShort((short) 0).putShort((short) 0); // cell_align, mpu
    b.putInt((int) Math.min(bytesPerSecond, 0xFFFFFFFFL));
    b.put(new byte[12]); // no peak rate
    b.putInt(limitBytes).putInt(0).putInt(0);
    return b.array();
  }

  private static byte[] u64(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
  }
}
