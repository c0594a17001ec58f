package dev.silo.daemon.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * HTTP/1.1 on a unix domain socket (Netty's epoll transport), the only place that knows Netty:
 * requests are aggregated, handed to the {@link Dispatcher} on a virtual thread (handlers block on
 * the HNS store and the kernel), and answered whole or chunked. One request at a time per
 * connection: reading pauses until the answer is written, and each connection's answers are
 * chained, so pipelined requests keep their order.
 */
public final class HttpTransport implements AutoCloseable {
  private static final int MAX_BODY = 64 << 20;

  private final EventLoopGroup group;
  private final Channel server;
  private final ExecutorService workers;

  private HttpTransport(EventLoopGroup group, Channel server, ExecutorService workers) {
    this.group = group;
    this.server = server;
    this.workers = workers;
  }

  /**
   * Listens on {@code socket} (which must not exist) and serves every request through {@code d}.
   */
  public static HttpTransport bind(Path socket, Dispatcher d) throws InterruptedException {
    Epoll.ensureAvailability();
    ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      ServerBootstrap b =
          new ServerBootstrap()
              .group(group)
              .channel(EpollServerDomainSocketChannel.class)
              // a hijacked stream (attach) goes on after the client half-closes its side; on a
              // plain HTTP connection RequestHandler closes at the client's EOF, as before
              .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
              .childHandler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpObjectAggregator(MAX_BODY))
                          .addLast(new RequestHandler(d, workers));
                    }
                  });
      Channel ch = b.bind(new DomainSocketAddress(socket.toFile())).sync().channel();
      return new HttpTransport(group, ch, workers);
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
      workers.shutdownNow();
      throw e;
    }
  }

  /** Stops listening (the socket file goes with the listener) and closes open connections. */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownNow();
  }

  private static final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final Dispatcher dispatcher;
    private final ExecutorService workers;

    /** The answer of the previous request of this connection: answers go out in request order. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    RequestHandler(Dispatcher dispatcher, ExecutorService workers) {
      this.dispatcher = dispatcher;
      this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      if (!req.decoderResult().isSuccess()) {
        DefaultFullHttpResponse bad =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.BAD_REQUEST,
                Unpooled.copiedBuffer("400 Bad Request", java.nio.charset.StandardCharsets.UTF_8));
        bad.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        bad.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bad.content().readableBytes());
        ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      QueryStringDecoder qs = new QueryStringDecoder(req.uri());
      Map<String, String> headers = new HashMap<>();
      req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
      byte[] body = new byte[req.content().readableBytes()];
      req.content().readBytes(body);
      Map<String, List<String>> query = qs.parameters();
      ApiRequest r =
          new ApiRequest(req.method().name(), qs.path(), "", query, headers, body, Map.of());
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      boolean head = req.method().name().equals("HEAD");
      ctx.channel().config().setAutoRead(false);
      tail =
          tail.thenRunAsync(() -> answer(ctx, dispatcher.dispatch(r), keepAlive, head), workers)
              .exceptionally(
                  e -> {
                    ctx.close();
                    return null;
                  });
    }

    private static void answer(
        ChannelHandlerContext ctx, ApiResponse resp, boolean keepAlive, boolean head) {
      switch (resp) {
        case ApiResponse.Full f -> {
          DefaultFullHttpResponse out =
              new DefaultFullHttpResponse(
                  HttpVersion.HTTP_1_1,
                  HttpResponseStatus.valueOf(f.status()),
                  head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(f.body()));
          headers(out, f);
          if (!f.contentType().isEmpty()) {
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, f.contentType());
          }
          out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, head ? 0 : f.body().length);
          finish(ctx, ctx.writeAndFlush(out), keepAlive);
        }
        case ApiResponse.Stream s -> stream(ctx, s, keepAlive);
        case ApiResponse.Hijack h -> Hijacker.run(ctx, h);
      }
    }

    private static void stream(ChannelHandlerContext ctx, ApiResponse.Stream s, boolean keepAlive) {
      HttpResponse out =
          new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(s.status()));
      headers(out, s);
      out.headers().set(HttpHeaderNames.CONTENT_TYPE, s.contentType());
      out.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      ctx.writeAndFlush(out);
      Channel ch = ctx.channel();
      ApiResponse.Sink sink =
          new ApiResponse.Sink() {
            @Override
            public boolean send(byte[] chunk) {
              if (!ch.isActive()) {
                return false;
              }
              ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
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
      try {
        s.body().write(sink);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ch.close();
        return;
      } catch (RuntimeException e) {
        ch.close();
        return;
      }
      finish(ctx, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
    }

    private static void headers(HttpResponse out, ApiResponse r) {
      r.headers().forEach((k, v) -> out.headers().set(k, v));
    }

    private static void finish(
        ChannelHandlerContext ctx, io.netty.channel.ChannelFuture written, boolean keepAlive) {
      if (keepAlive) {
        written.addListener(
            f -> {
              ctx.channel().config().setAutoRead(true);
              ctx.read();
            });
      } else {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        ctx.close();
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
