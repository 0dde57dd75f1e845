package io.runbook.parse;

import io.runbook.ast.Expr;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.ast.Steps;
import io.runbook.source.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * Nothing waits on a person while holding locks: in a transactional phase, a `confirm` after the phase's
 * first statement would keep the transaction open ("idle in transaction", with every lock it took, an
 * ALTER's ACCESS EXCLUSIVE included) for as long as the prompt waits, and every reader would queue. The
 * same inside its rollback block, which runs in one transaction of its own.
 */
final class LockedConfirms {
    private LockedConfirms() {}

    static List<Diagnostic> check(Runbook rb) {
        List<Diagnostic> out = new ArrayList<>();
        for (Phase p : rb.phases()) {
            if (!p.transactional()) continue;
            List<Steps.At> inOrder = new ArrayList<>(Steps.all(p.steps(), p, Steps.Block.STEPS));
            inOrder.addAll(Steps.all(p.verify(), p, Steps.Block.VERIFY));
            check(
                    inOrder,
                    "phase \"" + p.name() + "\" after its first statement",
                    "ask before the phase's first statement, or make the question a phase of its own",
                    out);
            // The rollback block is one transaction of its own too: the same holds inside it.
            check(
                    Steps.all(p.rollback(), p, Steps.Block.ROLLBACK),
                    "the rollback block of phase \"" + p.name() + "\" after its first statement",
                    "ask before the rollback block's first statement",
                    out);
        }
        return out;
    }

    private static void check(List<Steps.At> inOrder, String where, String hint, List<Diagnostic> out) {
        boolean started = false;
        for (Steps.At at : inOrder) {
            if (at.step() instanceof Step.Confirm c && started) {
                out.add(new Diagnostic(
                        c.pos(),
                        "confirm inside " + where + ": its transaction"
                                + " would hold its locks while the question waits for an answer",
                        hint));
            } else if (!started && runsSql(at.step())) {
                started = true;
            }
        }
    }

    /**
     * A step that runs SQL in the phase's transaction (and so may hold locks from then on). A schema
     * snapshot or comparison reads only the catalogs, which blocks no one.
     */
    private static boolean runsSql(Step s) {
        if (s instanceof Step.Sql || s instanceof Step.Batch) return true;
        return Steps.exprs(s).stream().flatMap(Expr::tree).anyMatch(e -> e instanceof Expr.Query);
    }
}
