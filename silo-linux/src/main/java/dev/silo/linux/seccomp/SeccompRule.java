package dev.silo.linux.seccomp;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One OCI {@code linux.seccomp.syscalls[]} entry: the action for these syscalls when all conditions
 * hold.
 */
public record SeccompRule(
    List<String> names, Action action, @Nullable Integer errno, List<ArgCondition> args) {
  public SeccompRule {
    names = List.copyOf(names);
    args = List.copyOf(args);
  }
}
