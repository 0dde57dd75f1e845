package io.runbook.fleet;

import io.runbook.ast.Durations;
import io.runbook.report.MarkdownReport;
import io.runbook.report.RunReport;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The fleet's reports, from each target's journal: JUnit with one testsuite per target (its guards, and the run
 * itself as a test case), and Markdown with a summary table and each target's own report as a section.
 */
public final class FleetReports {
    private FleetReports() {}

    public static String junit(String runbook, List<TargetResult> results) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", runbook);
            x.writeCharacters("\n");
            for (TargetResult r : results) {
                List<RunReport.Step> guards = r.report() == null
                        ? List.of()
                        : r.report().blocks().stream()
                                .flatMap(b -> b.steps().stream())
                                .filter(RunReport.Step::isGuard)
                                .toList();
                long failures =
                        guards.stream().filter(s -> s.status().equals("failed")).count() + (r.ok() ? 0 : 1);
                x.writeCharacters("  ");
                x.writeStartElement("testsuite");
                x.writeAttribute("name", r.target().name());
                x.writeAttribute("tests", String.valueOf(guards.size() + 1));
                x.writeAttribute("failures", String.valueOf(failures));
                x.writeAttribute("time", seconds(r.duration().toMillis()));
                x.writeCharacters("\n");
                testcase(
                        x,
                        r.target().name(),
                        "run",
                        seconds(r.duration().toMillis()),
                        r.ok() ? null : r.describe() + (r.detail() == null ? "" : ": " + r.detail()));
                for (RunReport.Step s : guards) {
                    testcase(
                            x,
                            r.target().name(),
                            s.label(),
                            seconds(s.durationMs() == null ? 0 : s.durationMs()),
                            s.status().equals("failed") ? "expected " + s.expected() + ", actual " + s.actual() : null);
                }
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

    private static void testcase(XMLStreamWriter x, String target, String name, String time, String failure)
            throws XMLStreamException {
        x.writeCharacters("    ");
        if (failure == null) x.writeEmptyElement("testcase");
        else x.writeStartElement("testcase");
        x.writeAttribute("classname", target);
        x.writeAttribute("name", name);
        x.writeAttribute("time", time);
        if (failure != null) {
            x.writeCharacters("\n      ");
            x.writeEmptyElement("failure");
            x.writeAttribute("message", failure);
            x.writeCharacters("\n    ");
            x.writeEndElement();
        }
        x.writeCharacters("\n");
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    public static String markdown(String runbook, List<TargetResult> results) {
        StringBuilder md = new StringBuilder();
        long ok = results.stream().filter(TargetResult::ok).count();
        md.append("# Fleet run: ").append(runbook).append("\n\n");
        md.append(ok).append(" of ").append(results.size()).append(" targets applied.\n\n");
        md.append("| target | database | state | duration | run |\n|---|---|---|---|---|\n");
        for (TargetResult r : results) {
            md.append("| ")
                    .append(r.target().name())
                    .append(" | ")
                    .append(r.target().settings().describe())
                    .append(" | ")
                    .append(r.describe())
                    .append(" | ")
                    .append(Durations.human(r.duration()))
                    .append(" | ")
                    .append(r.runId() == null ? "" : "#" + r.runId())
                    .append(" |\n");
        }
        for (TargetResult r : results) {
            md.append("\n## ")
                    .append(r.target().name())
                    .append(": ")
                    .append(r.describe())
                    .append("\n\n");
            if (r.detail() != null && !r.ok()) md.append(r.detail()).append("\n\n");
            if (r.report() == null) {
                md.append("(no run was recorded in this target's journal)\n");
                continue;
            }
            // The target's own report, its headings moved two levels down under the target's section.
            for (String line : MarkdownReport.render(r.report()).split("\n", -1)) {
                md.append(line.startsWith("#") ? "##" + line : line).append('\n');
            }
        }
        return md.toString();
    }
}
