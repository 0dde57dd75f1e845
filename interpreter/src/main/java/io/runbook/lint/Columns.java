package io.runbook.lint;

import java.util.HashMap;
import java.util.Map;

/** ADD COLUMN and ALTER COLUMN TYPE: volatile-default, not-null-column-without-default, constraint-builds-index, alter-column-type. */
final class Columns {
    private Columns() {}

    static void add(Rules rules, Change.AddColumn c, int pgVersion, Rules.Sink out) {
        Knowledge known = rules.known;
        known.columns
                .computeIfAbsent(c.table().qualified(), k -> new HashMap<>())
                .put(c.column(), c.type());
        if (!known.existing(c.table())) return;
        String what = "ADD COLUMN " + c.column() + " to existing table " + c.table();
        String why = c.volatileWhy();
        if (why == null && c.hasDefault() && pgVersion < 11)
            why = "before PostgreSQL 11 any DEFAULT is written into every row";
        if (why != null) {
            out.add(
                    Rule.VOLATILE_DEFAULT,
                    what + ": " + why + ", so the whole table is rewritten under an ACCESS EXCLUSIVE lock",
                    "add the column without that default, then ALTER COLUMN ... SET DEFAULT for new rows and fill existing rows in batches");
        }
        if (c.notNull() && !c.hasDefault() && c.volatileWhy() == null) {
            out.add(
                    Rule.NOT_NULL_WITHOUT_DEFAULT,
                    what
                            + " NOT NULL without a DEFAULT: fails (\"column contains null values\") as soon as the table has a row, and the application's INSERTs that do not name the column fail after it",
                    "add it nullable (or with a constant DEFAULT, instant since PostgreSQL 11), fill it in batches, then add CHECK ("
                            + c.column() + " IS NOT NULL) NOT VALID, VALIDATE it and SET NOT NULL");
        }
        if (c.unique()) {
            out.add(
                    Rule.CONSTRAINT_BUILDS_INDEX,
                    what
                            + " with PRIMARY KEY or UNIQUE builds an index over every row under an ACCESS EXCLUSIVE lock: reads and writes of "
                            + c.table() + " wait",
                    "add the column plain, CREATE UNIQUE INDEX CONCURRENTLY on it (a `no transaction` phase), then ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) USING INDEX");
        }
    }

    static void alterType(Rules rules, Change.AlterColumnType c, Rules.Sink out) {
        Knowledge known = rules.known;
        Map<String, TypeName> cols = known.columns.computeIfAbsent(c.table().qualified(), k -> new HashMap<>());
        TypeName old = cols.get(c.column());
        cols.put(c.column(), c.type());
        if (!known.existing(c.table())) return;
        String fix =
                "add a new column, fill it in batches and move the application over; or accept the lock in a maintenance window and allow this with the reason";
        String what = "ALTER COLUMN " + c.column() + " TYPE " + c.type() + " on existing table " + c.table();
        if (old != null) {
            if (c.type().keepsBytesFrom(old)) return;
            String shrink =
                    c.type().base().equals(old.base()) && !c.type().mods().isEmpty()
                            ? " (a shorter length: every value is checked and rewritten)"
                            : "";
            out.add(
                    Rule.ALTER_COLUMN_TYPE,
                    what + " (was " + old + ")" + shrink
                            + ": rewrites the table and its indexes under an ACCESS EXCLUSIVE lock",
                    fix);
        } else if (c.type().cheapTargetForSome() && c.type().mods().isEmpty()) {
            out.add(
                    Rule.ALTER_COLUMN_TYPE,
                    Severity.INFO,
                    what
                            + ": rewrites the table under an ACCESS EXCLUSIVE lock unless the old type is binary-compatible (e.g. varchar(n) to text or an unlimited varchar); the runbook does not show the old type",
                    "make sure the old type is binary-compatible with " + c.type() + "; else " + fix);
        } else if (c.type().cheapTargetForSome()) {
            out.add(
                    Rule.ALTER_COLUMN_TYPE,
                    what
                            + ": rewrites the table and its indexes under an ACCESS EXCLUSIVE lock unless it widens a column of the same type (a shorter length is checked and rewritten); the runbook does not show the old type",
                    "if it only widens (e.g. varchar(20) to " + c.type()
                            + "), say so: `-- runbook:allow alter-column-type widens from varchar(20)`; else " + fix);
        } else {
            out.add(
                    Rule.ALTER_COLUMN_TYPE,
                    what + ": rewrites the table and its indexes under an ACCESS EXCLUSIVE lock",
                    fix);
        }
    }
}
