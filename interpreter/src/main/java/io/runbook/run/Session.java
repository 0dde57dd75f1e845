package io.runbook.run;

import io.runbook.ast.Value;
import io.runbook.eval.QueryRunner;
import io.runbook.eval.Scope;
import io.runbook.source.Diagnostic;
import io.runbook.source.SqlText;
import io.runbook.sql.PsqlVariables;
import io.runbook.sql.SqlSplitter;
import io.runbook.sql.SqlStatement;
import io.runbook.sql.UndefinedVariableException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.PGInterval;
import org.postgresql.util.PSQLWarning;

/**
 * The runbook's one database session: transactions, statement execution and the queries of guards.
 * Statements that return no rows are sent as one JDBC batch, which pgjdbc pipelines in a single round
 * trip; a failure inside the batch is still traced to its statement.
 */
public final class Session implements QueryRunner, AutoCloseable {
    /** --debug and --log-file show each statement as written (variables not substituted: no secret shows) with its timing. */
    private static final class Sent {
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.runbook.sql.sent");
    }

    private static void sent(Located l, long startNanos, long rows) {
        if (!DetailLogs.on() || !Sent.LOG.isDebugEnabled()) return;
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        String sql = l.statement().text();
        if (sql.length() > 4000) sql = sql.substring(0, 4000) + "...";
        Sent.LOG
                .atDebug()
                .addKeyValue("at", String.valueOf(l.pos()))
                .addKeyValue("duration_ms", ms)
                .addKeyValue("rows", rows)
                .log("{} ({} ms, {} rows): {}", l.pos(), ms, rows, sql);
    }

    static final int SHOWN_ROWS = 20;

    private final Connection connection;
    private volatile Statement running;

    public Session(Connection connection) {
        this.connection = connection;
    }

    public Connection connection() {
        return connection;
    }

    /** Session settings (`set name = value`), applied through set_config so values need no quoting. */
    public void set(String name, String value) throws SQLException {
        try (var ps = connection.prepareStatement("select set_config(?, ?, false)")) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.execute();
        }
    }

    /** A setting for the current transaction only (SET LOCAL): it ends with COMMIT or ROLLBACK. */
    public void setLocal(String name, String value) throws SQLException {
        try (var ps = connection.prepareStatement("select set_config(?, ?, true)")) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.execute();
        }
    }

    public void begin(boolean readOnly) throws SQLException {
        connection.setAutoCommit(false);
        if (readOnly) {
            try (Statement s = connection.createStatement()) {
                s.execute("SET TRANSACTION READ ONLY");
            }
        }
    }

    public void commit() throws SQLException {
        connection.commit();
        connection.setAutoCommit(true);
    }

    /** A savepoint in the open transaction: a step or a typed statement that fails is undone to it alone. */
    public Savepoint savepoint() throws SQLException {
        return connection.setSavepoint();
    }

    public void release(Savepoint sp) throws SQLException {
        connection.releaseSavepoint(sp);
    }

    /** Undoes everything since the savepoint, and drops it. */
    public void rollbackTo(Savepoint sp) throws SQLException {
        connection.rollback(sp);
        connection.releaseSavepoint(sp);
    }

    /** Reads something on the session's connection. */
    public interface Look<T> {
        T read(Connection c) throws SQLException;
    }

    /**
     * Reads aside from the work (the shell's completion): inside an open transaction under a savepoint,
     * so that a failing read does not abort the transaction.
     */
    public <T> T look(Look<T> look) throws SQLException {
        if (txState() != TxState.OPEN) return look.read(connection);
        Savepoint sp = connection.setSavepoint();
        T t;
        try {
            t = look.read(connection);
        } catch (SQLException e) {
            connection.rollback(sp);
            throw e;
        }
        connection.releaseSavepoint(sp);
        return t;
    }

    /** The server's view of the session's transaction, as psql shows it in its prompt. */
    public enum TxState {
        IDLE,
        OPEN,
        FAILED
    }

    /** Whether a transaction is open on the server (also one begun by a typed BEGIN), and whether it has failed. */
    public TxState txState() {
        try {
            return switch (connection.unwrap(BaseConnection.class).getTransactionState()) {
                case OPEN -> TxState.OPEN;
                case FAILED -> TxState.FAILED;
                default -> TxState.IDLE;
            };
        } catch (SQLException e) {
            return TxState.IDLE;
        }
    }

    /** Whether this session (not a typed BEGIN) holds a transaction open. */
    public boolean ownsTransaction() {
        try {
            return !connection.getAutoCommit();
        } catch (SQLException e) {
            return false;
        }
    }

    /** Rolls back whatever is open, also a transaction begun by a typed BEGIN; quiet when the connection is gone. */
    public void abandon() {
        rollbackQuietly();
        if (txState() == TxState.IDLE) return;
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // the server rolls it back when the session ends
        }
    }

    /** Rolls back whatever is open; quiet when the connection is already gone (the server rolled back then). */
    public void rollbackQuietly() {
        try {
            if (!connection.isClosed() && !connection.getAutoCommit()) connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // The server discards an open transaction when the session ends.
        }
    }

    /** The statement that Ctrl-C cancels (ScriptRunner runs its own). */
    void running(Statement s) {
        running = s;
    }

    /** Cancels the running statement on the server (Ctrl-C). */
    public void cancel() {
        Statement s = running;
        if (s != null) {
            try {
                s.cancel();
            } catch (SQLException ignored) {
                // Nothing was running any more.
            }
        }
    }

    /**
     * Runs statements in order. In a transaction, row-less statements are pipelined as a batch; in
     * autocommit each runs on its own, and `committed` hears of each one that has committed.
     */
    public StepResult execute(List<Located> statements, Scope scope, boolean autocommit, Consumer<Located> committed) {
        long start = System.nanoTime();
        if (statements.isEmpty()) return new StepResult(0, 0, Duration.ZERO, List.of());
        long affected = 0;
        List<StepResult.ResultTable> tables = new ArrayList<>();
        List<Located> batch = new ArrayList<>();
        List<PsqlVariables.Substituted> batchSql = new ArrayList<>();
        try (Statement st = connection.createStatement()) {
            st.setEscapeProcessing(false);
            for (Located l : statements) {
                PsqlVariables.Substituted sql = substitute(l, scope);
                SqlStatement s = l.statement();
                if (!autocommit && !s.returnsRows() && !s.isCopyFromStdin()) {
                    st.addBatch(sql.sql());
                    batch.add(l);
                    batchSql.add(sql);
                    continue;
                }
                affected += flush(st, batch, batchSql);
                affected += single(st, l, sql, tables);
                if (autocommit && committed != null) committed.accept(l);
            }
            affected += flush(st, batch, batchSql);
        } catch (SQLException e) {
            throw SqlErrors.failure(e, statements.get(0), null);
        }
        return new StepResult(
                affected, statements.size(), Duration.ofNanos(System.nanoTime() - start), List.copyOf(tables));
    }

    private long flush(Statement st, List<Located> batch, List<PsqlVariables.Substituted> sql) {
        if (batch.isEmpty()) return 0;
        running = st;
        long start = System.nanoTime();
        try {
            long sum = 0;
            int[] counts = st.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                sum += Math.max(counts[i], 0);
                if (i < batch.size()) sent(batch.get(i), start, Math.max(counts[i], 0));
            }
            return sum;
        } catch (BatchUpdateException e) {
            int failed = failedEntry(e, sql);
            throw SqlErrors.failure(e, batch.get(failed), sql.get(failed));
        } catch (SQLException e) {
            throw SqlErrors.failure(e, batch.get(0), sql.get(0));
        } finally {
            running = null;
            batch.clear();
            sql.clear();
            try {
                st.clearBatch();
            } catch (SQLException ignored) {
                // The statement is closed with the step.
            }
        }
    }

    /**
     * Which statement of a batch failed. pgjdbc marks every entry EXECUTE_FAILED once the transaction
     * aborts, but names the failing entry and its SQL in the message ("Batch entry 2 ... was aborted");
     * matching the SQL keeps this independent of the message's language.
     */
    static int failedEntry(BatchUpdateException e, List<PsqlVariables.Substituted> sql) {
        String message = String.valueOf(e.getMessage());
        int best = -1;
        for (int i = 0; i < sql.size(); i++) {
            int at = message.indexOf(sql.get(i).sql());
            if (at < 0) continue;
            if (best < 0 || message.lastIndexOf(" " + i + " ", at) >= 0) best = i;
        }
        if (best >= 0) return best;
        int[] counts = e.getUpdateCounts();
        for (int i = 0; i < counts.length && i < sql.size(); i++) if (counts[i] == Statement.EXECUTE_FAILED) return i;
        return Math.min(counts.length, sql.size() - 1);
    }

    private long single(Statement st, Located l, PsqlVariables.Substituted sql, List<StepResult.ResultTable> tables) {
        running = st;
        long start = System.nanoTime();
        try {
            SqlStatement s = l.statement();
            if (s.isCopyFromStdin()) {
                long copied = connection
                        .unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(sql.sql(), new StringReader(s.copyData()));
                sent(l, start, copied);
                return copied;
            }
            long affected = 0;
            boolean isResult = st.execute(sql.sql());
            while (true) {
                if (isResult) {
                    try (ResultSet rs = st.getResultSet()) {
                        tables.add(table(rs, SHOWN_ROWS));
                    }
                } else {
                    int n = st.getUpdateCount();
                    if (n < 0) break;
                    affected += n;
                }
                isResult = st.getMoreResults();
            }
            sent(l, start, affected);
            return affected;
        } catch (SQLException e) {
            throw SqlErrors.failure(e, l, sql);
        } catch (java.io.IOException e) {
            throw new SqlFailure(
                    new Diagnostic(
                            l.pos(), "COPY failed: " + e.getMessage(), "check the COPY data after the statement"),
                    "58030");
        } finally {
            running = null;
        }
    }

    static StepResult.ResultTable table(ResultSet rs, int keep) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        List<Boolean> numeric = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(md.getColumnLabel(i));
            numeric.add(
                    switch (md.getColumnType(i)) {
                        case Types.INTEGER,
                                Types.BIGINT,
                                Types.SMALLINT,
                                Types.TINYINT,
                                Types.NUMERIC,
                                Types.DECIMAL,
                                Types.REAL,
                                Types.DOUBLE,
                                Types.FLOAT -> true;
                        default -> false;
                    });
        }
        List<List<String>> rows = new ArrayList<>();
        long total = 0;
        while (rs.next()) {
            if (total++ < keep) {
                List<String> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) row.add(rs.getString(i));
                rows.add(row);
            }
        }
        return new StepResult.ResultTable(
                List.copyOf(columns), List.copyOf(numeric), java.util.Collections.unmodifiableList(rows), total);
    }

    // ------------------------------------------------------------------ SQL typed at the shell's prompt

    /** What a typed statement produced, as it comes: result tables, counts (rows affected or copied), COPY's data, notices. */
    public interface Output {
        void table(StepResult.ResultTable t);

        void count(long n);

        /** Where COPY ... TO STDOUT writes, as it arrives. */
        java.io.Writer copyTarget();

        void notice(String severity, String message);
    }

    /**
     * Runs one statement typed at the prompt, psql's way: every result and count as it comes, COPY in both
     * directions, the server's notices. Rows past keep are counted, not kept. The server's error is thrown
     * as it is, for the shell to show psql-style.
     */
    public void typed(SqlStatement st, String sql, int keep, Output out) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.setEscapeProcessing(false);
            running = s;
            try {
                if (st.isCopyFromStdin()) {
                    out.count(connection
                            .unwrap(PGConnection.class)
                            .getCopyAPI()
                            .copyIn(sql, new StringReader(st.copyData())));
                } else if (st.keyword().equals("COPY") && st.returnsRows()) {
                    java.io.Writer w = out.copyTarget();
                    long n = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, w);
                    w.flush();
                    out.count(n);
                } else {
                    boolean isResult = s.execute(sql);
                    while (true) {
                        if (isResult) {
                            try (ResultSet rs = s.getResultSet()) {
                                out.table(table(rs, keep));
                            }
                        } else {
                            int n = s.getUpdateCount();
                            if (n < 0) break;
                            out.count(n);
                        }
                        isResult = s.getMoreResults();
                    }
                }
            } catch (java.io.IOException e) {
                throw new SQLException("COPY failed: " + e.getMessage(), "58030", e);
            } finally {
                running = null;
                notices(s, out);
            }
        }
    }

    private static void notices(Statement s, Output out) {
        try {
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                if (w instanceof PSQLWarning pw && pw.getServerErrorMessage() != null) {
                    out.notice(
                            pw.getServerErrorMessage().getSeverity(),
                            pw.getServerErrorMessage().getMessage());
                } else {
                    out.notice("NOTICE", w.getMessage());
                }
            }
        } catch (SQLException ignored) {
            // the statement is gone, and its notices with it
        }
    }

    private static PsqlVariables.Substituted substitute(Located l, Scope scope) {
        try {
            return PsqlVariables.substitute(l.statement(), name -> {
                Value v = scope.get(name);
                return v == null ? null : v.display();
            });
        } catch (UndefinedVariableException e) {
            throw new SqlFailure(
                    new Diagnostic(
                            l.posAt(e.ref().start()),
                            "variable :" + e.ref().name() + " has no value in this run",
                            "it is set by a `let` in a phase that did not run (see --from/--only)"),
                    "42704");
        }
    }

    // ------------------------------------------------------------------ guard queries

    @Override
    public Value scalar(SqlText sql, Scope scope) {
        Located l = single(sql);
        PsqlVariables.Substituted s = substitute(l, scope);
        running = null;
        long start = System.nanoTime();
        try (Statement st = connection.createStatement()) {
            st.setEscapeProcessing(false);
            running = st;
            try (ResultSet rs = st.executeQuery(s.sql())) {
                if (rs.getMetaData().getColumnCount() != 1) {
                    throw shape(
                            l,
                            "scalar query returned " + rs.getMetaData().getColumnCount()
                                    + " columns; it must return exactly one");
                }
                if (!rs.next()) throw shape(l, "scalar query returned no rows; it must return exactly one");
                Value v = value(rs.getObject(1));
                if (rs.next()) throw shape(l, "scalar query returned more than one row; it must return exactly one");
                sent(l, start, 1);
                return v;
            }
        } catch (SQLException e) {
            throw SqlErrors.failure(e, l, s);
        } finally {
            running = null;
        }
    }

    @Override
    public long count(SqlText sql, Scope scope) {
        Located l = single(sql);
        PsqlVariables.Substituted s = substitute(l, scope);
        try (Statement st = connection.createStatement()) {
            st.setEscapeProcessing(false);
            running = st;
            long n = 0;
            long start = System.nanoTime();
            try (ResultSet rs = st.executeQuery(s.sql())) {
                while (rs.next()) n++;
            }
            sent(l, start, n);
            return n;
        } catch (SQLException e) {
            throw SqlErrors.failure(e, l, s);
        } finally {
            running = null;
        }
    }

    /** How a guard's query text becomes statements: as the program split it at load time (set by the engine). */
    private java.util.function.Function<SqlText, List<SqlStatement>> split =
            t -> SqlSplitter.split(t.text()).statements();

    /** The engine hands over its program's split, so guard queries are not split again at each evaluation. */
    public void splitWith(java.util.function.Function<SqlText, List<SqlStatement>> split) {
        this.split = split;
    }

    private Located single(SqlText sql) {
        List<SqlStatement> statements = split.apply(sql);
        if (statements.size() != 1) {
            throw new SqlFailure(
                    new Diagnostic(
                            sql.pos(),
                            "a scalar or count query must be exactly one statement, found " + statements.size(),
                            "split it into several expectations"),
                    "42601");
        }
        return new Located(statements.get(0), sql);
    }

    private static SqlFailure shape(Located l, String message) {
        return new SqlFailure(
                new Diagnostic(
                        l.pos(),
                        message,
                        "fix the query so it returns one row with one column, e.g. select count(*) ..."),
                "21000");
    }

    static Value value(Object o) {
        if (o == null) return Value.Null.NULL;
        if (o instanceof Boolean b) return Value.Bool.of(b);
        if (o instanceof BigDecimal d) return new Value.Num(d);
        if (o instanceof Integer || o instanceof Long || o instanceof Short)
            return Value.Num.of(((Number) o).longValue());
        if (o instanceof Double d && (d.isNaN() || d.isInfinite())) return new Value.Text(d.toString());
        if (o instanceof Float f && (f.isNaN() || f.isInfinite())) return new Value.Text(f.toString());
        if (o instanceof Number n) return new Value.Num(new BigDecimal(n.toString()));
        if (o instanceof PGInterval i) {
            double seconds = ((i.getYears() * 365.0 + i.getMonths() * 30.0 + i.getDays()) * 24 * 3600)
                    + i.getHours() * 3600.0
                    + i.getMinutes() * 60.0
                    + i.getSeconds();
            return new Value.Dur(Duration.ofMillis(Math.round(seconds * 1000)));
        }
        return new Value.Text(o.toString());
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing a broken connection has nothing more to tell.
        }
    }
}
