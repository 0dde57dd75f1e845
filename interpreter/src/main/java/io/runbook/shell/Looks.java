package io.runbook.shell;

import io.runbook.ast.Phase;
import io.runbook.ast.Step;
import io.runbook.run.Failure;
import io.runbook.run.RunEvent.Block;
import io.runbook.run.Session;
import io.runbook.shell.Plan.Kind;
import java.util.List;

/** `verify` and `check`: the engine's looks that change nothing (not journaled), except the verify block at the cursor. */
final class Looks {
    private final Stepper s;

    Looks(Stepper stepper) {
        this.s = stepper;
    }

    void verify(String arg) {
        Phase p;
        if (arg.isEmpty()) {
            p = s.phaseOpen()
                    ? s.engine.openPhase()
                    : s.plan.finished() ? null : s.plan.current().phase();
            if (p == null) {
                s.shell.out().println("which phase? `verify PHASE` (the cursor is not in a phase)");
                return;
            }
        } else {
            p = s.phase(arg);
            if (p == null) return;
        }
        if (p.verify().isEmpty()) {
            s.shell.out().println("phase \"" + p.name() + "\" has no verify block");
            return;
        }
        if (s.engine.openPhase() == p
                && !s.plan.finished()
                && s.plan.current().kind() == Kind.VERIFY
                && s.plan.current().phase() == p) {
            s.verifyAtCursor(p);
            return;
        }
        s.shell
                .out()
                .println(s.shell.style().bold("verify \"" + p.name() + "\"")
                        + s.shell.style().dim(" (now, changes nothing)"));
        boolean ok = look(p.verify(), p, Block.VERIFY);
        s.shell
                .out()
                .println(
                        ok
                                ? "  " + s.shell.style().green("verify passes")
                                : "  " + s.shell.style().red("verify does not pass"));
    }

    void check(String arg) {
        StepLabels.CheckAt c = s.views.findCheck(arg);
        if (c == null) return;
        s.shell
                .out()
                .println(s.shell.style().bold("check \"" + s.checkLabel(c.check()) + "\"")
                        + s.shell.style().dim(" (" + s.views.where(c) + "; now, changes nothing)"));
        look(
                List.of(c.check()),
                c.phase(),
                c.phase() == null ? Block.PREFLIGHT : c.verify() ? Block.VERIFY : Block.PHASE);
    }

    /** Inside the open transaction when there is one (seeing its uncommitted work), else read-only. */
    private boolean look(List<Step> steps, Phase phase, Block block) {
        if (s.session.txState() == Session.TxState.FAILED) {
            s.shell.out().println("the transaction has failed (the prompt shows !): end it with rollback; first");
            return false;
        }
        try {
            return s.engine.probe(steps, phase, block, false) && !s.interrupted();
        } catch (Failure f) {
            throw s.shell.lost(f.getMessage());
        }
    }
}
