package io.runbook.lint;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules: each change of each statement, in the order a run takes, against what the runbook made so far.
 * Lock levels in the messages are PostgreSQL 15's, checked against pg_locks (docs/lint.md says how).
 */
final class Rules {
    /**
     * Where a statement runs. tx identifies its transaction; dropsForGood: a phase's steps without a rollback
     * block; rollback: in a rollback block, which undoes what the runbook did.
     */
    record Ctx(
            boolean transactional,
            Object tx,
            boolean guarded,
            String phase,
            boolean dropsForGood,
            boolean inDo,
            boolean rollback) {}

    interface Sink {
        void add(Rule rule, Severity severity, String message, String fix);

        default void add(Rule rule, String message, String fix) {
            add(rule, rule.severity, message, fix);
        }
    }

    Knowledge known = new Knowledge();
    private final int pgVersion;

    Rules(int pgVersion) {
        this.pgVersion = pgVersion;
    }

    private static String names(List<Name> names) {
        return names.stream().map(Name::toString).collect(Collectors.joining(", "));
    }

    private boolean existing(Name n) {
        return known.existing(n);
    }

    /** A string literal of a statement that names an enum value added earlier in the same transaction. */
    void literal(String value, Ctx w, Sink out) {
        Object tx = known.enumValuesIn.get(value);
        if (tx == null || tx != w.tx() || !w.transactional()) return;
        out.add(
                Rule.ADD_ENUM_VALUE_IN_TRANSACTION,
                "'" + value
                        + "' is used in the transaction that added it with ALTER TYPE ... ADD VALUE: PostgreSQL refuses a new enum value before that transaction commits (unsafe use of new value)",
                "add the value in an earlier phase (or a `no transaction` phase) and use it only after that phase");
    }

    void apply(Change change, Ctx w, Sink out) {
        if (change instanceof Change.CreateTable c) {
            Map<String, TypeName> cols = new HashMap<>();
            for (Change.Column col : c.columns()) cols.put(col.name(), col.type());
            known.created.put(c.table().qualified(), cols);
            known.columns.put(c.table().qualified(), new HashMap<>(cols));
        } else if (change instanceof Change.CreateDomain c) {
            known.domains.add(c.domain().qualified());
        } else if (change instanceof Change.CreateIndex c) {
            if (c.index() != null)
                known.indexes.put(
                        new Name(c.table().schema(), c.index(), c.index()).qualified(),
                        c.table().qualified());
            if (c.concurrently()) {
                concurrently("CREATE INDEX CONCURRENTLY", w, out);
            } else if (existing(c.table())) {
                out.add(
                        Rule.CREATE_INDEX_NOT_CONCURRENTLY,
                        "CREATE INDEX on existing table " + c.table() + " without CONCURRENTLY: writes to " + c.table()
                                + " are blocked until the index is built (SHARE lock)",
                        "use CREATE INDEX CONCURRENTLY in a `no transaction` phase (a failed build leaves an INVALID index: drop it and run again)");
            }
        } else if (change instanceof Change.Concurrently c) {
            concurrently(c.what(), w, out);
        } else if (change instanceof Change.AddConstraint c) {
            Constraints.add(this, c, w, out);
        } else if (change instanceof Change.ValidateConstraint c) {
            Constraints.validate(this, c, w, out);
        } else if (change instanceof Change.AddColumn c) {
            Columns.add(this, c, pgVersion, out);
        } else if (change instanceof Change.AlterColumnType c) {
            Columns.alterType(this, c, out);
        } else if (change instanceof Change.SetNotNull c) {
            Set<String> checked = known.notNullChecked.getOrDefault(c.table().qualified(), Set.of());
            if (existing(c.table()) && !checked.contains(c.column())) {
                out.add(
                        Rule.SET_NOT_NULL,
                        "SET NOT NULL on " + c.table() + "." + c.column()
                                + ": every row is checked under an ACCESS EXCLUSIVE lock (reads and writes wait)",
                        "first ADD CONSTRAINT ... CHECK (" + c.column()
                                + " IS NOT NULL) NOT VALID and VALIDATE it in an earlier phase; SET NOT NULL then skips the scan (PostgreSQL 12+)");
            }
        } else if (change instanceof Change.DropNotNull c) {
            if (existing(c.table())
                    && !w.rollback()) { // a rollback block gives back the NULLs the column allowed before
                out.add(
                        Rule.DROP_NOT_NULL,
                        "DROP NOT NULL on " + c.table() + "." + c.column()
                                + ": instant (a brief ACCESS EXCLUSIVE lock), but code that reads the column may not expect NULL, and the way back (SET NOT NULL) scans every row under ACCESS EXCLUSIVE and fails once a NULL was written",
                        "make sure every reader handles NULL first; for the way back, ADD CONSTRAINT ... CHECK ("
                                + c.column() + " IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL");
            }
        } else if (change instanceof Change.DropTable c) {
            List<Name> old = c.tables().stream().filter(this::existing).toList();
            if (!old.isEmpty() && w.dropsForGood()) {
                out.add(
                        Rule.DROP_WITHOUT_ROLLBACK,
                        "DROP TABLE " + names(old) + " in phase \"" + w.phase()
                                + "\", which has no rollback block: `runbook rollback` cannot bring "
                                + (old.size() == 1 ? "it" : "them") + " back",
                        "add a rollback block that recreates " + (old.size() == 1 ? "the table" : "the tables")
                                + " (rows come back only from a backup), or rename now and drop in a later release");
            }
            for (Name n : c.tables()) {
                known.created.remove(n.qualified());
                known.columns.remove(n.qualified());
            }
        } else if (change instanceof Change.DropColumn c) {
            if (existing(c.table()) && w.dropsForGood()) {
                out.add(
                        Rule.DROP_WITHOUT_ROLLBACK,
                        "DROP COLUMN " + c.column() + " of " + c.table() + " in phase \"" + w.phase()
                                + "\", which has no rollback block: `runbook rollback` cannot bring it back",
                        "add a rollback block that adds the column back (its values come back only from a backup), or stop using it now and drop it in a later release");
            }
            Map<String, TypeName> cols = known.columns.get(c.table().qualified());
            if (cols != null) cols.remove(c.column());
        } else if (change instanceof Change.DropIndex c) {
            // A rollback block dropping an index the runbook built undoes that build: in a transactional phase it
            // cannot be CONCURRENTLY.
            List<Name> old = c.indexes().stream()
                    .filter(i -> !onNewTable(i) && !(w.rollback() && known.indexes.containsKey(i.qualified())))
                    .toList();
            if (!old.isEmpty()) {
                out.add(
                        Rule.DROP_INDEX_NOT_CONCURRENTLY,
                        "DROP INDEX " + names(old)
                                + " without CONCURRENTLY: takes an ACCESS EXCLUSIVE lock on the index's table, so it waits for every running query on it and blocks reads and writes queued behind it",
                        "use DROP INDEX CONCURRENTLY (one index per statement) in a `no transaction` phase");
            }
        } else if (change instanceof Change.Reindex c) {
            reindex(c, out);
        } else if (change instanceof Change.Rewrite c) {
            List<Name> old = c.tables().stream().filter(this::existing).toList();
            if (c.tables().isEmpty() || !old.isEmpty()) {
                String on = c.tables().isEmpty()
                        ? (c.what().equals("CLUSTER")
                                ? " (every table clustered before)"
                                : " (every table of the database)")
                        : " " + names(old);
                out.add(
                        Rule.TABLE_REWRITE,
                        c.what() + on
                                + " rewrites the table and its indexes under an ACCESS EXCLUSIVE lock: reads and writes wait until it is done",
                        "use pg_repack (or pg_squeeze), which rewrites online; to reclaim space gradually a plain VACUUM is enough (it blocks no reads or writes)");
            }
        } else if (change instanceof Change.Refresh c) {
            if (existing(c.view())) {
                out.add(
                        Rule.REFRESH_NOT_CONCURRENTLY,
                        "REFRESH MATERIALIZED VIEW " + c.view()
                                + " without CONCURRENTLY: an ACCESS EXCLUSIVE lock on the view while its query runs, so every read of it waits",
                        "give the view a UNIQUE index (once, CONCURRENTLY) and use REFRESH MATERIALIZED VIEW CONCURRENTLY (an EXCLUSIVE lock: reads go on)");
            }
        } else if (change instanceof Change.LockTable c) {
            List<Name> old = c.tables().stream().filter(this::existing).toList();
            if (!old.isEmpty()) {
                String blocks = c.mode().equals("ACCESS EXCLUSIVE")
                        ? "reads and writes"
                        : c.mode().equals("EXCLUSIVE") ? "writes and most reads' row locks" : "writes";
                out.add(
                        Rule.LOCK_TABLE,
                        "LOCK " + names(old) + " IN " + c.mode() + " MODE: blocks " + blocks + " on " + names(old)
                                + " until the transaction ends, however long the rest of the phase takes",
                        "lock only what needs it, for as short as possible: a phase of its own with nothing slow after the LOCK, and the runbook's lock_timeout so it gives up instead of queueing everyone behind it");
            }
        } else if (change instanceof Change.DomainConstraint c) {
            domain(c, out);
        } else if (change instanceof Change.DetachPartition c) {
            if (existing(c.table())) {
                out.add(
                        Rule.DETACH_PARTITION_NOT_CONCURRENTLY,
                        "DETACH PARTITION " + c.partition() + " from " + c.table()
                                + " without CONCURRENTLY: an ACCESS EXCLUSIVE lock on " + c.table()
                                + " (and the partition): every read and write of the partitioned table waits",
                        pgVersion >= 14
                                ? "use ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+) in a `no transaction` phase; if it is interrupted, finish it with DETACH PARTITION ... FINALIZE"
                                : "PostgreSQL " + pgVersion
                                        + " has no concurrent detach (it came in 14): do it in a quiet window with a short lock_timeout");
            }
        } else if (change instanceof Change.AddEnumValue c) {
            if (!w.transactional()) return;
            if (pgVersion < 12) {
                out.add(
                        Rule.ADD_ENUM_VALUE_IN_TRANSACTION,
                        Severity.ERROR,
                        "ALTER TYPE " + c.type() + " ADD VALUE inside a transaction: PostgreSQL " + pgVersion
                                + " refuses it (ALTER TYPE ... ADD cannot run inside a transaction block)",
                        "put it in a `no transaction` phase, and use the new value only in later phases");
            } else if (c.value() != null) {
                known.enumValuesIn.put(c.value(), w.tx());
            }
        } else if (change instanceof Change.Rename c) {
            rename(c, out);
        } else if (change instanceof Change.BulkChange c) {
            List<Name> old = c.tables().stream().filter(this::existing).toList();
            if (!w.guarded() && (c.tables().isEmpty() || !old.isEmpty())) {
                boolean truncate = c.what().equals("TRUNCATE");
                String on = old.isEmpty() ? "" : (truncate ? " " : " on ") + names(old);
                out.add(
                        Rule.UNGUARDED_BULK_CHANGE,
                        c.what() + on
                                + (truncate
                                        ? " empties the table"
                                        : c.what().startsWith("DELETE") ? " deletes every row" : " updates every row")
                                + ", and the step has no `expect affected` guard",
                        truncate
                                ? "check the row count in a preceding `expect count`/`expect scalar`, or use DELETE with `expect affected` (TRUNCATE reports 0 affected rows)"
                                : "add `expect affected == N` (or `<= N`) to the sql step: a surprising row count then rolls the phase back");
            }
        } else if (change instanceof Change.TruncateCascade c) {
            if (c.tables().isEmpty() || c.tables().stream().anyMatch(this::existing)) {
                out.add(
                        Rule.TRUNCATE_CASCADE,
                        "TRUNCATE " + names(c.tables()) + " CASCADE also empties every table with a foreign key to "
                                + (c.tables().size() == 1 ? "it" : "them")
                                + ", and theirs in turn, under ACCESS EXCLUSIVE locks: tables this statement does not name",
                        "name every table to empty and leave CASCADE out: PostgreSQL then refuses instead of emptying a table you did not list");
            }
        } else if (change instanceof Change.DoBlock) {
            // its inner statements are applied one by one by the linter
        } else if (change instanceof Change.Unanalysed c) {
            out.add(
                    Rule.UNANALYSED,
                    "statement not analysed: " + c.why(),
                    "review it by hand; `-- runbook:allow unanalysed REASON` records that you did");
        }
    }

    /** Whether a rule may report on these changes: one of them touches a table the runbook did not create. */
    boolean touchesExisting(List<Change> changes) {
        for (Change c : changes) {
            List<Name> tables;
            if (c instanceof Change.CreateTable) continue;
            else if (c instanceof Change.CreateIndex x) tables = List.of(x.table());
            else if (c instanceof Change.AddConstraint x) tables = List.of(x.table());
            else if (c instanceof Change.ValidateConstraint x) tables = List.of(x.table());
            else if (c instanceof Change.AddColumn x) tables = List.of(x.table());
            else if (c instanceof Change.AlterColumnType x) tables = List.of(x.table());
            else if (c instanceof Change.SetNotNull x) tables = List.of(x.table());
            else if (c instanceof Change.DropNotNull x) tables = List.of(x.table());
            else if (c instanceof Change.DropColumn x) tables = List.of(x.table());
            else if (c instanceof Change.Rename x) tables = List.of(x.table());
            else if (c instanceof Change.DetachPartition x) tables = List.of(x.table());
            else if (c instanceof Change.DropTable x) tables = x.tables();
            else if (c instanceof Change.BulkChange x) tables = x.tables();
            else if (c instanceof Change.TruncateCascade x) tables = x.tables();
            else return true;
            if (tables.isEmpty() || tables.stream().anyMatch(this::existing)) return true;
        }
        return false;
    }

    private boolean onNewTable(Name index) {
        String table = known.indexes.get(index.qualified());
        return table != null && known.created.containsKey(table);
    }

    private void concurrently(String what, Ctx w, Sink out) {
        if (!w.transactional()) return;
        out.add(
                Rule.CONCURRENTLY_IN_TRANSACTION,
                what + " inside a transaction" + (w.inDo() ? " (a DO block always runs in one)" : "")
                        + ": PostgreSQL refuses it, so the phase would fail",
                w.inDo()
                        ? "run it as a statement of its own in a `no transaction` phase, not inside a DO block"
                        : "put it in a phase declared `phase \"...\" no transaction { ... }` (and not in a BEGIN/COMMIT-wrapped file)");
    }

    private void reindex(Change.Reindex c, Sink out) {
        boolean old = switch (c.what()) {
            case "INDEX" -> !onNewTable(c.target());
            case "TABLE" -> existing(c.target());
            default -> true;
        };
        if (!old) return;
        String what = c.what().equals("INDEX") || c.what().equals("TABLE")
                ? c.what() + " " + c.target()
                : c.what() + (c.target().key().isEmpty() ? "" : " " + c.target());
        out.add(
                Rule.REINDEX_NOT_CONCURRENTLY,
                "REINDEX " + what
                        + " without CONCURRENTLY: a SHARE lock on the table blocks its writes, and an ACCESS EXCLUSIVE lock on each index blocks the queries that would use it, until the rebuild is done",
                "use REINDEX "
                        + (c.what().equals("INDEX") || c.what().equals("TABLE")
                                ? c.what() + " CONCURRENTLY " + c.target()
                                : "... CONCURRENTLY")
                        + " (PostgreSQL 12+) in a `no transaction` phase");
    }

    private void domain(Change.DomainConstraint c, Sink out) {
        if (known.domains.contains(c.domain().qualified())) return;
        if (c.what().equals("VALIDATE CONSTRAINT")) {
            if (pgVersion >= 19) return;
            out.add(
                    Rule.DOMAIN_CONSTRAINT,
                    "ALTER DOMAIN " + c.domain()
                            + " VALIDATE CONSTRAINT: before PostgreSQL 19 it scans every column of type " + c.domain()
                            + " under a SHARE lock, so writes to each table using the domain wait",
                    "there is no non-blocking validation before PostgreSQL 19: check the old rows with a query instead and leave the constraint NOT VALID (new values are checked anyway), or validate in a quiet window");
            return;
        }
        out.add(
                Rule.DOMAIN_CONSTRAINT,
                "ALTER DOMAIN " + c.domain() + " " + c.what() + ": every column of type " + c.domain()
                        + " in every table is checked under a SHARE lock, so writes to all those tables wait",
                c.what().equals("SET NOT NULL")
                        ? "add a CHECK (VALUE IS NOT NULL) constraint NOT VALID instead: new values are checked at once, old rows are not scanned"
                        : "add it NOT VALID: new values are checked at once and old rows are not scanned; check the old rows with a query");
    }

    private void rename(Change.Rename c, Sink out) {
        if (!existing(c.table())) {
            if (c.column() == null) {
                Map<String, TypeName> cols = known.created.remove(c.table().qualified());
                known.created.put(c.table().renamed(c.newName()).qualified(), cols == null ? new HashMap<>() : cols);
            } else {
                Map<String, TypeName> cols = known.columns.get(c.table().qualified());
                if (cols != null && cols.containsKey(c.column())) cols.put(c.newName(), cols.remove(c.column()));
            }
            return;
        }
        String what = c.column() == null
                ? "RENAME " + c.kind() + " " + c.table() + " TO " + c.newName()
                : "RENAME COLUMN " + c.column() + " TO " + c.newName() + " on " + c.table();
        out.add(
                Rule.RENAME,
                what + ": application code still using the old name breaks as soon as this commits",
                "expand and contract: add the new name alongside the old (a synced column, or a view), move the application over, drop the old name in a later release");
    }

    /** Columns the runbook's SQL has validated NOT NULL checks for, per table. */
    Set<String> notNullChecked(Name table) {
        return known.notNullChecked.computeIfAbsent(table.qualified(), k -> new HashSet<>());
    }
}
