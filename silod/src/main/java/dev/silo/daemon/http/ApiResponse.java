package dev.silo.daemon.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a whole body, or a stream of chunks (events, logs) written until the
 * producer stops or the client goes away.
 */
public sealed interface ApiResponse {
  int status();

  Map<String, String> headers();

  /** A complete response. */
  record Full(int status, Map<String, String> headers, String contentType, byte[] body)
      implements ApiResponse {
    public Full {
      headers = Map.copyOf(headers);
    }
  }

  /** A chunked response; {@code body} runs on its own thread and writes through the sink. */
  record Stream(int status, Map<String, String> headers, String contentType, StreamBody body)
      implements ApiResponse {
    public Stream {
      headers = Map.copyOf(headers);
    }
  }

  /**
   * A hijacked connection (attach, exec start): after the head ({@code 101 UPGRADED} when the
   * client asked to upgrade, else {@code 200 OK}), raw bytes both ways until {@code body} returns.
   */
  record Hijack(int status, Map<String, String> headers, String contentType, HijackBody body)
      implements ApiResponse {
    public Hijack {
      headers = Map.copyOf(headers);
    }
  }

  /** The code that owns a hijacked connection. */
  @FunctionalInterface
  interface HijackBody {
    /**
     * Runs the stream: {@code in} is what the client sends (EOF when it half-closes or goes),
     * {@code out} what it gets; the connection is closed when this returns.
     */
    void run(java.io.InputStream in, Sink out) throws InterruptedException;
  }

  /** The producer of a streamed body. */
  @FunctionalInterface
  interface StreamBody {
    void write(Sink sink) throws InterruptedException;
  }

  /** Where a streamed body goes. */
  interface Sink {
    /** Sends one chunk and flushes it; false once the client is gone. */
    boolean send(byte[] chunk);

    /** Whether the client is still connected. */
    boolean isOpen();

    /** Blocks until the client disconnects (or the thread is interrupted). */
    void awaitClose() throws InterruptedException;
  }

  /** A JSON body. */
  static Full json(int status, byte[] json) {
    return new Full(status, Map.of(), "application/json", json);
  }

  /** A text body. */
  static Full text(int status, String text) {
    return new Full(
        status, Map.of(), "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** No body (204, or a HEAD). */
  static Full empty(int status) {
    return new Full(status, Map.of(), "", new byte[0]);
  }

  /** This response with extra headers. */
  default ApiResponse withHeaders(Map<String, String> extra) {
    Map<String, String> all = new LinkedHashMap<>(headers());
    all.putAll(extra);
    return switch (this) {
      case Full f -> new Full(f.status(), all, f.contentType(), f.body());
      case Stream s -> new Stream(s.status(), all, s.contentType(), s.body());
      case Hijack h -> new Hijack(h.status(), all, h.contentType(), h.body());
    };
  }
}
