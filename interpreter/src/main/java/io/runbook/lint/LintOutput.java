package io.runbook.lint;

import io.runbook.source.Diagnostic;
import io.runbook.source.Pos;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a lint report as text (grouped by file, then a count line) or as JSON. */
public final class LintOutput {
    private LintOutput() {}

    /**
     * Text: for each file with findings, a header line and the findings in the usual diagnostic form
     * (file:line:col: SEVERITY: message [rule], the source line, a caret, the fix as hint), then a count line.
     */
    public static String text(LintReport report, boolean showSuppressed) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<Finding>> e : byFile(report, showSuppressed).entrySet()) {
            List<Finding> fs = e.getValue();
            sb.append(e.getKey()).append(": ").append(counts(fs)).append('\n');
            for (Finding f : fs) sb.append(render(f));
            sb.append('\n');
        }
        sb.append(summary(report)).append('\n');
        return sb.toString();
    }

    /** One finding as a diagnostic. */
    public static String render(Finding f) {
        List<String> details = new ArrayList<>();
        if (f.suppressed())
            details.add("suppressed at " + f.suppression().pos() + ": "
                    + f.suppression().reason());
        Diagnostic d = new Diagnostic(f.pos(), f.message() + " [" + f.rule().id + "]", details, f.fix());
        String r = d.render();
        String head = f.pos() + ": ERROR: ";
        String label = f.severity().name() + (f.suppressed() ? " (suppressed)" : "");
        return r.startsWith(head) ? f.pos() + ": " + label + ": " + r.substring(head.length()) : r;
    }

    /** "lint: 1 error, 4 warnings, 2 infos, 1 suppressed (31 statements: ...)". */
    public static String summary(LintReport report) {
        LintReport.Stats s = report.stats();
        return "lint: " + plural(report.count(Severity.ERROR), "error") + ", "
                + plural(report.count(Severity.WARNING), "warning")
                + ", " + plural(report.count(Severity.INFO), "info") + ", "
                + report.suppressed().size() + " suppressed ("
                + plural(s.statements(), "statement") + ": " + s.parsed() + " parsed by JSqlParser, " + s.screened()
                + " needed no parse, " + s.tokens()
                + " by the token fallback, " + s.unanalysed() + " unanalysed)";
    }

    public static String json(LintReport report, boolean showSuppressed) {
        StringBuilder sb = new StringBuilder("{\n  \"files\": [");
        boolean firstFile = true;
        for (Map.Entry<String, List<Finding>> e : byFile(report, showSuppressed).entrySet()) {
            sb.append(firstFile ? "\n" : ",\n")
                    .append("    {\"file\": ")
                    .append(str(e.getKey()))
                    .append(", \"findings\": [");
            firstFile = false;
            boolean first = true;
            for (Finding f : e.getValue()) {
                Pos p = f.pos();
                sb.append(first ? "\n" : ",\n")
                        .append("      {\"severity\": ")
                        .append(str(f.severity().label()))
                        .append(", \"rule\": ")
                        .append(str(f.rule().id))
                        .append(", \"line\": ")
                        .append(p.line())
                        .append(", \"column\": ")
                        .append(p.col())
                        .append(", \"message\": ")
                        .append(str(f.message()))
                        .append(", \"fix\": ")
                        .append(str(f.fix()))
                        .append(", \"suppressed\": ")
                        .append(f.suppressed());
                if (f.suppressed()) {
                    sb.append(", \"reason\": ")
                            .append(str(f.suppression().reason()))
                            .append(", \"suppressedAt\": ")
                            .append(str(f.suppression().pos().toString()));
                }
                sb.append('}');
                first = false;
            }
            sb.append("\n    ]}");
        }
        LintReport.Stats s = report.stats();
        sb.append(firstFile ? "],\n" : "\n  ],\n");
        sb.append("  \"counts\": {\"error\": ")
                .append(report.count(Severity.ERROR))
                .append(", \"warning\": ")
                .append(report.count(Severity.WARNING))
                .append(", \"info\": ")
                .append(report.count(Severity.INFO))
                .append(", \"suppressed\": ")
                .append(report.suppressed().size())
                .append("},\n");
        sb.append("  \"statements\": {\"total\": ")
                .append(s.statements())
                .append(", \"parsed\": ")
                .append(s.parsed())
                .append(", \"screened\": ")
                .append(s.screened())
                .append(", \"tokens\": ")
                .append(s.tokens())
                .append(", \"unanalysed\": ")
                .append(s.unanalysed())
                .append("}\n}\n");
        return sb.toString();
    }

    private static Map<String, List<Finding>> byFile(LintReport report, boolean showSuppressed) {
        Map<String, List<Finding>> files = new LinkedHashMap<>();
        for (Finding f : report.findings()) {
            if (f.suppressed() && !showSuppressed) continue;
            files.computeIfAbsent(f.pos().file().name(), k -> new ArrayList<>()).add(f);
        }
        return files;
    }

    private static String counts(List<Finding> fs) {
        List<String> parts = new ArrayList<>();
        for (Severity s : Severity.values()) {
            long n = fs.stream()
                    .filter(f -> !f.suppressed() && f.severity() == s)
                    .count();
            if (n > 0) parts.add(plural(n, s.label()));
        }
        long sup = fs.stream().filter(Finding::suppressed).count();
        if (sup > 0) parts.add(sup + " suppressed");
        return String.join(", ", parts);
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static String str(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
