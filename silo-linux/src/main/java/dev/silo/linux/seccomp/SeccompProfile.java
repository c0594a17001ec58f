package dev.silo.linux.seccomp;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The OCI {@code linux.seccomp} object: default action (with the errno of OCI defaultErrnoRet),
 * architectures ({@code SCMP_ARCH_*}), filter flags ({@code SECCOMP_FILTER_FLAG_*}) and the syscall
 * rules in document order.
 */
public record SeccompProfile(
    Action defaultAction,
    @Nullable Integer defaultErrno,
    List<String> architectures,
    List<String> flags,
    List<SeccompRule> rules) {
  public SeccompProfile {
    architectures = List.copyOf(architectures);
    flags = List.copyOf(flags);
    rules = List.copyOf(rules);
  }
}
