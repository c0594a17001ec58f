package dev.silo.api;

import org.jspecify.annotations.Nullable;

/**
 * A failed Host Network Service call: the operation (hcsshim's {@code hcnCreateEndpoint} naming),
 * the object id or name and the HCN HRESULT, formatted {@code <op> <id>: <detail> (<name> 0x…)};
 * the subclass tells callers which family the code is in without comparing codes.
 */
public abstract sealed class HnsException extends Exception
    permits HnsException.NotFound,
        HnsException.Conflict,
        HnsException.InvalidInput,
        HnsException.Failure {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final String id;
  private final HResult hresult;
  private final String detail;

  private HnsException(
      String operation, String id, HResult hresult, String detail, @Nullable Throwable cause) {
    super(format(operation, id, hresult, detail), cause);
    this.operation = operation;
    this.id = id;
    this.hresult = hresult;
    this.detail = detail;
  }

  /** The exception of the family the code belongs to. */
  public static HnsException of(String operation, String id, HResult hresult, String detail) {
    return of(operation, id, hresult, detail, null);
  }

  /** The exception of the family the code belongs to, with the substrate error as cause. */
  public static HnsException of(
      String operation, String id, HResult hresult, String detail, @Nullable Throwable cause) {
    String name = hresult.name();
    if (hresult == HResult.ERROR_NOT_FOUND
        || (name.endsWith("_NOT_FOUND") && hresult != HResult.HCN_E_SUBNET_NOT_FOUND)) {
      return new NotFound(operation, id, hresult, detail, cause);
    }
    if (name.endsWith("ALREADY_EXISTS")
        || hresult == HResult.HCN_E_ENTITY_HAS_REFERENCES
        || hresult == HResult.HCN_E_ENDPOINT_ALREADY_ATTACHED) {
      return new Conflict(operation, id, hresult, detail, cause);
    }
    if (name.startsWith("HCN_E_INVALID")
        || hresult == HResult.E_INVALIDARG
        || hresult == HResult.HCN_E_SUBNET_NOT_FOUND
        || hresult == HResult.HCN_E_REQUEST_UNSUPPORTED
        || hresult == HResult.HCN_E_MAPPING_NOT_SUPPORTED
        || hresult == HResult.HCN_E_ENDPOINT_NOT_ATTACHED) {
      return new InvalidInput(operation, id, hresult, detail, cause);
    }
    return new Failure(operation, id, hresult, detail, cause);
  }

  private static String format(String operation, String id, HResult hresult, String detail) {
    String head = operation + (id.isEmpty() ? "" : " " + id) + ": ";
    return head
        + (detail.isEmpty() ? hresult.message() : detail)
        + " ("
        + hresult.name()
        + " "
        + hresult.hex()
        + ")";
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

  /** The reason alone, without operation, id or code. */
  public String detail() {
    return detail.isEmpty() ? hresult.message() : detail;
  }

  /** The object does not exist (ERROR_NOT_FOUND, HCN_E_*_NOT_FOUND); deletes treat it as done. */
  public static final class NotFound extends HnsException {
    private static final long serialVersionUID = 1L;

    NotFound(String op, String id, HResult hr, String detail, @Nullable Throwable cause) {
      super(op, id, hr, detail, cause);
    }
  }

  /** The name, address, port or attachment is taken, or the object is still referenced. */
  public static final class Conflict extends HnsException {
    private static final long serialVersionUID = 1L;

    Conflict(String op, String id, HResult hr, String detail, @Nullable Throwable cause) {
      super(op, id, hr, detail, cause);
    }
  }

  /** The document is invalid: a field, a policy, an address or a request the service rejects. */
  public static final class InvalidInput extends HnsException {
    private static final long serialVersionUID = 1L;

    InvalidInput(String op, String id, HResult hr, String detail, @Nullable Throwable cause) {
      super(op, id, hr, detail, cause);
    }
  }

  /** The store or the dataplane failed; nothing of the call was kept. */
  public static final class Failure extends HnsException {
    private static final long serialVersionUID = 1L;

    Failure(String op, String id, HResult hr, String detail, @Nullable Throwable cause) {
      super(op, id, hr, detail, cause);
    }
  }
}
