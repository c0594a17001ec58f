package dev.silo.linux.net;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
      NftProcess.checkWord(set);
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
    Batch batch = new Batch(socket, nfproto, table);
    batch.add(NFT_MSG_DELSETELEM, delete);
    batch.add(NFT_MSG_NEWSETELEM, create);
    byte[] bytes = batch.finish();
    // one ACK of at most ~100 bytes per message; their accounting size is a few times that
    socket.ensureBuffers(bytes.length, Math.max(1 << 20, batch.messages.size() * 2048));
    String op = "nft " + family + " " + table;
    socket.sendDatagram(bytes, op, where.strip());
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

  /** The batch datagram being written and, once sent, its replies. */
  private static final class Batch {
    private final NetlinkSocket socket;
    private final int nfproto;
    private final String table;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    private final List<Message> messages = new ArrayList<>();
    private final int beginSeq;

    Batch(NetlinkSocket socket, int nfproto, String table) {
      this.socket = socket;
      this.nfproto = nfproto;
      this.table = table;
      this.beginSeq = socket.nextSeq();
      out.writeBytes(batchMarker(NFNL_MSG_BATCH_BEGIN, beginSeq));
    }

    /** Adds messages of {@code type} for the elements, one set and at most ~60 KB each. */
    void add(int type, List<Element> elements) {
      int i = 0;
      while (i < elements.size()) {
        String set = elements.get(i).set();
        int flags = NlRequest.F_ACK;
        if (type == NFT_MSG_NEWSETELEM) {
          flags |= NlRequest.F_CREATE | NlRequest.F_EXCL;
        }
        NlRequest m = new NlRequest((NFNL_SUBSYS_NFTABLES << 8) | type, flags);
        m.u8(nfproto).u8(0).u16(0); // nfgenmsg: family, version 0, res_id 0
        m.attrString(NFTA_SET_ELEM_LIST_TABLE, table);
        m.attrString(NFTA_SET_ELEM_LIST_SET, set);
        int list = m.begin(NFTA_SET_ELEM_LIST_ELEMENTS);
        List<Element> in = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        while (i < elements.size()
            && elements.get(i).set().equals(set)
            && m.length() < MESSAGE_BYTES) {
          Element e = elements.get(i++);
          offsets.add(m.length());
          in.add(e);
          element(m, e, type == NFT_MSG_NEWSETELEM);
        }
        m.end(list);
        int seq = socket.nextSeq();
        out.writeBytes(m.build(seq));
        int[] at = offsets.stream().mapToInt(Integer::intValue).toArray();
        messages.add(new Message(seq, type, List.copyOf(in), at));
      }
    }

    private static void element(NlRequest m, Element e, boolean create) {
      int el = m.begin(NFTA_LIST_ELEM);
      int key = m.begin(NFTA_SET_ELEM_KEY);
      m.attr(NFTA_DATA_VALUE, e.key().bytes());
      m.end(key);
      Concat data = e.data();
      if (create && data != null) {
        int d = m.begin(NFTA_SET_ELEM_DATA);
        m.attr(NFTA_DATA_VALUE, data.bytes());
        m.end(d);
      }
      String comment = e.comment();
      if (create && comment != null) {
        m.attr(NFTA_SET_ELEM_USERDATA, userdata(comment));
      }
      m.end(el);
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

    byte[] finish() {
      out.writeBytes(batchMarker(NFNL_MSG_BATCH_END, socket.nextSeq()));
      return out.toByteArray();
    }

    /** BATCH_BEGIN/END: family AF_UNSPEC, res_id the nf_tables subsystem (big-endian). */
    private static byte[] batchMarker(int type, int seq) {
      return new NlRequest(type, 0).u8(0).u8(0).u8(0).u8(NFNL_SUBSYS_NFTABLES).build(seq);
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
   * order), with the text nft prints for it.
   */
  public static final class Concat {
    private final ByteBuffer bytes = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
    private final StringBuilder text = new StringBuilder();

    private Concat() {}

    /** An empty concatenation to add fields to. */
    public static Concat of() {
      return new Concat();
    }

    /** An IPv4 address ({@code ipv4_addr}, {@code ip daddr}) in dotted form. */
    public Concat ipv4(String dotted) {
      field(4);
      int at = 0;
      for (int i = 0; i < 4; i++) {
        int end = i < 3 ? dotted.indexOf('.', at) : dotted.length();
        if (end < 0) {
          throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
        }
        bytes.put((byte) octet(dotted, at, end));
        at = end + 1;
      }
      sep().append(dotted);
      return this;
    }

    /** A layer-4 protocol number ({@code inet_proto}, {@code meta l4proto}). */
    public Concat proto(int protocol) {
      if (protocol < 0 || protocol > 255) {
        throw new IllegalArgumentException("protocol " + protocol + ": not 0..255");
      }
      field(1);
      bytes.put((byte) protocol);
      sep().append(protocol == 6 ? "tcp" : protocol == 17 ? "udp" : Integer.toString(protocol));
      return pad();
    }

    /** A port ({@code inet_service}, {@code th dport}), big-endian. */
    public Concat port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + ": not 0..65535");
      }
      field(2);
      bytes.put((byte) (port >> 8)).put((byte) port);
      sep().append(port);
      return pad();
    }

    /** A 32-bit integer in host order, what {@code numgen} and {@code jhash} produce. */
    public Concat u32(int value) {
      field(4);
      bytes.putInt(value);
      sep().append(Integer.toUnsignedString(value));
      return this;
    }

    byte[] bytes() {
      byte[] out = new byte[bytes.position()];
      bytes.get(0, out);
      return out;
    }

    private void field(int size) {
      if (bytes.remaining() < NlRequest.align(size)) {
        // NFT_DATA_VALUE_MAXLEN
        throw new IllegalArgumentException("concatenation longer than 64 bytes: " + text);
      }
    }

    private Concat pad() {
      while ((bytes.position() & 3) != 0) {
        bytes.put((byte) 0);
      }
      return this;
    }

    private StringBuilder sep() {
      return text.isEmpty() ? text : text.append(" . ");
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
      return o instanceof Concat c && java.util.Arrays.equals(bytes(), c.bytes());
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(bytes());
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
