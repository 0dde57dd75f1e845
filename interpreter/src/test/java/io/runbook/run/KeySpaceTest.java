package io.runbook.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which ranges a keyset batch hands out, given the ranges an earlier run committed in any order. */
class KeySpaceTest {
    private static BigInteger[] r(long from, long to) {
        return new BigInteger[] {BigInteger.valueOf(from), BigInteger.valueOf(to)};
    }

    private static List<String> all(KeySpace keys, long size) {
        List<String> out = new ArrayList<>();
        for (BigInteger[] x = keys.take(size); x != null; x = keys.take(size)) out.add("[" + x[0] + ", " + x[1] + ")");
        return out;
    }

    @Test
    void aRerunSkipsEveryCommittedRangeAndRunsEachOtherKeyOnce() {
        // a parallel run killed with [1, 101) under way: ranges above it had committed, one of them out of order
        KeySpace keys = new KeySpace(
                BigInteger.ONE, BigInteger.valueOf(1001), List.of(r(101, 201), r(301, 401), r(201, 301), r(601, 701)));
        assertThat(keys.resumed()).isTrue();
        assertThat(keys.firstUndone()).isEqualTo(BigInteger.ONE);
        assertThat(keys.doneAbove()).as("[101, 401) and [601, 701)").isEqualTo(2);
        assertThat(all(keys, 250)).containsExactly("[1, 101)", "[401, 601)", "[701, 951)", "[951, 1001)");
    }

    @Test
    void rangesCommittedOutOfOrderLeaveTheFirstUndoneKeyAtTheLowestRangeUnderWay() {
        KeySpace keys = new KeySpace(BigInteger.ONE, BigInteger.valueOf(1001), List.of());
        BigInteger[] a = keys.take(100);
        BigInteger[] b = keys.take(100);
        keys.finished(b[0], b[1]);
        assertThat(keys.firstUndone()).isEqualTo(BigInteger.ONE);
        assertThat(keys.doneAbove()).isEqualTo(1);
        keys.finished(a[0], a[1]);
        assertThat(keys.firstUndone()).isEqualTo(BigInteger.valueOf(201));
        assertThat(keys.doneAbove()).isZero();
        assertThat(keys.share()).isEqualTo(0.2);
    }

    @Test
    void aGapFoundEmptyIsSkippedButNotARangeUnderWay() {
        KeySpace keys = new KeySpace(BigInteger.ONE, BigInteger.valueOf(100_001), List.of());
        BigInteger[] a = keys.take(100); // [1, 101) found empty; the next key is 90,000
        BigInteger[] b = keys.take(100); // [101, 201) under way meanwhile
        keys.finished(a[0], a[1]);
        keys.empty(a[1], BigInteger.valueOf(90_000));
        assertThat(keys.take(100)).containsExactly(BigInteger.valueOf(90_000), BigInteger.valueOf(90_100));
        assertThat(keys.firstUndone()).as("[101, 201) is still under way").isEqualTo(b[0]);
        assertThat(keys.more()).isTrue();
    }
}
