package io.runbook.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.runbook.ast.Durations;
import io.runbook.ast.Phase;
import io.runbook.db.ConnectionFailedException;
import io.runbook.db.Database;
import io.runbook.journal.Checksums;
import io.runbook.journal.Journal;
import io.runbook.parse.Program;
import io.runbook.source.ExitCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** `runbook fleet status`: each target's state as its own journal tells it. */
public final class FleetStatus {
    private FleetStatus() {}

    /** One target: state is applied, failed at phase X, pending, interrupted, changed, or unreachable. */
    public record Row(
            String target,
            String database,
            String state,
            boolean applied,
            String phase,
            Instant when,
            Duration duration,
            Long run) {}

    public static List<Row> read(Program program, String journalSchema, List<Target> targets, int parallel) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel), r -> {
            Thread t = new Thread(r, "fleet status");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Row>> rows = new ArrayList<>();
            for (Target t : targets) rows.add(pool.submit(() -> one(program, journalSchema, t)));
            List<Row> out = new ArrayList<>();
            for (Future<Row> f : rows) out.add(f.get());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static Row one(Program program, String journalSchema, Target t) {
        String db = t.settings().describe();
        String runbook = program.runbook().name();
        try (Database database = Database.open(t.settings(), "runbook fleet status");
                Connection c = database.connection()) {
            // Read-only, as `runbook status`: a target that never ran has no journal, and status creates none.
            Journal journal = Journal.existing(c, journalSchema);
            if (journal == null) {
                List<Phase> all = program.runbook().phases();
                String first = all.isEmpty() ? null : all.get(0).name();
                return new Row(t.name(), db, "pending", false, first, null, null, null);
            }
            Map<String, Journal.PhaseRecord> phases = journal.phases(runbook);
            // The run to show: for an applied target the one that applied its last phase (a later no-op run says
            // nothing), else the latest.
            boolean allDone = program.runbook().phases().stream()
                    .allMatch(p ->
                            phases.get(p.name()) != null && phases.get(p.name()).done());
            Long latest = allDone
                    ? phases.values().stream()
                            .filter(Journal.PhaseRecord::done)
                            .max(Comparator.comparing(Journal.PhaseRecord::finished))
                            .map(Journal.PhaseRecord::runId)
                            .orElse(null)
                    : journal.latestRun(runbook);
            Journal.RunRow run = latest == null ? null : journal.run(latest);
            Duration took =
                    run == null || run.finished() == null ? null : Duration.between(run.started(), run.finished());
            Instant when = run == null ? null : run.finished() != null ? run.finished() : run.started();
            int done = 0;
            String firstOpen = null;
            for (Phase p : program.runbook().phases()) {
                Journal.PhaseRecord r = phases.get(p.name());
                if (r != null && r.interrupted())
                    return new Row(
                            t.name(),
                            db,
                            "interrupted in phase \"" + p.name() + "\"",
                            false,
                            p.name(),
                            when,
                            took,
                            latest);
                if (r != null && r.done() && !r.checksum().equals(Checksums.phase(program, p))) {
                    return new Row(
                            t.name(), db, "changed: phase \"" + p.name() + "\"", false, p.name(), when, took, latest);
                }
                if (r != null && r.done()) done++;
                else if (firstOpen == null) firstOpen = p.name();
            }
            int total = program.runbook().phases().size();
            if (firstOpen == null) return new Row(t.name(), db, "applied", true, null, when, took, latest);
            if (run != null && run.finished() == null) {
                return new Row(
                        t.name(),
                        db,
                        "interrupted: run #" + latest + " never finished (" + done + "/" + total + " phases applied)",
                        false,
                        firstOpen,
                        when,
                        null,
                        latest);
            }
            if (run != null && run.exitCode() != null && run.exitCode() == ExitCode.ABORTED) {
                return new Row(
                        t.name(),
                        db,
                        "pending (stopped before phase \"" + firstOpen + "\", " + done + "/" + total
                                + " phases applied)",
                        false,
                        firstOpen,
                        when,
                        took,
                        latest);
            }
            if (run != null && run.exitCode() != null && run.exitCode() != 0) {
                return new Row(
                        t.name(), db, "failed at phase \"" + firstOpen + "\"", false, firstOpen, when, took, latest);
            }
            return new Row(
                    t.name(),
                    db,
                    done == 0 ? "pending" : "pending (" + done + "/" + total + " phases applied)",
                    false,
                    firstOpen,
                    when,
                    took,
                    latest);
        } catch (ConnectionFailedException | SQLException e) {
            return new Row(t.name(), db, "unreachable: " + e.getMessage(), false, null, null, null, null);
        }
    }

    public static String table(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"target", "state", "when", "duration", "run"});
        for (Row r : rows) {
            cells.add(new String[] {
                r.target(),
                r.state(),
                r.when() == null ? "" : r.when().toString(),
                r.duration() == null ? "" : Durations.human(r.duration()),
                r.run() == null ? "" : "#" + r.run()
            });
        }
        int[] w = new int[5];
        for (String[] row : cells) for (int i = 0; i < row.length; i++) w[i] = Math.max(w[i], row[i].length());
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < cells.size(); n++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < w.length; i++)
                line.append(i == 0 ? "" : "  ")
                        .append(cells.get(n)[i])
                        .append(" ".repeat(w[i] - cells.get(n)[i].length()));
            sb.append(line.toString().stripTrailing()).append('\n');
            if (n == 0) {
                for (int i = 0; i < w.length; i++) sb.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
                sb.append('\n');
            }
        }
        long applied = rows.stream().filter(Row::applied).count();
        sb.append(applied).append(" of ").append(rows.size()).append(" targets applied\n");
        return sb.toString();
    }

    public static String json(String runbook, List<Row> rows) {
        List<Map<String, Object>> targets = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", r.target());
            m.put("database", r.database());
            m.put("state", r.state());
            m.put("applied", r.applied());
            m.put("phase", r.phase());
            m.put("when", r.when() == null ? null : r.when().toString());
            m.put("duration_ms", r.duration() == null ? null : r.duration().toMillis());
            m.put("run", r.run());
            targets.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("runbook", runbook);
        doc.put("applied", rows.stream().filter(Row::applied).count());
        doc.put("total", rows.size());
        doc.put("targets", targets);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
