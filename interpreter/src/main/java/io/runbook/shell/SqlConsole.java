package io.runbook.shell;

import io.runbook.ast.Value;
import io.runbook.run.ConnectionLoss;
import io.runbook.run.Session;
import io.runbook.run.StepResult;
import io.runbook.sql.PsqlVariables;
import io.runbook.sql.SplitResult;
import io.runbook.sql.SqlProblem;
import io.runbook.sql.SqlSplitter;
import io.runbook.sql.SqlStatement;
import io.runbook.sql.UndefinedVariableException;
import java.io.PrintWriter;
import java.io.Writer;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * SQL typed at the prompt, run through the shell's Session (the one SQL path): results as aligned tables,
 * then the row count and the time. :name is replaced by the runbook's variable, as in the runbook's own SQL. While a phase's
 * transaction is open each statement runs under a savepoint (psql's ON_ERROR_ROLLBACK), so a typo does not
 * cost the phase; COMMIT and ROLLBACK then go to the phase.
 */
final class SqlConsole {
    /** Rows kept for display; the rest are counted. */
    static final int MAX_ROWS = 10_000;

    private static final Set<String> SCHEMA_WORDS =
            Set.of("CREATE", "ALTER", "DROP", "TRUNCATE", "COMMENT", "GRANT", "REVOKE", "ROLLBACK", "IMPORT");

    private final Shell shell;
    private volatile boolean cancelled;

    SqlConsole(Shell shell) {
        this.shell = shell;
    }

    /** Ctrl-C: cancels the statement running now, on the server. */
    void cancel() {
        cancelled = true;
        shell.session().cancel();
    }

    /** Runs the statements of the buffer in order; stops at the first error. */
    void execute(String buffer) {
        boolean expanded = "\\gx".equals(Input.sqlTerminator(buffer));
        String sql = Input.strip(buffer);
        SplitResult split = SqlSplitter.split(sql);
        if (!split.problems().isEmpty()) {
            for (SqlProblem p : split.problems()) {
                shell.error(p.message() + at(sql, p.offset()));
                if (p.hint() != null) shell.out().println("  hint: " + p.hint());
            }
            return;
        }
        for (SqlStatement st : split.statements()) {
            if (!one(sql, st, expanded)) return;
        }
    }

    /** One statement, through the session (the engine's, under a savepoint while a phase's transaction is open). */
    private boolean one(String buffer, SqlStatement st, boolean expanded) {
        if (st.isTransactionControl() && shell.phaseTransaction()) return shell.transactionControl(st);
        PsqlVariables.Substituted sub;
        try {
            sub = PsqlVariables.substitute(st, name -> {
                Value v = shell.variable(name);
                return v == null ? null : v.display();
            });
        } catch (UndefinedVariableException e) {
            shell.error("variable :" + e.ref().name() + " has no value");
            shell.out()
                    .println("  hint: `vars` lists the variables; `set "
                            + e.ref().name() + " VALUE` gives it one");
            return false;
        }
        boolean underPhase = shell.phaseTransaction();
        long[] start = {System.nanoTime()};
        Session.Output out = new Session.Output() {
            public void table(StepResult.ResultTable t) {
                long shown = System.nanoTime();
                show(new Tables.Result(t.columns(), t.numeric(), t.rows(), t.totalRows()), expanded);
                start[0] += System.nanoTime() - shown; // the time is the server's and the fetch's, not the pager's
            }

            public void count(long n) {
                shell.out().println(tag(st, n));
            }

            public Writer copyTarget() {
                return new PrintWriter(shell.out());
            }

            public void notice(String severity, String message) {
                shell.out().println(shell.style().yellow(severity + ": ") + message);
            }
        };
        cancelled = false;
        try {
            shell.typed(st, sub.sql(), MAX_ROWS, out);
        } catch (SQLException e) {
            if (cancelled) shell.out().println();
            error(e, buffer, st, sub);
            if (ConnectionLoss.is(e)) throw shell.lost(e);
            if (underPhase)
                shell.note("the phase's transaction is intact: only this statement was undone (to its savepoint)");
            return false;
        }
        if (underPhase && !st.returnsRows()) shell.typedInPhase();
        if (SCHEMA_WORDS.contains(st.keyword()) || st.isTransactionControl()) shell.schemaChanged();
        shell.out().println(shell.style().dim(time(start[0])));
        return true;
    }

    private void show(Tables.Result r, boolean expandedOnce) {
        boolean expanded = expandedOnce || shell.expanded(r);
        shell.print(expanded ? Tables.expanded(r, shell.style()) : Tables.aligned(r, shell.style()));
    }

    /** psql's command tag: INSERT 0 3, UPDATE 2, CREATE TABLE. */
    static String tag(SqlStatement st, long count) {
        String[] words =
                st.text().replaceAll("(?s)/\\*.*?\\*/|--[^\n]*", " ").trim().split("[^A-Za-z_]+");
        String first = words.length == 0 ? "" : words[0].toUpperCase(Locale.ROOT);
        switch (first) {
            case "INSERT":
                return "INSERT 0 " + count;
            case "UPDATE", "DELETE", "MERGE", "COPY", "FETCH", "MOVE":
                return first + " " + count;
            case "SELECT", "WITH":
                return "SELECT " + count;
            case "CREATE", "ALTER", "DROP", "COMMENT":
                for (int i = 1; i < words.length; i++) {
                    String w = words[i].toUpperCase(Locale.ROOT);
                    if (Set.of("OR", "REPLACE", "UNIQUE", "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "ON")
                            .contains(w)) continue;
                    if (w.equals("MATERIALIZED") && i + 1 < words.length)
                        return first + " MATERIALIZED " + words[i + 1].toUpperCase(Locale.ROOT);
                    return first + " " + w;
                }
                return first;
            default:
                return first.isEmpty() ? "OK" : first;
        }
    }

    /** psql-style: ERROR, the line with a caret under the server's position, DETAIL, HINT. */
    private void error(SQLException e, String buffer, SqlStatement st, PsqlVariables.Substituted sub) {
        ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (m == null) {
            shell.error(String.valueOf(e.getMessage()));
            return;
        }
        shell.error(m.getMessage());
        if (m.getPosition() > 0) {
            int offset = st.start() + sub.toStatementOffset().applyAsInt(m.getPosition() - 1);
            offset = Math.max(0, Math.min(offset, buffer.length()));
            int lineStart = buffer.lastIndexOf('\n', offset - 1) + 1;
            int lineEnd = buffer.indexOf('\n', offset);
            if (lineEnd < 0) lineEnd = buffer.length();
            int line = 1;
            for (int i = 0; i < lineStart; i++) if (buffer.charAt(i) == '\n') line++;
            String prefix = "LINE " + line + ": ";
            shell.out().println(prefix + buffer.substring(lineStart, lineEnd).replace('\t', ' '));
            shell.out().println(" ".repeat(prefix.length() + offset - lineStart) + "^");
        }
        if (m.getDetail() != null) shell.out().println("DETAIL: " + m.getDetail());
        if (m.getHint() != null) shell.out().println("HINT: " + m.getHint());
    }

    private static String at(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) if (text.charAt(i) == '\n') line++;
        return " (line " + line + ")";
    }

    static String time(long startNanos) {
        double ms = (System.nanoTime() - startNanos) / 1_000_000.0;
        return String.format(Locale.ROOT, "Time: %.3f ms", ms);
    }
}
