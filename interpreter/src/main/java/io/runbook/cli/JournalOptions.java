package io.runbook.cli;

import io.runbook.ast.Runbook;
import io.runbook.ast.Value;
import io.runbook.eval.Scope;
import io.runbook.journal.Checksums;
import io.runbook.journal.Journal;
import io.runbook.parse.Program;
import io.runbook.run.Redactor;
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
    @Option(
            names = "--db",
            paramLabel = "URL",
            description =
                    "postgresql:// URI, jdbc:postgresql:// URL, 'host=... dbname=...' or 'service=NAME'; default: DATABASE_URL, then PGSERVICE, PGHOST/PGPORT/PGUSER/PGDATABASE (docs/reference.md#connection-settings)")
    String db;

    @Option(
            names = "--journal-schema",
            paramLabel = "SCHEMA",
            defaultValue = "runbook",
            description = "where the journal lives in the target database (default: ${DEFAULT-VALUE})")
    String schema;

    /** The connection the journal was last checked on by {@link #ensured}: {@link #open} on it does not check again. */
    private Connection ensuredOn;

    /** Creates the journal if needed (or migrates it) on c, and returns c. */
    Connection ensured(Connection c) throws SQLException {
        checkSchemaName();
        new Journal(c, schema).ensure();
        ensuredOn = c;
        return c;
    }

    /** Creates the journal if needed; with lock, fails at once when another runner holds the runbook. */
    Journal open(Connection c, Program program, boolean lock, Context context) throws SQLException {
        return open(c, lock ? c : null, program, context);
    }

    /**
     * Creates the journal if needed and takes the runbook's lock on lockHolder, the session that runs the
     * phases (null: no lock); fails at once when another runner holds it.
     */
    Journal open(Connection c, Connection lockHolder, Program program, Context context) throws SQLException {
        checkSchemaName();
        Journal journal = new Journal(c, schema);
        if (c != ensuredOn) journal.ensure();
        if (lockHolder != null) {
            Journal.Holder h =
                    journal.tryLock(lockHolder, program.runbook().name(), context.osUser(), hostName(context));
            if (h != null) {
                throw new RunbookException(
                        ExitCode.LOCKED,
                        new Diagnostic(
                                program.runbook().pos(),
                                "already running: runbook \""
                                        + program.runbook().name() + "\" is being run by " + h.operator() + " on "
                                        + h.clientHost() + " (server pid " + h.pid() + ") since " + h.since(),
                                "wait for that run to end, or stop it: select pg_terminate_backend(" + h.pid()
                                        + ") ends the session running its phases"
                                        + " (its open transaction rolls back); nothing was run"));
            }
        }
        return journal;
    }

    /**
     * For commands that only read (status, report, plan --db): the journal if the database has one, else null.
     * The session is made read-only first, so not even a bug here could write.
     */
    Journal existing(Connection c) throws SQLException {
        checkSchemaName();
        c.setReadOnly(true);
        return Journal.existing(c, schema);
    }

    /** "no journal (schema runbook) on user@host/db: nothing has run here": what a reader says instead of creating one. */
    String noJournal(String target) {
        return "no journal (schema " + schema + ") on " + target
                + ": no runbook has run here, so every phase is pending";
    }

    /** PostgreSQL keeps pg_* names for itself: say so before the server answers "unacceptable schema name". */
    private void checkSchemaName() {
        String s = schema.toLowerCase(java.util.Locale.ROOT);
        if (s.startsWith("pg_") || s.equals("information_schema") || schema.isBlank()) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(
                            null,
                            "--journal-schema \"" + schema + "\" is "
                                    + (schema.isBlank()
                                            ? "empty"
                                            : "a system schema name (pg_* and information_schema belong to PostgreSQL)")
                                    + "; nothing was run",
                            "leave it out (the journal lives in schema runbook) or name a schema of your own, e.g. --journal-schema ops_journal"));
        }
    }

    /** The run's header row. Secret params (and params computed from them) are recorded as (secret), never their value. */
    static Journal.RunInfo runInfo(
            String command, Program program, Path file, String target, Scope scope, Context ctx, boolean allowChanged) {
        Map<String, String> params = new LinkedHashMap<>();
        Redactor secrets = Redactor.of(program.runbook(), scope);
        for (Runbook.Param p : program.runbook().params()) {
            Value v = scope.get(p.name());
            params.put(
                    p.name(),
                    secrets.holdsSecret(p.name()) ? Redactor.MASK : v == null ? null : secrets.text(v.display()));
        }
        return new Journal.RunInfo(
                command,
                program.runbook().name(),
                file.toString(),
                Checksums.runbook(program),
                params,
                ctx.osUser(),
                hostName(ctx),
                version(),
                allowChanged,
                target);
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
        return Version.TEXT;
    }

    /** Read once: a run reads it early (cli/Warmup, while picocli works) and writes it in its run row later. */
    private static final class Version {
        static final String TEXT = read();
    }

    private static String read() {
        Properties p = new Properties();
        try (InputStream in = JournalOptions.class.getResourceAsStream("/io/runbook/version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // the version is informational
        }
        return "runbook " + p.getProperty("version", "dev");
    }
}
