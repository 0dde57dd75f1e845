package io.runbook.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.parse.Checker;
import io.runbook.testing.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus (lint/corpus.sql): each case linted as a runbook of its own. A dangerous case must report exactly
 * its expected rules (as warnings or errors), a safe one no warning or error at all.
 */
class LintCorpusTest {
    @TempDir
    Path dir;

    /** One phase of a case: its SQL and whether it runs outside a transaction. */
    record Phase(StringBuilder sql, boolean noTransaction) {}

    record Case(int line, Set<String> expected, boolean noRollback, boolean batch, Integer pg, List<Phase> phases) {
        boolean safe() {
            return expected.isEmpty();
        }
    }

    static List<Case> cases() throws IOException {
        List<String> lines = java.nio.file.Files.readAllLines(
                Files.root().resolve("interpreter/src/test/resources/lint/corpus.sql"));
        List<Case> cases = new ArrayList<>();
        Case c = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("-- case ")) {
                List<String> words =
                        Arrays.asList(l.substring("-- case ".length()).trim().split("\\s+"));
                Set<String> expected = words.get(0).equals("safe")
                        ? Set.of()
                        : new TreeSet<>(Arrays.asList(words.get(0).split(",")));
                Integer pg = words.stream()
                        .filter(w -> w.startsWith("pg="))
                        .map(w -> Integer.valueOf(w.substring(3)))
                        .findFirst()
                        .orElse(null);
                c = new Case(
                        i + 1, expected, words.contains("no-rollback"), words.contains("batch"), pg, new ArrayList<>());
                c.phases().add(new Phase(new StringBuilder(), words.contains("no-transaction")));
                cases.add(c);
            } else if (c != null && l.startsWith("-- phase")) {
                c.phases().add(new Phase(new StringBuilder(), l.contains("no-transaction")));
            } else if (c != null && !l.startsWith("-- ====")) {
                c.phases().get(c.phases().size() - 1).sql().append(l).append('\n');
            }
        }
        return cases;
    }

    /** The case as a runbook: one phase per `-- phase`, each with a verify block and (unless no-rollback) a rollback block. */
    LintReport lint(Case c, int n) {
        StringBuilder rb = new StringBuilder("runbook \"corpus case at line " + c.line() + "\" {\n");
        for (int p = 0; p < c.phases().size(); p++) {
            Phase ph = c.phases().get(p);
            String file = "case" + n + "_" + p + ".sql";
            boolean noTx = ph.noTransaction() || c.batch();
            rb.append("  phase \"p")
                    .append(p)
                    .append("\"")
                    .append(noTx ? " no transaction" : "")
                    .append(" {\n");
            if (c.batch()) {
                rb.append("    batch $$")
                        .append(ph.sql().toString().replaceAll("(?m)^--.*$", "").trim())
                        .append("$$ until affected == 0\n");
            } else {
                Files.write(dir, file, ph.sql().toString());
                rb.append("    sql file \"").append(file).append("\"\n");
            }
            rb.append("    verify { expect 1 == 1 }\n");
            if (!c.noRollback()) rb.append("    rollback { sql $$ select 1 $$ }\n");
            rb.append("  }\n");
        }
        rb.append("}\n");
        return Linter.lint(Checker.load(Files.write(dir, "case" + n + ".runbook", rb.toString())), c.pg());
    }

    @Test
    void catchesTheDangerousAndNothingSafe() throws IOException {
        List<Case> cases = cases();
        int dangerous = 0, caught = 0, safe = 0, falsePositives = 0, statements = 0;
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < cases.size(); n++) {
            Case c = cases.get(n);
            LintReport r = lint(c, n);
            statements += r.stats().statements();
            Set<String> reported = new TreeSet<>();
            for (Finding f : r.active()) if (f.severity() != Severity.INFO) reported.add(f.rule().id);
            if (c.safe()) {
                safe++;
                if (!reported.isEmpty()) {
                    falsePositives++;
                    failures.add(
                            "line " + c.line() + ": safe, but reported " + reported + "\n" + LintOutput.text(r, false));
                }
            } else {
                dangerous++;
                if (reported.equals(c.expected())) caught++;
                else
                    failures.add("line " + c.line() + ": expected " + c.expected() + ", reported " + reported + "\n"
                            + LintOutput.text(r, false));
            }
        }
        System.out.printf(
                "lint corpus: %d cases (%d statements): %d dangerous, %d caught; %d safe, %d false positives%n",
                cases.size(), statements, dangerous, caught, safe, falsePositives);
        assertThat(statements).isGreaterThanOrEqualTo(40);
        assertThat(failures).isEmpty();
        assertThat(caught).isEqualTo(dangerous);
        assertThat(falsePositives).isZero();
    }
}
