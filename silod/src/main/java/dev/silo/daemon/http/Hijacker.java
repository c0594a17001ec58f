package dev.silo.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * dockerd's connection hijack: the HTTP codec leaves the pipeline, the head is written by hand (as
 * dockerd writes it), and from then on the connection carries raw bytes both ways; the client may
 * half-close its side (stdin EOF) and still read.
 */
final class Hijacker {
  private static final byte[] EOF = new byte[0];

  private Hijacker() {}

  static void run(ChannelHandlerContext ctx, ApiResponse.Hijack h) {
    Channel ch = ctx.channel();
    ChannelPipeline p = ch.pipeline();
    BlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>();
    p.addLast(
        "hijacked",
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext c, Object msg) {
            if (msg instanceof ByteBuf b) {
              byte[] bytes = new byte[b.readableBytes()];
              b.readBytes(bytes);
              b.release();
              inbound.add(bytes);
            }
          }

          @Override
          public void userEventTriggered(ChannelHandlerContext c, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
              inbound.add(EOF);
            }
          }

          @Override
          public void channelInactive(ChannelHandlerContext c) {
            inbound.add(EOF);
          }
        });
    p.remove(HttpObjectAggregator.class);
    p.remove(HttpServerCodec.class);
    for (String name : p.names()) {
      if (name.contains("RequestHandler")) {
        p.remove(name);
      }
    }
    // reading resumes before the head goes out: the client half-closes only after it has the head,
    // and resuming after that EOF was seen makes the epoll transport fail (epoll_ctl ENOENT)
    ch.config().setAutoRead(true);
    StringBuilder head = new StringBuilder();
    head.append(h.status() == 101 ? "HTTP/1.1 101 UPGRADED\r\n" : "HTTP/1.1 200 OK\r\n");
    head.append("Content-Type: ").append(h.contentType()).append("\r\n");
    if (h.status() == 101) {
      head.append("Connection: Upgrade\r\nUpgrade: tcp\r\n");
    }
    h.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    ch.writeAndFlush(Unpooled.wrappedBuffer(head.toString().getBytes(StandardCharsets.US_ASCII)));
    ApiResponse.Sink out =
        new ApiResponse.Sink() {
          @Override
          public boolean send(byte[] chunk) {
            if (!ch.isActive()) {
              return false;
            }
            ch.writeAndFlush(Unpooled.wrappedBuffer(chunk));
            return ch.isActive();
          }

          @Override
          public boolean isOpen() {
            return ch.isActive();
          }

          @Override
          public void awaitClose() throws InterruptedException {
            ch.closeFuture().await();
          }
        };
    InputStream in = new QueueInput(inbound);
    try {
      h.body().run(in, out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // the stream's owner failed: the connection ends, as dockerd's does
    } finally {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ch.close());
    }
  }

  /** The client's bytes as a stream; EOF once it half-closed or went. */
  private static final class QueueInput extends InputStream {
    private final BlockingQueue<byte[]> queue;
    private byte[] current = new byte[0];
    private int pos;
    private boolean eof;

    QueueInput(BlockingQueue<byte[]> queue) {
      this.queue = queue;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (pos >= current.length) {
        if (eof) {
          return -1;
        }
        try {
          byte[] next = queue.take();
          if (next == EOF) {
            eof = true;
            return -1;
          }
          current = next;
          pos = 0;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted");
        }
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
