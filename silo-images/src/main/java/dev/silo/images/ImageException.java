package dev.silo.images;

import dev.silo.api.HResult;
import org.jspecify.annotations.Nullable;

/**
 * A failed image operation: what kind of failure, and one message naming the image or reference.
 */
public final class ImageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The failure classes callers tell apart (the daemon maps them to HTTP statuses). */
  public enum Kind {
    /** No such image, tag, blob or manifest (Docker: 404 "No such image"). */
    NOT_FOUND(HResult.ERROR_NOT_FOUND),
    /** A reference that does not parse (Docker: 400 "invalid reference format"). */
    INVALID_REFERENCE(HResult.E_INVALIDARG),
    /** The operation would break another reference (Docker: 409 "conflict: unable to delete"). */
    CONFLICT(HResult.E_FAIL),
    /** The registry refused, answered something invalid, or could not be reached. */
    REGISTRY(HResult.E_FAIL),
    /** An archive, manifest, config or layer that is malformed or fails its digest. */
    BAD_ARCHIVE(HResult.HCS_E_INVALID_LAYER),
    /** The image's OS version cannot run on this host with the isolation asked for. */
    IMAGE_MISMATCH(HResult.HCS_E_IMAGE_MISMATCH),
    /** The local store could not be read or written. */
    IO(HResult.E_FAIL);

    private final HResult hresult;

    Kind(HResult hresult) {
      this.hresult = hresult;
    }

    public HResult hresult() {
      return hresult;
    }
  }

  private final Kind kind;

  public ImageException(Kind kind, String message) {
    this(kind, message, null);
  }

  public ImageException(Kind kind, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** The HRESULT HCS would answer with for this failure. */
  public HResult hresult() {
    return kind.hresult();
  }
}
