package dev.silo.images;

import java.util.List;

/**
 * A Windows OS version {@code major.minor.build.revision} as images carry it in {@code os.version}
 * and as a host reports it (hcsshim {@code osversion.OSVersion}).
 */
public record OsVersion(int major, int minor, int build, int revision) {
  /** Windows Server 2022 (LTSC 2022), build 20348: the default host version. */
  public static final OsVersion WS2022 = new OsVersion(10, 0, 20348, 1);

  /** Builds from which the "stable ABI" rule holds (hcsshim {@code compatLTSCReleases}). */
  static final List<Integer> COMPAT_LTSC_RELEASES = List.of(20348, 26100);

  public OsVersion {
    if (major < 0 || minor < 0 || build < 0 || revision < 0) {
      throw new IllegalArgumentException("OS version parts must not be negative");
    }
  }

  /**
   * Parses {@code 10.0.20348.1} (the revision may be left out: {@code 10.0.20348}).
   *
   * @throws IllegalArgumentException naming the text when it is not such a version
   */
  public static OsVersion parse(String text) {
    String[] parts = text.trim().split("\\.", -1);
    if (parts.length < 3 || parts.length > 4) {
      throw new IllegalArgumentException(
          "invalid OS version \"" + text + "\": expected major.minor.build[.revision]");
    }
    int[] n = new int[4];
    for (int i = 0; i < parts.length; i++) {
      try {
        n[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "invalid OS version \"" + text + "\": \"" + parts[i] + "\" is not a number", e);
      }
      if (n[i] < 0) {
        throw new IllegalArgumentException("invalid OS version \"" + text + "\": negative part");
      }
    }
    return new OsVersion(n[0], n[1], n[2], n[3]);
  }

  /**
   * Whether a container of {@code image}'s version runs on this host with {@code isolation}.
   *
   * <p>Process isolation follows hcsshim {@code CheckHostAndContainerCompat}: major and minor
   * equal; a host older than WS2022 needs the same build; a newer host runs builds from the LTSC
   * before it up to its own. Hyper-V isolation runs the same or an older version.
   */
  public boolean canRun(OsVersion image, Isolation isolation) {
    if (isolation == Isolation.HYPERV) {
      // the utility VM boots the image's own kernel: any build up to the host's, any revision
      return compareTo(new OsVersion(image.major, image.minor, image.build, revision)) >= 0;
    }
    if (major != image.major || minor != image.minor) {
      return false;
    }
    int firstLtsc = COMPAT_LTSC_RELEASES.getFirst();
    if (build < firstLtsc) {
      return build == image.build;
    }
    int oldestSupported = firstLtsc;
    for (int i = COMPAT_LTSC_RELEASES.size() - 1; i >= 0; i--) {
      if (build > COMPAT_LTSC_RELEASES.get(i)) {
        oldestSupported = COMPAT_LTSC_RELEASES.get(i);
        break;
      }
    }
    return oldestSupported <= image.build && image.build <= build;
  }

  /** Orders by major, minor, build, then revision. */
  public int compareTo(OsVersion other) {
    int c = Integer.compare(major, other.major);
    if (c == 0) {
      c = Integer.compare(minor, other.minor);
    }
    if (c == 0) {
      c = Integer.compare(build, other.build);
    }
    return c != 0 ? c : Integer.compare(revision, other.revision);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + build + "." + revision;
  }
}
