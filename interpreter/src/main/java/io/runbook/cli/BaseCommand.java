package io.runbook.cli;

import io.runbook.db.ConnectionConfigException;
import io.runbook.db.ConnectionFailedException;
import io.runbook.db.ConnectionSettings;
import io.runbook.db.Database;
import io.runbook.parse.Checker;
import io.runbook.parse.Program;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What every command shares: the runbook file, --debug, and turning failures into messages and exit codes. */
abstract class BaseCommand implements Callable<Integer>, ContextAware {
    Context context;

    /** The target connection Main began before reading the command line (null: none); see {@link Main#early}. */
    EarlyTarget started;

    /** The runbook Main began loading before reading the command line (null: none); see {@link Main#early}. */
    EarlyLoad loading;

    @Override
    public void context(Context context) {
        this.context = context;
    }

    @Parameters(index = "0", paramLabel = "FILE", description = "the .runbook file")
    Path file;

    @Option(names = "--debug", description = "log everything, and show stack traces of internal errors")
    boolean debug;

    @Override
    public final Integer call() {
        return guarded(context, debug, this::execute);
    }

    interface Body {
        int run() throws java.sql.SQLException;
    }

    /** Runs a command's body, turning every failure into its message and exit code (a stack trace only with --debug). */
    static int guarded(Context context, boolean debug, Body body) {
        if (debug) LogSetup.debug();
        try {
            return body.run();
        } catch (java.sql.SQLException e) {
            // Outside a step (journal, lock, scratch databases) a failure is almost always the connection.
            String state = e.getSQLState();
            boolean lost = io.runbook.run.ConnectionLoss.is(e);
            // pgjdbc's server messages start with the server's own "ERROR:  "
            String message = String.valueOf(e.getMessage()).replaceFirst("^(ERROR|FATAL):\\s+", "");
            context.err()
                    .println("ERROR: " + (lost ? "database connection failed: " : "") + message
                            + (state == null ? "" : " (SQLSTATE " + state + ")"));
            context.err()
                    .println("  hint: "
                            + (lost
                                    ? "the server rolled back any open phase; check the server and re-run (applied phases are skipped)"
                                    : "check the privileges of the --db user on the journal schema and the database"));
            if (debug) e.printStackTrace(context.err());
            return lost ? ExitCode.CONNECTION : ExitCode.SQL_ERROR;
        } catch (io.runbook.run.Failure f) {
            // A failure outside a run's loop (an engine operation a command calls itself): worded as `runbook run`
            // words it.
            context.err()
                    .print(f.render(io.runbook.term.ConsoleReporter::runWords).render());
            return f.exitCode();
        } catch (RunbookException e) {
            for (Diagnostic d : e.diagnostics()) context.err().print(d.render());
            if (e.diagnostics().size() > 1)
                context.err().println(e.diagnostics().size() + " problems found");
            return e.exitCode();
        } catch (ConnectionConfigException e) {
            context.err().println("ERROR: " + e.getMessage());
            return ExitCode.INVALID;
        } catch (ConnectionFailedException e) {
            context.err().println("ERROR: " + e.getMessage());
            if (e.hint() != null) context.err().println("  hint: " + e.hint());
            return ExitCode.CONNECTION;
        } catch (RuntimeException e) {
            context.err().println("ERROR: internal error: " + e);
            if (debug) e.printStackTrace(context.err());
            else
                context.err()
                        .println("  hint: this is a bug in runbook; re-run with --debug and report the stack trace");
            return ExitCode.INTERNAL;
        }
    }

    abstract int execute() throws java.sql.SQLException;

    Program load() {
        if (loading != null && loading.isFor(file)) return loading.get();
        return Checker.load(file);
    }

    Database connect(String db) {
        ConnectionSettings settings = ConnectionSettings.resolve(db, context.env(), context.osUser());
        return Database.open(settings, "runbook");
    }

    /**
     * For commands that change a database (run, rollback, baseline): refuses, before connecting, when nothing names
     * a target (libpq would guess localhost and the OS user's database), and prints the target before anything
     * changes.
     */
    Database connectTarget(String db) {
        ConnectionSettings settings = targetSettings(db, context);
        printTarget(db, settings);
        return Database.open(settings, "runbook");
    }

    /**
     * What {@link #connectTarget} does, begun on another thread while the runbook loads; see {@link #target}. The
     * connection Main began for this command line is taken when it was for the same --db.
     */
    EarlyTarget connectTargetEarly(String db) {
        if (started != null && started.isFor(db)) return started;
        if (started != null) started.abandon();
        return connectTargetEarly(db, context);
    }

    static EarlyTarget connectTargetEarly(String db, Context context) {
        return EarlyTarget.start(db, new EarlyTarget.Connect() {
            @Override
            public ConnectionSettings resolve() {
                return targetSettings(db, context);
            }

            @Override
            public Database open(ConnectionSettings settings) {
                return Database.open(settings, "runbook");
            }
        });
    }

    /** The early connection, with the target line printed where {@link #connectTarget} prints it. */
    Database target(EarlyTarget early, String db) {
        try {
            return early.get();
        } finally {
            if (early.settings() != null) printTarget(db, early.settings());
        }
    }

    private static ConnectionSettings targetSettings(String db, Context context) {
        if (ConnectionSettings.targetSource(db, context.env()) == null) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(
                            null,
                            "no target database: give --db, or set DATABASE_URL, PGHOST/PGDATABASE or PGSERVICE; nothing was run",
                            "e.g. --db postgresql://user@host/dbname or --db 'service=prod' (pg_service.conf); see docs/reference.md"));
        }
        return ConnectionSettings.resolve(db, context.env(), context.osUser());
    }

    private void printTarget(String db, ConnectionSettings settings) {
        context.out()
                .println("target: " + settings.describe() + " (from "
                        + ConnectionSettings.targetSource(db, context.env()) + ")");
    }
}
