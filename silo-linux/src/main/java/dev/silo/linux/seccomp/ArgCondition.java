package dev.silo.linux.seccomp;

/**
 * One OCI {@code linux.seccomp.syscalls[].args[]} entry: compare syscall argument {@code index}
 * (0..5), as an unsigned 64-bit value, with {@code value}; for {@link Op#MASKED_EQ} the test is
 * {@code (arg & value) == valueTwo}.
 */
public record ArgCondition(int index, long value, long valueTwo, Op op) {

  /**
   * The comparison operator, named as the OCI spec names it ({@code SCMP_CMP_*}); all are unsigned.
   */
  public enum Op {
    NE("SCMP_CMP_NE"),
    LT("SCMP_CMP_LT"),
    LE("SCMP_CMP_LE"),
    EQ("SCMP_CMP_EQ"),
    GE("SCMP_CMP_GE"),
    GT("SCMP_CMP_GT"),
    MASKED_EQ("SCMP_CMP_MASKED_EQ");

    private final String ociName;

    Op(String ociName) {
      this.ociName = ociName;
    }

    /**
     * The operator for an OCI name such as {@code SCMP_CMP_MASKED_EQ}.
     *
     * @throws IllegalArgumentException naming the unknown operator
     */
    public static Op of(String ociName) {
      for (Op op : values()) {
        if (op.ociName.equals(ociName)) {
          return op;
        }
      }
      throw new IllegalArgumentException("unknown operator " + ociName);
    }

    /** The OCI spelling, e.g. {@code SCMP_CMP_EQ}. */
    public String ociName() {
      return ociName;
    }
  }

  /**
   * Whether an argument value satisfies this condition (the reference semantics the BPF code
   * implements).
   */
  public boolean test(long arg) {
    return switch (op) {
      case NE -> arg != value;
      case LT -> Long.compareUnsigned(arg, value) < 0;
      case LE -> Long.compareUnsigned(arg, value) <= 0;
      case EQ -> arg == value;
      case GE -> Long.compareUnsigned(arg, value) >= 0;
      case GT -> Long.compareUnsigned(arg, value) > 0;
      case MASKED_EQ -> (arg & value) == valueTwo;
    };
  }
}
