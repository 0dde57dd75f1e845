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
public record RunReport(long run, String command, String runbook, String file, String checksum, String target,
                        String operator, String host, String databaseUser, String client, String started, String finished,
                        Long durationMs, String outcome, Integer exitCode, boolean allowChanged, Map<String, String> params,
                        List<Block> blocks) {

    /** The preflight, a phase, its verify, or a rollback, with its steps in order. */
    public record Block(String phase, String kind, String state, List<Step> steps) {}

    public record Step(int index, String kind, String label, String status, String started, Long durationMs, Long affected,
                       Integer statements, String expected, String actual, String answer, String answeredBy, String sqlState,
                       String message) {
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isGuard() { return kind.equals("check") || kind.equals("expect"); }
    }

    public static RunReport load(Journal journal, long runId) throws SQLException {
        Journal.RunRow r = journal.run(runId);
        if (r == null) return null;
        List<Block> blocks = new ArrayList<>();
        Block current = null;
        for (Journal.StepRecord s : journal.steps(runId)) {
            if (current == null || !same(current.phase(), s.phase()) || !current.kind().equals(s.block())) {
                current = new Block(s.phase(), s.block(), null, new ArrayList<>());
                blocks.add(current);
            }
            current.steps().add(new Step(s.index(), s.kind(), s.label(), s.status(), text(s.started()),
                    Duration.between(s.started(), s.finished()).toMillis(), s.affected(), s.statements(), s.expected(), s.actual(),
                    s.answer(), s.answeredBy(), s.sqlState(), s.message()));
        }
        List<Journal.PhaseRecord> phases = journal.phasesOfRun(runId);
        List<Block> withState = new ArrayList<>();
        for (Block b : blocks) {
            String state = null;
            if (b.phase() != null) {
                for (Journal.PhaseRecord p : phases) if (p.phase().equals(b.phase())) state = p.status();
            }
            withState.add(new Block(b.phase(), b.kind(), state, List.copyOf(b.steps())));
        }
        Long duration = r.finished() == null ? null : Duration.between(r.started(), r.finished()).toMillis();
        return new RunReport(r.id(), r.command(), r.runbook(), r.file(), r.checksum(), r.target(), r.osUser(), r.clientHost(),
                r.dbUser(), r.clientVersion(), text(r.started()), text(r.finished()), duration, r.outcome(), r.exitCode(),
                r.allowChanged(), r.params(), List.copyOf(withState));
    }

    private static boolean same(String a, String b) { return a == null ? b == null : a.equals(b); }

    private static String text(Instant i) { return i == null ? null : i.toString(); }

    public long guards() { return blocks.stream().flatMap(b -> b.steps().stream()).filter(Step::isGuard).count(); }

    public long failedGuards() {
        return blocks.stream().flatMap(b -> b.steps().stream()).filter(s -> s.isGuard() && s.status().equals("failed")).count();
    }
}
