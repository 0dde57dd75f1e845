package io.runbook.shell;

import io.runbook.ast.Phase;
import io.runbook.journal.Journal;
import io.runbook.run.Failure;
import io.runbook.run.Prompter;
import io.runbook.run.RunEvent;
import io.runbook.run.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * `rollback [PHASE]`: discards the open phase's transaction; else asks, then runs rollback blocks (the
 * engine's undo: each in its own scope and transaction): of the named phase and the applied phases after
 * it, last first, or of the last applied phase.
 */
final class Undo {
    private final Stepper s;

    Undo(Stepper stepper) {
        this.s = stepper;
    }

    void run(String arg) {
        Phase named = null;
        if (!arg.isEmpty()) {
            named = s.phase(arg);
            if (named == null) return;
        }
        Phase open = s.engine.openPhase();
        if (open != null) {
            if (named != null && named != open) {
                s.shell.out().println("phase \"" + open.name() + "\" is under way: commit or rollback it first");
                return;
            }
            if (open.transactional()) {
                s.engine.discard(s.typed > 0 ? "also not the " + s.typed + " statements typed at the prompt" : "");
                s.reset(open);
                s.shell.schemaChanged();
                s.hint();
                return;
            }
            named = open;
        }
        s.refreshRecords();
        List<Phase> blocks = undoList(named);
        if (blocks.isEmpty()) return;
        if (s.session.txState() != Session.TxState.IDLE && open == null) {
            s.shell.out().println("a transaction you started is open: end it with commit; or rollback; first");
            return;
        }
        String question = "Run the rollback blocks of "
                + String.join(
                        ", ", blocks.stream().map(p -> "\"" + p.name() + "\"").toList()) + ", in that order?";
        Prompter.Answer a = s.prompter.confirm(question, null);
        if (!a.yes()) {
            s.shell.out().println("rollback declined: nothing was run");
            return;
        }
        s.recorder.on(new RunEvent.Confirmed(null, question, a));
        for (Phase p : blocks) {
            try {
                s.engine.undo(p);
            } catch (Failure f) {
                if (f.connectionLost()) throw s.shell.lost(f.getMessage());
                s.engine.report(f);
                break;
            }
        }
        s.header = "";
        s.refreshRecords();
        s.shell.schemaChanged();
        int first = s.plan.items.size();
        for (Phase p : blocks) {
            if (s.applied(p)
                    || s.records.get(p.name()) != null
                            && s.records.get(p.name()).interrupted()) continue;
            s.plan.clear(p);
            first = Math.min(first, s.plan.start(p));
        }
        s.plan.cursor = Math.min(s.plan.cursor, first);
        s.hint();
    }

    /** The phases whose rollback blocks `rollback [PHASE]` runs, last first; says why when there are none. */
    private List<Phase> undoList(Phase named) {
        List<Phase> all = s.program.runbook().phases();
        List<Phase> undo = new ArrayList<>();
        for (int i = all.size() - 1;
                i >= (named == null ? 0 : all.indexOf(named)) && (named != null || undo.isEmpty());
                i--) {
            Journal.PhaseRecord r = s.records.get(all.get(i).name());
            if (r != null && (r.done() || r.interrupted())) undo.add(all.get(i));
        }
        if (undo.isEmpty()) {
            Journal.PhaseRecord r = named == null ? null : s.records.get(named.name());
            s.shell
                    .out()
                    .println(
                            named == null
                                    ? "nothing to roll back: no phase is applied (`status` shows the journal)"
                                    : "phase \"" + named.name() + "\" is not applied (journal: "
                                            + (r == null
                                                    ? "never ran"
                                                    : r.status().replace('_', ' ')) + "): nothing to undo");
        }
        List<Phase> blocks = new ArrayList<>();
        for (Phase p : undo) {
            if (p.hasRollback()) blocks.add(p);
            else s.shell.warn("phase \"" + p.name() + "\" has no rollback block: left as it is");
        }
        return blocks;
    }
}
