package io.runbook.cli;

import io.runbook.ast.Phase;
import io.runbook.db.Database;
import io.runbook.journal.Checksums;
import io.runbook.journal.Journal;
import io.runbook.parse.Program;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code plan --db}: what a run would do with each phase, from the journal of that database, read-only (a dry run
 * that creates, migrates and locks nothing).
 */
final class PlanJournal {
    /** One phase as a run would see it: applied (skipped), changed (refused), interrupted (refused), pending (run). */
    record PhaseState(Phase phase, String state, Journal.PhaseRecord record) {
        String says() {
            return switch (state) {
                case "applied" -> record.describe() + ": a run skips it";
                case "changed" ->
                    "CHANGED since it was " + record.describe() + ": a run refuses (exit 10) unless --allow-changed";
                case "interrupted" ->
                    (record.status().equals("partial")
                                    ? "PARTLY COMMITTED in run #" + record.runId() + " (" + record.detail() + ")"
                                    : "INTERRUPTED in run #" + record.runId() + " (started " + record.started() + ")")
                            + ": a run refuses (exit 9) until --rerun, --mark-done or rollback";
                default ->
                    record == null
                            ? "pending: a run runs it"
                            : record.status().equals("rolled_back")
                                    ? "pending (rolled back in run #" + record.runId() + "): a run runs it"
                                    : "pending (failed in run #" + record.runId()
                                            + " with nothing of it committed): a run runs it";
            };
        }
    }

    private PlanJournal() {}

    /** The journal's view of every phase; null when the database has no journal (everything pending). */
    static List<PhaseState> states(Program program, Map<String, Journal.PhaseRecord> records) {
        List<PhaseState> out = new ArrayList<>();
        for (Phase p : program.runbook().phases()) {
            Journal.PhaseRecord r = records.get(p.name());
            String state;
            if (r == null || r.status().equals("rolled_back") || r.failedClean()) state = "pending";
            else if (r.interrupted()) state = "interrupted";
            else if (!r.checksum().equals(Checksums.phase(program, p))) state = "changed";
            else state = "applied";
            out.add(new PhaseState(p, state, r));
        }
        return out;
    }

    /** Prints the journal section of {@code plan --db}. */
    static void print(Program program, Database database, JournalOptions options, PrintStream out) throws SQLException {
        try (Connection c = database.connection()) {
            Journal journal = options.existing(c);
            String target = database.settings().describe();
            out.println("journal on " + target
                    + (journal == null ? ": none" : " (schema " + options.schema + "), read-only:"));
            if (journal == null) out.println("  " + options.noJournal(target));
            List<PhaseState> states = states(
                    program,
                    journal == null
                            ? Map.of()
                            : journal.phases(program.runbook().name()));
            int width = states.stream()
                            .mapToInt(s -> s.phase().name().length())
                            .max()
                            .orElse(0)
                    + 2;
            int i = 0;
            for (PhaseState s : states) {
                String name = "\"" + s.phase().name() + "\"";
                out.println("  " + ++i + "/" + states.size() + " " + name
                        + " ".repeat(Math.max(1, width - name.length() + 1)) + s.says());
            }
            long pending =
                    states.stream().filter(s -> s.state().equals("pending")).count();
            out.println("  a run now would run " + pending + " of " + states.size()
                    + (states.size() == 1 ? " phase" : " phases")
                    + (states.stream()
                                    .anyMatch(s -> s.state().equals("changed")
                                            || s.state().equals("interrupted"))
                            ? ", after the refusals above are resolved"
                            : ""));
        }
    }
}
