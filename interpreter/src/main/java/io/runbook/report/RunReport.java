package io.runbook.report;

import io.runbook.journal.Journal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run as the journal recorded it: what every report (Markdown, JUnit, JSON) renders. Built from the
 * journal only, so a report of a past run is the same as the one written when it ran.
 */
public record RunReport(
        long run,
        String command,
        String runbook,
        String file,
        String checksum,
        String target,
        String operator,
        String host,
        String databaseUser,
        String client,
        String started,
        String finished,
        Long durationMs,
        String outcome,
        Integer exitCode,
        boolean allowChanged,
        Map<String, String> params,
        List<Block> blocks) {

    /**
     * The preflight, a phase, its verify, or a rollback, with its steps in order. {@code state} is the phase's state
     * after this run (see docs/reports.md): applied, baseline, marked_done, rolled_back, started (a `no transaction`
     * phase interrupted: some statements may have committed), failed (rolled back, nothing applied), skipped (applied
     * before); null for the preflight. {@code checksum} is the phase's checksum as it ran, when known.
     */
    public record Block(String phase, String kind, String state, String checksum, List<Step> steps) {}

    /** {@code file} and {@code line}: where a failure happened (a statement in a SQL file, a guard), when known. */
    public record Step(
            int index,
            String kind,
            String label,
            String status,
            String started,
            Long durationMs,
            Long affected,
            Integer statements,
            String expected,
            String actual,
            String answer,
            String answeredBy,
            String sqlState,
            String message,
            String file,
            Integer line) {
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isGuard() {
            return kind.equals("check") || kind.equals("expect");
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isFailure() {
            return kind.equals("failure");
        }
    }

    /** "file:12:5: message", as failures are journaled: the position of the statement or guard. */
    private static final java.util.regex.Pattern POSITION =
            java.util.regex.Pattern.compile("^(.+?):(\\d+):(\\d+): ", java.util.regex.Pattern.DOTALL);

    public static RunReport load(Journal journal, long runId) throws SQLException {
        return load(journal, runId, null);
    }

    /**
     * The run as recorded. With the runbook ({@code program}) and when it is unchanged since the run (same runbook
     * checksum), phases the journal has no row for (a failed phase rolls back with its row) get their checksum from it.
     */
    public static RunReport load(Journal journal, long runId, io.runbook.parse.Program program) throws SQLException {
        Journal.RunRow r = journal.run(runId);
        if (r == null) return null;
        List<Block> blocks = new ArrayList<>();
        Block current = null;
        for (Journal.StepRecord s : journal.steps(runId)) {
            if (current == null
                    || !same(current.phase(), s.phase())
                    || !current.kind().equals(s.block())) {
                current = new Block(s.phase(), s.block(), null, null, new ArrayList<>());
                blocks.add(current);
            }
            String file = null;
            Integer line = null;
            if (s.kind().equals("failure") && s.message() != null) {
                java.util.regex.Matcher m = POSITION.matcher(s.message());
                if (m.find()) {
                    file = m.group(1);
                    line = Integer.valueOf(m.group(2));
                }
            }
            current.steps()
                    .add(new Step(
                            s.index(),
                            s.kind(),
                            s.label(),
                            s.status(),
                            text(s.started()),
                            Duration.between(s.started(), s.finished()).toMillis(),
                            s.affected(),
                            s.statements(),
                            s.expected(),
                            s.actual(),
                            s.answer(),
                            s.answeredBy(),
                            s.sqlState(),
                            s.message(),
                            file,
                            line));
        }
        List<Journal.PhaseRecord> phases = journal.phasesOfRun(runId);
        boolean sameRunbook =
                program != null && io.runbook.journal.Checksums.runbook(program).equals(r.checksum());
        List<Block> withState = new ArrayList<>();
        for (Block b : blocks) {
            String state = null;
            String checksum = null;
            if (b.phase() != null) {
                for (Journal.PhaseRecord p : phases) {
                    if (p.phase().equals(b.phase())) {
                        state = p.status();
                        checksum = p.checksum();
                    }
                }
                if (state == null) state = derivedState(b.phase(), blocks);
                if (checksum == null && sameRunbook) {
                    for (io.runbook.ast.Phase p : program.runbook().phases()) {
                        if (p.name().equals(b.phase())) checksum = io.runbook.journal.Checksums.phase(program, p);
                    }
                }
            }
            withState.add(new Block(b.phase(), b.kind(), state, checksum, List.copyOf(b.steps())));
        }
        Long duration = r.finished() == null
                ? null
                : Duration.between(r.started(), r.finished()).toMillis();
        return new RunReport(
                r.id(),
                r.command(),
                r.runbook(),
                r.file(),
                r.checksum(),
                r.target(),
                r.osUser(),
                r.clientHost(),
                r.dbUser(),
                r.clientVersion(),
                text(r.started()),
                text(r.finished()),
                duration,
                r.outcome(),
                r.exitCode(),
                r.allowChanged(),
                r.params(),
                List.copyOf(withState));
    }

    /** No phase row in this run: the phase was skipped (applied before), failed (rolled back), or is still unrecorded. */
    private static String derivedState(String phase, List<Block> blocks) {
        boolean failed = false;
        boolean interrupted = false;
        boolean skipped = false;
        for (Block b : blocks) {
            if (!phase.equals(b.phase()) || b.kind().equals("rollback")) continue;
            for (Step s : b.steps()) {
                failed |= s.isFailure() || s.status().equals("failed");
                // the engine's words for a run stopped by Ctrl-C or SIGTERM (Engine.interrupt)
                interrupted |=
                        s.isFailure() && s.message() != null && s.message().contains("interrupted by ");
                skipped |= s.kind().equals("skip");
            }
        }
        return interrupted ? "interrupted" : failed ? "failed" : skipped ? "skipped" : null;
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    public long guards() {
        return blocks.stream()
                .flatMap(b -> b.steps().stream())
                .filter(Step::isGuard)
                .count();
    }

    public long failedGuards() {
        return blocks.stream()
                .flatMap(b -> b.steps().stream())
                .filter(s -> s.isGuard() && s.status().equals("failed"))
                .count();
    }
}
