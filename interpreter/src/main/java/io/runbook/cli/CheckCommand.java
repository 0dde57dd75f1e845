package io.runbook.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runbook.ast.Phase;
import io.runbook.lint.Finding;
import io.runbook.lint.LintOutput;
import io.runbook.lint.LintReport;
import io.runbook.lint.SarifOutput;
import io.runbook.lint.Severity;
import io.runbook.parse.Program;
import io.runbook.source.Diagnostic;
import io.runbook.source.Pos;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Parse runbooks, resolve their imports, files and names, and lint them, without touching a database (for CI).",
            "Exit 0 when every file is valid and no lint finding reaches --fail-on (default: error), else 2."
        })
final class CheckCommand extends FilesCommand {
    enum Format {
        text,
        json,
        sarif
    }

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "text|json|sarif",
            description = "output format (default: ${DEFAULT-VALUE})")
    Format format;

    @Override
    int execute(List<Checked> files) {
        switch (format) {
            case json -> context.out().print(json(files));
            case sarif -> context.out().print(SarifOutput.of(version(), findings(files), problems(files)));
            case text -> text(files);
        }
        return verdict(files);
    }

    private void text(List<Checked> files) {
        for (Checked c : files) {
            if (!c.ok()) {
                for (Diagnostic d : c.problems()) context.err().print(d.render());
                if (c.problems().size() > 1) context.err().println(c.problems().size() + " problems found");
                continue;
            }
            if (c.library()) {
                context.out().println("ok: " + c.file() + ": a library (parsed; checked where it is imported)");
                continue;
            }
            LintReport lint = c.lint();
            if (!lint.active().isEmpty()) context.err().print(LintOutput.text(lint, false));
            if (lint.hasErrors()) continue; // lint errors fail check: no ok line
            Program program = c.program();
            context.out()
                    .println("ok: " + c.file() + ": "
                            + program.runbook().phases().size() + " phases, " + steps(program) + " steps, "
                            + program.scripts().size() + " SQL file references (" + statements(program)
                            + " statements)");
        }
    }

    private static int steps(Program program) {
        int steps = program.runbook().preflight().size();
        for (Phase p : program.runbook().phases())
            steps += p.steps().size() + p.verify().size() + p.rollback().size();
        return steps;
    }

    private static int statements(Program program) {
        return program.scripts().values().stream()
                .mapToInt(Program.SqlScript::ownStatements)
                .sum();
    }

    /** {"ok": ..., "files": [{"file", "ok", "library", "runbook", "phases", ..., "problems": [...], "findings": [...]}], "counts": {...}}. */
    private String json(List<Checked> files) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("ok", verdict(files) == 0);
        ArrayNode out = root.putArray("files");
        for (Checked c : files) {
            ObjectNode f = out.addObject();
            f.put("file", c.file().toString());
            f.put("ok", c.ok() && (c.lint() == null || !c.lint().hasErrors()));
            f.put("library", c.library());
            if (c.program() != null) {
                Program p = c.program();
                f.put("runbook", p.runbook().name());
                f.put("phases", p.runbook().phases().size());
                f.put("steps", steps(p));
                f.put("sqlFiles", p.scripts().size());
                f.put("statements", statements(p));
            }
            ArrayNode problems = f.putArray("problems");
            for (Diagnostic d : c.problems()) {
                ObjectNode n = problems.addObject();
                position(n, d.pos());
                n.put("severity", "error");
                n.put("message", d.message());
                n.put("hint", d.hint());
            }
            ArrayNode findings = f.putArray("findings");
            if (c.lint() != null) {
                for (Finding x : c.lint().active()) {
                    ObjectNode n = findings.addObject();
                    position(n, x.pos());
                    n.put("severity", x.severity().label());
                    n.put("rule", x.rule().id);
                    n.put("message", x.message());
                    n.put("fix", x.fix());
                }
            }
        }
        LintReport all = merged(files);
        ObjectNode counts = root.putObject("counts");
        counts.put("problems", problems(files).size());
        for (Severity s : Severity.values()) counts.put(s.label(), all.count(s));
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void position(ObjectNode n, Pos pos) {
        if (pos == null) return;
        n.put("file", pos.file().name());
        n.put("line", pos.line());
        n.put("column", pos.col());
    }
}
