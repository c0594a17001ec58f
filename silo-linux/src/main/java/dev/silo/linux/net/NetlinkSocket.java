package dev.silo.linux.net;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A netlink socket ({@code NETLINK_ROUTE}, or {@code NETLINK_NETFILTER} for {@link NftSetElements})
 * in the namespace of the thread that opened it; requests are serialized, each waits for its own
 * ACK or error, and no wait is longer than {@link #TIMEOUT_MS}.
 */
final class NetlinkSocket implements NetlinkChannel {
  private static final int AF_NETLINK = 16;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int NETLINK_ROUTE = 0;
  private static final int NETLINK_NETFILTER = 12;
  private static final int SOL_SOCKET = 1;
  private static final int SO_SNDBUF = 7;
  private static final int SO_RCVBUF = 8;
  private static final int SO_RCVTIMEO = 20;
  private static final int SO_SNDTIMEO = 21;
  private static final int SO_SNDBUFFORCE = 32;
  private static final int SO_RCVBUFFORCE = 33;
  private static final int EAGAIN = 11;
  private static final int MSG_DONTWAIT = 0x40;
  private static final int SOL_NETLINK = 270;
  private static final int NETLINK_CAP_ACK = 10;
  private static final int NETLINK_EXT_ACK = 11;
  private static final int NLM_F_CAPPED = 0x100;
  private static final int NLM_F_ACK_TLVS = 0x200;
  private static final int NLMSGERR_ATTR_MSG = 1;
  private static final int MSG_TRUNC = 0x20;
  private static final int BUF_SIZE = 1 << 16;

  /**
   * The longest a send or a receive may block: the kernel answers a request while handling it, so a
   * reply that has not come by then never will, and the caller gets an error instead of a hang.
   */
  static final long TIMEOUT_MS = 30_000;

  // An automatic arena, not a shared one: closing a shared arena stops every thread for a
  // handshake (~0.3 ms), paid by each short-lived socket, e.g. one per endpoint attach.
  private final MemorySegment rx = Arena.ofAuto().allocate(BUF_SIZE, 8);
  private final int fd;
  private int seq = (int) (System.nanoTime() & 0x3fffffff);
  private int sendBuffer;
  private long timeoutMs = TIMEOUT_MS;
  private boolean closed;

  private NetlinkSocket(int fd) {
    this.fd = fd;
  }

  /** Opens and binds a route socket in the calling thread's network namespace. */
  static NetlinkSocket open() {
    return open(NETLINK_ROUTE, "NETLINK_ROUTE");
  }

  /** Opens and binds an nfnetlink socket (nf_tables) in the calling thread's namespace. */
  static NetlinkSocket openNetfilter() {
    return open(NETLINK_NETFILTER, "NETLINK_NETFILTER");
  }

  private static NetlinkSocket open(int protocol, String what) {
    int fd = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
    NetNs.check(fd, "socket", what);
    NetlinkSocket s = new NetlinkSocket(fd);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment addr = a.allocate(12, 4); // sockaddr_nl: family, pad, pid 0 = kernel picks
      addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_NETLINK);
      NetNs.check(Libc.bind(fd, addr), "bind", what);
      // extended ACKs carry the kernel's own text ("VXLAN: ..."); capped ACKs skip the echo
      Libc.setsockoptInt(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
      Libc.setsockoptInt(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
      s.timeout(TIMEOUT_MS, what);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** Sets how long a send or receive may block before it fails (EAGAIN). */
  synchronized void timeout(long millis, String what) {
    NetNs.check(Libc.setsockoptTimeout(fd, SOL_SOCKET, SO_RCVTIMEO, millis), "SO_RCVTIMEO", what);
    NetNs.check(Libc.setsockoptTimeout(fd, SOL_SOCKET, SO_SNDTIMEO, millis), "SO_SNDTIMEO", what);
    timeoutMs = millis;
  }

  /**
   * Makes the socket take one datagram of {@code bytes} (an nfnetlink batch must arrive whole: the
   * kernel handles one datagram as one transaction) and hold {@code replyBytes} of answers; the
   * FORCE options pass the system's rmem/wmem limits (CAP_NET_ADMIN), the plain ones are tried
   * without it.
   */
  synchronized void ensureBuffers(int bytes, int replyBytes) {
    if (bytes + 4096 <= sendBuffer) {
      return;
    }
    int want = Math.max(bytes + 4096, 1 << 20);
    if (Libc.setsockoptInt(fd, SOL_SOCKET, SO_SNDBUFFORCE, want) < 0) {
      Libc.setsockoptInt(fd, SOL_SOCKET, SO_SNDBUF, want);
    }
    if (Libc.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUFFORCE, replyBytes) < 0) {
      Libc.setsockoptInt(fd, SOL_SOCKET, SO_RCVBUF, replyBytes);
    }
    sendBuffer = want;
  }

  /** The next sequence number of this socket. */
  synchronized int nextSeq() {
    return ++seq;
  }

  /**
   * Sends the first {@code length} bytes of {@code bytes} as one datagram (several messages, their
   * sequence numbers already set).
   */
  synchronized void sendDatagram(byte[] bytes, int length, String op, String object) {
    send(bytes, length, op, object);
  }

  /**
   * The messages already queued on the socket, without waiting: an empty list when there are none.
   */
  synchronized List<NlMessage> receiveQueued(String op, String object) {
    long n = recv(MSG_DONTWAIT, op, object);
    return n < 0
        ? List.of()
        : split(rx.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder()));
  }

  /** Waits for the next datagram (at most {@link #TIMEOUT_MS}) and splits it into messages. */
  synchronized List<NlMessage> receiveNext(String op, String object) {
    return receive(op, object);
  }

  @Override
  public synchronized void execute(NlRequest req, String op, String object) {
    exchange(req, op, object, false);
  }

  @Override
  public synchronized List<NlMessage> query(NlRequest req, String op, String object) {
    return exchange(req, op, object, true);
  }

  private List<NlMessage> exchange(NlRequest req, String op, String object, boolean collect) {
    int mySeq = ++seq;
    send(req.build(mySeq), op, object);
    List<NlMessage> out = new ArrayList<>();
    while (true) {
      for (NlMessage m : receive(op, object)) {
        if (m.seq() != mySeq) {
          continue; // a late answer to an earlier, abandoned request
        }
        if (m.type() == NlMessage.DONE) {
          return out;
        }
        if (m.type() == NlMessage.ERROR) {
          checkError(m, op, object);
          return out;
        }
        if (m.type() != NlMessage.NOOP && collect) {
          out.add(m);
          if ((m.flags() & 0x2) == 0) {
            return out; // NLM_F_MULTI unset: a single answer, no DONE follows
          }
        }
      }
    }
  }

  private void send(byte[] msg, String op, String object) {
    send(msg, msg.length, op, object);
  }

  private void send(byte[] msg, int length, String op, String object) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment seg = a.allocate(length, 8);
      MemorySegment.copy(msg, 0, seg, ValueLayout.JAVA_BYTE, 0, length);
      long n = Libc.send(fd, seg, length);
      if (n < 0) {
        throw new NetException(op, object, (int) -n, Libc.strerror((int) -n));
      }
    }
  }

  private List<NlMessage> receive(String op, String object) {
    long n = recv(0, op, object);
    if (n < 0) {
      throw new NetException(
          op, object, EAGAIN, "no reply from the kernel within " + timeoutMs + " ms");
    }
    ByteBuffer b = rx.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder());
    return split(b);
  }

  /** One datagram into {@code rx}: its size, or -1 when none came (EAGAIN). */
  private long recv(int flags, String op, String object) {
    long n;
    do {
      n = Libc.recv(fd, rx, BUF_SIZE, MSG_TRUNC | flags); // returns the real size if larger
    } while (n == -4); // EINTR
    if (n == -EAGAIN) {
      return -1;
    }
    if (n < 0) {
      throw new NetException(op, object, (int) -n, Libc.strerror((int) -n));
    }
    if (n > BUF_SIZE) {
      throw new NetException(op, object, 0, "netlink reply larger than " + BUF_SIZE);
    }
    return n;
  }

  /** Splits a datagram into messages (a dump packs many into one). */
  static List<NlMessage> split(ByteBuffer b) {
    List<NlMessage> out = new ArrayList<>();
    int pos = 0;
    while (pos + 16 <= b.limit()) {
      int len = b.getInt(pos);
      if (len < 16 || pos + len > b.limit()) {
        break;
      }
      int type = Short.toUnsignedInt(b.getShort(pos + 4));
      int flags = Short.toUnsignedInt(b.getShort(pos + 6));
      int s = b.getInt(pos + 8);
      ByteBuffer payload = copy(b, pos + 16, len - 16);
      out.add(new NlMessage(type, flags, s, payload));
      pos += NlRequest.align(len);
    }
    return out;
  }

  private static ByteBuffer copy(ByteBuffer b, int from, int len) {
    byte[] bytes = new byte[len];
    b.get(from, bytes);
    return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
  }

  /** Throws for a negative {@code nlmsgerr.error}; 0 is the ACK. */
  static void checkError(NlMessage m, String op, String object) {
    ByteBuffer p = m.body();
    int error = p.getInt(0);
    if (error == 0) {
      return;
    }
    String reason = Libc.strerror(-error);
    String ext = extAckMessage(m);
    if (ext != null && !ext.isBlank()) {
      reason = reason + " (" + ext.strip() + ")";
    }
    throw new NetException(op, object, -error, reason);
  }

  private static @Nullable String extAckMessage(NlMessage m) {
    return extAck(m).string(NLMSGERR_ATTR_MSG);
  }

  /** The extended-ACK attributes of an error message (none without {@code NLM_F_ACK_TLVS}). */
  static NlAttrs extAck(NlMessage m) {
    if ((m.flags() & NLM_F_ACK_TLVS) == 0) {
      return new NlAttrs();
    }
    ByteBuffer p = m.body();
    int origLen = p.getInt(4);
    int tlvStart = 4 + ((m.flags() & NLM_F_CAPPED) != 0 ? 16 : NlRequest.align(origLen));
    if (tlvStart > p.limit()) {
      return new NlAttrs();
    }
    p.position(tlvStart);
    return NlAttrs.parse(p);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Libc.close(fd);
    }
  }
}
