package io.runbook.run;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys [min, end) of a keyset batch: which are done (ranges committed, in this run or an earlier one, and gaps
 * found empty), and the next range to hand out. Ranges go out in key order from the lowest key neither done nor
 * handed out, and never cover a done key: ranges run at once commit out of order, so after a crash the done keys
 * need not be contiguous, and a re-run still runs each range once. Shared by the workers of a parallel batch.
 */
final class KeySpace {
    private final BigInteger min;
    private final BigInteger end;
    /** Done keys, as merged [from, to) stretches within [min, end): from -> to. */
    private final TreeMap<BigInteger, BigInteger> done = new TreeMap<>();
    /** How many keys were done before this run. */
    private final BigInteger doneBefore;
    /** Every key below it is done or handed out. */
    private BigInteger cursor;

    /** finished: the [from, to) of ranges an earlier run committed (any order, any overlap, in or out of bounds). */
    KeySpace(BigInteger min, BigInteger end, List<BigInteger[]> finished) {
        this.min = min;
        this.end = end;
        this.cursor = min;
        for (BigInteger[] r : finished) add(r[0], r[1]);
        this.doneBefore = doneKeys();
    }

    /** The next range of at most size keys, or null when every key is done or handed out. */
    synchronized BigInteger[] take(long size) {
        Map.Entry<BigInteger, BigInteger> in = done.floorEntry(cursor);
        if (in != null && in.getValue().compareTo(cursor) > 0) cursor = in.getValue();
        if (cursor.compareTo(end) >= 0) return null;
        BigInteger to = cursor.add(BigInteger.valueOf(size)).min(end);
        BigInteger nextDone = done.higherKey(cursor);
        if (nextDone != null) to = to.min(nextDone);
        BigInteger[] range = {cursor, to};
        cursor = to;
        return range;
    }

    /** Whether a range is left to hand out. */
    synchronized boolean more() {
        Map.Entry<BigInteger, BigInteger> in = done.floorEntry(cursor);
        BigInteger at = in != null && in.getValue().compareTo(cursor) > 0 ? in.getValue() : cursor;
        return at.compareTo(end) < 0;
    }

    /** The range committed. */
    synchronized void finished(BigInteger from, BigInteger to) {
        add(from, to);
    }

    /** No key lies in [from, to) (an index probe said so): the part of it not handed out yet is done, and skipped. */
    synchronized void empty(BigInteger from, BigInteger to) {
        BigInteger start = from.max(cursor);
        if (start.compareTo(to) >= 0) return;
        add(start, to);
        cursor = to.min(end);
    }

    /** The lowest key not done (a range holding it may be under way), or end when all are. */
    synchronized BigInteger firstUndone() {
        Map.Entry<BigInteger, BigInteger> first = done.firstEntry();
        return first != null && first.getKey().equals(min) ? first.getValue() : min;
    }

    /** Stretches of done keys above {@link #firstUndone()}: ranges that committed ahead of a lower one. */
    synchronized int doneAbove() {
        return done.size() - (firstUndone().equals(min) ? 0 : 1);
    }

    /** The share of the keys done, 0 to 1. */
    synchronized double share() {
        return doneKeys().doubleValue() / end.subtract(min).doubleValue();
    }

    /** Keys done in this run, and keys left. */
    synchronized BigInteger walked() {
        return doneKeys().subtract(doneBefore);
    }

    synchronized BigInteger left() {
        return end.subtract(min).subtract(doneKeys());
    }

    boolean resumed() {
        return doneBefore.signum() > 0;
    }

    private BigInteger doneKeys() {
        BigInteger n = BigInteger.ZERO;
        for (Map.Entry<BigInteger, BigInteger> e : done.entrySet())
            n = n.add(e.getValue().subtract(e.getKey()));
        return n;
    }

    /** Marks [from, to) done, clipped to the key space and merged with the stretches it touches. */
    private void add(BigInteger from, BigInteger to) {
        from = from.max(min);
        to = to.min(end);
        if (from.compareTo(to) >= 0) return;
        Map.Entry<BigInteger, BigInteger> before = done.floorEntry(from);
        if (before != null && before.getValue().compareTo(from) >= 0) {
            from = before.getKey();
            to = to.max(before.getValue());
            done.remove(before.getKey());
        }
        for (Map.Entry<BigInteger, BigInteger> e = done.ceilingEntry(from);
                e != null && e.getKey().compareTo(to) <= 0;
                e = done.ceilingEntry(from)) {
            to = to.max(e.getValue());
            done.remove(e.getKey());
        }
        done.put(from, to);
    }
}
