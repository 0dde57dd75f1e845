package io.runbook.ast;

import java.time.Duration;

/** Duration literals: 250ms 5s 2min 15m 1h 1d, the units PostgreSQL settings also accept. */
public final class Durations {
    private static final Duration MAX = Duration.ofDays(365L * 1000);

    private Durations() {}

    /** Parses "250ms", "5s", "2min", "15m", "1h", "1d"; returns null when the text is not a duration. */
    public static Duration parse(String s) {
        String t = s.trim();
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) i++;
        if (i == 0 || i > 15) return null;
        long n = Long.parseLong(t.substring(0, i));
        try {
            Duration d = switch (t.substring(i).trim()) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> null;
            };
            // Beyond this, milliseconds no longer fit a long: far past any sensible timeout.
            return d == null || d.compareTo(MAX) > 0 ? null : d;
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** The largest whole unit: 1500ms, 5s, 2min, 1h; PostgreSQL reads these forms as settings and intervals. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) return "0ms";
        if (ms % 86_400_000L == 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0) return ms / 60_000L + "min";
        if (ms % 1000L == 0) return ms / 1000L + "s";
        return ms + "ms";
    }

    /** For timings shown to the operator: 3ms, 1.24s, 2min 5s. */
    public static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + "ms";
        if (ms < 60_000) return String.format(java.util.Locale.ROOT, "%.2fs", ms / 1000.0);
        return (ms / 60_000) + "min " + (ms % 60_000) / 1000 + "s";
    }
}
