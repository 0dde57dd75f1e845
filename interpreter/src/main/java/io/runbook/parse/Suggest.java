package io.runbook.parse;

import java.util.Collection;

/**
 * "Did you mean": the closest known word within a small edit distance. The cost is bounded whatever the
 * input: names much longer than every candidate are never compared, and the distance stops early.
 */
public final class Suggest {
    /** Longer names are never suggested for: a typo keeps a word's length. */
    private static final int MAX_LENGTH = 64;

    private Suggest() {}

    /** The closest candidate at distance 1 or 2 (1 for short words), or null. */
    public static String closest(String word, Collection<String> candidates) {
        if (word.length() > MAX_LENGTH) return null;
        String best = null;
        int bestDistance = word.length() <= 3 ? 2 : 3;
        for (String c : candidates) {
            if (c.equals(word) || Math.abs(c.length() - word.length()) >= bestDistance) continue;
            int d = distance(word, c, bestDistance);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    /** " (did you mean 'x'?)" or "". */
    public static String hint(String word, Collection<String> candidates) {
        String best = closest(word, candidates);
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static final java.util.regex.Pattern LONG_NAME =
            java.util.regex.Pattern.compile("([A-Za-z_0-9]{40})[A-Za-z_0-9]{21,}");

    /** A message about a name of a million characters should not be a million characters long. */
    public static String shortenNames(String text) {
        return LONG_NAME.matcher(text).replaceAll("$1...");
    }

    /** Levenshtein distance with adjacent transpositions counted as one, or `limit` once it is reached. */
    static int distance(String a, String b, int limit) {
        int[] prev2 = new int[b.length() + 1];
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, prev2[j - 2] + 1);
                }
                cur[j] = d;
                rowMin = Math.min(rowMin, d);
            }
            if (rowMin >= limit) return limit;
            int[] t = prev2;
            prev2 = prev;
            prev = cur;
            cur = t;
        }
        return Math.min(prev[b.length()], limit);
    }
}
