package io.runbook.lint;

import io.runbook.parse.Checker;
import io.runbook.testing.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a runbook (and SQL files) into a directory, checks it and lints it. */
final class Lint {
    private Lint() {}

    static LintReport run(Path dir, String runbook, String... files) {
        for (int i = 0; i + 1 < files.length; i += 2) Files.write(dir, files[i], files[i + 1]);
        return Linter.lint(Checker.load(Files.write(dir, "main.runbook", runbook)));
    }

    /** A runbook with one transactional phase that has a verify and a rollback block, so only the SQL's own rules fire. */
    static String phase(String sql) {
        return """
                runbook "r" {
                  phase "p" {
                    sql $$%s$$
                    verify { expect 1 == 1 }
                    rollback { sql $$ select 1 $$ }
                  }
                }
                """.formatted(sql);
    }

    /** The same with a `no transaction` phase. */
    static String noTransaction(String sql) {
        return """
                runbook "r" {
                  phase "p" no transaction {
                    sql $$%s$$
                    verify { expect 1 == 1 }
                    rollback { sql $$ select 1 $$ }
                  }
                }
                """.formatted(sql);
    }

    static List<String> rules(LintReport report) {
        return report.ruleNames();
    }

    /** "rule line:col" of each active finding. */
    static List<String> where(LintReport report) {
        return report.active().stream()
                .map(f -> f.rule().id + " " + f.pos().line() + ":" + f.pos().col())
                .toList();
    }
}
