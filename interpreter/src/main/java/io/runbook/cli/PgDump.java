package io.runbook.cli;

import io.runbook.db.ConnectionSettings;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** `pg_dump --schema-only` of a database, for a rehearsal's "before" schema; the password travels in PGPASSWORD. */
final class PgDump {
    private PgDump() {}

    static SourceFile schemaOnly(String db, Context context) {
        ConnectionSettings s = ConnectionSettings.resolve(db, context.env(), context.osUser());
        ProcessBuilder pb = new ProcessBuilder(
                "pg_dump", "--schema-only", "--no-owner", "--no-privileges", "--exclude-schema=runbook");
        pb.environment().put("PGHOST", s.libpqHosts());
        pb.environment().put("PGPORT", s.libpqPorts());
        pb.environment().put("PGUSER", s.user());
        pb.environment().put("PGDATABASE", s.database());
        if (s.password() != null) pb.environment().put("PGPASSWORD", s.password());
        try {
            Process p = pb.redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new RunbookException(
                        ExitCode.CONNECTION,
                        new Diagnostic(null, "pg_dump of " + s.describe() + " failed", "see pg_dump's message above"));
            }
            return new SourceFile("pg_dump of " + s.describe(), null, text);
        } catch (IOException e) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(
                            null,
                            "cannot run pg_dump: " + e.getMessage(),
                            "install the PostgreSQL client (pg_dump), or pass --fixture FILE.sql"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunbookException(ExitCode.ABORTED, new Diagnostic(null, "interrupted", null));
        }
    }
}
