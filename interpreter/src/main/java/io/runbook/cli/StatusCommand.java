package io.runbook.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runbook.ast.Durations;
import io.runbook.ast.Phase;
import io.runbook.db.Database;
import io.runbook.journal.Checksums;
import io.runbook.journal.Journal;
import io.runbook.parse.Program;
import io.runbook.source.ExitCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Show each phase as the journal knows it: state, when, by whom, how long, and whether it changed since.")
final class StatusCommand extends BaseCommand {
    enum Format {
        text,
        json
    }

    @Mixin
    JournalOptions journalOptions;

    @picocli.CommandLine.Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "text|json",
            description = "output format (default: ${DEFAULT-VALUE})")
    Format format;

    @Override
    int execute() throws SQLException {
        Program program = load();
        try (Database database = connect(journalOptions.db);
                Connection c = database.connection()) {
            Journal journal = journalOptions.existing(c);
            Map<String, Journal.PhaseRecord> records = journal == null
                    ? Map.of()
                    : journal.phases(program.runbook().name());
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"phase", "state", "when", "by", "duration", "run", "checksum"});
            ObjectNode json = new ObjectMapper().createObjectNode();
            json.put("runbook", program.runbook().name());
            json.put("database", database.settings().describe());
            ArrayNode phases = json.putArray("phases");
            for (Phase p : program.runbook().phases()) {
                Journal.PhaseRecord r = records.get(p.name());
                ObjectNode phase = phases.addObject().put("phase", p.name());
                if (r == null) {
                    rows.add(new String[] {p.name(), "pending", "", "", "", "", ""});
                    phase.put("state", "pending");
                    continue;
                }
                // a phase still marked started has no end yet (running, or killed): its row's time is its start
                Duration took = r.started() == null || r.status().equals("started")
                        ? null
                        : Duration.between(r.started(), r.finished());
                String duration = took == null ? "" : Durations.human(took);
                // a `no transaction` phase under way right now is not interrupted: its runner's session is active
                boolean running = r.status().equals("started") && journal.running(r.runId());
                String state = switch (r.status()) {
                    case "started" -> running ? "RUNNING" : "INTERRUPTED";
                    case "rolled_back" -> "rolled back";
                    case "marked_done" -> "marked done";
                    case "failed" -> "failed, nothing committed";
                    case "partial" -> "PARTLY COMMITTED";
                    default -> r.status();
                };
                String sum = r.checksum().equals(Checksums.phase(program, p)) ? "matches" : "CHANGED";
                rows.add(new String[] {
                    p.name(), state, r.finished().toString(), r.osUser(), duration, "#" + r.runId(), sum
                });
                phase.put("state", state.toLowerCase(java.util.Locale.ROOT))
                        .put("finished", r.finished().toString())
                        .put("by", r.osUser())
                        .put("durationMs", took == null ? null : took.toMillis())
                        .put("run", r.runId())
                        .put("checksum", sum.toLowerCase(java.util.Locale.ROOT));
            }
            if (format == Format.json) {
                context.out().print(json.toPrettyString() + "\n");
                return ExitCode.OK;
            }
            context.out()
                    .println("runbook \"" + program.runbook().name() + "\" on "
                            + database.settings().describe());
            if (journal == null)
                context.out()
                        .println(journalOptions.noJournal(database.settings().describe()));
            print(rows);
            return ExitCode.OK;
        }
    }

    private void print(List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        for (int n = 0; n < rows.size(); n++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < w.length; i++)
                sb.append(i == 0 ? "" : "  ")
                        .append(String.format(java.util.Locale.ROOT, "%-" + w[i] + "s", rows.get(n)[i]));
            context.out().println(sb.toString().stripTrailing());
            if (n == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < w.length; i++)
                    rule.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
                context.out().println(rule);
            }
        }
    }
}
