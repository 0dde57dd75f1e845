package io.runbook.fleet;

import io.runbook.db.ConnectionConfigException;
import io.runbook.db.ConnectionSettings;
import io.runbook.db.Database;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.Pos;
import io.runbook.source.RunbookException;
import io.runbook.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where the fleet's targets come from: a targets file, or a query listing databases on a server. */
public final class Targets {
    private Targets() {}

    /**
     * A targets file: one target per line, {@code NAME URL} (URL in any form --db takes); {@code #} comments, at the
     * start of a line or after a space, and blank lines are ignored. Names must be unique.
     */
    public static List<Target> read(Path file, Map<String, String> env, String osUser) {
        List<Target> targets = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        SourceFile source;
        try {
            source = new SourceFile(file.toString(), file, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(
                            null,
                            "cannot read the targets file " + file + ": " + e.getMessage(),
                            "give a file with one target per line: NAME URL"));
        }
        String[] lines = source.text().split("\r?\n", -1);
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1];
            // A # at the start or after a space starts a comment (a URL's own # follows no space).
            String text = line.replaceFirst("(^|\\s)#.*$", "").strip();
            if (text.isEmpty()) continue;
            Pos pos = new Pos(source, number, line.indexOf(text.charAt(0)) + 1);
            String[] parts = text.split("\\s+", 2);
            if (parts.length < 2) {
                problems.add(new Diagnostic(
                        pos,
                        "target \"" + parts[0] + "\" has no URL",
                        "write NAME URL, e.g. tenant_1 postgresql://app@db1/tenant_1"));
                continue;
            }
            if (!names.add(parts[0])) {
                problems.add(new Diagnostic(
                        pos, "target \"" + parts[0] + "\" is listed twice", "give every target its own name"));
                continue;
            }
            try {
                targets.add(new Target(parts[0], ConnectionSettings.resolve(parts[1].strip(), env, osUser)));
            } catch (ConnectionConfigException | IllegalArgumentException e) {
                problems.add(new Diagnostic(
                        new Pos(source, number, line.indexOf(parts[1]) + 1),
                        "target \"" + parts[0] + "\": " + e.getMessage(),
                        "use a postgresql:// URI, a jdbc:postgresql:// URL or 'host=... dbname=...', as for --db"));
            }
        }
        if (!problems.isEmpty()) throw new RunbookException(ExitCode.INVALID, problems);
        if (targets.isEmpty()) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(
                            new Pos(source, 1, 1),
                            "the targets file lists no targets",
                            "one target per line: NAME URL"));
        }
        return targets;
    }

    /** Database per tenant: the query runs on the server of {@code server} and returns database names there. */
    public static List<Target> query(ConnectionSettings server, String sql) throws SQLException {
        List<Target> targets = new ArrayList<>();
        try (Database db = Database.open(server, "runbook fleet");
                Connection c = db.connection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (name != null) targets.add(new Target(name, server.withDatabase(name)));
            }
        }
        if (targets.isEmpty()) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(
                            null,
                            "--targets-query returned no database names on " + server.describe(),
                            "the query's first column must be database names, e.g. select datname from pg_database where datname like 'tenant_%'"));
        }
        return targets;
    }

    /**
     * Shard {@code index} of {@code count} (1-based): decided by a hash of each target's name, so every process
     * computes the same split, and adding a target to the file moves no other target to another shard.
     */
    public static List<Target> shard(List<Target> all, int index, int count) {
        if (count <= 1) return all;
        return all.stream().filter(t -> shardOf(t.name(), count) == index).toList();
    }

    /**
     * SHA-256 of the UTF-8 name, its first 8 bytes as an unsigned number, modulo count. Not CRC-32: that is linear,
     * its low bits are parities of fixed input bits, and short names split badly (six tenant names all in 1/2).
     */
    static int shardOf(String name, int count) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        long k = 0;
        for (int i = 0; i < 8; i++) k = (k << 8) | (h[i] & 0xff);
        return (int) Long.remainderUnsigned(k, count) + 1;
    }
}
