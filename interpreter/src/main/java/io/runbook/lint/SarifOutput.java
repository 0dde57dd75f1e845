package io.runbook.lint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runbook.source.Diagnostic;
import io.runbook.source.Pos;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Findings and check problems as SARIF 2.1.0, the format code-scanning UIs read: one run, the lint rules (and
 * "check" for problems the checker finds) as rule metadata, each result with its file, line and column.
 */
public final class SarifOutput {
    /** The rule id of problems found by `runbook check` before lint (syntax, names, files). */
    public static final String CHECK_RULE = "check";

    private static final Map<Rule, String> SUMMARY = Map.ofEntries(
            Map.entry(
                    Rule.CREATE_INDEX_NOT_CONCURRENTLY,
                    "CREATE INDEX without CONCURRENTLY on an existing table blocks its writes"),
            Map.entry(Rule.CONCURRENTLY_IN_TRANSACTION, "a CONCURRENTLY statement inside a transaction fails"),
            Map.entry(
                    Rule.CONSTRAINT_NOT_VALID,
                    "a foreign key or check added without NOT VALID checks every row under a lock"),
            Map.entry(Rule.ALTER_COLUMN_TYPE, "changing a column's type rewrites the table under an exclusive lock"),
            Map.entry(Rule.SET_NOT_NULL, "SET NOT NULL scans every row under an exclusive lock"),
            Map.entry(Rule.VOLATILE_DEFAULT, "a column added with a volatile default rewrites the table"),
            Map.entry(Rule.DROP_WITHOUT_ROLLBACK, "a table or column is dropped in a phase without a rollback block"),
            Map.entry(Rule.ADD_ENUM_VALUE_IN_TRANSACTION, "ALTER TYPE ... ADD VALUE in a transaction"),
            Map.entry(Rule.RENAME, "a rename breaks the application still running against the old name"),
            Map.entry(
                    Rule.UNGUARDED_BULK_CHANGE,
                    "TRUNCATE, or DELETE/UPDATE without WHERE, without a guard on the rows affected"),
            Map.entry(Rule.PHASE_WITHOUT_VERIFY, "a phase that runs SQL has no verify block"),
            Map.entry(Rule.UNANALYSED, "a statement the linter could not classify"),
            Map.entry(Rule.SUPPRESSION_WITHOUT_REASON, "a runbook:allow comment without a reason"),
            Map.entry(Rule.SUPPRESSION_UNKNOWN_RULE, "a runbook:allow comment naming a rule that does not exist"));

    private SarifOutput() {}

    /** The SARIF log of the findings (suppressed ones carry a suppression) and check problems (errors). */
    public static String of(String version, List<Finding> findings, List<Diagnostic> problems) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode log = json.createObjectNode();
        log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        log.put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "runbook");
        driver.put("version", version);
        ArrayNode rules = driver.putArray("rules");
        rule(
                rules,
                CHECK_RULE,
                "the runbook cannot be parsed, resolved or checked",
                "error",
                "see docs/reference.md, Error messages");
        for (Rule r : Rule.values())
            rule(rules, r.id, SUMMARY.getOrDefault(r, r.id), level(r.severity), "see docs/lint.md, rule " + r.id);
        ArrayNode results = run.putArray("results");
        for (Diagnostic d : problems) {
            String text = d.message() + (d.hint() == null || d.hint().isBlank() ? "" : " (hint: " + d.hint() + ")");
            result(results, CHECK_RULE, 0, "error", text, d.pos());
        }
        for (Finding f : findings) {
            ObjectNode r = result(
                    results,
                    f.rule().id,
                    f.rule().ordinal() + 1,
                    level(f.severity()),
                    f.message() + (f.fix() == null ? "" : " (fix: " + f.fix() + ")"),
                    f.pos());
            if (f.suppressed()) {
                ObjectNode s = r.putArray("suppressions").addObject();
                s.put("kind", "inSource");
                if (f.suppression().reason() != null)
                    s.put("justification", f.suppression().reason());
            }
        }
        try {
            return json.writeValueAsString(log) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void rule(ArrayNode rules, String id, String summary, String level, String help) {
        ObjectNode r = rules.addObject();
        r.put("id", id);
        r.put("name", id);
        r.putObject("shortDescription").put("text", summary);
        r.putObject("help").put("text", help);
        r.putObject("defaultConfiguration").put("level", level);
    }

    private static ObjectNode result(
            ArrayNode results, String ruleId, int ruleIndex, String level, String message, Pos pos) {
        ObjectNode r = results.addObject();
        r.put("ruleId", ruleId);
        r.put("ruleIndex", ruleIndex);
        r.put("level", level);
        r.putObject("message").put("text", message);
        if (pos != null) {
            ObjectNode physical = r.putArray("locations").addObject().putObject("physicalLocation");
            physical.putObject("artifactLocation").put("uri", uri(pos));
            ObjectNode region = physical.putObject("region");
            region.put("startLine", Math.max(1, pos.line()));
            region.put("startColumn", Math.max(1, pos.col()));
        }
        return r;
    }

    /** A path relative to the working directory as a relative URI; others (and stdlib resources) as they are named. */
    private static String uri(Pos pos) {
        Path p = pos.file().path();
        if (p == null) return pos.file().name();
        Path abs = p.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        if (!abs.startsWith(cwd)) return abs.toUri().toString();
        try {
            return new java.net.URI(null, null, cwd.relativize(abs).toString().replace('\\', '/'), null)
                    .toASCIIString();
        } catch (java.net.URISyntaxException e) {
            return abs.toUri().toString();
        }
    }

    private static String level(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }
}
