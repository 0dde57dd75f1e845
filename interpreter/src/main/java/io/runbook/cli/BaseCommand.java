package io.runbook.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
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
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What every command shares: the runbook file, --debug, and turning failures into messages and exit codes. */
abstract class BaseCommand implements Callable<Integer>, ContextAware {
    Context context;

    @Override
    public void context(Context context) { this.context = context; }

    @Parameters(index = "0", paramLabel = "FILE", description = "the .runbook file")
    Path file;

    @Option(names = "--debug", description = "log everything, and show stack traces of internal errors")
    boolean debug;

    @Override
    public final Integer call() { return guarded(context, debug, this::execute); }

    interface Body {
        int run() throws java.sql.SQLException;
    }

    /** Runs a command's body, turning every failure into its message and exit code (a stack trace only with --debug). */
    static int guarded(Context context, boolean debug, Body body) {
        if (debug) ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.DEBUG);
        try {
            return body.run();
        } catch (java.sql.SQLException e) {
            // Outside a step (journal, lock, scratch databases) a failure is almost always the connection.
            String state = e.getSQLState();
            boolean lost = io.runbook.run.ConnectionLoss.is(e);
            context.err().println("ERROR: " + (lost ? "database connection failed: " : "") + e.getMessage() + (state == null ? "" : " (SQLSTATE " + state + ")"));
            context.err().println("  hint: " + (lost ? "the server rolled back any open phase; check the server and re-run (applied phases are skipped)"
                    : "check the privileges of the --db user on the journal schema and the database"));
            if (debug) e.printStackTrace(context.err());
            return lost ? ExitCode.CONNECTION : ExitCode.SQL_ERROR;
        } catch (RunbookException e) {
            for (Diagnostic d : e.diagnostics()) context.err().print(d.render());
            if (e.diagnostics().size() > 1) context.err().println(e.diagnostics().size() + " problems found");
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
            else context.err().println("  hint: this is a bug in runbook; re-run with --debug and report the stack trace");
            return ExitCode.INTERNAL;
        }
    }

    abstract int execute() throws java.sql.SQLException;

    Program load() { return Checker.load(file); }

    Database connect(String db) {
        ConnectionSettings settings = ConnectionSettings.resolve(db, context.env(), context.osUser());
        return Database.open(settings, "runbook");
    }
}
