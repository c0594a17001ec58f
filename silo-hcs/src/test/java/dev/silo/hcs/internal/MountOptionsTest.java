package dev.silo.hcs.internal;

import static dev.silo.hcs.internal.MountOptions.MS_BIND;
import static dev.silo.hcs.internal.MountOptions.MS_DIRSYNC;
import static dev.silo.hcs.internal.MountOptions.MS_LAZYTIME;
import static dev.silo.hcs.internal.MountOptions.MS_MANDLOCK;
import static dev.silo.hcs.internal.MountOptions.MS_NOATIME;
import static dev.silo.hcs.internal.MountOptions.MS_NODEV;
import static dev.silo.hcs.internal.MountOptions.MS_NODIRATIME;
import static dev.silo.hcs.internal.MountOptions.MS_NOEXEC;
import static dev.silo.hcs.internal.MountOptions.MS_NOSUID;
import static dev.silo.hcs.internal.MountOptions.MS_PRIVATE;
import static dev.silo.hcs.internal.MountOptions.MS_RDONLY;
import static dev.silo.hcs.internal.MountOptions.MS_REC;
import static dev.silo.hcs.internal.MountOptions.MS_RELATIME;
import static dev.silo.hcs.internal.MountOptions.MS_REMOUNT;
import static dev.silo.hcs.internal.MountOptions.MS_SHARED;
import static dev.silo.hcs.internal.MountOptions.MS_SLAVE;
import static dev.silo.hcs.internal.MountOptions.MS_STRICTATIME;
import static dev.silo.hcs.internal.MountOptions.MS_SYNCHRONOUS;
import static dev.silo.hcs.internal.MountOptions.MS_UNBINDABLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * OCI mount options split as runc's parseMountOptions: flags, clearing flags, propagation, data.
 */
class MountOptionsTest {
  /** Option → the flag it sets, and the option that clears that flag again. */
  private static final Map<String, Long> SETS = new LinkedHashMap<>();

  private static final Map<String, Long> CLEARS = new LinkedHashMap<>();
  private static final Map<String, Long> PROPAGATION = new LinkedHashMap<>();

  static {
    Object[][] pairs = {
      {"ro", "rw", MS_RDONLY},
      {"nosuid", "suid", MS_NOSUID},
      {"nodev", "dev", MS_NODEV},
      {"noexec", "exec", MS_NOEXEC},
      {"sync", "async", MS_SYNCHRONOUS},
      {"mand", "nomand", MS_MANDLOCK},
      {"noatime", "atime", MS_NOATIME},
      {"nodiratime", "diratime", MS_NODIRATIME},
      {"relatime", "norelatime", MS_RELATIME},
      {"strictatime", "nostrictatime", MS_STRICTATIME},
      {"lazytime", "nolazytime", MS_LAZYTIME}
    };
    for (Object[] p : pairs) {
      SETS.put((String) p[0], (Long) p[2]);
      CLEARS.put((String) p[1], (Long) p[2]);
    }
    SETS.put("dirsync", MS_DIRSYNC);
    SETS.put("remount", MS_REMOUNT);
    PROPAGATION.put("private", MS_PRIVATE);
    PROPAGATION.put("rprivate", MS_PRIVATE | MS_REC);
    PROPAGATION.put("slave", MS_SLAVE);
    PROPAGATION.put("rslave", MS_SLAVE | MS_REC);
    PROPAGATION.put("shared", MS_SHARED);
    PROPAGATION.put("rshared", MS_SHARED | MS_REC);
    PROPAGATION.put("unbindable", MS_UNBINDABLE);
    PROPAGATION.put("runbindable", MS_UNBINDABLE | MS_REC);
  }

  @ParameterizedTest
  @CsvSource({
    "ro, 1",
    "nosuid, 2",
    "nodev, 4",
    "noexec, 8",
    "sync, 16",
    "remount, 32",
    "mand, 64",
    "dirsync, 128",
    "noatime, 1024",
    "nodiratime, 2048",
    "relatime, 2097152",
    "strictatime, 16777216",
    "lazytime, 33554432"
  })
  void eachFlagOptionSetsItsLinuxValue(String option, long flag) {
    MountOptions o = MountOptions.parse(List.of(option));

    assertThat(o.flags()).isEqualTo(flag);
    assertThat(o.data()).isEmpty();
    assertThat(o.propagation()).isZero();
    assertThat(o.bind()).isFalse();
  }

  @Test
  void eachClearingOptionUndoesItsFlagOnlyWhenLater() {
    for (Map.Entry<String, Long> c : CLEARS.entrySet()) {
      String setter =
          SETS.entrySet().stream()
              .filter(s -> s.getValue().equals(c.getValue()))
              .findFirst()
              .orElseThrow()
              .getKey();
      assertThat(MountOptions.parse(List.of(setter, c.getKey())).flags())
          .as(setter + "," + c.getKey())
          .isZero();
      assertThat(MountOptions.parse(List.of(c.getKey(), setter)).flags())
          .as(c.getKey() + "," + setter)
          .isEqualTo(c.getValue());
    }
  }

  @Test
  void defaultsChangesNothing() {
    assertThat(MountOptions.parse(List.of("nosuid", "defaults")).flags()).isEqualTo(MS_NOSUID);
    assertThat(MountOptions.parse(List.of("defaults")))
        .isEqualTo(new MountOptions(0, 0, "", false, false));
  }

  @Test
  void bindAndRbind() {
    assertThat(MountOptions.parse(List.of("bind")))
        .isEqualTo(new MountOptions(MS_BIND, 0, "", true, false));
    assertThat(MountOptions.parse(List.of("rbind", "ro")))
        .isEqualTo(new MountOptions(MS_BIND | MS_REC | MS_RDONLY, 0, "", true, true));
  }

  @Test
  void propagationIsKeptApartFromTheFlagsAndTheLastOneWins() {
    for (Map.Entry<String, Long> p : PROPAGATION.entrySet()) {
      MountOptions o = MountOptions.parse(List.of(p.getKey(), "nodev"));
      assertThat(o.propagation()).as(p.getKey()).isEqualTo(p.getValue());
      assertThat(o.flags()).as(p.getKey()).isEqualTo(MS_NODEV);
    }
    assertThat(MountOptions.parse(List.of("rshared", "private")).propagation())
        .isEqualTo(MS_PRIVATE);
  }

  @Test
  void unknownOptionsPassThroughAsDataInOrder() {
    MountOptions o =
        MountOptions.parse(List.of("newinstance", "nosuid", "ptmxmode=0666", "mode=0620", "gid=5"));

    assertThat(o.data()).isEqualTo("newinstance,ptmxmode=0666,mode=0620,gid=5");
    assertThat(o.flags()).isEqualTo(MS_NOSUID);
  }

  @Test
  void remountFlagsKeepTheRequestedFlagsForAReadOnlyBind() {
    MountOptions o =
        MountOptions.parse(List.of("rbind", "ro", "nosuid", "nodev", "noexec", "rprivate"));

    assertThat(o.remountFlags())
        .isEqualTo(MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
    assertThat(MountOptions.parse(List.of("bind", "remount")).remountFlags())
        .isEqualTo(MS_REMOUNT | MS_BIND);
  }

  /** Seeded random option lists against an independent model of runc's rules. */
  @Test
  void randomOptionListsMatchTheModel() {
    List<String> vocabulary = new ArrayList<>();
    vocabulary.addAll(SETS.keySet());
    vocabulary.addAll(CLEARS.keySet());
    vocabulary.addAll(PROPAGATION.keySet());
    vocabulary.addAll(
        List.of("bind", "rbind", "defaults", "mode=755", "size=1m", "uid=0", "x-opt"));
    Random random = new Random(0x5115);
    for (int run = 0; run < 2000; run++) {
      List<String> options = new ArrayList<>();
      for (int n = random.nextInt(8); n > 0; n--) {
        options.add(vocabulary.get(random.nextInt(vocabulary.size())));
      }
      assertThat(MountOptions.parse(options)).as(options.toString()).isEqualTo(model(options));
    }
  }

  private static MountOptions model(List<String> options) {
    long flags = 0;
    long propagation = 0;
    List<String> data = new ArrayList<>();
    for (String o : options) {
      Long set = SETS.get(o);
      Long clear = CLEARS.get(o);
      Long prop = PROPAGATION.get(o);
      if (set != null) {
        flags |= set;
      } else if (clear != null) {
        flags &= ~clear;
      } else if (prop != null) {
        propagation = prop;
      } else if (!o.equals("bind") && !o.equals("rbind") && !o.equals("defaults")) {
        data.add(o);
      }
    }
    boolean bind = options.contains("bind") || options.contains("rbind");
    boolean rec = options.contains("rbind");
    flags |= (bind ? MS_BIND : 0) | (rec ? MS_REC : 0);
    return new MountOptions(flags, propagation, String.join(",", data), bind, rec);
  }
}
