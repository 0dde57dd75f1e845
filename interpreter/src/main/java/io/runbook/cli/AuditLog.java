package io.runbook.cli;

import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.eval.Evaluator;
import io.runbook.run.Failure;
import io.runbook.run.PhaseState;
import io.runbook.run.RunListener;
import io.runbook.run.RunSummary;
import io.runbook.run.StepResult;
import io.runbook.source.Pos;
import io.runbook.term.Prompter;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The audit trail of a run for --log-file: one JSON line per thing that happened, with key-value fields. Never a
 * value: no let values, no guard actuals, no echo text, no sh output, no SQL with variables substituted (a secret
 * param could be in any of them); positions, labels, counts, states and durations only.
 */
final class AuditLog implements RunListener {
    static final String LOGGER = "runbook.audit";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private static LoggingEventBuilder event(String what) { return LOG.atInfo().addKeyValue("event", what); }

    private static LoggingEventBuilder at(LoggingEventBuilder e, Pos pos) {
        return pos == null ? e : e.addKeyValue("file", pos.file().name()).addKeyValue("line", pos.line());
    }

    /** The command line as it started: the command, the runbook file and the operator; never the arguments (a --db URL may hold a password). */
    static void commandStarted(String command, String file, String operator) {
        event("command started").addKeyValue("command", command).addKeyValue("runbook_file", file).addKeyValue("operator", operator)
                .log("runbook {} {}", command, file == null ? "" : file);
    }

    static void commandFinished(String command, int exitCode) {
        event("command finished").addKeyValue("command", command).addKeyValue("exit_code", exitCode).log("runbook {} exited {}", command, exitCode);
    }

    @Override
    public void runStarted(Runbook runbook, String target) {
        event("run started").addKeyValue("runbook", runbook.name()).addKeyValue("target", target).log("run of \"{}\" on {}", runbook.name(), target);
    }

    @Override
    public void blockStarted(Block block, Phase phase, int index, int total) {
        event("block started").addKeyValue("block", block.name().toLowerCase(java.util.Locale.ROOT))
                .addKeyValue("phase", phase == null ? null : phase.name()).log("{} {}", block, phase == null ? "" : phase.name());
    }

    @Override
    public void sqlDone(Pos at, String label, StepResult result) {
        at(event("sql done"), at).addKeyValue("statements", result.statements()).addKeyValue("rows", result.affected())
                .addKeyValue("duration_ms", result.duration().toMillis()).log("{}: {} statements, {} rows", label, result.statements(), result.affected());
    }

    @Override
    public void guard(Pos at, String label, Evaluator.Outcome outcome) {
        at(event("guard"), at).addKeyValue("passed", outcome.passed()).log("{}: {}", label, outcome.passed() ? "passed" : "FAILED");
    }

    @Override
    public void confirmed(Pos at, String question, Prompter.Answer answer) {
        at(event("confirmation"), at).addKeyValue("yes", answer.yes()).addKeyValue("by", answer.by()).log("{}: {}", question, answer.yes() ? "yes" : "no");
    }

    @Override
    public void batchDone(Pos at, long batches, long totalRows, Duration elapsed) {
        at(event("batch done"), at).addKeyValue("batches", batches).addKeyValue("rows", totalRows).addKeyValue("duration_ms", elapsed.toMillis())
                .log("{} batches, {} rows", batches, totalRows);
    }

    @Override
    public void shellDone(Pos at, String command, int exitCode, Duration duration) {
        at(event("sh done"), at).addKeyValue("exit_code", exitCode).addKeyValue("duration_ms", duration.toMillis()).log("sh exited {}", exitCode);
    }

    @Override
    public void phaseSkipped(Phase phase, int index, int total, String why) {
        event("phase skipped").addKeyValue("phase", phase.name()).log("phase \"{}\" skipped: {}", phase.name(), why);
    }

    @Override
    public void failed(Failure failure) {
        at(event("failed"), failure.diagnostic().pos()).addKeyValue("exit_code", failure.exitCode()).addKeyValue("sqlstate", failure.sqlState())
                .log("failed: {}", failure.diagnostic().message());
    }

    @Override
    public void phaseFinished(Phase phase, PhaseState state, Duration duration, String detail) {
        event("phase finished").addKeyValue("phase", phase.name()).addKeyValue("state", state.name().toLowerCase(java.util.Locale.ROOT))
                .addKeyValue("duration_ms", duration.toMillis()).log("phase \"{}\": {}", phase.name(), state);
    }

    @Override
    public void runFinished(RunSummary summary) {
        event("run finished").addKeyValue("runbook", summary.runbook()).addKeyValue("exit_code", summary.exitCode())
                .addKeyValue("outcome", summary.outcome()).addKeyValue("duration_ms", summary.duration().toMillis())
                .log("run finished: {}", summary.outcome());
    }
}
