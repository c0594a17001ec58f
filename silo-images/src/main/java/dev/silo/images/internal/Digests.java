package dev.silo.images.internal;

import dev.silo.images.ImageException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** sha256 content digests ({@code sha256:<hex>}) and OCI chain ids. */
public final class Digests {
  private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

  private Digests() {}

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public static String of(byte[] data) {
    return "sha256:" + HexFormat.of().formatHex(newSha256().digest(data));
  }

  public static String of(MessageDigest md) {
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  /** The hex part of {@code sha256:<hex>}. */
  public static String hex(String digest) {
    return digest.substring(digest.indexOf(':') + 1);
  }

  /**
   * Checks that {@code digest} is a well-formed sha256 digest (the only algorithm Silo stores).
   *
   * @throws ImageException BAD_ARCHIVE naming {@code what}
   */
  public static String require(String digest, String what) throws ImageException {
    if (!SHA256.matcher(digest).matches()) {
      throw new ImageException(
          ImageException.Kind.BAD_ARCHIVE,
          what + ": digest \"" + digest + "\" is not sha256:<64 hex digits>");
    }
    return digest;
  }

  /** The OCI chain ids of a layer stack: {@code chain(n) = sha256(chain(n-1) + " " + diff(n))}. */
  public static List<String> chainIds(List<String> diffIds) {
    String[] out = new String[diffIds.size()];
    String chain = null;
    for (int i = 0; i < diffIds.size(); i++) {
      chain =
          chain == null
              ? diffIds.get(i)
              : of((chain + " " + diffIds.get(i)).getBytes(StandardCharsets.US_ASCII));
      out[i] = chain;
    }
    return List.of(out);
  }

  /** An input stream that digests and counts what passes through it. */
  public static final class Counting extends FilterInputStream {
    private final MessageDigest md = newSha256();
    private long count;
    private @Nullable String digest;

    public Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        md.update((byte) b);
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        md.update(b, off, n);
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long left = n;
      while (left > 0) {
        int r = read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          break;
        }
        left -= r;
      }
      return n - left;
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    /** Reads to the end, so the digest covers the whole stream (tar readers stop early). */
    public void drain() throws IOException {
      byte[] buf = new byte[65536];
      while (read(buf, 0, buf.length) >= 0) {
        // digesting
      }
    }

    /** The digest of what passed so far; reading on after this is an error. */
    public String digest() {
      if (digest == null) {
        digest = of(md);
      }
      return digest;
    }

    public long count() {
      return count;
    }
  }
}
