package io.runbook.report;

import java.io.StringWriter;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** Every check and guard as a JUnit test case, grouped by block, so CI dashboards show them. */
public final class JUnitReport {
    private JUnitReport() {}

    public static String render(RunReport r) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", r.runbook());
            x.writeAttribute("tests", String.valueOf(r.guards()));
            x.writeAttribute("failures", String.valueOf(r.failedGuards()));
            x.writeCharacters("\n");
            for (RunReport.Block b : r.blocks()) {
                long tests = b.steps().stream().filter(RunReport.Step::isGuard).count();
                if (tests == 0) continue;
                long failures = b.steps().stream().filter(s -> s.isGuard() && s.status().equals("failed")).count();
                String suite = b.phase() == null ? "preflight" : b.kind().equals("phase") ? b.phase() : b.phase() + " / " + b.kind();
                x.writeCharacters("  ");
                x.writeStartElement("testsuite");
                x.writeAttribute("name", suite);
                x.writeAttribute("tests", String.valueOf(tests));
                x.writeAttribute("failures", String.valueOf(failures));
                x.writeCharacters("\n");
                for (RunReport.Step s : b.steps()) {
                    if (!s.isGuard()) continue;
                    x.writeCharacters("    ");
                    boolean failed = s.status().equals("failed");
                    if (failed) x.writeStartElement("testcase");
                    else x.writeEmptyElement("testcase");
                    x.writeAttribute("classname", r.runbook() + "." + suite);
                    x.writeAttribute("name", s.label());
                    x.writeAttribute("time", String.format(java.util.Locale.ROOT, "%.3f", (s.durationMs() == null ? 0 : s.durationMs()) / 1000.0));
                    if (failed) {
                        x.writeCharacters("\n      ");
                        x.writeEmptyElement("failure");
                        x.writeAttribute("message", "expected " + s.expected() + ", actual " + s.actual());
                        x.writeCharacters("\n    ");
                        x.writeEndElement();
                    }
                    x.writeCharacters("\n");
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
}
