package io.runbook.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one walk over a runbook's steps, for every pass that looks at all of them (checker, linter,
 * checksums, the shell's lists, the run's refusals): each step with where it is written, and the steps
 * written inside a check or monitor right after it.
 */
public final class Steps {
    private Steps() {}

    /** Which block of the runbook a step is written in. */
    public enum Block {
        PREFLIGHT,
        STEPS,
        VERIFY,
        ROLLBACK
    }

    /** A step, its phase (null in the preflight), its block, and the check or monitor it is inside (null at the top). */
    public record At(Step step, Phase phase, Block block, Step parent) {}

    /** Every step of the runbook, in order: the preflight, then each phase's steps, verify and rollback blocks. */
    public static void walk(Runbook rb, Consumer<At> visit) {
        walk(rb.preflight(), null, Block.PREFLIGHT, visit);
        for (Phase p : rb.phases()) walk(p, visit);
    }

    /** Every step of a phase: its steps, verify and rollback blocks. */
    public static void walk(Phase p, Consumer<At> visit) {
        walk(p.steps(), p, Block.STEPS, visit);
        walk(p.verify(), p, Block.VERIFY, visit);
        walk(p.rollback(), p, Block.ROLLBACK, visit);
    }

    /** Every step of one block and the steps inside them. */
    public static void walk(List<Step> steps, Phase phase, Block block, Consumer<At> visit) {
        walk(steps, phase, block, null, visit);
    }

    private static void walk(List<Step> steps, Phase phase, Block block, Step parent, Consumer<At> visit) {
        for (Step s : steps) {
            visit.accept(new At(s, phase, block, parent));
            walk(children(s), phase, block, s, visit);
        }
    }

    /** The walk as a list, for streams. */
    public static List<At> all(Runbook rb) {
        List<At> out = new ArrayList<>();
        walk(rb, out::add);
        return out;
    }

    /** The walk of some steps as a list. */
    public static List<At> all(List<Step> steps, Phase phase, Block block) {
        List<At> out = new ArrayList<>();
        walk(steps, phase, block, out::add);
        return out;
    }

    /** The steps written inside a step: a check's expectations, a monitor's checks. */
    public static List<Step> children(Step s) {
        if (s instanceof Step.Check c) return c.steps();
        if (s instanceof Step.Monitor m) return m.steps();
        return List.of();
    }

    /** The expressions a step holds itself (not those of the steps inside it); absent options are left out. */
    public static List<Expr> exprs(Step s) {
        List<Expr> out = new ArrayList<>();
        if (s instanceof Step.Sql sql) {
            out.addAll(sql.guards());
            if (sql.retry() != null) out.addAll(sql.retry().options().values());
        } else if (s instanceof Step.Batch b) {
            add(
                    out,
                    b.until(),
                    b.pause(),
                    b.maxBatches(),
                    b.over() == null ? null : b.over().size());
        } else if (s instanceof Step.Monitor m) {
            add(out, m.label(), m.every(), m.duration(), m.tolerate());
        } else if (s instanceof Step.Shell sh) {
            add(out, sh.exitGuard(), sh.timeout());
        } else if (s instanceof Step.Check c) {
            add(out, c.label());
        } else if (s instanceof Step.Expect e) {
            add(out, e.condition());
        } else if (s instanceof Step.Let l) {
            add(out, l.value());
        } else if (s instanceof Step.Confirm c) {
            add(out, c.prompt());
        } else if (s instanceof Step.Echo e) {
            add(out, e.message());
        }
        return out;
    }

    private static void add(List<Expr> out, Expr... exprs) {
        for (Expr e : exprs) if (e != null) out.add(e);
    }
}
