package io.runbook.shell;

import io.runbook.ast.Phase;
import io.runbook.eval.Scope;
import io.runbook.journal.Checksums;
import io.runbook.journal.Gate;
import io.runbook.parse.Checker;
import io.runbook.parse.Program;
import io.runbook.run.Params;
import io.runbook.run.Prompter;
import io.runbook.shell.Plan.Item;
import io.runbook.shell.Plan.Mark;
import io.runbook.source.Diagnostic;
import io.runbook.source.RunbookException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** `reload`: re-reads the file; progress stays where the plan is unchanged (phases by checksum, the preflight by its text). */
final class Reload {
    private final Stepper s;

    Reload(Stepper stepper) {
        this.s = stepper;
    }

    void run() {
        Program program = s.program;
        Program next;
        try {
            next = Checker.load(s.file);
        } catch (RunbookException e) {
            for (Diagnostic d : e.diagnostics()) s.shell.out().print(d.render());
            s.shell.warn("reload failed: still on the runbook loaded before");
            return;
        }
        if (!next.runbook().name().equals(program.runbook().name())) {
            s.shell.error("the runbook's name changed (\"" + program.runbook().name() + "\" -> \""
                    + next.runbook().name()
                    + "\"): the journal and its lock go by name; quit and start the shell again");
            return;
        }
        Scope nextParams;
        try {
            s.refreshRecords();
            Gate.checkUnchanged(next, s.records, s.allowChanged);
            Map<String, String> keep = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : s.given.entrySet()) {
                if (next.runbook().params().stream().anyMatch(p -> p.name().equals(e.getKey())))
                    keep.put(e.getKey(), e.getValue());
            }
            nextParams = Params.bind(next, keep, s.env);
            s.given.clear();
            s.given.putAll(keep);
        } catch (RunbookException e) {
            for (Diagnostic d : e.diagnostics()) s.shell.out().print(d.render());
            s.shell.warn("reload refused: still on the runbook loaded before");
            return;
        }
        Map<String, String> oldSums = new HashMap<>();
        for (Phase p : program.runbook().phases()) oldSums.put(p.name(), Checksums.phase(program, p));
        Phase open = s.engine.openPhase();
        Phase openNow = null;
        if (open != null) {
            Phase np = next.runbook().phase(open.name());
            if (np == null
                    || !Checksums.phase(next, np).equals(oldSums.get(np.name()))
                    || np.transactional() != open.transactional()) {
                Prompter.Answer a = s.prompter.confirm(
                        "Phase \"" + open.name() + "\" changed and is under way: "
                                + (open.transactional()
                                        ? "roll back its transaction and reload?"
                                        : "reload anyway (its statements that ran stay committed)?"),
                        null);
                if (!a.yes()) {
                    s.shell.out().println("reload declined: still on the runbook loaded before");
                    return;
                }
                s.engine.discard("to reload the changed runbook");
            } else {
                openNow = np;
            }
        }
        // Progress by phase name and position, where the phase (or preflight) is the same as before.
        Map<String, List<Mark>> byBlock = new HashMap<>();
        for (int i = 0; i < s.plan.items.size(); i++) {
            Item it = s.plan.items.get(i);
            byBlock.computeIfAbsent(it.phase() == null ? "" : it.phase().name(), k -> new ArrayList<>())
                    .add(s.plan.marks[i]);
        }
        Set<String> same = new LinkedHashSet<>();
        if (StepLabels.signature(next.runbook().preflight())
                .equals(StepLabels.signature(program.runbook().preflight()))) same.add("");
        for (Phase np : next.runbook().phases())
            if (Checksums.phase(next, np).equals(oldSums.get(np.name()))) same.add(np.name());
        s.reloaded(next, nextParams, openNow);
        Plan plan = s.plan;
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < plan.items.size(); i++) {
            Item it = plan.items.get(i);
            String key = it.phase() == null ? "" : it.phase().name();
            int k = seen.merge(key, 1, Integer::sum) - 1;
            List<Mark> old = byBlock.get(key);
            if (same.contains(key) && old != null && k < old.size()) plan.marks[i] = old.get(k);
        }
        s.refreshRecords();
        s.settings();
        plan.cursor = openNow != null ? plan.firstPendingOf(openNow) : s.firstPending();
        List<String> changed = new ArrayList<>();
        for (Phase np : next.runbook().phases()) if (!same.contains(np.name())) changed.add("\"" + np.name() + "\"");
        s.shell
                .out()
                .println("reloaded " + s.file + ": " + next.runbook().phases().size() + " phases"
                        + (changed.isEmpty() ? ", none changed" : "; new or changed: " + String.join(", ", changed))
                        + (same.contains("") ? "" : "; the preflight changed"));
        s.hint();
    }
}
