package io.runbook.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.parse.Checker;
import io.runbook.testing.Files;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden: lint over the shipped examples. The rule names are asserted here; the whole text output is compared
 * with src/test/resources/lint/NAME.expected (paths relative to the repository root). After an intended change
 * of a message, regenerate with -Dgolden.update=true and review the diff.
 */
class ExamplesLintTest {

    static LintReport lint(String runbook) {
        return Linter.lint(Checker.load(Files.root().resolve("examples").resolve(runbook)));
    }

    @Test
    void examgenie() throws IOException {
        LintReport r = lint("examgenie/align.runbook");
        // CREATE INDEX only on the table the migration creates; the drops have a rollback block; the constant
        // DEFAULTs need no rewrite; the smoke-test phase runs no SQL, so it needs no verify.
        assertThat(r.ruleNames()).isEmpty();
        assertThat(r.suppressed()).isEmpty();
        golden("examgenie", r);
    }

    @Test
    void week1() throws IOException {
        LintReport r = lint("week1-cleanup/week1.runbook");
        assertThat(r.ruleNames())
                .containsExactly(
                        // 011_fix_migration_conflicts.sql
                        "create-index-not-concurrently", // idx_agent_recommendations_workspace_id
                        "set-not-null", // agent_trust_scores.workspace_id
                        "create-index-not-concurrently", // idx_agent_trust_scores_workspace_id
                        "rename", // competitors.url -> website, inside a DO block
                        "set-not-null", // competitors.workspace_id
                        "constraint-builds-index", // competitors UNIQUE (workspace_id, name), inside a DO block
                        "constraint-not-valid", // the six foreign keys, inside a DO block
                        "constraint-not-valid",
                        "constraint-not-valid",
                        "constraint-not-valid",
                        "constraint-not-valid",
                        "constraint-not-valid",
                        // 011_rollback.sql
                        "rename"); // competitors.website -> url
        assertThat(r.suppressed()).isEmpty();
        golden("week1", r);
    }

    private static void golden(String name, LintReport r) throws IOException {
        String root = Files.root().toString() + java.io.File.separator;
        String actual = LintOutput.text(r, true).replace(root, "");
        io.runbook.testing.Golden.check("lint/" + name + ".expected", actual);
    }

    @Test
    void everyRuleIsDocumented() throws IOException {
        String doc = java.nio.file.Files.readString(Files.root().resolve("docs/lint.md"));
        for (Rule rule : Rule.values()) assertThat(doc).as(rule.id).contains("### " + rule.id);
        assertThat(List.of(Rule.values())).extracting(r -> Rule.byId(r.id)).containsExactly(Rule.values());
    }
}
