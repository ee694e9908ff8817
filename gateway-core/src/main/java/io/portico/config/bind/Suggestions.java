package io.portico.config.bind;

import java.util.Collection;

/** Finds the known word closest to a misspelt one, for "did you mean" hints. */
public final class Suggestions {

  private Suggestions() {}

  /**
   * The closest of {@code known} to {@code word} by edit distance, ignoring case, or {@code null}
   * when none is close enough to be a likely typo.
   */
  public static String closest(String word, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lower = word.toLowerCase(java.util.Locale.ROOT);
    for (String candidate : known) {
      int distance = distance(lower, candidate.toLowerCase(java.util.Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = Math.max(2, word.length() / 3);
    return bestDistance <= allowed ? best : null;
  }

  /** {@code " (did you mean \"x\"?)"} or, with no close match, the list of known words. */
  public static String hint(String word, Collection<String> known) {
    String closest = closest(word, known);
    if (closest != null) {
      return " (did you mean \"" + closest + "\"?)";
    }
    if (known.isEmpty()) {
      return "";
    }
    return " (expected one of: " + String.join(", ", known) + ")";
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
