package dev.silo.linux.net;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.jspecify.annotations.Nullable;

/**
 * nftables through {@code libnftables.so.1} (Debian package libnftables1): one context, created and
 * always used on a thread inside the namespace.
 *
 * <p>Why that thread: nft 1.0.x opens the context's {@code NETLINK_NETFILTER} socket in {@code
 * nft_ctx_new} (flags {@code NFT_CTX_DEFAULT}), in the calling thread's namespace, while other
 * versions open it lazily on the first command; creating and using the context only from a thread
 * parked in the namespace is right either way. The context is not thread-safe, and the single
 * thread also serializes callers. Each command still re-reads nft's cache from the kernel when the
 * ruleset generation changed, which is what a map element change costs.
 */
final class LibNftables implements Nftables {
  private static final int NFT_CTX_OUTPUT_JSON = 1 << 4;
  private static final @Nullable Api API;
  private static final @Nullable String CAUSE;

  static {
    Api api = null;
    String cause = null;
    try {
      api = new Api(SymbolLookup.libraryLookup("libnftables.so.1", Arena.global()));
    } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
      cause = "libnftables.so.1 not loadable (apt-get install libnftables1): " + e.getMessage();
    }
    API = api;
    CAUSE = cause;
  }

  private final Api api;
  private final NsThread thread;
  private final MemorySegment ctx;
  private final String where;
  private boolean closed;

  private LibNftables(Api api, NsThread thread, MemorySegment ctx, String where) {
    this.api = api;
    this.thread = thread;
    this.ctx = ctx;
    this.where = where;
  }

  /** Why the library cannot be used, or null when it can. */
  static @Nullable String unavailabilityCause() {
    return CAUSE;
  }

  static LibNftables open(@Nullable NetNs ns) {
    Api api = API;
    if (api == null) {
      throw new IllegalStateException(String.valueOf(CAUSE));
    }
    String where = ns == null ? "" : "netns " + ns.name();
    NsThread thread = NsThread.start(ns, "nft-" + (ns == null ? "self" : ns.name()));
    try {
      MemorySegment ctx =
          thread.call(
              () -> {
                MemorySegment c = (MemorySegment) invoke(api.ctxNew, 0);
                if (c.equals(MemorySegment.NULL)) {
                  throw new NetException("nft_ctx_new", where, 0, "returned NULL");
                }
                invoke(api.bufferOutput, c);
                invoke(api.bufferError, c);
                return c;
              });
      return new LibNftables(api, thread, ctx, where);
    } catch (RuntimeException e) {
      thread.close();
      throw e;
    }
  }

  @Override
  public void apply(String batch) {
    thread.call(() -> run(batch, false));
  }

  @Override
  public String listTableJson(String family, String table) {
    NftProcess.checkWord(family);
    NftProcess.checkWord(table);
    return thread.call(() -> run("list table " + family + " " + table, true));
  }

  @Override
  public String backend() {
    return "libnftables";
  }

  private String run(String cmd, boolean json) {
    if (closed) {
      throw new IllegalStateException("nftables context closed");
    }
    int flags = (int) invoke(api.getFlags, ctx);
    if (json) {
      invoke(api.setFlags, ctx, flags | NFT_CTX_OUTPUT_JSON);
    }
    try (Arena a = Arena.ofConfined()) {
      int rc = (int) invoke(api.runCmd, ctx, a.allocateFrom(cmd));
      // reading the buffers also resets them for the next command
      String out = string((MemorySegment) invoke(api.getOutput, ctx));
      String err = string((MemorySegment) invoke(api.getError, ctx));
      if (rc != 0) {
        throw new NetException("nft", where, 0, Nftables.oneLine(err));
      }
      return out;
    } finally {
      if (json) {
        invoke(api.setFlags, ctx, flags);
      }
    }
  }

  private static String string(MemorySegment s) {
    return s.equals(MemorySegment.NULL) ? "" : s.reinterpret(Long.MAX_VALUE).getString(0);
  }

  @Override
  public void close() {
    thread.call(
        () -> {
          if (!closed) {
            closed = true;
            invoke(api.ctxFree, ctx);
          }
          return null;
        });
    thread.close();
  }

  private static Object invoke(MethodHandle h, Object... args) {
    try {
      return h.invokeWithArguments(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** The downcall handles, bound once. */
  private record Api(
      MethodHandle ctxNew,
      MethodHandle ctxFree,
      MethodHandle bufferOutput,
      MethodHandle bufferError,
      MethodHandle getOutput,
      MethodHandle getError,
      MethodHandle getFlags,
      MethodHandle setFlags,
      MethodHandle runCmd) {
    Api(SymbolLookup lib) {
      this(
          h(lib, "nft_ctx_new", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT)),
          h(lib, "nft_ctx_free", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS)),
          h(lib, "nft_ctx_buffer_output", intOfPtr()),
          h(lib, "nft_ctx_buffer_error", intOfPtr()),
          h(lib, "nft_ctx_get_output_buffer", ptrOfPtr()),
          h(lib, "nft_ctx_get_error_buffer", ptrOfPtr()),
          h(lib, "nft_ctx_output_get_flags", intOfPtr()),
          h(
              lib,
              "nft_ctx_output_set_flags",
              FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_INT)),
          h(
              lib,
              "nft_run_cmd_from_buffer",
              FunctionDescriptor.of(
                  ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS)));
    }

    private static FunctionDescriptor intOfPtr() {
      return FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
    }

    private static FunctionDescriptor ptrOfPtr() {
      return FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS);
    }

    private static MethodHandle h(SymbolLookup lib, String name, FunctionDescriptor fd) {
      return Linker.nativeLinker().downcallHandle(lib.find(name).orElseThrow(), fd);
    }
  }
}
