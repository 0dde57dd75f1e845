package io.runbook.fleet;

import io.runbook.report.RunReport;
import java.time.Duration;

/**
 * How one target's run ended. phase is where it failed or stopped ("preflight", a phase name, or null);
 * output is what the run printed (shown for targets that did not apply); report is read back from its journal.
 */
public record TargetResult(
        Target target,
        State state,
        int exitCode,
        String phase,
        String detail,
        Duration duration,
        Long runId,
        String output,
        RunReport report) {

    public enum State {
        APPLIED("applied"),
        ALREADY_APPLIED("already applied"),
        FAILED("failed"),
        STOPPED("stopped"),
        RUNNING_ELSEWHERE("running elsewhere"),
        NOT_STARTED("not started");

        public final String label;

        State(String label) {
            this.label = label;
        }
    }

    public boolean ok() {
        return state == State.APPLIED || state == State.ALREADY_APPLIED;
    }

    /** Counts against --max-failures: a target that failed on its own (not one stopped by the fleet). */
    public boolean failed() {
        return state == State.FAILED;
    }

    /** "failed at phase X", "applied", ... for tables. */
    public String describe() {
        return switch (state) {
            case FAILED ->
                phase == null
                        ? "failed"
                        : "failed at " + (phase.equals("preflight") ? "preflight" : "phase \"" + phase + "\"");
            case STOPPED -> phase == null ? "stopped" : "stopped before phase \"" + phase + "\"";
            default -> state.label;
        };
    }

    static TargetResult notStarted(Target t, String why) {
        return new TargetResult(t, State.NOT_STARTED, 0, null, why, Duration.ZERO, null, "", null);
    }
}
