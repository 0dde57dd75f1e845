package io.runbook.shell;

import io.runbook.ast.Expr;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.ast.Steps;
import io.runbook.eval.Describe;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** One-line descriptions of steps, the checks of a runbook, and the names its lets declare. */
final class StepLabels {
    private StepLabels() {}

    /** A check and where it is written: phase null for the preflight. */
    record CheckAt(Step.Check check, Phase phase, boolean verify) {}

    /** The line the plan shows for a step; labels is how a check's label reads now. */
    static String label(Step step, Function<Step.Check, String> labels) {
        if (step instanceof Step.Sql s) {
            StringBuilder sb = new StringBuilder();
            if (s.source() instanceof Step.Inline in)
                sb.append("sql $$ ").append(Describe.sql(in.sql().text())).append(" $$");
            else sb.append("sql file ").append(((Step.FileRef) s.source()).path());
            for (Expr g : s.guards()) sb.append("  expect ").append(Describe.expr(g));
            return sb.toString();
        }
        if (step instanceof Step.Check c) return "check \"" + labels.apply(c) + "\"";
        if (step instanceof Step.Expect e) return "expect " + Describe.expr(e.condition());
        if (step instanceof Step.Let l) return "let " + l.name() + " = " + Describe.expr(l.value());
        if (step instanceof Step.Confirm c)
            return "confirm " + Describe.expr(c.prompt())
                    + (c.typing() == null ? "" : " typing \"" + c.typing() + "\"");
        if (step instanceof Step.Echo e) return "echo " + Describe.expr(e.message());
        if (step instanceof Step.Batch b) {
            if (b.keyset())
                return "batch " + Describe.keyset(b.over()) + " $$ "
                        + Describe.sql(b.sql().text()) + " $$";
            return "batch $$ " + Describe.sql(b.sql().text()) + " $$ until " + Describe.expr(b.until())
                    + (b.maxBatches() == null ? "" : " max " + Describe.expr(b.maxBatches()) + " batches");
        }
        if (step instanceof Step.Monitor m) {
            return "monitor " + Describe.expr(m.label()) + " every " + Describe.expr(m.every()) + " for "
                    + Describe.expr(m.duration());
        }
        if (step instanceof Step.Shell sh) {
            return "sh $$ " + Describe.sql(sh.command().text()) + " $$"
                    + (sh.exitGuard() == null ? "" : "  expect " + Describe.expr(sh.exitGuard()));
        }
        return written(step);
    }

    /** The step's first line as written in the file. */
    static String written(Step step) {
        try {
            return Describe.sql(step.pos()
                    .file()
                    .line(step.pos().line())
                    .substring(Math.max(0, step.pos().col() - 1)));
        } catch (RuntimeException e) {
            return step.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Every check not inside a monitor: the preflight's, then each phase's steps and verify block, in order. */
    static List<CheckAt> checks(Runbook rb) {
        return Steps.all(rb).stream()
                .filter(at -> at.step() instanceof Step.Check
                        && at.block() != Steps.Block.ROLLBACK
                        && !(at.parent() instanceof Step.Monitor))
                .map(at -> new CheckAt((Step.Check) at.step(), at.phase(), at.block() == Steps.Block.VERIFY))
                .toList();
    }

    /** The names the runbook's lets declare, in order of appearance. */
    static Set<String> lets(Runbook rb) {
        Set<String> out = new LinkedHashSet<>();
        Steps.walk(rb, at -> {
            if (at.step() instanceof Step.Let l) out.add(l.name());
        });
        return out;
    }

    private static final Set<String> PURE_CALLS = Set.of("lower", "upper", "length", "env");

    /** Whether evaluating the expression needs no query (a check label is shown without asking the database). */
    static boolean pure(Expr e) {
        return e.tree()
                .allMatch(x -> x instanceof Expr.Literal
                        || x instanceof Expr.Variable
                        || x instanceof Expr.Interpolated
                        || x instanceof Expr.Binary
                        || x instanceof Expr.Not
                        || x instanceof Expr.Negate
                        || x instanceof Expr.Between
                        || x instanceof Expr.Call c && PURE_CALLS.contains(c.name()));
    }

    /** A text that changes when the steps change: the preflight has no checksum of its own. */
    static String signature(List<Step> steps) {
        StringBuilder sb = new StringBuilder();
        Steps.walk(steps, null, Steps.Block.PREFLIGHT, at -> {
            sb.append(label(at.step(), c -> Describe.expr(c.label()))).append('\n');
            if (at.step() instanceof Step.Sql sql && sql.source() instanceof Step.Inline in)
                sb.append(in.sql().text()).append('\n');
        });
        return sb.toString();
    }
}
