package io.runbook.run;

import io.runbook.ast.Value;
import io.runbook.eval.Scope;
import io.runbook.parse.Program;
import io.runbook.source.Diagnostic;
import io.runbook.source.Pos;
import io.runbook.source.SourceFile;
import io.runbook.sql.PsqlVariables;
import io.runbook.sql.SqlStatement;
import io.runbook.sql.SqlStream;
import io.runbook.sql.UndefinedVariableException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.core.BaseConnection;

/**
 * Runs a SQL file as a stream: statement by statement as they are read, never the whole file in memory. In a
 * transaction, statements that return no rows go to the server in JDBC batches (a bounded number at a time), each
 * executed while the next one is read (BatchInFlight): a small first batch, so the server starts early, then
 * larger ones; anything else (a statement returning rows, COPY, \echo, the end) waits for the batch in flight.
 * COPY ... FROM STDIN data goes from the file to pgjdbc's CopyManager as bytes. Outside a transaction each
 * statement is handed to oneAtATime (the interpreter's retry on lock timeouts). A file that changed since it
 * was checked fails the step (in a transaction: before anything is committed).
 */
final class ScriptRunner {
    /** Statements per batch: enough to pipeline, few enough that memory stays flat (two batches at most). */
    private static final int BATCH = 500;
    /** The first batch: the server starts on it while the next, twice as large, is read. */
    private static final int FIRST_BATCH = 16;

    private final Session session;
    private final Scope scope;
    private final BiConsumer<Pos, String> echo;
    private final Function<Located, StepResult> oneAtATime;
    private SqlStream stream;
    private long affected;
    private int count;
    private final List<StepResult.ResultTable> tables = new ArrayList<>();
    private List<Located> batch = new ArrayList<>();
    private List<PsqlVariables.Substituted> batchSql = new ArrayList<>();
    private int batchSize = FIRST_BATCH;
    private BatchInFlight batches;
    private Statement st;

    /** oneAtATime: null in a transaction (statements are batched), else how one statement runs on its own. */
    ScriptRunner(Session session, Scope scope, BiConsumer<Pos, String> echo, Function<Located, StepResult> oneAtATime) {
        this.session = session;
        this.scope = scope;
        this.echo = echo;
        this.oneAtATime = oneAtATime;
    }

    StepResult run(Program.SqlScript script) {
        long start = System.nanoTime();
        Connection c = session.connection();
        SourceFile file = new SourceFile(script.file().name(), script.path(), null);
        try (SqlStream in = SqlStream.open(file, this::outer, false);
                Statement s = c.createStatement();
                BatchInFlight b = new BatchInFlight(s)) {
            stream = in;
            st = s;
            batches = b;
            st.setEscapeProcessing(false);
            in.standardConformingStrings(c.unwrap(BaseConnection.class).getStandardConformingStrings());
            try {
                statements(script, in);
            } catch (Throwable e) {
                settle(); // the batches out hold earlier statements: their failure is the one to report
                throw e;
            }
        } catch (SQLException e) {
            throw SqlErrors.failure(e, batch.isEmpty() ? null : batch.get(0), null);
        } catch (SqlStream.InvalidText e) {
            throw new SqlFailure(
                    new Diagnostic(e.pos(), e.pos().file().name() + " is not UTF-8 text", "convert it to UTF-8"),
                    "22021");
        } catch (IOException e) {
            throw new SqlFailure(
                    new Diagnostic(
                            null, "cannot read " + script.file().name() + ": " + e.getMessage(), "check the file"),
                    "58030");
        }
        return new StepResult(affected, count, Duration.ofNanos(System.nanoTime() - start), List.copyOf(tables));
    }

    private void statements(Program.SqlScript script, SqlStream in) throws SQLException, IOException {
        SqlStream.Statement held = null;
        boolean first = true;
        for (SqlStream.Item item = in.next(); item != null; item = in.next()) {
            if (item instanceof SqlStream.Problem p) throw new SqlFailure(p.diagnostic(), "42601");
            if (item instanceof SqlStream.Echo e) {
                flush(); // printed after the statements before it ran, as psql prints it
                echo.accept(e.pos(), e.text());
                continue;
            }
            SqlStream.Statement one = (SqlStream.Statement) item;
            if (first && script.unwrapped()) {
                first = false; // the file's own BEGIN: the phase's transaction takes its place
                continue;
            }
            first = false;
            // The statement before is run only now: the file's last one may be its own COMMIT.
            if (held != null) statement(held);
            held = null;
            if (one.copyFollows() || !script.unwrapped()) statement(one);
            else held = one;
        }
        if (held != null && !script.unwrapped()) statement(held);
        flush();
        unchanged(script, in.files());
    }

    private String outer(String name) {
        Value v = scope.get(name);
        return v == null ? null : v.display();
    }

    private void statement(SqlStream.Statement item) throws SQLException, IOException {
        Located l = new Located(item.statement(), item.origin());
        SqlStatement s = item.statement();
        count++;
        if (item.rescanned() && s.isTransactionControl()) {
            throw new SqlFailure(
                    new Diagnostic(
                            l.pos(),
                            "a variable's value put " + s.keyword()
                                    + " into the SQL, which would break the phase's transaction",
                            "remove the statement from the variable's value"),
                    "25001");
        }
        if (item.copyFollows()) {
            flush();
            copy(l);
            return;
        }
        if (oneAtATime != null) {
            StepResult r = oneAtATime.apply(l);
            affected += r.affected();
            tables.addAll(r.results());
            return;
        }
        PsqlVariables.Substituted sql = substitute(l);
        if (s.returnsRows() || s.setsStandardStrings() != null) {
            // After SET standard_conforming_strings pgjdbc must learn the new value before it reads more SQL.
            flush();
            affected += single(l, sql);
            return;
        }
        batch.add(l);
        batchSql.add(sql);
        if (batch.size() >= batchSize) send();
    }

    /** Hands the statements gathered so far to the worker: they run after the batches out before them. */
    private void send() {
        if (batch.isEmpty()) return;
        session.running(st);
        affected += batches.send(batch, batchSql);
        if (batch.size() >= batchSize) batchSize = Math.min(BATCH, batchSize * 2);
        batch = new ArrayList<>();
        batchSql = new ArrayList<>();
    }

    /** Waits for the batches out, if any; the first failure is thrown here. */
    private void settle() {
        if (!batches.busy()) return;
        try {
            affected += batches.settle();
        } finally {
            session.running(null);
        }
    }

    /** Every statement read so far has run: before anything else uses the connection. */
    private void flush() {
        send();
        settle();
    }

    private long single(Located l, PsqlVariables.Substituted sql) {
        session.running(st);
        try {
            long n = 0;
            boolean isResult = st.execute(sql.sql());
            while (true) {
                if (isResult) {
                    try (ResultSet rs = st.getResultSet()) {
                        tables.add(Session.table(rs, Session.SHOWN_ROWS));
                    }
                } else {
                    int u = st.getUpdateCount();
                    if (u < 0) break;
                    n += u;
                }
                isResult = st.getMoreResults();
            }
            return n;
        } catch (SQLException e) {
            throw SqlErrors.failure(e, l, sql);
        } finally {
            session.running(null);
        }
    }

    /** COPY ... FROM STDIN: the data goes from the file to the server in the file's own bytes. */
    private void copy(Located l) throws IOException {
        PsqlVariables.Substituted sql = substitute(l);
        long dataLine = stream.copyDataLine();
        CopyIn in = null;
        try {
            in = session.connection().unwrap(PGConnection.class).getCopyAPI().copyIn(sql.sql());
            CopyIn target = in;
            stream.copyData((b, off, len) -> {
                try {
                    target.writeToCopy(b, off, len);
                } catch (SQLException e) {
                    throw new IOException(e);
                }
            });
            affected += in.endCopy();
        } catch (SQLException e) {
            cancel(in);
            SqlFailure f = SqlErrors.failure(e, l, sql);
            throw new SqlFailure(
                    f.diagnostic()
                            .withDetail("COPY data line 1 is line " + dataLine + " of "
                                    + l.pos().file().name()),
                    f.sqlState());
        } catch (IOException e) {
            cancel(in);
            if (e.getCause() instanceof SQLException s) throw SqlErrors.failure(s, l, sql);
            throw e;
        }
    }

    private static void cancel(CopyIn in) {
        try {
            if (in != null && in.isActive()) in.cancelCopy();
        } catch (SQLException ignored) {
            // The error that got us here is the one to report.
        }
    }

    private PsqlVariables.Substituted substitute(Located l) {
        try {
            return PsqlVariables.substitute(l.statement(), stream::valueOf);
        } catch (UndefinedVariableException e) {
            throw new SqlFailure(
                    new Diagnostic(
                            l.posAt(e.ref().start()),
                            "variable :" + e.ref().name() + " has no value in this run",
                            "it is set by a `let` in a phase that did not run (see --from/--only)"),
                    "42704");
        }
    }

    /**
     * The files must be the ones that were checked: their checksums are what the journal records. Same size and
     * modification time stand for the same text (as for make and rsync), so the run does not hash again.
     */
    private static long modified(java.nio.file.Path p) {
        try {
            return java.nio.file.Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void unchanged(Program.SqlScript script, List<SqlStream.FileRead> read) {
        List<SourceFile> checked = new ArrayList<>(script.included());
        checked.add(script.file());
        for (SqlStream.FileRead f : read) {
            boolean same = checked.stream()
                    .anyMatch(c -> c.path().equals(f.file().path())
                            && c.size() == f.file().size()
                            && c.modified() == modified(c.path()));
            if (!same) {
                throw new SqlFailure(
                        new Diagnostic(
                                null,
                                f.file().name() + " changed while the runbook ran (it differs from the checked file)",
                                "run again: the file is checked before anything runs"),
                        "55000");
            }
        }
    }
}
