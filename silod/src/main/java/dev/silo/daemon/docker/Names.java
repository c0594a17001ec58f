package dev.silo.daemon.docker;

import java.util.List;
import java.util.random.RandomGenerator;

/** dockerd's generated container names: {@code adjective_surname} (namesgenerator). */
final class Names {
  private static final List<String> LEFT =
      List.of(
          "admiring",
          "agitated",
          "amazing",
          "bold",
          "brave",
          "busy",
          "clever",
          "cool",
          "dreamy",
          "eager",
          "elegant",
          "epic",
          "focused",
          "gallant",
          "happy",
          "jolly",
          "keen",
          "kind",
          "loving",
          "modest",
          "nice",
          "quirky",
          "relaxed",
          "serene",
          "sharp",
          "stoic",
          "tender",
          "vibrant",
          "wizardly",
          "zen");
  private static final List<String> RIGHT =
      List.of(
          "almeida",
          "babbage",
          "bell",
          "curie",
          "darwin",
          "dijkstra",
          "einstein",
          "euler",
          "feynman",
          "gauss",
          "hopper",
          "hypatia",
          "kepler",
          "knuth",
          "lamport",
          "lovelace",
          "mccarthy",
          "noether",
          "pascal",
          "ritchie",
          "shannon",
          "thompson",
          "torvalds",
          "turing",
          "wozniak");

  private Names() {}

  /** A name; with {@code retry} a digit is appended, as namesgenerator does after a clash. */
  static String random(RandomGenerator r, boolean retry) {
    String n = LEFT.get(r.nextInt(LEFT.size())) + "_" + RIGHT.get(r.nextInt(RIGHT.size()));
    return retry ? n + r.nextInt(10) : n;
  }
}
