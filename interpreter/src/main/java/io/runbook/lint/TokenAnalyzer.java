package io.runbook.lint;

import io.runbook.lint.Change.ConstraintKind;
import io.runbook.sql.SqlTokens.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The fallback analyser: reads what a statement does from the splitter's token stream, for statements
 * JSqlParser does not accept. It knows the statement forms the rules are about and the first keywords of
 * every other statement PostgreSQL has; anything else is left unclassified (null).
 */
final class TokenAnalyzer {
    private TokenAnalyzer() {}

    /** Statements whose first keyword is enough: none of the rules is about them. */
    private static final Set<String> HARMLESS = Set.of(
            "SELECT",
            "VALUES",
            "TABLE",
            "INSERT",
            "MERGE",
            "COPY",
            "SET",
            "RESET",
            "SHOW",
            "COMMENT",
            "GRANT",
            "REVOKE",
            "ANALYZE",
            "ANALYSE",
            "EXPLAIN",
            "CALL",
            "NOTIFY",
            "LISTEN",
            "UNLISTEN",
            "SAVEPOINT",
            "RELEASE",
            "ROLLBACK",
            "DISCARD",
            "CHECKPOINT",
            "PREPARE",
            "EXECUTE",
            "DEALLOCATE",
            "SECURITY",
            "IMPORT",
            "REASSIGN",
            "LOAD",
            "FETCH",
            "MOVE",
            "CLOSE",
            "DECLARE",
            "BEGIN",
            "START",
            "COMMIT",
            "END",
            "ABORT",
            "WITH",
            "DELETE",
            "UPDATE");

    /** The changes a statement makes, or null when its first keyword is not one PostgreSQL knows. */
    static List<Change> analyze(Toks t) {
        int k0 = 0;
        while (t.is(k0, Kind.LPAREN)) k0++;
        String kw = t.kind(k0) == Kind.WORD ? t.raw(k0).toUpperCase(Locale.ROOT) : "";
        List<Change> out = new ArrayList<>();
        switch (kw) {
            case "CREATE" -> create(t, out);
            case "ALTER" -> alter(t, out);
            case "DROP" -> drop(t, out);
            case "TRUNCATE" -> truncate(t, out);
            case "REINDEX" -> LockingStatements.reindex(t, out);
            case "VACUUM" -> LockingStatements.vacuum(t, out);
            case "CLUSTER" -> LockingStatements.cluster(t, out);
            case "REFRESH" -> LockingStatements.refresh(t, out);
            case "LOCK" -> LockingStatements.lock(t, out);
            case "DO" -> out.add(doBlock(t));
            default -> {
                if (!HARMLESS.contains(kw)) return null;
            }
        }
        dataChanges(t, out);
        return out;
    }

    // ------------------------------------------------------------------ CREATE

    private static void create(Toks t, List<Change> out) {
        int i = 1;
        if (t.words(i, "OR", "REPLACE")) i += 2;
        while (t.word(i, "GLOBAL")
                || t.word(i, "LOCAL")
                || t.word(i, "TEMP")
                || t.word(i, "TEMPORARY")
                || t.word(i, "UNLOGGED")) i++;
        if (t.word(i, "TABLE")) {
            i++;
            if (t.words(i, "IF", "NOT", "EXISTS")) i += 3;
            Toks.NameAt n = t.name(i);
            if (n == null) return;
            List<Change.Column> columns = new ArrayList<>();
            if (t.is(n.next(), Kind.LPAREN)) columns = columnDefs(t, n.next());
            out.add(new Change.CreateTable(0, n.name(), columns));
            return;
        }
        if (t.words(i, "MATERIALIZED", "VIEW")) {
            int j = t.words(i + 2, "IF", "NOT", "EXISTS") ? i + 5 : i + 2;
            Toks.NameAt n = t.name(j);
            if (n != null) out.add(new Change.CreateTable(0, n.name(), List.of()));
            return;
        }
        if (t.word(i, "DOMAIN")) {
            Toks.NameAt n = t.name(i + 1);
            if (n != null) out.add(new Change.CreateDomain(0, n.name()));
            return;
        }
        if (t.word(i, "UNIQUE")) i++;
        if (t.word(i, "INDEX")) {
            int conc = t.word(i + 1, "CONCURRENTLY") ? i + 1 : -1;
            int on = t.find(i + 1, t.size(), 0, "ON");
            if (on < 0) return;
            int n = t.word(on + 1, "ONLY") ? on + 2 : on + 1;
            Toks.NameAt table = t.name(n);
            if (table == null) return;
            int nameAt = on - 1;
            String index =
                    nameAt > i && t.isIdent(nameAt) && !t.word(nameAt, "CONCURRENTLY") && !t.word(nameAt, "INDEX")
                            ? t.ident(nameAt)
                            : null;
            out.add(new Change.CreateIndex(conc >= 0 ? t.start(conc) : 0, table.name(), conc >= 0, index));
        }
    }

    /** The columns of a CREATE TABLE's element list, which opens at the '(' at lparen. */
    static List<Change.Column> columnDefs(Toks t, int lparen) {
        List<Change.Column> columns = new ArrayList<>();
        int close = t.close(lparen);
        List<Integer> parts = t.splitCommas(lparen + 1, close, t.depth(lparen) + 1);
        for (int p = 0; p + 1 < parts.size(); p++) {
            int a = parts.get(p);
            int b = parts.get(p + 1) - (p + 2 < parts.size() ? 1 : 0);
            if (a >= b || !t.isIdent(a)) continue;
            String first = t.raw(a).toUpperCase(Locale.ROOT);
            if (t.kind(a) == Kind.WORD
                    && Set.of("CONSTRAINT", "CHECK", "PRIMARY", "UNIQUE", "FOREIGN", "EXCLUDE", "LIKE")
                            .contains(first)) continue;
            int typeEnd = columnTypeEnd(t, a + 1, b);
            columns.add(new Change.Column(t.ident(a), TypeName.read(t, a + 1, typeEnd)));
        }
        return columns;
    }

    private static int columnTypeEnd(Toks t, int from, int to) {
        int d = t.depth(from);
        for (int i = from; i < to; i++) {
            if (t.depth(i) == d
                    && t.kind(i) == Kind.WORD
                    && ColumnSpec.CONSTRAINT_WORDS.contains(t.raw(i).toUpperCase(Locale.ROOT))) return i;
        }
        return to;
    }

    // ------------------------------------------------------------------ ALTER

    private static void alter(Toks t, List<Change> out) {
        if (t.word(1, "TABLE")) {
            AlterTable at = alterTable(t);
            if (at == null) return;
            for (int c = 0; c + 1 < at.clauses().size(); c++) {
                out.addAll(alterClause(t, at.clauses().get(c), clauseEnd(at.clauses(), c), at.table()));
            }
        } else if (t.word(1, "TYPE")) {
            Toks.NameAt n = t.name(2);
            if (n != null && t.words(n.next(), "ADD", "VALUE")) {
                int v = t.words(n.next() + 2, "IF", "NOT", "EXISTS") ? n.next() + 5 : n.next() + 2;
                String value = t.is(v, Kind.STRING) ? literal(t.raw(v)) : null;
                out.add(new Change.AddEnumValue(t.start(n.next()), n.name(), value));
            }
        } else if (t.word(1, "DOMAIN")) {
            LockingStatements.alterDomain(t, out);
        } else if (t.word(1, "VIEW") || t.words(1, "MATERIALIZED", "VIEW") || t.words(1, "FOREIGN", "TABLE")) {
            int i = t.word(1, "VIEW") ? 2 : 3;
            if (t.words(i, "IF", "EXISTS")) i += 2;
            Toks.NameAt n = t.name(i);
            if (n == null || !t.word(n.next(), "RENAME")) return;
            String kind =
                    t.word(1, "VIEW") ? "VIEW" : t.word(1, "MATERIALIZED") ? "MATERIALIZED VIEW" : "FOREIGN TABLE";
            Change r = rename(t, n.next(), t.size(), n.name(), kind);
            if (r != null) out.add(r);
        }
    }

    /** ALTER TABLE [IF EXISTS] [ONLY] name [*] clause, clause...: the table and where each clause starts. */
    record AlterTable(Name table, List<Integer> clauses) {}

    static AlterTable alterTable(Toks t) {
        int i = 2;
        if (t.words(i, "IF", "EXISTS")) i += 2;
        if (t.word(i, "ONLY")) i++;
        if (t.word(i, "ALL")) return null; // ALTER TABLE ALL IN TABLESPACE: moves, no rule applies
        Toks.NameAt n = t.name(i);
        if (n == null) return null;
        int first = t.op(n.next(), "*") ? n.next() + 1 : n.next();
        return new AlterTable(n.name(), t.splitCommas(first, t.size(), 0));
    }

    /** The end (exclusive) of clause c: before the comma that ends it, or the end of the statement. */
    static int clauseEnd(List<Integer> clauses, int c) {
        return c + 2 < clauses.size() ? clauses.get(c + 1) - 1 : clauses.get(c + 1);
    }

    /** One clause of ALTER TABLE, tokens [a, b). */
    static List<Change> alterClause(Toks t, int a, int b, Name table) {
        int at = t.start(a);
        String w = t.kind(a) == Kind.WORD ? t.raw(a).toUpperCase(Locale.ROOT) : "";
        switch (w) {
            case "ADD" -> {
                int i = a + 1;
                if (t.word(i, "CONSTRAINT")) return List.of(constraint(t, i + 2, b, table, t.ident(i + 1), at));
                if (t.kind(i) == Kind.WORD
                        && Set.of("CHECK", "FOREIGN", "PRIMARY", "UNIQUE", "EXCLUDE")
                                .contains(t.raw(i).toUpperCase(Locale.ROOT))) {
                    return List.of(constraint(t, i, b, table, null, at));
                }
                if (t.word(i, "COLUMN")) i++;
                if (t.words(i, "IF", "NOT", "EXISTS")) i += 3;
                if (!t.isIdent(i)) break;
                int typeEnd = columnTypeEnd(t, i + 1, b);
                TypeName type = TypeName.read(t, i + 1, typeEnd);
                ColumnSpec spec = ColumnSpec.read(t, type, typeEnd, b);
                return List.of(new Change.AddColumn(
                        at,
                        table,
                        t.ident(i),
                        type,
                        spec.volatileWhy(),
                        spec.hasDefault(),
                        spec.notNull(),
                        spec.unique()));
            }
            case "DROP" -> {
                int i = a + 1;
                if (t.word(i, "CONSTRAINT")) return List.of();
                if (t.word(i, "COLUMN")) i++;
                if (t.words(i, "IF", "EXISTS")) i += 2;
                if (!t.isIdent(i)) break;
                return List.of(new Change.DropColumn(at, table, t.ident(i)));
            }
            case "ALTER" -> {
                int i = a + 1;
                if (t.word(i, "CONSTRAINT")) return List.of();
                if (t.word(i, "COLUMN")) i++;
                if (!t.isIdent(i)) break;
                String column = t.ident(i);
                int j = i + 1;
                if (t.word(j, "TYPE") || t.words(j, "SET", "DATA", "TYPE")) {
                    int from = t.word(j, "TYPE") ? j + 1 : j + 3;
                    int to = b;
                    for (int k = from; k < b; k++)
                        if (t.depth(k) == 0 && (t.word(k, "USING") || t.word(k, "COLLATE"))) {
                            to = k;
                            break;
                        }
                    return List.of(new Change.AlterColumnType(at, table, column, TypeName.read(t, from, to)));
                }
                if (t.words(j, "SET", "NOT", "NULL")) return List.of(new Change.SetNotNull(at, table, column));
                if (t.words(j, "DROP", "NOT", "NULL")) return List.of(new Change.DropNotNull(at, table, column));
                return List.of();
            }
            case "RENAME" -> {
                Change r = rename(t, a, b, table, "TABLE");
                return r == null ? List.of() : List.of(r);
            }
            case "VALIDATE" -> {
                if (t.word(a + 1, "CONSTRAINT") && t.isIdent(a + 2))
                    return List.of(new Change.ValidateConstraint(at, table, t.ident(a + 2)));
            }
            case "DETACH" -> {
                int c = t.find(a, b, 0, "CONCURRENTLY");
                if (c >= 0) return List.of(new Change.Concurrently(t.start(c), "DETACH PARTITION ... CONCURRENTLY"));
                if (t.find(a, b, 0, "FINALIZE") >= 0) return List.of();
                Toks.NameAt p = t.word(a + 1, "PARTITION") ? t.name(a + 2) : null;
                return List.of(new Change.DetachPartition(at, table, p == null ? new Name(null, "?", "?") : p.name()));
            }
            case "SET",
                    "RESET",
                    "ENABLE",
                    "DISABLE",
                    "OWNER",
                    "CLUSTER",
                    "INHERIT",
                    "NO",
                    "OF",
                    "NOT",
                    "REPLICA",
                    "ATTACH",
                    "FORCE",
                    "SPLIT",
                    "MERGE" -> {
                return List.of();
            }
            default -> {}
        }
        return List.of(new Change.Unanalysed(at, "ALTER TABLE clause `" + shorten(t.raw(a, b - 1)) + "`"));
    }

    /** ADD [CONSTRAINT name] CHECK|FOREIGN KEY|... with the kind word at k. */
    private static Change constraint(Toks t, int k, int b, Name table, String name, int at) {
        ConstraintKind kind = constraintKind(t, k);
        boolean notValid = t.hasPair(k, b, 0, "NOT", "VALID");
        boolean usingIndex = t.hasPair(k, b, 0, "USING", "INDEX");
        String notNullColumn = null;
        if (kind == ConstraintKind.CHECK && t.is(k + 1, Kind.LPAREN)) {
            int open = k + 1;
            int close = t.close(open);
            while (t.is(open + 1, Kind.LPAREN) && t.close(open + 1) == close - 1) {
                open++;
                close--;
            } // CHECK ((c IS NOT NULL))
            int i = open + 1;
            if (t.isIdent(i) && t.words(i + 1, "IS", "NOT", "NULL") && i + 4 == close) notNullColumn = t.ident(i);
        }
        return new Change.AddConstraint(at, table, name, kind, notValid, notNullColumn, usingIndex);
    }

    /** The kind of a table constraint whose kind word is at k (CHECK, FOREIGN KEY, PRIMARY KEY, UNIQUE, EXCLUDE). */
    static ConstraintKind constraintKind(Toks t, int k) {
        if (t.word(k, "FOREIGN")) return ConstraintKind.FOREIGN_KEY;
        if (t.word(k, "CHECK")) return ConstraintKind.CHECK;
        if (t.word(k, "PRIMARY")) return ConstraintKind.PRIMARY_KEY;
        if (t.word(k, "UNIQUE")) return ConstraintKind.UNIQUE;
        return ConstraintKind.EXCLUDE;
    }

    /** The value of a string literal token ('it''s' -> it's; E'' strings as written). */
    static String literal(String raw) {
        return raw.length() >= 2 && raw.startsWith("'")
                ? raw.substring(1, raw.length() - 1).replace("''", "'")
                : raw;
    }

    /** RENAME [COLUMN] a TO b | RENAME TO b (RENAME CONSTRAINT is harmless), starting at the word RENAME. */
    private static Change rename(Toks t, int k, int b, Name table, String kind) {
        int at = t.start(k);
        if (t.word(k + 1, "TO")) return new Change.Rename(at, kind, table, null, t.ident(k + 2));
        if (t.word(k + 1, "CONSTRAINT")) return null;
        int i = t.word(k + 1, "COLUMN") ? k + 2 : k + 1;
        if (!t.isIdent(i) || !t.word(i + 1, "TO")) return null;
        return new Change.Rename(at, kind, table, t.ident(i), t.ident(i + 2));
    }

    // ------------------------------------------------------------------ DROP, TRUNCATE

    private static void drop(Toks t, List<Change> out) {
        if (t.word(1, "TABLE")) {
            int i = t.words(2, "IF", "EXISTS") ? 4 : 2;
            List<Name> names = new ArrayList<>();
            for (int p : t.splitCommas(i, t.size(), 0)) {
                Toks.NameAt n = t.name(p);
                if (n != null && !t.word(p, "CASCADE") && !t.word(p, "RESTRICT")) names.add(n.name());
            }
            out.add(new Change.DropTable(0, names));
        } else if (t.word(1, "INDEX")) {
            LockingStatements.dropIndex(t, out);
        }
    }

    private static void truncate(Toks t, List<Change> out) {
        int i = t.word(1, "TABLE") ? 2 : 1;
        List<Name> names = new ArrayList<>();
        for (int p : t.splitCommas(i, t.size(), 0)) {
            int q = t.word(p, "ONLY") ? p + 1 : p;
            Toks.NameAt n = t.name(q);
            if (n != null) names.add(n.name());
        }
        out.add(new Change.BulkChange(0, "TRUNCATE", names));
        int cascade = t.find(i, t.size(), 0, "CASCADE");
        if (cascade >= 0) out.add(new Change.TruncateCascade(t.start(cascade), names));
    }

    // ------------------------------------------------------------------ DELETE / UPDATE anywhere

    /**
     * DELETE and UPDATE without WHERE, also inside a WITH: a DELETE or UPDATE that starts the statement,
     * follows a '(' (a data-modifying CTE) or follows the CTE list; its WHERE must be at its own depth.
     */
    static void dataChanges(Toks t, List<Change> out) {
        boolean with = t.word(0, "WITH");
        for (int k = 0; k < t.size(); k++) {
            if (!t.word(k, "DELETE") && !t.word(k, "UPDATE")) continue;
            boolean starts =
                    k == 0 || t.is(k - 1, Kind.LPAREN) || (with && t.is(k - 1, Kind.RPAREN) && t.depth(k - 1) == 0);
            if (!starts) continue;
            int d = t.depth(k);
            int end = k + 1;
            while (end < t.size() && t.depth(end) >= d) end++;
            if (t.find(k + 1, end, d, "WHERE") >= 0) continue;
            boolean delete = t.word(k, "DELETE");
            int n = delete ? (t.word(k + 1, "FROM") ? k + 2 : k + 1) : k + 1;
            if (t.word(n, "ONLY")) n++;
            Toks.NameAt table = t.name(n);
            out.add(new Change.BulkChange(
                    t.start(k),
                    delete ? "DELETE without WHERE" : "UPDATE without WHERE",
                    table == null ? List.of() : List.of(table.name())));
        }
    }

    // ------------------------------------------------------------------ DO

    static Change.DoBlock doBlock(Toks t) {
        String language = "plpgsql";
        int body = -1;
        for (int i = 1; i < t.size(); i++) {
            if (t.word(i, "LANGUAGE") && t.isIdent(i + 1)) language = t.ident(i + 1);
            if (body < 0 && (t.is(i, Kind.DOLLAR_STRING) || t.is(i, Kind.STRING))) body = i;
        }
        if (body < 0 || !t.is(body, Kind.DOLLAR_STRING)) return new Change.DoBlock(0, -1, -1, language);
        String raw = t.raw(body);
        int tag = raw.indexOf('$', 1) + 1;
        return new Change.DoBlock(0, t.start(body) + tag, t.end(body) - tag, language);
    }

    static String shorten(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }
}
