package io.runbook.fleet;

import io.runbook.ast.Phase;
import io.runbook.ast.Step;
import io.runbook.ast.Value;
import io.runbook.eval.Describe;
import io.runbook.eval.Evaluator;
import io.runbook.eval.QueryRunner;
import io.runbook.eval.Scope;
import io.runbook.parse.Program;
import io.runbook.run.Prompter;
import io.runbook.run.Redactor;
import io.runbook.source.SqlText;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Confirmations asked once for the whole fleet, before the canary: every `confirm` the run could reach, in
 * order, typed words included. The answers then stand for every target; each target's journal records who gave
 * them and when.
 */
public final class FleetConfirmations {
    private FleetConfirmations() {}

    /** Every confirm in the preflight and the given phases (steps, verify, inside checks), in source order. */
    public static List<Step.Confirm> of(Program program, List<Phase> phases) {
        List<Step.Confirm> out = new ArrayList<>();
        collect(program.runbook().preflight(), out);
        for (Phase p : phases) {
            collect(p.steps(), out);
            collect(p.verify(), out);
        }
        return out;
    }

    private static void collect(List<Step> steps, List<Step.Confirm> out) {
        for (Step s : steps) {
            if (s instanceof Step.Confirm c) out.add(c);
            else if (s instanceof Step.Check c) collect(c.steps(), out);
        }
    }

    /**
     * Asks each confirmation once on the operator's prompter. Returns the prompter every target uses, or null
     * when the operator declined one (then nothing starts). A question that depends on a value only a target's
     * database knows is shown as written in the runbook.
     */
    public static Prompter ask(
            Program program, List<Step.Confirm> confirms, Prompter operator, Scope params, Map<String, String> env) {
        Evaluator words = new Evaluator(program.functions(), NO_DATABASE, env);
        Redactor secrets = Redactor.of(program.runbook(), params);
        Set<String> typed = new HashSet<>();
        String by = null;
        for (Step.Confirm c : confirms) {
            String question;
            try {
                question =
                        secrets.text(words.eval(c.prompt(), new Scope(params)).display());
            } catch (RuntimeException e) {
                question = Describe.expr(c.prompt());
            }
            Prompter.Answer a = operator.confirm(question + " (for every target of the fleet)", c.typing());
            if (!a.yes()) return null;
            if (c.typing() != null) typed.add(c.typing());
            by = a.by();
        }
        String who = (by == null ? "nobody" : by) + ", once for the fleet at "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new Prompter() {
            public Answer confirm(String question, String typing) {
                // Only what the operator was asked for: a word never typed is never assumed.
                if (typing != null && !typed.contains(typing)) return new Answer(false, "not asked for the fleet");
                return new Answer(true, who);
            }

            public boolean canAsk() {
                return true;
            }
        };
    }

    private static final QueryRunner NO_DATABASE = new QueryRunner() {
        public Value scalar(SqlText sql, Scope scope) {
            throw new IllegalStateException("needs a database");
        }

        public long count(SqlText sql, Scope scope) {
            throw new IllegalStateException("needs a database");
        }
    };
}
