package io.runbook.rehearse;

import io.runbook.db.ConnectionSettings;
import io.runbook.db.Database;
import io.runbook.eval.Scope;
import io.runbook.run.Located;
import io.runbook.run.Session;
import io.runbook.run.SqlFailure;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import io.runbook.source.SqlText;
import io.runbook.sql.SplitResult;
import io.runbook.sql.SqlProblem;
import io.runbook.sql.SqlSplitter;
import io.runbook.sql.SqlStatement;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A throw-away database on a server (for rehearsals and schema files), dropped when closed. */
public final class ScratchDatabase implements AutoCloseable {
    private final Database server;
    private final String name;

    private ScratchDatabase(Database server, String name) {
        this.server = server;
        this.name = name;
    }

    /** Creates prefix_<random hex> on the server the connection points to. */
    public static ScratchDatabase create(Database server, String prefix) {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        String name = prefix + "_" + HexFormat.of().formatHex(random);
        try (Connection c = server.connection();
                Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new RunbookException(
                    ExitCode.SQL_ERROR,
                    new Diagnostic(
                            null,
                            "cannot create the scratch database " + name + " on "
                                    + server.settings().describe() + ": " + e.getMessage(),
                            "the --db user needs the CREATEDB privilege (alter role ... createdb)"));
        }
        return new ScratchDatabase(server, name);
    }

    public String name() {
        return name;
    }

    public ConnectionSettings settings() {
        return server.settings().withDatabase(name);
    }

    /** Loads a SQL file statement by statement (COPY data included); an error names its file:line:col. */
    public void load(SourceFile sql) {
        SplitResult split = SqlSplitter.split(sql.text());
        List<Diagnostic> problems = new ArrayList<>();
        for (SqlProblem p : split.problems()) {
            if (!psqlOnly(sql.text(), p.offset()))
                problems.add(new Diagnostic(sql.posAt(p.offset()), p.message(), p.hint()));
        }
        if (!problems.isEmpty()) throw new RunbookException(ExitCode.INVALID, problems);
        SqlText origin = new SqlText(sql.text(), sql, 0);
        List<Located> statements = new ArrayList<>();
        for (SqlStatement st : split.statements()) {
            if (!st.isTransactionControl()) statements.add(new Located(st, origin));
        }
        try (Database db = Database.open(settings(), "runbook");
                Session session = new Session(db.connection())) {
            session.execute(statements, new Scope(null), true, null);
        } catch (SqlFailure e) {
            throw new RunbookException(ExitCode.SQL_ERROR, e.diagnostic());
        } catch (SQLException e) {
            throw new RunbookException(
                    ExitCode.CONNECTION,
                    new Diagnostic(null, "cannot load " + sql.name() + ": " + e.getMessage(), null));
        }
    }

    /**
     * pg_dump (15.14 and later) wraps its output in the psql-only commands "restrict" and "unrestrict",
     * which guard against a malicious server and carry no schema: a splitter problem there is no problem.
     */
    private static boolean psqlOnly(String text, int offset) {
        if (offset >= text.length() || text.charAt(offset) != '\\') return false;
        int end = offset + 1;
        while (end < text.length() && Character.isLetter(text.charAt(end))) end++;
        String command = text.substring(offset + 1, end);
        return command.equals("restrict") || command.equals("unrestrict");
    }

    @Override
    public void close() {
        try (Connection c = server.connection();
                Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            throw new RunbookException(
                    ExitCode.SQL_ERROR,
                    new Diagnostic(
                            null,
                            "cannot drop the scratch database " + name + ": " + e.getMessage(),
                            "drop it by hand: dropdb " + name));
        }
    }
}
