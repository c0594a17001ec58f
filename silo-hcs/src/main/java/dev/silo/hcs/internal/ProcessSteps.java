package dev.silo.hcs.internal;

import dev.silo.init.Plan;
import dev.silo.schema.oci.Process;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps that turn a set-up init into the user's process, shared by create and exec: rlimits,
 * user and groups, capabilities, no_new_privs, seccomp, working directory, environment, execve.
 */
final class ProcessSteps {
  private ProcessSteps() {}

  /** Everything up to (not including) the exec fifo wait or READY. */
  static void beforeWait(
      Plan.Builder plan,
      Process p,
      Path rootfs,
      byte[] seccomp,
      int seccompFlags,
      int lastCap,
      int preserveFds)
      throws PlanException {
    for (int i = 0; i < p.rlimits().size(); i++) {
      Process.Rlimit r = p.rlimits().get(i);
      int res = Rlimits.resource(r.type());
      if (res < 0) {
        throw new PlanException(
            "process.rlimits[" + i + "].type: unknown rlimit \"" + r.type() + "\"");
      }
      plan.setrlimit(res, r.soft(), r.hard());
    }
    if (p.oomScoreAdj() != null) {
      plan.writeFile("/proc/self/oom_score_adj", Integer.toString(p.oomScoreAdj()));
    }
    Process.Capabilities c = p.capabilities();
    long bounding = 0;
    long effective = 0;
    long permitted = 0;
    long inheritable = 0;
    long ambient = 0;
    try {
      if (c != null) {
        bounding = Capabilities.mask(c.bounding(), lastCap, "process.capabilities.bounding");
        effective = Capabilities.mask(c.effective(), lastCap, "process.capabilities.effective");
        permitted = Capabilities.mask(c.permitted(), lastCap, "process.capabilities.permitted");
        inheritable =
            Capabilities.mask(c.inheritable(), lastCap, "process.capabilities.inheritable");
        ambient = Capabilities.mask(c.ambient(), lastCap, "process.capabilities.ambient");
      }
    } catch (IllegalArgumentException e) {
      throw new PlanException(String.valueOf(e.getMessage()));
    }
    // The kernel only raises ambient caps that are permitted and inheritable; runc's defaults list
    // ambient caps without inheritable ones and expect them to be skipped, not to fail.
    ambient &= permitted & inheritable;
    if (seccomp.length > 0 && !p.noNewPrivileges()) {
      // Without no_new_privs the filter needs CAP_SYS_ADMIN, so it goes in while we are still root.
      plan.seccomp(seccompFlags, seccomp);
    }
    int[] groups = new int[p.user().additionalGids().size()];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = (int) (long) p.user().additionalGids().get(i);
    }
    plan.setgroups(groups);
    plan.setIds((int) p.user().uid(), (int) p.user().gid());
    plan.caps(bounding, effective, permitted, inheritable, ambient);
    if (p.user().umask() != null) {
      plan.umask((int) (long) p.user().umask());
    } else {
      plan.umask(022);
    }
    plan.chdir(p.cwd().isEmpty() ? "/" : p.cwd());
    if (p.noNewPrivileges()) {
      plan.noNewPrivs();
    }
    plan.closeFds(preserveFds);
  }

  /** The final steps after the wait: the late seccomp filter, then execve. */
  static void exec(
      Plan.Builder plan,
      Process p,
      Path rootfs,
      byte[] seccomp,
      int seccompFlags,
      List<String> extraEnv)
      throws PlanException {
    if (seccomp.length > 0 && p.noNewPrivileges()) {
      // With no_new_privs the filter goes in as late as possible, so it need not allow our own
      // setup.
      plan.seccomp(seccompFlags, seccomp);
    }
    if (p.args().isEmpty()) {
      throw new PlanException("process.args: must not be empty");
    }
    List<String> env = new ArrayList<>(p.env());
    env.addAll(extraEnv);
    boolean hasHome = false;
    for (String e : env) {
      hasHome |= e.startsWith("HOME=");
    }
    if (!hasHome) {
      env.add("HOME=" + homeOf(rootfs, p.user().uid()));
    }
    plan.exec(p.args().getFirst(), p.args(), env);
  }

  /** The home directory of a uid from the container's /etc/passwd, "/" when unknown (as runc). */
  static String homeOf(Path rootfs, long uid) {
    try {
      for (String line : Files.readAllLines(rootfs.resolve("etc/passwd"))) {
        String[] f = line.split(":", -1);
        if (f.length >= 6 && f[2].equals(Long.toString(uid))) {
          return f[5].isEmpty() ? "/" : f[5];
        }
      }
    } catch (IOException | RuntimeException e) {
      return "/";
    }
    return "/";
  }
}
