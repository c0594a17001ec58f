package dev.silo.hcs.internal;

import dev.silo.init.Namespaces;
import dev.silo.schema.oci.Linux;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The namespaces of a container: which are new (clone flags) and which are joined by path — the
 * Linux form of a server silo.
 */
record NamespaceSet(int cloneFlags, List<Join> joins) {

  /**
   * A namespace joined by path, as {@code linux.namespaces[].path} or {@code /proc/<pid>/ns/<x>}
   * asks.
   */
  record Join(int flag, String path) {}

  NamespaceSet {
    joins = List.copyOf(joins);
  }

  static int flagOf(String type) {
    return switch (type) {
      case "pid" -> Namespaces.CLONE_NEWPID;
      case "network" -> Namespaces.CLONE_NEWNET;
      case "mount" -> Namespaces.CLONE_NEWNS;
      case "ipc" -> Namespaces.CLONE_NEWIPC;
      case "uts" -> Namespaces.CLONE_NEWUTS;
      case "user" -> Namespaces.CLONE_NEWUSER;
      case "cgroup" -> Namespaces.CLONE_NEWCGROUP;
      case "time" -> Namespaces.CLONE_NEWTIME;
      default -> 0;
    };
  }

  static NamespaceSet of(@Nullable Linux linux) throws PlanException {
    int flags = 0;
    List<Join> joins = new ArrayList<>();
    if (linux == null) {
      return new NamespaceSet(0, joins);
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < linux.namespaces().size(); i++) {
      Linux.Namespace n = linux.namespaces().get(i);
      int flag = flagOf(n.type());
      if (flag == 0) {
        throw new PlanException(
            "linux.namespaces[" + i + "].type: unknown namespace type \"" + n.type() + "\"");
      }
      if (!seen.add(n.type())) {
        throw new PlanException(
            "linux.namespaces[" + i + "].type: duplicate namespace \"" + n.type() + "\"");
      }
      String path = n.path();
      if (path == null || path.isEmpty()) {
        flags |= flag;
      } else {
        joins.add(new Join(flag, path));
      }
    }
    // A joined user namespace must come first: it decides what the other setns calls may do.
    // (A stable move to the front, not a sort with a lambda: lambdas cost runhcs start-up.)
    for (int i = 1; i < joins.size(); i++) {
      if (joins.get(i).flag == Namespaces.CLONE_NEWUSER) {
        joins.addFirst(joins.remove(i));
      }
    }
    return new NamespaceSet(flags, joins);
  }

  boolean isNew(int flag) {
    return (cloneFlags & flag) != 0;
  }

  boolean newNet() {
    return isNew(Namespaces.CLONE_NEWNET);
  }

  boolean newIpc() {
    return isNew(Namespaces.CLONE_NEWIPC);
  }

  boolean newUser() {
    return isNew(Namespaces.CLONE_NEWUSER);
  }

  /** A user namespace, new or joined: device nodes must then be bind-mounted, mknod is refused. */
  boolean hasUser() {
    // A loop, not a stream: java.util.stream would ride in the CLI's AOT cache.
    boolean joined = false;
    for (var j : joins) {
      joined |= j.flag() == Namespaces.CLONE_NEWUSER;
    }
    return newUser() || joined;
  }

  boolean hasMount() {
    return isNew(Namespaces.CLONE_NEWNS);
  }

  boolean newUts() {
    return isNew(Namespaces.CLONE_NEWUTS);
  }
}
