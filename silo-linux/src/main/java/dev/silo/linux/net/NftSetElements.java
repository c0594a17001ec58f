package dev.silo.linux.net;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Adds and deletes nftables set and map elements as raw nfnetlink batches over one long-lived
 * {@code NETLINK_NETFILTER} socket: what {@code nft add/create/delete element} sends, without nft's
 * parser and cache. Tables, sets, maps and rules are still made through {@link Nftables}.
 *
 * <p>Why: libnftables re-reads its cache whenever the ruleset generation changed and parses the
 * script text, which cost ~1 ms per changed load balancer and seconds for a full sync of 10 000;
 * the elements themselves commit in ~0.1 ms (reference/lb.md). Each {@link #apply} is one datagram
 * {@code BATCH_BEGIN, DELSETELEM…, NEWSETELEM…, BATCH_END}, which the kernel handles as one
 * transaction: every element or none. Elements are laid out as nft lays them out (each field of a
 * concatenation padded to 4 bytes, the comment as nft's user data), so {@code nft list} shows them,
 * comments included, and nft can delete them.
 */
public final class NftSetElements implements AutoCloseable {
  private static final int NFNL_SUBSYS_NFTABLES = 10;
  private static final int NFNL_MSG_BATCH_BEGIN = 0x10;
  private static final int NFNL_MSG_BATCH_END = 0x11;
  private static final int NFT_MSG_NEWSETELEM = 12;
  private static final int NFT_MSG_DELSETELEM = 14;
  private static final int NFTA_SET_ELEM_LIST_TABLE = 1;
  private static final int NFTA_SET_ELEM_LIST_SET = 2;
  private static final int NFTA_SET_ELEM_LIST_ELEMENTS = 3;
  private static final int NFTA_LIST_ELEM = 1;
  private static final int NFTA_SET_ELEM_KEY = 1;
  private static final int NFTA_SET_ELEM_DATA = 2;
  private static final int NFTA_SET_ELEM_USERDATA = 6;
  private static final int NFTA_DATA_VALUE = 1;
  private static final int NLMSGERR_ATTR_OFFS = 2;

  /** libnftnl's user data TLV type of an element comment (NUL-terminated string). */
  private static final int NFTNL_UDATA_SET_ELEM_COMMENT = 0;

  /** nft's limit on a comment: the TLV length is one byte, user data at most 256 bytes. */
  private static final int MAX_COMMENT = 128;

  /** Elements per message stay under the 64 KiB an attribute length can express. */
  private static final int MESSAGE_BYTES = 60_000;

  private static final java.lang.invoke.VarHandle NATIVE_INT =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private final NetlinkSocket socket;
  private final String where;

  private NftSetElements(NetlinkSocket socket, String where) {
    this.socket = socket;
    this.where = where;
  }

  /** A session in {@code ns} (null: the process's own namespace). */
  public static NftSetElements open(@Nullable NetNs ns) {
    if (ns == null) {
      return new NftSetElements(NetlinkSocket.openNetfilter(), "");
    }
    NetlinkSocket s = NetNs.<NetlinkSocket, RuntimeException>run(ns, NetlinkSocket::openNetfilter);
    return new NftSetElements(s, "netns " + ns.name() + " ");
  }

  /** One element of a set (no data) or a map, with an optional comment. */
  public record Element(String set, Concat key, @Nullable Concat data, @Nullable String comment) {
    public Element {
      checkSetName(set);
      if (comment != null
          && (comment.length() > MAX_COMMENT
              || comment.indexOf('\0') >= 0
              || comment.indexOf('"') >= 0)) {
        throw new IllegalArgumentException("element comment '" + comment + "': not allowed");
      }
    }

    /** The element as nft prints it, e.g. {@code 10.0.0.1 . tcp . 80 comment "x" : 10.1.0.2}. */
    public String text() {
      return key
          + (comment == null ? "" : " comment \"" + comment + "\"")
          + (data == null ? "" : " : " + data);
    }
  }

  /** Set names already checked: a batch names the same few sets 100 000s of times. */
  private static final java.util.Set<String> CHECKED = ConcurrentHashMap.newKeySet();

  private static void checkSetName(String set) {
    if (!CHECKED.contains(set)) {
      NftProcess.checkWord(set);
      if (CHECKED.size() < 4096) {
        CHECKED.add(set);
      }
    }
  }

  /**
   * Deletes {@code delete}, then creates {@code create} (failing on a key that exists), all in one
   * kernel transaction in table {@code family name}. On failure nothing is changed and the
   * exception names the first element the kernel refused, e.g. {@code nft create element netns x ip
   * silolb fronts { 10.96.0.1 . tcp . 80 comment "lb:1" }: File exists}.
   */
  public synchronized void apply(
      String family, String table, List<Element> delete, List<Element> create) {
    if (delete.isEmpty() && create.isEmpty()) {
      return;
    }
    int nfproto = nfproto(family);
    NftProcess.checkWord(table);
    Batch batch = new Batch(socket, nfproto, table, delete.size() * 48 + create.size() * 112);
    batch.add(NFT_MSG_DELSETELEM, delete);
    batch.add(NFT_MSG_NEWSETELEM, create);
    batch.finish();
    // one ACK of at most ~100 bytes per message; their accounting size is a few times that
    socket.ensureBuffers(batch.length(), Math.max(1 << 20, batch.messages.size() * 2048));
    String op = "nft " + family + " " + table;
    socket.sendDatagram(batch.bytes(), batch.length(), op, where.strip());
    Failure f = batch.awaitReplies(op, where.strip());
    if (f != null) {
      throw f.exception(family, table, where);
    }
  }

  private static int nfproto(String family) {
    return switch (family) {
      case "inet" -> 1;
      case "ip" -> 2;
      case "arp" -> 3;
      case "netdev" -> 5;
      case "bridge" -> 7;
      case "ip6" -> 10;
      default -> throw new IllegalArgumentException("nft family '" + family + "': unknown");
    };
  }

  @Override
  public void close() {
    socket.close();
  }

  /** One message of the batch: its elements and where each one's attribute starts. */
  private record Message(int seq, int type, List<Element> elements, int[] offsets) {}

  /** A refused message: the kernel's errno, text and the offset of the attribute it blamed. */
  private record Failure(Message msg, int errno, @Nullable String text, int offset) {
    NetException exception(String family, String table, String where) {
      String verb = msg.type == NFT_MSG_NEWSETELEM ? "create" : "delete";
      String set = msg.elements.get(0).set();
      String object;
      int i = elementAt(offset);
      if (i >= 0) {
        Element e = msg.elements.get(i);
        object = where + family + " " + table + " " + set + " { " + e.text() + " }";
      } else {
        object = where + family + " " + table + " " + set + " (one of " + msg.elements.size() + ")";
      }
      String reason = Libc.strerror(errno);
      if (text != null && !text.isBlank()) {
        reason = reason + " (" + text.strip() + ")";
      }
      return new NetException("nft " + verb + " element", object, errno, reason);
    }

    /** The element whose attribute holds {@code offset}, or -1. */
    private int elementAt(int offset) {
      if (offset < 0 || msg.offsets.length == 0 || offset < msg.offsets[0]) {
        return -1;
      }
      int i = 0;
      while (i + 1 < msg.offsets.length && msg.offsets[i + 1] <= offset) {
        i++;
      }
      return i;
    }
  }

  /**
   * The batch datagram being written and, once sent, its replies. Written straight into one growing
   * array (a full sync is ~10 MB); each message keeps only a view of its elements and where each
   * one's attribute starts, for naming a refused one.
   */
  private static final class Batch {
    private static final java.lang.invoke.VarHandle SHORT =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            short[].class, ByteOrder.nativeOrder());

    private final NetlinkSocket socket;
    private final int nfproto;
    private final byte[] table;
    private final List<Message> messages = new ArrayList<>();
    private final int beginSeq;
    private byte[] buf;
    private int pos;

    Batch(NetlinkSocket socket, int nfproto, String table, int sizeHint) {
      this.buf = new byte[Math.max(1 << 12, Math.min(sizeHint, 1 << 26))];
      this.socket = socket;
      this.nfproto = nfproto;
      this.table = cString(table);
      this.beginSeq = socket.nextSeq();
      marker(NFNL_MSG_BATCH_BEGIN, beginSeq);
    }

    /** Adds messages of {@code type} for the elements, one set and at most ~60 KB each. */
    void add(int type, List<Element> elements) {
      int i = 0;
      int n = elements.size();
      Element next = n == 0 ? null : elements.get(0);
      while (next != null) {
        String set = next.set();
        int flags = NlRequest.F_ACK;
        if (type == NFT_MSG_NEWSETELEM) {
          flags |= NlRequest.F_CREATE | NlRequest.F_EXCL;
        }
        int seq = socket.nextSeq();
        int msg = header((NFNL_SUBSYS_NFTABLES << 8) | type, flags, seq);
        u8(nfproto);
        u8(0);
        u8(0);
        u8(0); // nfgenmsg: family, version 0, res_id 0
        attr(NFTA_SET_ELEM_LIST_TABLE, table, table.length);
        attr(NFTA_SET_ELEM_LIST_SET, cString(set), -1);
        int list = nest(NFTA_SET_ELEM_LIST_ELEMENTS);
        int from = i;
        int[] offsets = new int[16];
        while (next != null && next.set().equals(set) && pos - msg < MESSAGE_BYTES) {
          if (i - from == offsets.length) {
            offsets = java.util.Arrays.copyOf(offsets, offsets.length * 2);
          }
          offsets[i - from] = pos - msg;
          element(next, type == NFT_MSG_NEWSETELEM);
          i++;
          next = i < n ? elements.get(i) : null;
        }
        end(list);
        putInt(msg, pos - msg);
        int[] at = java.util.Arrays.copyOf(offsets, i - from);
        messages.add(new Message(seq, type, elements.subList(from, i), at));
      }
    }

    private void element(Element e, boolean create) {
      int el = nest(NFTA_LIST_ELEM);
      int key = nest(NFTA_SET_ELEM_KEY);
      attr(NFTA_DATA_VALUE, e.key().raw(), e.key().length());
      end(key);
      Concat data = e.data();
      if (create && data != null) {
        int d = nest(NFTA_SET_ELEM_DATA);
        attr(NFTA_DATA_VALUE, data.raw(), data.length());
        end(d);
      }
      String comment = e.comment();
      if (create && comment != null) {
        byte[] ud = userdata(comment);
        attr(NFTA_SET_ELEM_USERDATA, ud, ud.length);
      }
      end(el);
    }

    /** nft's user data of a comment: TLV {type 0, length, string with its NUL}. */
    private static byte[] userdata(String comment) {
      byte[] s = comment.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] out = new byte[s.length + 3];
      out[0] = NFTNL_UDATA_SET_ELEM_COMMENT;
      out[1] = (byte) (s.length + 1);
      System.arraycopy(s, 0, out, 2, s.length);
      return out;
    }

    private static byte[] cString(String s) {
      byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return java.util.Arrays.copyOf(b, b.length + 1);
    }

    /** Ends the batch; the datagram is the first {@link #length} bytes of {@link #bytes}. */
    void finish() {
      marker(NFNL_MSG_BATCH_END, socket.nextSeq());
    }

    byte[] bytes() {
      return buf;
    }

    int length() {
      return pos;
    }

    /** BATCH_BEGIN/END: family AF_UNSPEC, res_id the nf_tables subsystem (big-endian). */
    private void marker(int type, int seq) {
      int start = header(type, 0, seq);
      u8(0);
      u8(0);
      u8(0);
      u8(NFNL_SUBSYS_NFTABLES);
      putInt(start, pos - start);
    }

    /** An nlmsghdr with its length left to fill in; returns where it starts. */
    private int header(int type, int flags, int seq) {
      ensure(16);
      int start = pos;
      putInt(pos, 0);
      SHORT.set(buf, pos + 4, (short) type);
      SHORT.set(buf, pos + 6, (short) (flags | NlRequest.F_REQUEST));
      putInt(pos + 8, seq);
      putInt(pos + 12, 0);
      pos += 16;
      return start;
    }

    private void u8(int v) {
      ensure(1);
      buf[pos++] = (byte) v;
    }

    /** An attribute of {@code len} bytes of {@code value} (all of it for -1), padded. */
    private void attr(int type, byte[] value, int len) {
      int n = len < 0 ? value.length : len;
      int total = NlRequest.align(4 + n);
      ensure(total);
      SHORT.set(buf, pos, (short) (4 + n));
      SHORT.set(buf, pos + 2, (short) type);
      System.arraycopy(value, 0, buf, pos + 4, n);
      java.util.Arrays.fill(buf, pos + 4 + n, pos + total, (byte) 0);
      pos += total;
    }

    private int nest(int type) {
      ensure(4);
      int start = pos;
      SHORT.set(buf, pos, (short) 0);
      SHORT.set(buf, pos + 2, (short) (type | NlRequest.NLA_F_NESTED));
      pos += 4;
      return start;
    }

    private void end(int start) {
      SHORT.set(buf, start, (short) (pos - start));
    }

    private void putInt(int at, int v) {
      NATIVE_INT.set(buf, at, v);
    }

    private void ensure(int more) {
      if (pos + more > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
      }
    }

    /**
     * Collects one ACK or error per message. The kernel handles the datagram inside the send, so
     * the replies are queued when it returns; waiting (bounded by the socket timeout) is only a
     * safety net. A failed batch may leave later messages unanswered: the first error is enough.
     */
    @Nullable Failure awaitReplies(String op, String object) {
      Map<Integer, Message> pending = new HashMap<>();
      messages.forEach(m -> pending.put(m.seq(), m));
      Failure failure = null;
      boolean waited = false;
      while (!pending.isEmpty()) {
        List<NlMessage> got = socket.receiveQueued(op, object);
        if (got.isEmpty()) {
          if (failure != null || waited) {
            break;
          }
          got = socket.receiveNext(op, object);
          waited = true;
        }
        for (NlMessage r : got) {
          if (r.type() != NlMessage.ERROR) {
            continue;
          }
          int errno = -r.body().getInt(0);
          Message m = r.seq() == beginSeq ? messages.get(0) : pending.remove(r.seq());
          if (m == null || errno == 0) {
            continue; // an ACK, or a late answer to an earlier, abandoned batch
          }
          if (failure == null) {
            NlAttrs ext = NetlinkSocket.extAck(r);
            int offset = r.seq() == beginSeq ? -1 : ext.u32(NLMSGERR_ATTR_OFFS, -1);
            failure = new Failure(m, errno, ext.string(1), offset);
          }
        }
      }
      if (failure == null && !pending.isEmpty()) {
        throw new NetException(
            op, object, 0, pending.size() + " of " + messages.size() + " messages unanswered");
      }
      return failure;
    }
  }

  /**
   * A key or data value as nft encodes a concatenation: each field in its own 4-byte-aligned slot
   * (addresses and ports in network order, integers from expressions like {@code numgen} in host
   * order), with the text nft prints for it (rendered only when asked: a full sync builds 100
   * 000s).
   */
  public static final class Concat {
    private static final byte IPV4 = 1;
    private static final byte PROTO = 2;
    private static final byte PORT = 3;
    private static final byte U32 = 4;

    /** NFT_DATA_VALUE_MAXLEN. */
    private static final int MAX = 64;

    private byte[] bytes = new byte[16];
    private int len;
    private byte[] kinds = new byte[4];
    private int fields;

    private Concat() {}

    /** An empty concatenation to add fields to. */
    public static Concat of() {
      return new Concat();
    }

    /** An IPv4 address ({@code ipv4_addr}, {@code ip daddr}) in dotted form. */
    public Concat ipv4(String dotted) {
      int at = 0;
      int[] octets = new int[4];
      for (int i = 0; i < 4; i++) {
        int end = i < 3 ? dotted.indexOf('.', at) : dotted.length();
        if (end < 0) {
          throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
        }
        octets[i] = octet(dotted, at, end);
        at = end + 1;
      }
      int p = field(IPV4);
      for (int i = 0; i < 4; i++) {
        bytes[p + i] = (byte) octets[i];
      }
      return this;
    }

    /** A layer-4 protocol number ({@code inet_proto}, {@code meta l4proto}). */
    public Concat proto(int protocol) {
      if (protocol < 0 || protocol > 255) {
        throw new IllegalArgumentException("protocol " + protocol + ": not 0..255");
      }
      bytes[field(PROTO)] = (byte) protocol;
      return this;
    }

    /** A port ({@code inet_service}, {@code th dport}), big-endian. */
    public Concat port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + ": not 0..65535");
      }
      int p = field(PORT);
      bytes[p] = (byte) (port >> 8);
      bytes[p + 1] = (byte) port;
      return this;
    }

    /** A 32-bit integer in host order, what {@code numgen} and {@code jhash} produce. */
    public Concat u32(int value) {
      int p = field(U32);
      NATIVE_INT.set(bytes, p, value);
      return this;
    }

    byte[] bytes() {
      return java.util.Arrays.copyOf(bytes, len);
    }

    /** The backing array; its first {@link #length} bytes are the value. */
    byte[] raw() {
      return bytes;
    }

    int length() {
      return len;
    }

    /** Appends a zeroed 4-byte slot of {@code kind}; returns where it starts. */
    private int field(byte kind) {
      if (len + 4 > MAX) {
        throw new IllegalArgumentException("concatenation longer than " + MAX + " bytes: " + this);
      }
      if (len + 4 > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, MAX);
      }
      if (fields == kinds.length) {
        kinds = java.util.Arrays.copyOf(kinds, MAX / 4);
      }
      kinds[fields++] = kind;
      int at = len;
      len += 4;
      return at;
    }

    private static int octet(String dotted, int from, int to) {
      int n = to - from;
      int b = 0;
      for (int i = from; i < to; i++) {
        char ch = dotted.charAt(i);
        if (ch < '0' || ch > '9') {
          n = 0;
          break;
        }
        b = b * 10 + (ch - '0');
      }
      if (n < 1 || n > 3 || b > 255) {
        throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
      }
      return b;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Concat c
          && java.util.Arrays.equals(bytes, 0, len, c.bytes, 0, c.len)
          && java.util.Arrays.equals(kinds, 0, fields, c.kinds, 0, c.fields);
    }

    @Override
    public int hashCode() {
      int h = 1;
      for (int i = 0; i < len; i++) {
        h = 31 * h + bytes[i];
      }
      return h;
    }

    /** The value as nft prints it, e.g. {@code 10.96.0.1 . tcp . 80 . 3}. */
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < fields; i++) {
        int p = i * 4;
        if (i > 0) {
          b.append(" . ");
        }
        switch (kinds[i]) {
          case IPV4 ->
              b.append(bytes[p] & 0xff)
                  .append('.')
                  .append(bytes[p + 1] & 0xff)
                  .append('.')
                  .append(bytes[p + 2] & 0xff)
                  .append('.')
                  .append(bytes[p + 3] & 0xff);
          case PROTO -> {
            int proto = bytes[p] & 0xff;
            b.append(proto == 6 ? "tcp" : proto == 17 ? "udp" : Integer.toString(proto));
          }
          case PORT -> b.append(((bytes[p] & 0xff) << 8) | (bytes[p + 1] & 0xff));
          default -> b.append(Integer.toUnsignedString((int) NATIVE_INT.get(bytes, p)));
        }
      }
      return b.toString();
    }
  }
}
