package io.runbook.ast;

import io.runbook.source.Pos;
import io.runbook.source.SqlText;
import java.util.List;

/** What a preflight, phase, verify or rollback block is made of. */
public sealed interface Step {
    Pos pos();

    /** `sql $$...$$` or `sql file "path"`, with `expect affected|duration ...` guards on the step as a whole. */
    record Sql(Pos pos, SqlSource source, List<Expr> guards, Retry retry) implements Step {}

    /**
     * `batch $$...$$ until affected == 0 pause 50ms max 10000 batches`: the statement again and again, each
     * time in a short transaction of its own, until the condition on the rows it affected holds.
     */
    record Batch(Pos pos, SqlText sql, Expr until, Expr pause, Expr maxBatches, Keyset over) implements Step {
        public Batch(Pos pos, SqlText sql, Expr until, Expr pause, Expr maxBatches) {
            this(pos, sql, until, pause, maxBatches, null);
        }

        /** The keyset form: no `until` (it ends when the key range is walked), ranges instead. */
        public boolean keyset() {
            return over != null;
        }
    }

    /**
     * `batch over accounts by id size 10000 parallel 2 $$ ... $$`: the statement once per key range
     * [:batch_from, :batch_to) of `size` keys, in key order, each range in a transaction of its own that also
     * journals it; with `parallel N`, N ranges at a time on N connections.
     */
    record Keyset(Pos pos, String schema, String table, String key, Expr size, Expr parallel) {
        public static final String FROM = "batch_from";
        public static final String TO = "batch_to";
        /** Keys in the first range when the step says no `size` (the next ones are sized by their duration). */
        public static final long DEFAULT_SIZE = 10_000;
        /**
         * The most connections `parallel` may take: more ranges at once than that compete for the same table, WAL
         * and cores, and each holds a server connection (and its row locks) of its own.
         */
        public static final int MAX_PARALLEL = 16;

        /** The table as written: `public.accounts` or `accounts`. */
        public String relation() {
            return schema == null ? table : schema + "." + table;
        }
    }

    /** `monitor "label" every 30s for 15m tolerate 2 { expect ... }`: checks re-run on a schedule. */
    record Monitor(Pos pos, Expr label, Expr every, Expr duration, Expr tolerate, List<Step> steps) implements Step {}

    /** `snapshot "name"`: records the schema now, for a later `expect schema == snapshot "name"`. */
    record Snapshot(Pos pos, String name) implements Step {}

    /** `expect schema == snapshot "name"`: the live schema equals the recorded one; a difference is printed as a diff. */
    record ExpectSchema(Pos pos, String name) implements Step {}

    /** `sh $$ pg_dump ... $$ expect exit 0 timeout 10m`: a command, with the connection in PG* variables. */
    record Shell(Pos pos, SqlText command, Expr exitGuard, Expr timeout) implements Step {}

    /** A labelled group of expectations: passes when all of its steps pass. */
    record Check(Pos pos, Expr label, List<Step> steps) implements Step {}

    record Expect(Pos pos, Expr condition) implements Step {}

    record Let(Pos pos, String name, Expr value) implements Step {}

    /** Asks the operator; `typing` requires that exact word instead of yes. */
    record Confirm(Pos pos, Expr prompt, String typing) implements Step {}

    record Echo(Pos pos, Expr message) implements Step {}

    sealed interface SqlSource {
        Pos pos();
    }

    record Inline(Pos pos, SqlText sql) implements SqlSource {}

    /** A file path as written, relative to the runbook that names it. */
    record FileRef(Pos pos, String path) implements SqlSource {
        // Written out, as Pos's: the generated ones are bootstrapped at their first call (the checker's map key).
        @Override
        public boolean equals(Object o) {
            return o instanceof FileRef f
                    && java.util.Objects.equals(pos, f.pos)
                    && java.util.Objects.equals(path, f.path);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Objects.hashCode(pos) + java.util.Objects.hashCode(path);
        }
    }

    /** The names `expect affected` and `expect duration` guards read. */
    String AFFECTED = "affected";

    String DURATION = "duration";
    /** The name `expect exit` guards of sh steps read. */
    String EXIT = "exit";
}
