package io.runbook.report;

import java.util.Map;

/** A report an operator can paste into a ticket: header, parameters, every step, confirmations, outcome, sign-off. */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(RunReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# Runbook run #")
                .append(r.run())
                .append(": ")
                .append(r.runbook())
                .append("\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "Runbook", r.runbook());
        row(md, "File", "`" + r.file() + "`");
        row(md, "Checksum", "`" + r.checksum() + "`");
        row(md, "Database", r.target() + " (as " + r.databaseUser() + ")");
        row(md, "Operator", r.operator() + " on " + r.host());
        row(md, "Client", r.client());
        row(md, "Command", r.command() + (r.allowChanged() ? " (--allow-changed: changed phases were accepted)" : ""));
        row(md, "Started", r.started());
        row(md, "Finished", r.finished() == null ? "(not finished)" : r.finished() + " (" + ms(r.durationMs()) + ")");
        row(md, "Outcome", outcome(r));
        row(md, "Guards", r.guards() + " checked, " + r.failedGuards() + " failed");
        md.append("\n## Parameters\n\n");
        if (r.params().isEmpty()) {
            md.append("(none)\n");
        } else {
            md.append("| name | value |\n|---|---|\n");
            for (Map.Entry<String, String> p : r.params().entrySet()) row(md, p.getKey(), "`" + p.getValue() + "`");
        }
        md.append("\n## Phases\n\n");
        java.util.Set<String> listed = new java.util.HashSet<>();
        for (RunReport.Block b : r.blocks()) {
            if (b.phase() == null || !listed.add(b.phase())) continue;
            if (listed.size() == 1) md.append("| phase | state | checksum |\n|---|---|---|\n");
            md.append("| ")
                    .append(cell(b.phase()))
                    .append(" | ")
                    .append(cell(state(b.state())))
                    .append(" | ")
                    .append(b.checksum() == null ? "(unknown: the runbook changed since)" : "`" + b.checksum() + "`")
                    .append(" |\n");
        }
        if (listed.isEmpty()) md.append("(none)\n");
        md.append("\n## Steps\n");
        for (RunReport.Block b : r.blocks()) {
            md.append("\n### ").append(title(b)).append("\n\n");
            md.append("| # | step | result | rows | time | expected | actual |\n|---|---|---|---|---|---|---|\n");
            for (RunReport.Step s : b.steps()) {
                md.append("| ")
                        .append(s.index())
                        .append(" | ")
                        .append(cell(step(s)))
                        .append(" | ")
                        .append(cell(result(s)))
                        .append(" | ")
                        .append(s.affected() == null ? "" : s.affected())
                        .append(" | ")
                        .append(s.durationMs() == null ? "" : ms(s.durationMs()))
                        .append(" | ")
                        .append(cell(s.expected()))
                        .append(" | ")
                        .append(cell(s.actual()))
                        .append(" |\n");
            }
        }
        md.append("\n## Confirmations\n\n");
        boolean any = false;
        for (RunReport.Block b : r.blocks()) {
            for (RunReport.Step s : b.steps()) {
                if (!s.kind().equals("confirm")) continue;
                if (!any) md.append("| question | answer | by | at |\n|---|---|---|---|\n");
                any = true;
                md.append("| ")
                        .append(cell(s.label()))
                        .append(" | ")
                        .append(s.answer())
                        .append(" | ")
                        .append(cell(s.answeredBy()))
                        .append(" | ")
                        .append(s.started())
                        .append(" |\n");
            }
        }
        if (!any) md.append("(none)\n");
        md.append("\n## Outcome\n\n").append(outcome(r)).append("\n");
        md.append("\n## Sign-off\n\n| role | name | signature | date |\n|---|---|---|---|\n");
        md.append("| Executed by | ")
                .append(r.operator())
                .append(" | | |\n| Reviewed by | | | |\n| Approved by | | | |\n");
        return md.toString();
    }

    /** The phase's state after the run, in words (docs/reports.md). */
    static String state(String state) {
        if (state == null) return "not recorded";
        return switch (state) {
            case "failed" -> "failed, rolled back";
            case "interrupted" -> "interrupted (Ctrl-C or SIGTERM), rolled back";
            case "started" -> "interrupted: some statements may have committed";
            case "partial" -> "failed, partly committed";
            case "skipped" -> "skipped: applied before";
            default -> state.replace('_', ' ');
        };
    }

    private static String title(RunReport.Block b) {
        if (b.phase() == null) return "preflight";
        String state = " (" + state(b.state()) + ")";
        return switch (b.kind()) {
            case "verify" -> "phase \"" + b.phase() + "\": verify";
            case "rollback" -> "rollback of \"" + b.phase() + "\"" + state;
            default -> "phase \"" + b.phase() + "\"" + state;
        };
    }

    /** "sql $$ ... $$", "check orders exist", "confirm Backup taken?": the kind once. */
    private static String step(RunReport.Step s) {
        if (s.label() == null) return s.kind();
        return s.label().startsWith(s.kind() + " ") ? s.label() : s.kind() + " " + s.label();
    }

    private static String result(RunReport.Step s) {
        String r = s.status();
        if (s.statements() != null) r += ", " + s.statements() + (s.statements() == 1 ? " statement" : " statements");
        if (s.sqlState() != null) r += ", SQLSTATE " + s.sqlState();
        if (s.message() != null) r += ": " + s.message();
        return r;
    }

    static String outcome(RunReport r) {
        if (r.exitCode() != null) return r.outcome() + " (exit " + r.exitCode() + ")";
        return r.outcome() != null ? r.outcome() : "unfinished (the runner stopped without recording an outcome)";
    }

    private static void row(StringBuilder md, String k, String v) {
        md.append("| ").append(k).append(" | ").append(cell(v)).append(" |\n");
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    static String ms(Long ms) {
        return ms == null ? "" : ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.2f s", ms / 1000.0);
    }
}
