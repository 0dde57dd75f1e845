package io.runbook.cli;

import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import java.util.List;
import java.util.stream.Collectors;

/** --from / --only / --to: phases named on the command line, checked against the runbook. */
final class PhaseSelection {
    private PhaseSelection() {}

    static int index(Runbook rb, String name, String option) {
        for (int i = 0; i < rb.phases().size(); i++)
            if (rb.phases().get(i).name().equals(name)) return i;
        throw new RunbookException(
                ExitCode.INVALID,
                new Diagnostic(
                        rb.pos(),
                        option + " \"" + name + "\": no such phase",
                        "the phases are: "
                                + rb.phases().stream()
                                        .map(p -> "\"" + p.name() + "\"")
                                        .collect(Collectors.joining(", "))));
    }

    static List<Phase> forRun(Runbook rb, String from, String only) {
        if (from != null && only != null) {
            throw new RunbookException(
                    ExitCode.INVALID,
                    new Diagnostic(null, "--from and --only cannot be used together", "use one of them"));
        }
        if (only != null) return List.of(rb.phases().get(index(rb, only, "--only")));
        if (from != null)
            return rb.phases().subList(index(rb, from, "--from"), rb.phases().size());
        return rb.phases();
    }
}
