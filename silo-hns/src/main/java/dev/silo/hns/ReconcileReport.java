package dev.silo.hns;

import java.util.List;

/**
 * What a reconcile did: the boot check, the non-persistent objects dropped after a reboot, the
 * kernel orphans removed and the stored objects re-programmed (entries read {@code "Network
 * <id>"}).
 *
 * @param bootId the kernel boot id now
 * @param bootChanged whether the store was last used under another boot
 * @param dropped EnableNonPersistent objects removed from the store because of a reboot
 * @param orphansRemoved kernel objects the store did not know, removed
 * @param recreated stored objects missing from the kernel, programmed again
 * @param failed objects that could not be fixed, with the reason
 */
public record ReconcileReport(
    String bootId,
    boolean bootChanged,
    List<String> dropped,
    List<String> orphansRemoved,
    List<String> recreated,
    List<String> failed) {

  /** Copies the lists so the record stays immutable. */
  public ReconcileReport {
    dropped = List.copyOf(dropped);
    orphansRemoved = List.copyOf(orphansRemoved);
    recreated = List.copyOf(recreated);
    failed = List.copyOf(failed);
  }

  /** True when the kernel already matched the store. */
  public boolean clean() {
    return dropped.isEmpty() && orphansRemoved.isEmpty() && recreated.isEmpty() && failed.isEmpty();
  }
}
