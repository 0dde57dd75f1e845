package io.runbook.lint;

import io.runbook.lint.Change.ConstraintKind;

/** ADD CONSTRAINT and VALIDATE CONSTRAINT of a table: constraint-not-valid, constraint-builds-index. */
final class Constraints {
    private Constraints() {}

    static void add(Rules rules, Change.AddConstraint c, Rules.Ctx w, Rules.Sink out) {
        Knowledge known = rules.known;
        String key = c.table().qualified() + "." + c.name();
        if (c.name() != null) {
            if (c.notValid()) known.addedNotValidIn.put(key, w.tx());
            if (c.notNullColumn() != null) known.checkColumn.put(key, c.notNullColumn());
        }
        if (c.notNullColumn() != null && !c.notValid())
            rules.notNullChecked(c.table()).add(c.notNullColumn());
        if (!known.existing(c.table())) return;
        String named = c.name() == null ? "" : " " + c.name();
        if (c.kind() == ConstraintKind.PRIMARY_KEY
                || c.kind() == ConstraintKind.UNIQUE
                || c.kind() == ConstraintKind.EXCLUDE) {
            if (c.usingIndex()) return;
            String what = c.kind() == ConstraintKind.PRIMARY_KEY
                    ? "PRIMARY KEY"
                    : c.kind().name();
            out.add(
                    Rule.CONSTRAINT_BUILDS_INDEX,
                    "ADD " + what + named + " on existing table " + c.table()
                            + " builds its index under an ACCESS EXCLUSIVE lock: reads and writes of " + c.table()
                            + " wait until every row is indexed",
                    c.kind() == ConstraintKind.EXCLUDE
                            ? "an exclusion constraint cannot be added USING INDEX: build it on a new table and switch over, or accept the lock in a maintenance window and allow this with the reason"
                            : "CREATE UNIQUE INDEX CONCURRENTLY first (a `no transaction` phase), then ALTER TABLE "
                                    + c.table() + " ADD CONSTRAINT " + (c.name() == null ? "NAME" : c.name()) + " "
                                    + what + " USING INDEX that_index (a brief lock)"
                                    + (c.kind() == ConstraintKind.PRIMARY_KEY
                                            ? "; its columns must be NOT NULL already, or a validated CHECK (col IS NOT NULL) must exist"
                                            : ""));
            return;
        }
        if (c.notValid()) return;
        String what = c.kind() == ConstraintKind.FOREIGN_KEY ? "FOREIGN KEY" : "CHECK";
        String why = c.kind() == ConstraintKind.FOREIGN_KEY
                ? "every row is checked while writes to " + c.table()
                        + " and the referenced table are blocked (SHARE ROW EXCLUSIVE lock)"
                : "every row is checked under an ACCESS EXCLUSIVE lock (reads and writes of " + c.table() + " wait)";
        out.add(
                Rule.CONSTRAINT_NOT_VALID,
                "ADD " + what + named + " on existing table " + c.table() + " without NOT VALID: " + why,
                "add it NOT VALID, then ALTER TABLE " + c.table() + " VALIDATE CONSTRAINT "
                        + (c.name() == null ? "NAME" : c.name()) + " in a later phase (validating blocks no writes)"
                        + (c.name() == null ? "; name the constraint so it can be validated" : ""));
    }

    static void validate(Rules rules, Change.ValidateConstraint c, Rules.Ctx w, Rules.Sink out) {
        Knowledge known = rules.known;
        String key = c.table().qualified() + "." + c.name();
        String column = known.checkColumn.get(key);
        if (column != null) rules.notNullChecked(c.table()).add(column);
        Object addedIn = known.addedNotValidIn.get(key);
        if (addedIn != null && addedIn == w.tx() && w.transactional()) {
            out.add(
                    Rule.CONSTRAINT_NOT_VALID,
                    "VALIDATE CONSTRAINT " + c.name()
                            + " in the transaction that added it NOT VALID: the lock ADD CONSTRAINT took is still held while every row is checked",
                    "validate it in a later phase, after the ADD CONSTRAINT ... NOT VALID has committed");
        }
    }
}
