package io.runbook.shell;

import io.runbook.ast.Value;
import io.runbook.sql.PsqlVariables;
import io.runbook.sql.SplitResult;
import io.runbook.sql.SqlProblem;
import io.runbook.sql.SqlSplitter;
import io.runbook.sql.SqlStatement;
import io.runbook.sql.UndefinedVariableException;
import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * SQL typed at the prompt, run in the shell's session: results as aligned tables, then the row count and the
 * time. :name is replaced by the runbook's variable, as in the runbook's own SQL. While a phase's
 * transaction is open each statement runs under a savepoint (psql's ON_ERROR_ROLLBACK), so a typo does not
 * cost the phase; COMMIT and ROLLBACK then go to the phase.
 */
final class SqlConsole {
    /** Rows kept for display; the rest are counted. */
    static final int MAX_ROWS = 10_000;

    private static final Set<String> SCHEMA_WORDS = Set.of("CREATE", "ALTER", "DROP", "TRUNCATE", "COMMENT", "GRANT", "REVOKE", "ROLLBACK", "IMPORT");

    private final Shell shell;
    private volatile Statement running;
    private volatile boolean cancelled;

    SqlConsole(Shell shell) { this.shell = shell; }

    /** Ctrl-C: cancels the statement running now, on the server. */
    void cancel() {
        Statement s = running;
        if (s != null) {
            cancelled = true;
            try {
                s.cancel();
            } catch (SQLException ignored) {
                // it ended meanwhile
            }
        }
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
            shell.out().println("  hint: `vars` lists the variables; `set " + e.ref().name() + " VALUE` gives it one");
            return false;
        }
        Connection c = shell.connection();
        boolean underPhase = shell.phaseTransaction();
        long start = System.nanoTime();
        Savepoint sp = null;
        Statement s = null;
        try {
            if (underPhase) sp = c.setSavepoint();
            s = c.createStatement();
            s.setEscapeProcessing(false);
            cancelled = false;
            running = s;
            String keyword = st.keyword();
            if (st.isCopyFromStdin()) {
                long n = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sub.sql(), new StringReader(st.copyData()));
                shell.out().println("COPY " + n);
            } else if (keyword.equals("COPY") && st.returnsRows()) {
                StringWriter w = new StringWriter();
                long n = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sub.sql(), w);
                shell.out().print(w);
                shell.out().println("COPY " + n);
            } else {
                boolean isResult = s.execute(sub.sql());
                while (true) {
                    if (isResult) {
                        Tables.Result r;
                        try (ResultSet rs = s.getResultSet()) {
                            r = read(rs);
                        }
                        long shown = System.nanoTime();
                        show(r, expanded);
                        start += System.nanoTime() - shown; // the time is the server's and the fetch's, not the pager's
                    } else {
                        int n = s.getUpdateCount();
                        if (n < 0) break;
                        shell.out().println(tag(st, n));
                    }
                    isResult = s.getMoreResults();
                }
            }
            notices(s.getWarnings());
            if (sp != null) c.releaseSavepoint(sp);
            if (underPhase && !st.returnsRows()) shell.typedInPhase();
            if (SCHEMA_WORDS.contains(keyword) || st.isTransactionControl()) shell.schemaChanged();
            shell.out().println(shell.style().dim(time(start)));
            return true;
        } catch (SQLException e) {
            if (s != null) {
                try {
                    notices(s.getWarnings());
                } catch (SQLException ignored) {
                    // the statement is gone
                }
            }
            if (cancelled) shell.out().println();
            error(e, buffer, st, sub);
            if (lost(c, e)) throw shell.lost(e);
            if (sp != null) {
                try {
                    c.rollback(sp);
                    c.releaseSavepoint(sp);
                    shell.note("the phase's transaction is intact: only this statement was undone (to its savepoint)");
                } catch (SQLException x) {
                    throw shell.lost(x);
                }
            }
            return false;
        } catch (java.io.IOException e) {
            shell.error("COPY failed: " + e.getMessage());
            return false;
        } finally {
            running = null;
            if (s != null) {
                try {
                    s.close();
                } catch (SQLException ignored) {
                    // closed with the connection
                }
            }
        }
    }

    private void show(Tables.Result r, boolean expandedOnce) {
        boolean expanded = expandedOnce || shell.expanded(r);
        shell.print(expanded ? Tables.expanded(r, shell.style()) : Tables.aligned(r, shell.style()));
    }

    static Tables.Result read(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> columns = new ArrayList<>();
        List<Boolean> numeric = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            columns.add(md.getColumnLabel(i));
            numeric.add(switch (md.getColumnType(i)) {
                case Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.TINYINT, Types.NUMERIC, Types.DECIMAL, Types.REAL, Types.DOUBLE,
                        Types.FLOAT -> true;
                default -> false;
            });
        }
        List<List<String>> rows = new ArrayList<>();
        long total = 0;
        while (rs.next()) {
            if (total++ < MAX_ROWS) {
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) row.add(rs.getString(i));
                rows.add(row);
            }
        }
        return new Tables.Result(columns, numeric, rows, total);
    }

    /** psql's command tag: INSERT 0 3, UPDATE 2, CREATE TABLE. */
    static String tag(SqlStatement st, int count) {
        String[] words = st.text().replaceAll("(?s)/\\*.*?\\*/|--[^\n]*", " ").trim().split("[^A-Za-z_]+");
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
                    if (Set.of("OR", "REPLACE", "UNIQUE", "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "ON").contains(w)) continue;
                    if (w.equals("MATERIALIZED") && i + 1 < words.length) return first + " MATERIALIZED " + words[i + 1].toUpperCase(Locale.ROOT);
                    return first + " " + w;
                }
                return first;
            default:
                return first.isEmpty() ? "OK" : first;
        }
    }

    private void notices(SQLWarning w) {
        for (; w != null; w = w.getNextWarning()) {
            String severity = "NOTICE";
            String message = w.getMessage();
            if (w instanceof org.postgresql.util.PSQLWarning pw && pw.getServerErrorMessage() != null) {
                severity = pw.getServerErrorMessage().getSeverity();
                message = pw.getServerErrorMessage().getMessage();
            }
            shell.out().println(shell.style().yellow(severity + ": ") + message);
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

    private static boolean lost(Connection c, SQLException e) {
        String state = e.getSQLState();
        try {
            return (state != null && state.startsWith("08")) || c.isClosed();
        } catch (SQLException x) {
            return true;
        }
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
