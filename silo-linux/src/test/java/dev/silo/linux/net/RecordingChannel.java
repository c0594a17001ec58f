package dev.silo.linux.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A netlink channel that records requests and answers link lookups from a fixed name table. */
final class RecordingChannel implements NetlinkChannel {
  /** One request as the kernel would have received it. */
  record Sent(String op, String object, NlMessage message) {
    int type() {
      return message.type();
    }

    int flags() {
      return message.flags();
    }

    ByteBuffer body() {
      return message.body();
    }
  }

  final List<Sent> sent = new ArrayList<>();
  private final Map<String, Integer> links = new HashMap<>();

  RecordingChannel link(String name, int index) {
    links.put(name, index);
    return this;
  }

  @Override
  public void execute(NlRequest req, String op, String object) {
    sent.add(new Sent(op, object, decode(req)));
  }

  @Override
  public List<NlMessage> query(NlRequest req, String op, String object) {
    NlMessage m = decode(req);
    if (m.type() != Links.RTM_GETLINK || (m.flags() & NlRequest.F_DUMP) == NlRequest.F_DUMP) {
      return List.of();
    }
    String name = String.valueOf(m.attrs(16).string(Links.IFLA_IFNAME));
    Integer index = links.get(name);
    if (index == null) {
      throw new NetException(op, object, Libc.ENODEV, "No such device");
    }
    NlRequest reply = new NlRequest(Links.RTM_NEWLINK, 0);
    Links.ifinfo(reply, index, 0, 0);
    reply.attrString(Links.IFLA_IFNAME, name);
    return List.of(decode(reply));
  }

  static NlMessage decode(NlRequest req) {
    byte[] b = req.build(1);
    return NetlinkSocket.split(ByteBuffer.wrap(b).order(ByteOrder.nativeOrder())).get(0);
  }

  Sent last() {
    return sent.get(sent.size() - 1);
  }

  @Override
  public void close() {}
}
