package dev.silo.api;

import org.jspecify.annotations.Nullable;

/**
 * A failed Host Compute Service call: the operation, the compute system id and the HRESULT,
 * formatted as hcsshim formats it ({@code <op> <id>: <detail>: <system message> (0x…)}).
 */
public final class HcsException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final String id;
  private final HResult hresult;
  private final String detail;

  public HcsException(String operation, String id, HResult hresult, String detail) {
    this(operation, id, hresult, detail, null);
  }

  public HcsException(
      String operation, String id, HResult hresult, String detail, @Nullable Throwable cause) {
    super(format(operation, id, hresult, detail), cause);
    this.operation = operation;
    this.id = id;
    this.hresult = hresult;
    this.detail = detail;
  }

  private static String format(String operation, String id, HResult hresult, String detail) {
    String head = operation + (id.isEmpty() ? "" : " " + id) + ": ";
    String tail =
        hresult == HResult.E_FAIL ? "" : " (" + hresult.name() + " " + hresult.hex() + ")";
    return head + (detail.isEmpty() ? hresult.message() : detail) + tail;
  }

  public String operation() {
    return operation;
  }

  public String id() {
    return id;
  }

  public HResult hresult() {
    return hresult;
  }

  /** The reason alone, without operation, id or code: what a runc-compatible CLI prints. */
  public String detail() {
    return detail.isEmpty() ? hresult.message() : detail;
  }
}
