package io.runbook.lint;

import io.runbook.sql.SqlTokens.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The SQL statements inside a PL/pgSQL DO block, found in the body's token stream: the body is cut at
 * top-level semicolons and the control structure in front of each piece (BEGIN, DECLARE, IF ... THEN,
 * ELSE, LOOP, EXCEPTION WHEN ... THEN, labels) is stepped over. What remains is a SQL statement, a
 * PL/pgSQL statement the rules do not care about (RAISE, PERFORM, assignments, END IF, ...) or dynamic SQL
 * (EXECUTE), which cannot be analysed.
 */
final class DoBody {
    private DoBody() {}

    /** A statement inside the body: offset and text relative to the DO statement's text. */
    record Inner(int offset, String text) {}

    record Result(List<Inner> statements, List<Change> unanalysed) {}

    private static final Set<String> PLPGSQL = Set.of(
            "END",
            "RAISE",
            "PERFORM",
            "RETURN",
            "NULL",
            "EXIT",
            "CONTINUE",
            "GET",
            "ASSERT",
            "COMMIT",
            "ROLLBACK",
            "OPEN",
            "FETCH",
            "CLOSE",
            "MOVE",
            "CALL");

    static Result read(String statement, Change.DoBlock block) {
        List<Inner> inner = new ArrayList<>();
        List<Change> unanalysed = new ArrayList<>();
        if (block.bodyStart() < 0) {
            unanalysed.add(new Change.Unanalysed(block.at(), "the DO block's body is not dollar-quoted"));
            return new Result(inner, unanalysed);
        }
        if (!block.language().equals("plpgsql")) {
            unanalysed.add(new Change.Unanalysed(
                    block.at(), "a DO block in language " + block.language() + " is not analysed"));
            return new Result(inner, unanalysed);
        }
        String body = statement.substring(block.bodyStart(), block.bodyEnd());
        Toks t = Toks.of(body);
        boolean declaring = false;
        int a = 0;
        while (a < t.size()) {
            int b = a;
            while (b < t.size() && !(t.is(b, Kind.SEMI) && t.depth(b) == 0)) b++;
            int i = a;
            while (i < b) {
                if (t.op(i, "<") && t.op(i + 1, "<") && t.op(i + 3, ">") && t.op(i + 4, ">")) {
                    i += 5;
                    continue;
                }
                if (t.word(i, "DECLARE")) {
                    declaring = true;
                    i = b;
                    break;
                }
                if (declaring) {
                    if (t.word(i, "BEGIN")) {
                        declaring = false;
                        i++;
                        continue;
                    }
                    i = b;
                    break;
                }
                if (t.word(i, "BEGIN") || t.word(i, "ELSE") || t.word(i, "LOOP") || t.word(i, "EXCEPTION")) {
                    i++;
                    continue;
                }
                if (t.word(i, "IF")
                        || t.word(i, "ELSIF")
                        || t.word(i, "ELSEIF")
                        || t.word(i, "WHEN")
                        || t.word(i, "CASE")) {
                    int then = t.find(i + 1, b, 0, "THEN");
                    if (then < 0) {
                        i = b;
                        break;
                    }
                    i = then + 1;
                    continue;
                }
                if (t.word(i, "WHILE") || t.word(i, "FOR") || t.word(i, "FOREACH")) {
                    int loop = t.find(i + 1, b, 0, "LOOP");
                    if (loop < 0) {
                        i = b;
                        break;
                    }
                    i = loop + 1;
                    continue;
                }
                break;
            }
            if (i < b) {
                String kw = t.kind(i) == Kind.WORD ? t.raw(i).toUpperCase(Locale.ROOT) : "";
                boolean assignment = t.isIdent(i) && (t.op(i + 1, ":=") || t.op(i + 1, "="));
                if (kw.equals("EXECUTE")) {
                    unanalysed.add(new Change.Unanalysed(
                            block.bodyStart() + t.start(i), "dynamic SQL (EXECUTE) in a DO block is not analysed"));
                } else if (!PLPGSQL.contains(kw) && !assignment) {
                    inner.add(new Inner(block.bodyStart() + t.start(i), t.raw(i, b - 1)));
                }
            }
            a = b + 1;
        }
        return new Result(inner, unanalysed);
    }
}
