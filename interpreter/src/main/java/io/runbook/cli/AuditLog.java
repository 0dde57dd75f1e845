package io.runbook.cli;

import io.runbook.run.DetailLogs;
import io.runbook.run.RunEvent;
import io.runbook.run.RunListener;
import io.runbook.source.Pos;
import java.util.Locale;
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
    /** Looked up on first use: see {@link DetailLogs}. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    }

    private static LoggingEventBuilder event(String what) {
        return Log.LOG.atInfo().addKeyValue("event", what);
    }

    private static LoggingEventBuilder at(LoggingEventBuilder e, Pos pos) {
        return pos == null ? e : e.addKeyValue("file", pos.file().name()).addKeyValue("line", pos.line());
    }

    /** The command line as it started: the command, the runbook file and the operator; never the arguments (a --db URL may hold a password). */
    static void commandStarted(String command, String file, String operator) {
        event("command started")
                .addKeyValue("command", command)
                .addKeyValue("runbook_file", file)
                .addKeyValue("operator", operator)
                .log("runbook {} {}", command, file == null ? "" : file);
    }

    static void commandFinished(String command, int exitCode) {
        event("command finished")
                .addKeyValue("command", command)
                .addKeyValue("exit_code", exitCode)
                .log("runbook {} exited {}", command, exitCode);
    }

    @Override
    public void on(RunEvent event) {
        if (!DetailLogs.on() || !Log.LOG.isInfoEnabled()) return;
        if (event instanceof RunEvent.RunStarted e) {
            event("run started")
                    .addKeyValue("runbook", e.runbook().name())
                    .addKeyValue("target", e.target())
                    .log("run of \"{}\" on {}", e.runbook().name(), e.target());
        } else if (event instanceof RunEvent.BlockStarted e) {
            event("block started")
                    .addKeyValue("block", e.block().name().toLowerCase(Locale.ROOT))
                    .addKeyValue("phase", e.phase() == null ? null : e.phase().name())
                    .log("{} {}", e.block(), e.phase() == null ? "" : e.phase().name());
        } else if (event instanceof RunEvent.SqlDone e) {
            at(event("sql done"), e.at())
                    .addKeyValue("statements", e.result().statements())
                    .addKeyValue("rows", e.result().affected())
                    .addKeyValue("duration_ms", e.result().duration().toMillis())
                    .log(
                            "{}: {} statements, {} rows",
                            e.label(),
                            e.result().statements(),
                            e.result().affected());
        } else if (event instanceof RunEvent.GuardChecked e) {
            at(event("guard"), e.at())
                    .addKeyValue("passed", e.outcome().passed())
                    .log("{}: {}", e.label(), e.outcome().passed() ? "passed" : "FAILED");
        } else if (event instanceof RunEvent.Confirmed e) {
            at(event("confirmation"), e.at())
                    .addKeyValue("yes", e.answer().yes())
                    .addKeyValue("by", e.answer().by())
                    .log("{}: {}", e.question(), e.answer().yes() ? "yes" : "no");
        } else if (event instanceof RunEvent.RangeDone e) {
            at(event("batch range"), e.at())
                    .addKeyValue("batch", e.batch())
                    .addKeyValue("from", e.from())
                    .addKeyValue("to", e.to())
                    .addKeyValue("rows", e.rows())
                    .addKeyValue("done_percent", Math.round(e.done() * 1000) / 10.0)
                    .log("{} >= {} and < {}: {} rows", e.key(), e.from(), e.to(), e.rows());
        } else if (event instanceof RunEvent.BatchDone e) {
            at(event("batch done"), e.at())
                    .addKeyValue("batches", e.batches())
                    .addKeyValue("rows", e.totalRows())
                    .addKeyValue("duration_ms", e.elapsed().toMillis())
                    .log("{} batches, {} rows", e.batches(), e.totalRows());
        } else if (event instanceof RunEvent.ShellDone e) {
            at(event("sh done"), e.at())
                    .addKeyValue("exit_code", e.exitCode())
                    .addKeyValue("duration_ms", e.duration().toMillis())
                    .log("sh exited {}", e.exitCode());
        } else if (event instanceof RunEvent.LockRetry e) {
            event("lock retry")
                    .addKeyValue("attempt", e.attempt())
                    .addKeyValue("attempts", e.attempts())
                    .log("{}: lock_timeout, attempt {} of {}", e.what(), e.attempt(), e.attempts());
        } else if (event instanceof RunEvent.PhaseSkipped e) {
            event("phase skipped")
                    .addKeyValue("phase", e.phase().name())
                    .log("phase \"{}\" skipped: {}", e.phase().name(), e.why());
        } else if (event instanceof RunEvent.Failed e) {
            at(event("failed"), e.failure().diagnostic().pos())
                    .addKeyValue("exit_code", e.failure().exitCode())
                    .addKeyValue("sqlstate", e.failure().sqlState())
                    .log("failed: {}", e.failure().diagnostic().message());
        } else if (event instanceof RunEvent.PhaseFinished e) {
            event("phase finished")
                    .addKeyValue("phase", e.phase().name())
                    .addKeyValue("state", e.state().name().toLowerCase(Locale.ROOT))
                    .addKeyValue("duration_ms", e.duration().toMillis())
                    .log("phase \"{}\": {}", e.phase().name(), e.state());
        } else if (event instanceof RunEvent.RunFinished e) {
            event("run finished")
                    .addKeyValue("runbook", e.summary().runbook())
                    .addKeyValue("exit_code", e.summary().exitCode())
                    .addKeyValue("outcome", e.summary().outcome())
                    .addKeyValue("duration_ms", e.summary().duration().toMillis())
                    .log("run finished: {}", e.summary().outcome());
        }
        // echo, let, sh output, notes: they may hold values; progress lines: too many
    }
}
