package io.runbook.run;

import java.time.Duration;
import java.util.List;

/** The one-screen summary at the end of a run. */
public record RunSummary(String runbook, List<Line> lines, int exitCode, String outcome, Duration duration) {
    public record Line(String name, PhaseState state, Duration duration, String detail) {}
}
