package io.runbook.run;

import io.runbook.ast.Durations;
import io.runbook.ast.Phase;
import io.runbook.ast.Step;
import io.runbook.ast.Steps;
import io.runbook.ast.Value;
import io.runbook.eval.Scope;
import io.runbook.run.RunEvent.Block;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * `batch over T by K size N $$ ... $$`: the statement once per key range [:batch_from, :batch_to), in key order,
 * each range in a short transaction of its own that also writes the range's journal row. The key's bounds are read
 * once at the start; a range that touched no rows is followed by one index probe for the next key, so gaps cost
 * nothing. After a crash the journal says exactly which ranges committed, and a re-run goes on from the first that
 * did not.
 */
final class KeysetBatch {
    private static final List<String> INTEGER_TYPES = List.of("smallint", "integer", "bigint");

    private final StepRunner in;

    KeysetBatch(StepRunner in) {
        this.in = in;
    }

    /** The table and key as the catalog names them (quoted for SQL), and the key's type. */
    private record Key(String table, String column, String type) {}

    void run(Step.Batch b, Phase phase, Scope scope) {
        Step.Keyset k = b.over();
        Duration pause = b.pause() == null ? Duration.ZERO : in.longSteps().duration(b.pause(), scope, "pause");
        boolean auto = k.size() == null;
        long size = auto ? Step.Keyset.DEFAULT_SIZE : in.longSteps().number(k.size(), scope, "size");
        if (size < 1)
            throw new Failure(
                    ExitCode.GUARD_FAILED,
                    new Diagnostic(k.size().pos(), "size must be at least 1, got " + size, "write e.g. size 10000"));
        Located statement = new Located(in.engine.program.statements(b.sql()).get(0), b.sql());
        Key key = key(k);
        BigInteger[] bounds = bounds(key, k);
        String label = label(b, phase);
        long start = System.nanoTime();
        if (bounds == null) {
            in.emit(new RunEvent.Note(k.relation() + " has no rows with a " + k.key() + ": nothing to do"));
            in.emit(new RunEvent.BatchDone(b.pos(), 0, 0, Duration.ZERO));
            return;
        }
        BigInteger min = bounds[0];
        BigInteger end = bounds[1].add(BigInteger.ONE);
        BigInteger from = min;
        if (in.engine.block() == Block.PHASE && phase != null) {
            String at = resumeAt(phase, label);
            if (at != null && new BigInteger(at).compareTo(min) > 0) {
                from = new BigInteger(at);
                in.emit(new RunEvent.Note("resuming " + label + " at " + k.key() + " >= " + from
                        + ": the ranges below it committed in an earlier run (journaled)"));
                from = from.compareTo(end) >= 0 ? end : next(key, from, end);
            }
        }
        BigInteger first = from;
        RetryPolicy policy = in.retryPolicy(null, phase);
        long rows = 0;
        long n = 0;
        int entry = -1;
        String synchronous = asyncCommits();
        try {
            while (from.compareTo(end) < 0) {
                BigInteger to = from.add(BigInteger.valueOf(size)).min(end);
                Instant started = Instant.now();
                long t0 = System.nanoTime();
                long affected = range(statement, scope, policy, label, from, to, started);
                // a range in a gap says nothing of how long rows take
                if (auto && affected > 0) size = RangeSize.next(size, System.nanoTime() - t0);
                n++;
                rows += affected;
                String done = b.pos().file().name() + ":" + b.pos().line() + " " + label + ": keys below " + to + " ("
                        + rows + " rows in " + n + " batches)";
                entry = in.engine.committedSoFar(entry, done);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                double share =
                        to.subtract(min).doubleValue() / end.subtract(min).doubleValue();
                double walked = to.subtract(first).doubleValue();
                Duration eta = walked <= 0
                        ? null
                        : Duration.ofMillis(
                                (long) (elapsed.toMillis() * end.subtract(to).doubleValue() / walked));
                in.emit(new RunEvent.RangeDone(
                        b.pos(), n, k.key(), from.toString(), to.toString(), affected, rows, share, elapsed, eta));
                if (in.interrupted()) {
                    throw new Failure(
                            ExitCode.ABORTED,
                            new Diagnostic(
                                    b.pos(),
                                    "stopped by Ctrl-C after " + n + " batches (" + rows + " rows), below " + k.key()
                                            + " " + to,
                                    "the ranges so far are committed and journaled; re-run with --rerun to go on from "
                                            + k.key() + " " + to));
                }
                // A range that touched nothing may sit in a gap: one index probe finds where the keys go on.
                from = affected == 0 && to.compareTo(end) < 0 ? next(key, to, end) : to;
                if (from.compareTo(end) < 0) in.pause(pause);
            }
        } finally {
            if (synchronous != null) restore(synchronous);
        }
        in.emit(new RunEvent.BatchDone(b.pos(), n, rows, Duration.ofNanos(System.nanoTime() - start)));
    }

    /** One range in its own transaction with its journal row; a lock timeout is tried again on the retry policy. */
    private long range(
            Located statement,
            Scope scope,
            RetryPolicy policy,
            String label,
            BigInteger from,
            BigInteger to,
            Instant started) {
        Scope s = new Scope(scope);
        s.set(Step.Keyset.FROM, new Value.Num(new java.math.BigDecimal(from)));
        s.set(Step.Keyset.TO, new Value.Num(new java.math.BigDecimal(to)));
        for (int attempt = 1; ; attempt++) {
            try {
                in.session().begin(false);
                if (policy.enabled()) lockTimeout(Durations.format(policy.lockTimeout(attempt)));
                StepResult r = in.session().execute(List.of(statement), s, false, null);
                try {
                    in.progress()
                            .rangeCommitting(
                                    in.session().connection(),
                                    label + " [" + from + ", " + to + ")",
                                    to.toString(),
                                    r.affected(),
                                    started);
                } catch (SQLException e) {
                    in.session().rollbackQuietly();
                    throw Engine.journalLost(e);
                }
                in.session().commit();
                return r.affected();
            } catch (SqlFailure e) {
                in.session().rollbackQuietly();
                Failure f = in.sqlFailure(e);
                if (!in.engine.policy.retryLocks()
                        || !in.retryable(f, policy, attempt)
                        || !in.retry(policy, attempt, label + " [" + from + ", " + to + ")")) throw f;
            } catch (SQLException e) {
                in.session().rollbackQuietly();
                throw Engine.lost(e);
            }
        }
    }

    /**
     * synchronous_commit off on the session for the ranges, unless the runbook sets it; returns the value to put
     * back afterwards, or null. A range need not wait for its WAL to reach the disk: were the server to crash first,
     * the range and its journal row are lost together and a re-run does that range again; the phase's own record,
     * committed synchronously at its end, flushes every range before it. Set once rather than per range: one round
     * trip fewer for each range.
     */
    private String asyncCommits() {
        if (in.engine.program.runbook().settings().stream()
                .anyMatch(s -> s.name().equals("synchronous_commit"))) return null;
        try (PreparedStatement ps = in.session()
                        .connection()
                        .prepareStatement("select current_setting('synchronous_commit'),"
                                + " set_config('synchronous_commit', 'off', false)");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw Engine.lost(e);
        }
    }

    private void restore(String synchronous) {
        try {
            in.session().set("synchronous_commit", synchronous);
        } catch (SQLException e) {
            // The connection is gone (the failure that ended the loop says so); the setting goes with the session.
        }
    }

    /** The range's attempt's lock_timeout, for its transaction only. */
    private void lockTimeout(String value) throws SQLException {
        in.session().setLocal("lock_timeout", value);
    }

    /**
     * "batch over accounts by id", and " (2)" for the second keyset batch over the same table and key in the phase:
     * how the journal names its ranges, and finds them again on a re-run.
     */
    private static String label(Step.Batch b, Phase phase) {
        String base = "batch over " + b.over().relation() + " by " + b.over().key();
        if (phase == null) return base;
        int same = 0;
        for (Steps.At at : Steps.all(phase.steps(), phase, Steps.Block.STEPS)) {
            if (at.step() instanceof Step.Batch o
                    && o.keyset()
                    && o.over().relation().equals(b.over().relation())
                    && o.over().key().equals(b.over().key())) {
                same++;
                if (o == b) break;
            }
        }
        return same > 1 ? base + " (" + same + ")" : base;
    }

    private String resumeAt(Phase phase, String label) {
        try {
            return in.progress().resumeAt(phase, label + " [");
        } catch (SQLException e) {
            throw Engine.journalLost(e);
        }
    }

    /** The table and key from the catalog: they must exist, and the key must be an integer. */
    private Key key(Step.Keyset k) {
        String sql =
                "select format('%I.%I', n.nspname, c.relname), quote_ident(a.attname), format_type(a.atttypid, null),"
                        + " a.attname is not null from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                        + " left join pg_attribute a on a.attrelid = c.oid and a.attname = ? and a.attnum > 0 and not a.attisdropped"
                        + " where c.oid = to_regclass(?)";
        try (PreparedStatement ps = in.session().connection().prepareStatement(sql)) {
            // unquoted names fold to lower case in SQL, and so here
            ps.setString(1, k.key().toLowerCase(Locale.ROOT));
            ps.setString(2, k.relation());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next())
                    throw new Failure(
                            ExitCode.SQL_ERROR,
                            new Diagnostic(
                                    k.pos(),
                                    "batch over " + k.relation() + ": there is no table " + k.relation(),
                                    "check the name (and schema) of the table the batch walks"),
                            "42P01");
                if (!rs.getBoolean(4))
                    throw new Failure(
                            ExitCode.SQL_ERROR,
                            new Diagnostic(
                                    k.pos(),
                                    "batch over " + k.relation() + " by " + k.key() + ": " + rs.getString(1)
                                            + " has no column " + k.key(),
                                    "walk the table by its integer primary key (or another indexed integer column)"),
                            "42703");
                Key key = new Key(rs.getString(1), rs.getString(2), rs.getString(3));
                if (!INTEGER_TYPES.contains(key.type()))
                    throw new Failure(
                            ExitCode.SQL_ERROR,
                            new Diagnostic(
                                    k.pos(),
                                    "batch over " + k.relation() + " by " + k.key() + ": the key is " + key.type()
                                            + ", a keyset batch walks an integer key (smallint, integer or bigint)",
                                    "walk an integer column instead, or use `batch $$ ... limit N $$ until affected == 0`"),
                            "42804");
                return key;
            }
        } catch (SQLException e) {
            throw Engine.lost(e);
        }
    }

    /** min and max of the key (one query, two index probes when the key is indexed); null when there are no rows. */
    private BigInteger[] bounds(Key key, Step.Keyset k) {
        String sql = "select min(" + key.column() + ")::text, max(" + key.column() + ")::text from " + key.table();
        try (Statement st = in.session().connection().createStatement()) {
            in.session().running(st);
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                if (rs.getString(1) == null) return null;
                return new BigInteger[] {new BigInteger(rs.getString(1)), new BigInteger(rs.getString(2))};
            }
        } catch (SQLException e) {
            throw failure(e, k);
        } finally {
            in.session().running(null);
        }
    }

    /** The first key at or after `at`, or `end` when there is none. */
    private BigInteger next(Key key, BigInteger at, BigInteger end) {
        String sql =
                "select min(" + key.column() + ")::text from " + key.table() + " where " + key.column() + " >= " + at;
        try (Statement st = in.session().connection().createStatement()) {
            in.session().running(st);
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                String v = rs.getString(1);
                return v == null ? end : new BigInteger(v).min(end);
            }
        } catch (SQLException e) {
            throw failure(e, null);
        } finally {
            in.session().running(null);
        }
    }

    private Failure failure(SQLException e, Step.Keyset k) {
        if (ConnectionLoss.is(e)) return Engine.lost(e);
        boolean cancelled = "57014".equals(e.getSQLState()) && in.interrupted();
        return new Failure(
                cancelled ? ExitCode.ABORTED : ExitCode.SQL_ERROR,
                new Diagnostic(
                        k == null ? null : k.pos(),
                        "reading the key range failed: " + e.getMessage(),
                        "check the table and key of the batch"),
                e.getSQLState());
    }
}
