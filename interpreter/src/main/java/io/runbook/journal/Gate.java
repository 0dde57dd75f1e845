package io.runbook.journal;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import io.runbook.ast.Phase;
import io.runbook.parse.Program;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the journal says before a run may start: phases that ran must not have changed since, and a
 * `no transaction` phase that was interrupted needs the operator's decision.
 */
public final class Gate {
    private static final int MAX_DIFF_LINES = 40;

    private Gate() {}

    /** Completed phases whose text or SQL files changed since they ran; refused unless allowChanged. Returns the changed ones. */
    public static List<Phase> checkUnchanged(
            Program program, Map<String, Journal.PhaseRecord> before, boolean allowChanged) {
        List<Phase> changed = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        for (Phase p : program.runbook().phases()) {
            Journal.PhaseRecord r = before.get(p.name());
            if (r == null || !r.done() || r.checksum().equals(Checksums.phase(program, p))) continue;
            changed.add(p);
            Diagnostic d = new Diagnostic(
                    p.pos(),
                    "phase \"" + p.name() + "\" changed since it was applied in run #" + r.runId() + " (" + r.finished()
                            + ", by " + r.osUser() + ")",
                    allowChanged
                            ? null
                            : "applied work is not re-run: put new work in a new phase; if the change is only cosmetic, pass --allow-changed (it is journaled)");
            for (String line : diff(r.source(), Checksums.phaseSource(program, p))) d = d.withDetail(line);
            problems.add(d);
        }
        if (!problems.isEmpty() && !allowChanged) throw new RunbookException(ExitCode.CHANGED, problems);
        return changed;
    }

    /** Selected phases interrupted inside a `no transaction` run and not decided on by --rerun / --mark-done. */
    public static List<Phase> interrupted(
            List<Phase> selected, Map<String, Journal.PhaseRecord> before, Set<String> decided) {
        List<Phase> out = new ArrayList<>();
        for (Phase p : selected) {
            Journal.PhaseRecord r = before.get(p.name());
            if (r != null && r.interrupted() && !decided.contains(p.name())) out.add(p);
        }
        return out;
    }

    static List<String> diff(String before, String after) {
        List<String> a = Arrays.asList(before.split("\n", -1));
        List<String> b = Arrays.asList(after.split("\n", -1));
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff("applied", "now", a, DiffUtils.diff(a, b), 1);
        List<String> out = new ArrayList<>();
        for (String line : unified) {
            if (line.startsWith("---") || line.startsWith("+++")) continue;
            if (out.size() == MAX_DIFF_LINES) {
                out.add("... (" + (unified.size() - MAX_DIFF_LINES) + " more lines)");
                break;
            }
            out.add("  " + line);
        }
        return out;
    }
}
