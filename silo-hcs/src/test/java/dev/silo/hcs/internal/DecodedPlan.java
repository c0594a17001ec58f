package dev.silo.hcs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.init.Plan;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test support: decodes {@link Plan#encode()} as docs/plan-format.md defines it, so tests can check
 * the flags and values a step carries, which its description does not show.
 */
final class DecodedPlan {
  static final int JOIN_NS = 1;
  static final int CLONE = 5;
  static final int MOUNT = 22;
  static final int MKNOD = 24;
  static final int SET_PROPAGATION = 31;
  static final int SETRLIMIT = 34;
  static final int CAPS = 38;
  static final int SECCOMP = 40;
  static final int EXEC = 46;

  /** One step: its opcode, the plan's description of it and a reader over its payload. */
  record Step(int op, String description, byte[] payload) {
    Reader reader() {
      return new Reader(payload);
    }
  }

  /** The payload of a MOUNT step. */
  record MountStep(
      String source, String target, String fstype, long flags, String data, int opts) {}

  /** The payload of an EXEC step. */
  record ExecStep(String path, List<String> argv, List<String> env) {}

  private final Plan plan;
  private final List<Step> steps;

  private DecodedPlan(Plan plan, List<Step> steps) {
    this.plan = plan;
    this.steps = steps;
  }

  static DecodedPlan of(Plan plan) {
    ByteBuffer b = ByteBuffer.wrap(plan.encode()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt()).as("magic").isEqualTo(0x534c4f50);
    assertThat(b.getInt()).as("version").isEqualTo(1);
    int count = b.getInt();
    b.getInt(); // flags
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int op = Short.toUnsignedInt(b.getShort());
      b.getShort();
      byte[] payload = new byte[b.getInt()];
      b.get(payload);
      steps.add(new Step(op, plan.describe(i), payload));
    }
    assertThat(b.remaining()).as("bytes after the last step").isZero();
    return new DecodedPlan(plan, steps);
  }

  List<Step> steps() {
    return steps;
  }

  /** Every step's description, in order. */
  List<String> descriptions() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      out.add(plan.describe(i));
    }
    return out;
  }

  int indexOf(String description) {
    return descriptions().indexOf(description);
  }

  /** The index of the first step whose description starts with {@code prefix}, or -1. */
  int indexOfFirst(String prefix) {
    List<String> d = descriptions();
    for (int i = 0; i < d.size(); i++) {
      if (d.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  List<Step> withOp(int op) {
    return steps.stream().filter(s -> s.op() == op).toList();
  }

  List<MountStep> mounts() {
    List<MountStep> out = new ArrayList<>();
    for (Step s : withOp(MOUNT)) {
      Reader r = s.reader();
      out.add(new MountStep(r.str(), r.str(), r.str(), r.u64(), r.str(), r.u32()));
    }
    return out;
  }

  /** The mounts onto {@code target}, in plan order. */
  List<MountStep> mountsOn(String target) {
    return mounts().stream().filter(m -> m.target().equals(target)).toList();
  }

  ExecStep exec() {
    List<Step> e = withOp(EXEC);
    assertThat(e).hasSize(1);
    Reader r = e.getFirst().reader();
    return new ExecStep(r.str(), r.strs(), r.strs());
  }

  /** Little-endian reader of one payload, field by field. */
  static final class Reader {
    private final ByteBuffer b;

    Reader(byte[] payload) {
      b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    }

    int u32() {
      return b.getInt();
    }

    long u64() {
      return b.getLong();
    }

    String str() {
      byte[] s = new byte[b.getInt()];
      b.get(s);
      return new String(s, StandardCharsets.UTF_8);
    }

    List<String> strs() {
      int n = b.getInt();
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(str());
      }
      return out;
    }

    int remaining() {
      return b.remaining();
    }
  }
}
