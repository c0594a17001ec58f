package dev.silo.images;

/** How a container from an image would run: HCS's {@code process} or {@code hyperv} isolation. */
public enum Isolation {
  PROCESS,
  HYPERV
}
