package io.runbook.cli;

import io.runbook.ast.Runbook;
import io.runbook.ast.Value;
import io.runbook.eval.Scope;
import io.runbook.journal.Checksums;
import io.runbook.journal.Journal;
import io.runbook.parse.Program;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** --db and --journal-schema, shared by the commands that use the journal; opening it takes the runbook's lock. */
final class JournalOptions {
    @Option(names = "--db", paramLabel = "URL", description = "postgresql:// URI, jdbc:postgresql:// URL or 'host=... dbname=...'; default: DATABASE_URL, then PGHOST/PGPORT/PGUSER/PGDATABASE")
    String db;

    @Option(names = "--journal-schema", paramLabel = "SCHEMA", defaultValue = "runbook", description = "where the journal lives in the target database (default: ${DEFAULT-VALUE})")
    String schema;

    /** Creates the journal if needed; with lock, fails at once when another runner holds the runbook. */
    Journal open(Connection c, Program program, boolean lock, Context context) throws SQLException {
        return open(c, lock ? c : null, program, context);
    }

    /**
     * Creates the journal if needed and takes the runbook's lock on lockHolder, the session that runs the
     * phases (null: no lock); fails at once when another runner holds it.
     */
    Journal open(Connection c, Connection lockHolder, Program program, Context context) throws SQLException {
        Journal journal = new Journal(c, schema);
        journal.ensure();
        if (lockHolder != null) {
            Journal.Holder h = journal.tryLock(lockHolder, program.runbook().name(), context.osUser(), hostName(context));
            if (h != null) {
                throw new RunbookException(ExitCode.LOCKED, new Diagnostic(program.runbook().pos(),
                        "already running: runbook \"" + program.runbook().name() + "\" is being run by " + h.operator() + " on " + h.clientHost()
                                + " (server pid " + h.pid() + ") since " + h.since(),
                        "wait for that run to end, or stop it: select pg_terminate_backend(" + h.pid() + ") ends the session running its phases"
                                + " (its open transaction rolls back); nothing was run"));
            }
        }
        return journal;
    }


    /** The run's header row. Secret params are recorded as (secret), never their value. */
    static Journal.RunInfo runInfo(String command, Program program, Path file, String target, Scope scope, Context ctx,
                                   boolean allowChanged) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Runbook.Param p : program.runbook().params()) {
            Value v = scope.get(p.name());
            params.put(p.name(), p.secret() ? "(secret)" : v == null ? null : v.display());
        }
        return new Journal.RunInfo(command, program.runbook().name(), file.toString(), Checksums.runbook(program), params,
                ctx.osUser(), hostName(ctx), version(), allowChanged, target);
    }

    /** Without DNS: an operator's laptop with a broken resolver must not stall here. */
    private static String hostName(Context ctx) {
        String h = ctx.env().get("HOSTNAME");
        if (h != null && !h.isBlank()) return h;
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String version() {
        Properties p = new Properties();
        try (InputStream in = JournalOptions.class.getResourceAsStream("/io/runbook/version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // the version is informational
        }
        return "runbook " + p.getProperty("version", "dev");
    }
}
