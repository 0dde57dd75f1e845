package io.runbook.shell;

import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.run.RunEvent.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * The runbook as a list of items to step through (preflight steps; each phase's steps, verify steps and
 * its end: COMMIT, or completion for a `no transaction` phase), the cursor at the next one, and what
 * happened to each in this shell.
 */
final class Plan {
    enum Kind {
        STEP,
        VERIFY,
        END
    }

    enum Mark {
        DONE,
        FAILED,
        SKIPPED
    }

    record Item(Phase phase, Kind kind, Step step) {
        Block block() {
            return phase == null ? Block.PREFLIGHT : kind == Kind.VERIFY ? Block.VERIFY : Block.PHASE;
        }
    }

    final Runbook runbook;
    final List<Item> items;
    final Mark[] marks;
    int cursor;

    Plan(Runbook runbook) {
        this.runbook = runbook;
        List<Item> out = new ArrayList<>();
        for (Step s : runbook.preflight()) out.add(new Item(null, Kind.STEP, s));
        for (Phase p : runbook.phases()) {
            for (Step s : p.steps()) out.add(new Item(p, Kind.STEP, s));
            for (Step s : p.verify()) out.add(new Item(p, Kind.VERIFY, s));
            out.add(new Item(p, Kind.END, null));
        }
        this.items = List.copyOf(out);
        this.marks = new Mark[items.size()];
    }

    boolean finished() {
        return cursor >= items.size();
    }

    Item current() {
        return items.get(cursor);
    }

    /** Marks the item at the cursor and moves past it. */
    void mark(Mark m) {
        marks[cursor++] = m;
    }

    /** Whether the operator did anything in this block in this shell (phase null: the preflight). */
    boolean touched(Phase p) {
        for (int i = 0; i < items.size(); i++) if (items.get(i).phase() == p && marks[i] != null) return true;
        return false;
    }

    /** Forgets what happened to the phase's items: it starts over. */
    void clear(Phase p) {
        for (int i = 0; i < items.size(); i++) if (items.get(i).phase() == p) marks[i] = null;
    }

    long count(Phase p, Mark m) {
        long n = 0;
        for (int i = 0; i < items.size(); i++) if (items.get(i).phase() == p && marks[i] == m) n++;
        return n;
    }

    int number(Phase p) {
        return runbook.phases().indexOf(p) + 1;
    }

    int start(Phase p) {
        for (int i = 0; i < items.size(); i++) if (items.get(i).phase() == p) return i;
        return items.size();
    }

    int end(Phase p) {
        for (int i = 0; i < items.size(); i++)
            if (items.get(i).phase() == p && items.get(i).kind() == Kind.END) return i;
        return items.size();
    }

    int lastPreflight() {
        int last = -1;
        for (int i = 0; i < items.size(); i++) if (items.get(i).phase() == null) last = i;
        return last;
    }

    int firstPendingOf(Phase p) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).phase() == p && marks[i] != Mark.DONE && marks[i] != Mark.SKIPPED) return i;
        }
        return end(p);
    }

    /** Where the cursor is, for the prompt. */
    String where() {
        if (finished()) return "done";
        Item it = current();
        return it.phase() == null
                ? "preflight"
                : "phase " + number(it.phase()) + "/" + runbook.phases().size();
    }
}
