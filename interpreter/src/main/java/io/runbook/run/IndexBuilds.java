package io.runbook.run;

import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.sql.SqlStatement;
import io.runbook.sql.SqlTokens;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CREATE INDEX CONCURRENTLY and REINDEX CONCURRENTLY leave an INVALID index behind when they fail half-way
 * (a lock_timeout, duplicate rows for a unique index). Such an index enforces nothing, yet its name makes a
 * retry fail ("already exists") or, with IF NOT EXISTS, pass without building anything. So before such a
 * statement and after it fails, the INVALID index of that name is dropped concurrently; after it succeeds,
 * the index must be valid.
 */
final class IndexBuilds {
    /**
     * A concurrent build: CREATE INDEX CONCURRENTLY name ON table (reindex false), or REINDEX ... CONCURRENTLY
     * of an index or of a table's indexes (name is then the index or table as written).
     */
    record Build(boolean reindex, boolean ofTable, String index, String table) {}

    private final StepRunner steps;

    IndexBuilds(StepRunner steps) {
        this.steps = steps;
    }

    /**
     * Drops the INVALID indexes the build would trip over (before it), or left behind (after it failed),
     * saying so. afterFailure: a failure to drop is noted, not thrown, so the build's own failure stands.
     */
    void clear(Build b, Located l, boolean afterFailure) {
        Connection c = steps.session().connection();
        try {
            for (String index : leftovers(c, b)) {
                steps.emit(new RunEvent.Note(
                        "index " + index + " is INVALID (a concurrent build failed half-way; it enforces nothing):"
                                + " dropping it concurrently "
                                + (afterFailure ? "so that a re-run builds it again" : "before building it again")));
                drop(c, index);
                if (afterFailure)
                    steps.engine.aftermath.add("the INVALID index " + index + " the failed build left was dropped");
            }
        } catch (SQLException e) {
            if (ConnectionLoss.is(e)) throw Engine.lost(e);
            String what = "cannot drop the INVALID index left by a concurrent build: " + e.getMessage();
            if (afterFailure) {
                steps.emit(new RunEvent.Note(
                        what + "; drop it (DROP INDEX CONCURRENTLY) before running this phase again"));
                steps.engine.aftermath.add(what + " (the next run drops it before building, or stops if it cannot)");
                return;
            }
            throw new Failure(
                    ExitCode.SQL_ERROR,
                    new Diagnostic(l.pos(), what, "drop it by hand (DROP INDEX CONCURRENTLY name), then run again"),
                    e.getSQLState());
        }
    }

    /** After the build: an index left INVALID fails the step, so the phase is never journaled applied with it. */
    void requireValid(Build b, Located l) {
        Connection c = steps.session().connection();
        try {
            if (valid(c, b)) return;
            String index = b.index() != null ? b.index() : "an index of " + b.table();
            clear(b, l, true);
            throw new Failure(
                    ExitCode.SQL_ERROR,
                    new Diagnostic(
                            l.pos(),
                            "index " + index + " is INVALID after the concurrent build",
                            "an INVALID index enforces nothing; find why the build failed (duplicates, a cancelled build), then run the phase again"),
                    "55000");
        } catch (SQLException e) {
            if (ConnectionLoss.is(e)) throw Engine.lost(e);
            steps.emit(new RunEvent.Note(
                    "cannot check that the index built by " + l.pos() + " is valid: " + e.getMessage()));
        }
    }

    /** The concurrent build this statement is, or null (also for CREATE INDEX CONCURRENTLY without a name). */
    static Build of(SqlStatement st) {
        if (!st.vars().isEmpty()) return null; // names made of psql variables are not known before substitution
        String text = st.text();
        List<SqlTokens.Token> t = new ArrayList<>();
        for (SqlTokens.Token k : SqlTokens.of(text)) if (k.kind() != SqlTokens.Kind.COMMENT && k.depth() == 0) t.add(k);
        int i = 0;
        if (is(text, t, i, "CREATE")) {
            i++;
            if (is(text, t, i, "UNIQUE")) i++;
            if (!is(text, t, i++, "INDEX") || !is(text, t, i++, "CONCURRENTLY")) return null;
            if (is(text, t, i, "IF") && is(text, t, i + 1, "NOT") && is(text, t, i + 2, "EXISTS")) i += 3;
            if (is(text, t, i, "ON") || i >= t.size()) return null;
            String index = ident(text, t.get(i++));
            if (!is(text, t, i++, "ON")) return null;
            if (is(text, t, i, "ONLY")) i++;
            return new Build(false, false, index, qualified(text, t, i));
        }
        if (is(text, t, 0, "REINDEX")) {
            boolean concurrently = false;
            i = 1;
            // REINDEX (CONCURRENTLY, VERBOSE) INDEX x: the options sit in parentheses
            while (i < t.size() && t.get(i).kind() != SqlTokens.Kind.WORD) {
                if (t.get(i).kind() == SqlTokens.Kind.LPAREN
                        && text.substring(t.get(i).end())
                                .toUpperCase(Locale.ROOT)
                                .matches("(?s)[^)]*\\bCONCURRENTLY\\b.*")) {
                    concurrently = true;
                }
                i++;
            }
            boolean ofTable = is(text, t, i, "TABLE");
            if (!ofTable && !is(text, t, i, "INDEX")) return null;
            i++;
            if (is(text, t, i, "CONCURRENTLY")) {
                concurrently = true;
                i++;
            }
            if (!concurrently || i >= t.size()) return null;
            String name = qualified(text, t, i);
            return ofTable ? new Build(true, true, null, name) : new Build(true, false, name, null);
        }
        return null;
    }

    private static boolean is(String text, List<SqlTokens.Token> t, int i, String word) {
        return i < t.size()
                && t.get(i).kind() == SqlTokens.Kind.WORD
                && text.substring(t.get(i).start(), t.get(i).end()).equalsIgnoreCase(word);
    }

    /** An identifier as the catalog stores it: folded to lower case unless quoted. */
    private static String ident(String text, SqlTokens.Token k) {
        String s = text.substring(k.start(), k.end());
        if (k.kind() == SqlTokens.Kind.QUOTED_IDENT)
            return s.substring(1, s.length() - 1).replace("\"\"", "\"");
        return s.toLowerCase(Locale.ROOT);
    }

    /** A possibly schema-qualified name as written (for to_regclass), e.g. app."Orders". */
    private static String qualified(String text, List<SqlTokens.Token> t, int i) {
        if (i >= t.size()) return null;
        StringBuilder sb =
                new StringBuilder(text.substring(t.get(i).start(), t.get(i).end()));
        while (i + 2 < t.size()
                && text.substring(t.get(i + 1).start(), t.get(i + 1).end()).equals(".")) {
            sb.append('.').append(text, t.get(i + 2).start(), t.get(i + 2).end());
            i += 2;
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ the catalog

    private static final String CREATED = """
            select i.indexrelid::regclass::text from pg_index i join pg_class c on c.oid = i.indexrelid
            where not i.indisvalid and c.relname = ? and c.relnamespace = (select relnamespace from pg_class where oid = to_regclass(?))""";
    /** What a failed REINDEX CONCURRENTLY leaves: the new copy (_ccnew) or the old one it could not drop (_ccold). */
    private static final String REINDEXED_INDEX = """
            with base as (select relname, relnamespace from pg_class where oid = to_regclass(?))
            select i.indexrelid::regclass::text from pg_index i join pg_class c on c.oid = i.indexrelid, base b
            where not i.indisvalid and c.relnamespace = b.relnamespace and left(c.relname, length(b.relname)) = b.relname
              and substr(c.relname, length(b.relname) + 1) ~ '^_cc(new|old)[0-9]*$'""";

    private static final String REINDEXED_TABLE = """
            select i.indexrelid::regclass::text from pg_index i join pg_class c on c.oid = i.indexrelid
            where not i.indisvalid and i.indrelid = to_regclass(?) and c.relname ~ '_cc(new|old)[0-9]*$'""";

    /** The INVALID indexes a build would trip over, or left behind when it failed: to be dropped. */
    static List<String> leftovers(Connection c, Build b) throws SQLException {
        String sql;
        List<String> args = new ArrayList<>();
        if (!b.reindex()) {
            if (b.table() == null) return List.of();
            sql = CREATED;
            args.add(b.index());
            args.add(b.table());
        } else if (b.ofTable()) {
            sql = REINDEXED_TABLE;
            args.add(b.table());
        } else {
            sql = REINDEXED_INDEX;
            args.add(b.index());
        }
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) ps.setString(i + 1, args.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Drops an INVALID index concurrently (it holds no data anyone relies on). Autocommit only. */
    static void drop(Connection c, String qualifiedName) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("drop index concurrently if exists " + qualifiedName);
        }
    }

    /** After the build succeeded: nothing INVALID is left, and a reindexed index is valid. */
    static boolean valid(Connection c, Build b) throws SQLException {
        if (!leftovers(c, b).isEmpty()) return false;
        if (!b.reindex() || b.ofTable()) return true;
        try (PreparedStatement ps = c.prepareStatement(
                "select count(*) from pg_index where indexrelid = to_regclass(?) and not indisvalid")) {
            ps.setString(1, b.index());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        }
    }
}
