package io.runbook.run;

/**
 * The size of a keyset batch's next range when the step names none: the last range's size scaled so that a range
 * takes about {@link #TARGET_NANOS}. A client that wants a row the range has locked waits at most for the range to
 * commit, so the target bounds that wait; ranges that long, rather than a fixed 10,000 keys, mean fewer commits, and
 * the range's locks hold the clients back for the backfill's sake about as long as the target allows. A quick range
 * grows the next one by the square root of the shortfall (a range's time is noisy on a busy server, and a range
 * too long is what a client feels), at most twice; a slow one shrinks it at once, to a quarter at most.
 */
final class RangeSize {
    /** How long a range should take, from its start to its commit. */
    static final long TARGET_NANOS = 200_000_000L;

    private RangeSize() {}

    static long next(long size, long tookNanos) {
        double ratio = (double) TARGET_NANOS / Math.max(tookNanos, 1);
        double factor = ratio >= 1 ? Math.min(2.0, Math.sqrt(ratio)) : Math.max(0.25, ratio);
        return Math.max(1, Math.round(size * factor));
    }
}
