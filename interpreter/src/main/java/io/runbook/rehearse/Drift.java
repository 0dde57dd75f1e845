package io.runbook.rehearse;

import io.runbook.schema.SchemaDiff;
import io.runbook.schema.SchemaSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who left which difference behind. Rollbacks run last phase first; each is compared with the schema its phase
 * started from. A difference one rollback leaves is still there when the phases before it are undone, so comparing
 * each with its own start would blame all of them. Instead: the drift before a rollback (what later rollbacks left)
 * is subtracted from the drift after it, and only what is new is that rollback's doing.
 */
final class Drift {
    /** Every difference left so far, relative to the start of the phase undone last. */
    private Set<String> carried = new LinkedHashSet<>();

    /** How a diff line of a table whose only difference is the order of its columns is named. */
    static final String COLUMN_ORDER_ONLY = "column order only";

    /** Why that matters, for the verdict. */
    static final String COLUMN_ORDER_WHY = "the same columns, in another order: SELECT * and COPY without a column list"
            + " see it; a rollback that re-adds a dropped column puts it last";

    /** What one rollback (or a phase without one) changed compared with its phase's start. */
    record Left(List<SchemaDiff.Change> introduced, int inherited) {
        boolean clean() {
            return introduced.isEmpty();
        }

        boolean onlyColumnOrder() {
            return !introduced.isEmpty() && introduced.stream().allMatch(Drift::columnOrderOnly);
        }

        /** Diff lines, a column-order-only change named as such. */
        List<String> lines() {
            List<String> out = new ArrayList<>();
            for (SchemaDiff.Change c : introduced)
                out.add(c.line() + (columnOrderOnly(c) ? "   (" + COLUMN_ORDER_ONLY + ")" : ""));
            return out;
        }

        /** "; 2 differences left by later rollbacks are reported there", or nothing. */
        String inheritedNote() {
            return inherited == 0
                    ? ""
                    : "; " + inherited + (inherited == 1 ? " difference" : " differences")
                            + " left by a later phase's rollback, reported there";
        }
    }

    /** Compares the schema after undoing a phase with the schema the phase started from; remembers the drift. */
    Left after(SchemaSnapshot phaseStart, SchemaSnapshot now) {
        List<SchemaDiff.Change> all = SchemaDiff.between(phaseStart, now).changes();
        List<SchemaDiff.Change> introduced = new ArrayList<>();
        int inherited = 0;
        Set<String> next = new LinkedHashSet<>();
        for (SchemaDiff.Change c : all) {
            next.add(c.line());
            if (carried.contains(c.line())) inherited++;
            else introduced.add(c);
        }
        carried = next;
        return new Left(List.copyOf(introduced), inherited);
    }

    /** A table that differs only in the order of its columns (same names, same types). */
    static boolean columnOrderOnly(SchemaDiff.Change c) {
        return c.kind() == SchemaDiff.Kind.CHANGED
                && c.detail().startsWith("column order: ")
                && !c.detail().contains("; ");
    }

    /** The whole-runbook comparison's lines, column-order-only changes named. */
    static List<String> lines(List<SchemaDiff.Change> changes) {
        return new Left(changes, 0).lines();
    }
}
