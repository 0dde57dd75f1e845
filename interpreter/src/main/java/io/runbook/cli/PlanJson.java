package io.runbook.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runbook.ast.Expr;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.eval.Describe;
import io.runbook.parse.Program;
import io.runbook.sql.SqlStatement;
import java.util.List;

/** `runbook plan --format json`: what a run would do, in order, as data (secret defaults are never shown). */
final class PlanJson {
    private final Program program;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanJson(Program program) {
        this.program = program;
    }

    static String of(Program program) {
        return new PlanJson(program).render();
    }

    private String render() {
        Runbook rb = program.runbook();
        ObjectNode root = mapper.createObjectNode();
        root.put("runbook", rb.name());
        root.put("description", rb.description());
        ArrayNode params = root.putArray("params");
        for (Runbook.Param p : rb.params()) {
            ObjectNode n = params.addObject();
            n.put("name", p.name());
            n.put("type", p.type().keyword);
            n.put("secret", p.secret());
            n.put(
                    "default",
                    p.defaultValue() == null ? null : p.secret() ? "(secret)" : Describe.expr(p.defaultValue()));
        }
        ArrayNode settings = root.putArray("settings");
        for (Runbook.Setting s : rb.settings())
            settings.addObject().put("name", s.name()).put("value", Describe.expr(s.value()));
        steps(root.putArray("preflight"), rb.preflight());
        ArrayNode phases = root.putArray("phases");
        int i = 0;
        for (Phase p : rb.phases()) {
            ObjectNode n = phases.addObject();
            n.put("index", ++i);
            n.put("name", p.name());
            n.put("transactional", p.transactional());
            n.put("retry", p.retry() == null ? "default" : p.retry().enabled() ? "retry" : "no retry");
            if (p.retry() != null && p.retry().enabled()) {
                ObjectNode options = n.putObject("retryOptions");
                p.retry().options().forEach((k, v) -> options.put(k, Describe.expr(v)));
            }
            steps(n.putArray("steps"), p.steps());
            steps(n.putArray("verify"), p.verify());
            steps(n.putArray("rollback"), p.rollback());
        }
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void steps(ArrayNode out, List<Step> steps) {
        for (Step s : steps) {
            ObjectNode n = out.addObject();
            n.put("line", s.pos().line());
            if (s instanceof Step.Sql sql) {
                n.put("kind", "sql");
                if (sql.source() instanceof Step.Inline in) {
                    n.put("sql", in.sql().text().strip());
                } else {
                    Step.FileRef ref = (Step.FileRef) sql.source();
                    Program.SqlScript script = program.script(ref);
                    n.put("file", ref.path());
                    n.put("unwrapped", script.unwrapped());
                    ArrayNode st = n.putArray("statements");
                    for (SqlStatement x : script.statements()) st.add(x.text());
                }
                exprs(n.putArray("guards"), sql.guards());
            } else if (s instanceof Step.Check c) {
                n.put("kind", "check");
                n.put("label", Describe.expr(c.label()));
                steps(n.putArray("steps"), c.steps());
            } else if (s instanceof Step.Expect e) {
                n.put("kind", "expect").put("condition", Describe.expr(e.condition()));
            } else if (s instanceof Step.Let l) {
                n.put("kind", "let").put("name", l.name()).put("value", Describe.expr(l.value()));
            } else if (s instanceof Step.Confirm c) {
                n.put("kind", "confirm")
                        .put("prompt", Describe.expr(c.prompt()))
                        .put("typing", c.typing());
            } else if (s instanceof Step.Echo e) {
                n.put("kind", "echo").put("message", Describe.expr(e.message()));
            } else if (s instanceof Step.Batch b) {
                n.put("kind", "batch").put("sql", b.sql().text().strip());
                if (b.keyset()) {
                    n.put("over", b.over().relation()).put("by", b.over().key());
                    n.put(
                            "size",
                            b.over().size() == null
                                    ? "auto"
                                    : Describe.expr(b.over().size()));
                    n.put(
                            "parallel",
                            b.over().parallel() == null
                                    ? "1"
                                    : Describe.expr(b.over().parallel()));
                } else n.put("until", Describe.expr(b.until()));
                if (b.pause() != null) n.put("pause", Describe.expr(b.pause()));
                if (b.maxBatches() != null) n.put("maxBatches", Describe.expr(b.maxBatches()));
            } else if (s instanceof Step.Monitor m) {
                n.put("kind", "monitor")
                        .put("label", Describe.expr(m.label()))
                        .put("every", Describe.expr(m.every()))
                        .put("for", Describe.expr(m.duration()));
                if (m.tolerate() != null) n.put("tolerate", Describe.expr(m.tolerate()));
                steps(n.putArray("steps"), m.steps());
            } else if (s instanceof Step.Shell sh) {
                n.put("kind", "sh").put("command", sh.command().text().strip());
                if (sh.exitGuard() != null) n.put("expectExit", Describe.expr(sh.exitGuard()));
                if (sh.timeout() != null) n.put("timeout", Describe.expr(sh.timeout()));
            } else if (s instanceof Step.Snapshot snap) {
                n.put("kind", "snapshot").put("name", snap.name());
            } else if (s instanceof Step.ExpectSchema e) {
                n.put("kind", "expect schema").put("snapshot", e.name());
            }
        }
    }

    private static void exprs(ArrayNode out, List<Expr> exprs) {
        for (Expr e : exprs) out.add(Describe.expr(e));
    }
}
