package io.runbook.report;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The run for CI dashboards (docs/reports.md): a test suite per block (preflight, each phase, its verify, each
 * rollback); in it one test case for the block itself (the phase: applied, failed with the SQL error and its
 * SQLSTATE, file and line, or skipped) and one per check and guard.
 */
public final class JUnitReport {
    private JUnitReport() {}

    /** One test case, before it is written. */
    private record Case(
            String name,
            long millis,
            String file,
            Integer line,
            String failureType,
            String failureMessage,
            String failureText,
            String skipped) {}
    // failureText: the failure's detail; for a passed guard, its expected and actual (written as system-out)

    public static String render(RunReport r) {
        Map<String, List<Case>> suites = new LinkedHashMap<>();
        for (RunReport.Block b : r.blocks()) {
            List<Case> cases = suites.computeIfAbsent(suiteName(b), k -> new ArrayList<>());
            if (!b.kind().equals("verify")) cases.add(blockCase(b));
            for (RunReport.Step s : b.steps()) {
                if (!s.isGuard()) continue;
                boolean failed = s.status().equals("failed");
                cases.add(new Case(
                        s.label(),
                        millis(s),
                        null,
                        null,
                        failed ? "guard" : null,
                        failed ? "expected " + s.expected() + ", actual " + s.actual() : null,
                        "expected: " + s.expected() + "\nactual:   " + s.actual(),
                        null));
            }
        }
        // a failed guard also fails its block's test case: count each case once
        long tests = suites.values().stream().mapToLong(List::size).sum();
        long failures = suites.values().stream()
                .flatMap(List::stream)
                .filter(c -> c.failureType() != null)
                .count();
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", r.runbook());
            x.writeAttribute("tests", String.valueOf(tests));
            x.writeAttribute("failures", String.valueOf(failures));
            x.writeCharacters("\n");
            for (Map.Entry<String, List<Case>> suite : suites.entrySet()) {
                x.writeCharacters("  ");
                x.writeStartElement("testsuite");
                x.writeAttribute("name", suite.getKey());
                x.writeAttribute("tests", String.valueOf(suite.getValue().size()));
                x.writeAttribute(
                        "failures",
                        String.valueOf(suite.getValue().stream()
                                .filter(c -> c.failureType() != null)
                                .count()));
                x.writeAttribute(
                        "skipped",
                        String.valueOf(suite.getValue().stream()
                                .filter(c -> c.skipped() != null)
                                .count()));
                x.writeCharacters("\n");
                for (Case c : suite.getValue()) write(x, r.runbook() + "." + suite.getKey(), c);
                x.writeCharacters("  ");
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static String suiteName(RunReport.Block b) {
        return b.phase() == null ? "preflight" : b.kind().equals("phase") ? b.phase() : b.phase() + " / " + b.kind();
    }

    /** The block as a test: passes when it did its work; a failure names SQLSTATE, file and line when it has them. */
    private static Case blockCase(RunReport.Block b) {
        String name = b.phase() == null
                ? "preflight"
                : b.kind().equals("rollback") ? "rollback of \"" + b.phase() + "\"" : "phase \"" + b.phase() + "\"";
        long millis = b.steps().stream().mapToLong(JUnitReport::millis).sum();
        // the failure that stopped the block; a "rolled back" failure row only says what followed
        RunReport.Step failure = b.steps().stream()
                .filter(s -> s.isFailure() && s.status().equals("failed"))
                .findFirst()
                .orElse(b.steps().stream()
                        .filter(RunReport.Step::isFailure)
                        .findFirst()
                        .orElse(null));
        RunReport.Step skip = b.steps().stream()
                .filter(s -> s.kind().equals("skip"))
                .findFirst()
                .orElse(null);
        if (skip != null) return new Case(name, 0, null, null, null, null, null, skip.message());
        if (failure == null) {
            boolean guardFailed =
                    b.steps().stream().anyMatch(s -> s.isGuard() && s.status().equals("failed"));
            return guardFailed
                    ? new Case(name, millis, null, null, "guard", "a guard failed" + state(b), null, null)
                    : new Case(name, millis, null, null, null, null, null, null);
        }
        boolean guardFailed =
                b.steps().stream().anyMatch(s -> s.isGuard() && s.status().equals("failed"));
        String type = failure.sqlState() != null ? "SQLSTATE " + failure.sqlState() : guardFailed ? "guard" : "failure";
        StringBuilder text = new StringBuilder(failure.message() == null ? "" : failure.message());
        if (failure.sqlState() != null) text.append("\nSQLSTATE ").append(failure.sqlState());
        if (failure.file() != null)
            text.append("\nat ").append(failure.file()).append(", line ").append(failure.line());
        // the preflight goes on past a failed check: the others are part of its failure too
        List<RunReport.Step> others = b.steps().stream()
                .filter(s -> s != failure && s.isFailure() && s.status().equals("failed"))
                .toList();
        for (RunReport.Step o : others) text.append("\n").append(o.message());
        if (b.state() != null) text.append("\nphase: ").append(MarkdownReport.state(b.state()));
        return new Case(
                name,
                millis,
                failure.file(),
                failure.line(),
                type,
                (failure.sqlState() != null ? "SQLSTATE " + failure.sqlState() + ": " : "")
                        + failure.message()
                        + (others.isEmpty() ? "" : " (and " + others.size() + " more)")
                        + state(b),
                text.toString(),
                null);
    }

    private static String state(RunReport.Block b) {
        return b.state() == null ? "" : " (phase " + MarkdownReport.state(b.state()) + ")";
    }

    private static void write(XMLStreamWriter x, String classname, Case c) throws XMLStreamException {
        x.writeCharacters("    ");
        boolean body = c.failureType() != null || c.skipped() != null || c.failureText() != null;
        if (body) x.writeStartElement("testcase");
        else x.writeEmptyElement("testcase");
        x.writeAttribute("classname", classname);
        x.writeAttribute("name", c.name());
        x.writeAttribute("time", String.format(Locale.ROOT, "%.3f", c.millis() / 1000.0));
        if (c.file() != null) {
            x.writeAttribute("file", c.file());
            x.writeAttribute("line", String.valueOf(c.line()));
        }
        if (c.failureType() != null) {
            x.writeCharacters("\n      ");
            x.writeStartElement("failure");
            x.writeAttribute("type", c.failureType());
            x.writeAttribute("message", c.failureMessage());
            if (c.failureText() != null) x.writeCharacters(c.failureText());
            x.writeEndElement();
            x.writeCharacters("\n    ");
            x.writeEndElement();
        } else if (c.skipped() != null) {
            x.writeCharacters("\n      ");
            x.writeEmptyElement("skipped");
            x.writeAttribute("message", c.skipped());
            x.writeCharacters("\n    ");
            x.writeEndElement();
        } else if (c.failureText() != null) { // a passed guard still shows what it expected and saw
            x.writeCharacters("\n      ");
            x.writeStartElement("system-out");
            x.writeCharacters(c.failureText());
            x.writeEndElement();
            x.writeCharacters("\n    ");
            x.writeEndElement();
        }
        x.writeCharacters("\n");
    }

    private static long millis(RunReport.Step s) {
        return s.durationMs() == null ? 0 : s.durationMs();
    }
}
