package io.runbook.lint;

import io.runbook.sql.SqlTokens.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The token reading of statements that lock or rewrite whole tables without changing the schema: REINDEX,
 * VACUUM FULL, CLUSTER, REFRESH MATERIALIZED VIEW, LOCK, DROP INDEX, and ALTER DOMAIN's constraints.
 * JSqlParser knows few of them and keeps nothing the rules need, so these are read from tokens only.
 */
final class LockingStatements {
    private LockingStatements() {}

    /** LOCK modes that let INSERT, UPDATE and DELETE through. */
    private static final Set<String> WRITES_PASS =
            Set.of("ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE");

    /** REINDEX [(options)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM} [CONCURRENTLY] name. */
    static void reindex(Toks t, List<Change> out) {
        int conc = -1;
        for (int i = 0; i < t.size(); i++)
            if (t.word(i, "CONCURRENTLY") && !t.words(i + 1, "FALSE") && !t.words(i + 1, "OFF")) conc = i;
        if (conc >= 0) {
            out.add(new Change.Concurrently(t.start(conc), "REINDEX ... CONCURRENTLY"));
            return;
        }
        int i = 1;
        if (t.is(i, Kind.LPAREN)) i = t.close(i) + 1;
        String what = t.kind(i) == Kind.WORD ? t.raw(i).toUpperCase(Locale.ROOT) : "";
        Toks.NameAt n = t.name(i + 1);
        out.add(new Change.Reindex(0, what, n == null ? new Name(null, "", "") : n.name()));
    }

    /** VACUUM FULL [tables], also VACUUM (FULL [true]) [tables]; a plain VACUUM locks nothing writes need. */
    static void vacuum(Toks t, List<Change> out) {
        int i = 1;
        boolean full = false;
        if (t.is(i, Kind.LPAREN)) {
            int close = t.close(i);
            for (int k = i + 1; k < close; k++) {
                if (t.word(k, "FULL")
                        && !t.word(k + 1, "FALSE")
                        && !t.word(k + 1, "OFF")
                        && !(t.is(k + 1, Kind.NUMBER) && t.raw(k + 1).equals("0"))) full = true;
            }
            i = close + 1;
        } else {
            while (t.word(i, "FULL")
                    || t.word(i, "FREEZE")
                    || t.word(i, "VERBOSE")
                    || t.word(i, "ANALYZE")
                    || t.word(i, "ANALYSE")) {
                if (t.word(i, "FULL")) full = true;
                i++;
            }
        }
        if (full) out.add(new Change.Rewrite(0, "VACUUM FULL", names(t, i)));
    }

    /** CLUSTER [VERBOSE | (options)] [table [USING index]], or the old CLUSTER index ON table. */
    static void cluster(Toks t, List<Change> out) {
        int i = 1;
        if (t.is(i, Kind.LPAREN)) i = t.close(i) + 1;
        if (t.word(i, "VERBOSE")) i++;
        Toks.NameAt n = t.name(i);
        List<Name> tables = new ArrayList<>();
        if (n != null) {
            Toks.NameAt on = t.word(n.next(), "ON") ? t.name(n.next() + 1) : null;
            tables.add(on != null ? on.name() : n.name());
        }
        out.add(new Change.Rewrite(0, "CLUSTER", tables));
    }

    /** REFRESH MATERIALIZED VIEW [CONCURRENTLY] name. */
    static void refresh(Toks t, List<Change> out) {
        if (!t.words(1, "MATERIALIZED", "VIEW")) return;
        if (t.word(3, "CONCURRENTLY")) return;
        Toks.NameAt n = t.name(3);
        if (n != null) out.add(new Change.Refresh(0, n.name()));
    }

    /** LOCK [TABLE] [ONLY] name [*], ... [IN mode MODE] [NOWAIT]: reported when the mode blocks writes. */
    static void lock(Toks t, List<Change> out) {
        int i = t.word(1, "TABLE") ? 2 : 1;
        int in = t.find(i, t.size(), 0, "IN");
        String mode = "ACCESS EXCLUSIVE";
        if (in >= 0) {
            int m = t.find(in + 1, t.size(), 0, "MODE");
            if (m > in + 1) mode = t.raw(in + 1, m - 1).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        }
        if (WRITES_PASS.contains(mode)) return;
        List<Name> tables = new ArrayList<>();
        int end = in >= 0 ? in : t.size();
        for (int p : t.splitCommas(i, end, 0)) {
            Toks.NameAt n = t.name(t.word(p, "ONLY") ? p + 1 : p);
            if (n != null && p < end && !t.word(p, "NOWAIT")) tables.add(n.name());
        }
        out.add(new Change.LockTable(0, tables, mode));
    }

    /** DROP INDEX [IF EXISTS] name, ... without CONCURRENTLY (with it: must run outside a transaction). */
    static void dropIndex(Toks t, List<Change> out) {
        if (t.word(2, "CONCURRENTLY")) {
            out.add(new Change.Concurrently(t.start(2), "DROP INDEX CONCURRENTLY"));
            return;
        }
        int i = t.words(2, "IF", "EXISTS") ? 4 : 2;
        List<Name> names = new ArrayList<>();
        for (int p : t.splitCommas(i, t.size(), 0)) {
            Toks.NameAt n = t.name(p);
            if (n != null && !t.word(p, "CASCADE") && !t.word(p, "RESTRICT")) names.add(n.name());
        }
        out.add(new Change.DropIndex(0, names));
    }

    /** ALTER DOMAIN name ADD ... (without NOT VALID) | SET NOT NULL | VALIDATE CONSTRAINT: each scans every column of the domain. */
    static void alterDomain(Toks t, List<Change> out) {
        Toks.NameAt n = t.name(2);
        if (n == null) return;
        int k = n.next();
        int at = t.start(k);
        if (t.word(k, "ADD") && !t.hasPair(k, t.size(), 0, "NOT", "VALID")) {
            out.add(new Change.DomainConstraint(at, n.name(), "ADD CONSTRAINT"));
        } else if (t.words(k, "SET", "NOT", "NULL")) {
            out.add(new Change.DomainConstraint(at, n.name(), "SET NOT NULL"));
        } else if (t.words(k, "VALIDATE", "CONSTRAINT")) {
            out.add(new Change.DomainConstraint(at, n.name(), "VALIDATE CONSTRAINT"));
        }
    }

    /** Comma-separated table names from token i on (a VACUUM's column lists skipped). */
    private static List<Name> names(Toks t, int i) {
        List<Name> names = new ArrayList<>();
        if (i >= t.size()) return names;
        for (int p : t.splitCommas(i, t.size(), 0)) {
            Toks.NameAt n = t.name(p);
            if (n != null) names.add(n.name());
        }
        return names;
    }
}
