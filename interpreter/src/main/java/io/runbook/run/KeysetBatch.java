package io.runbook.run;

import io.runbook.ast.Phase;
import io.runbook.ast.Step;
import io.runbook.ast.Steps;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `batch over T by K size N parallel P $$ ... $$`: the statement once per key range [:batch_from, :batch_to), in
 * key order, each range in a short transaction of its own that also writes the range's journal row; with
 * `parallel P`, P ranges at a time on P sessions (the run's own and P - 1 opened for the batch). The key's bounds are
 * read once at the start; a range that touched no rows is followed by one index probe for the next key, so gaps
 * cost nothing. After a crash the journal says exactly which ranges committed, and a re-run skips those and runs
 * every other (see {@link KeySpace}); the walk itself is {@link KeysetWalk}.
 */
final class KeysetBatch {
    private static final List<String> INTEGER_TYPES = List.of("smallint", "integer", "bigint");

    private final StepRunner in;

    KeysetBatch(StepRunner in) {
        this.in = in;
    }

    /** A journal label's range: ` [from, to)`. */
    private static final Pattern RANGE = Pattern.compile(" \\[(-?\\d+), (-?\\d+)\\)");

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
        int parallel = parallel(k, scope);
        Located statement = new Located(in.engine.program.statements(b.sql()).get(0), b.sql());
        Key key = key(k);
        BigInteger[] bounds = bounds(key, k);
        String label = label(b, phase);
        if (bounds == null) {
            in.emit(new RunEvent.Note(k.relation() + " has no rows with a " + k.key() + ": nothing to do"));
            in.emit(new RunEvent.BatchDone(b.pos(), 0, 0, Duration.ZERO));
            return;
        }
        BigInteger min = bounds[0];
        BigInteger end = bounds[1].add(BigInteger.ONE);
        boolean resumable = in.engine.block() == Block.PHASE && phase != null;
        KeySpace keys = new KeySpace(min, end, resumable ? finished(phase, label) : List.of());
        if (keys.resumed()) in.emit(new RunEvent.Note(resumed(label, k.key(), keys, min)));
        KeysetWalk.Plan plan = new KeysetWalk.Plan(
                b, statement, scope, key.table(), key.column(), label, size, auto, pause, in.retryPolicy(null, phase));
        String synchronous = asyncCommits();
        List<Session> sessions = new ArrayList<>(List.of(in.session()));
        try {
            if (parallel > 1 && keys.more()) sessions.addAll(RangeSessions.open(in, parallel - 1, k));
            new KeysetWalk(in, plan, keys, end).run(sessions);
        } finally {
            for (Session s : sessions.subList(1, sessions.size())) {
                in.engine.aside.remove(s);
                s.close();
            }
            if (synchronous != null) restore(synchronous);
        }
    }

    /** `parallel N` as evaluated: 1 without it; a number from a param is checked here (one written is checked early). */
    private int parallel(Step.Keyset k, Scope scope) {
        if (k.parallel() == null) return 1;
        long p = in.longSteps().number(k.parallel(), scope, "parallel");
        if (p < 1 || p > Step.Keyset.MAX_PARALLEL)
            throw new Failure(
                    ExitCode.GUARD_FAILED,
                    new Diagnostic(
                            k.parallel().pos(),
                            "parallel must be a whole number from 1 to " + Step.Keyset.MAX_PARALLEL + ", got " + p,
                            "write e.g. `parallel 2`: that many ranges at once, each on a connection of its own"));
        return (int) p;
    }

    /** The note a re-run gives: where it goes on, and what it skips above that. */
    private static String resumed(String label, String column, KeySpace keys, BigInteger min) {
        BigInteger at = keys.firstUndone();
        int above = keys.doneAbove();
        String stretches = above + (above == 1 ? " stretch" : " stretches") + " of keys";
        if (at.equals(min))
            return "resuming " + label + ": " + stretches + " committed in an earlier run (journaled) are skipped";
        return "resuming " + label + " at " + column + " >= " + at
                + ": the ranges below it committed in an earlier run (journaled)"
                + (above == 0 ? "" : ", and " + stretches + " above it, which are skipped");
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

    /** The [from, to) of the ranges an earlier run committed, read back from their journal rows' labels. */
    private List<BigInteger[]> finished(Phase phase, String label) {
        List<String> labels;
        try {
            labels = in.progress().finishedRanges(phase, label + " [");
        } catch (SQLException e) {
            throw Engine.journalLost(e);
        }
        List<BigInteger[]> out = new ArrayList<>();
        for (String l : labels) {
            Matcher m = RANGE.matcher(l.substring(label.length()));
            if (m.matches()) out.add(new BigInteger[] {new BigInteger(m.group(1)), new BigInteger(m.group(2))});
        }
        return out;
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
            throw failure(e, k, in);
        } finally {
            in.session().running(null);
        }
    }

    static Failure failure(SQLException e, Step.Keyset k, StepRunner in) {
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
