package io.runbook.lint;

import io.runbook.ast.Expr;
import io.runbook.ast.Runbook;
import io.runbook.ast.Step;
import io.runbook.ast.Value;
import java.util.List;
import java.util.Locale;

/**
 * The PostgreSQL major version a runbook declares: a preflight expectation on server_version_num, which the
 * run checks too, e.g. `expect scalar $$ select current_setting('server_version_num')::int $$ >= 140000`.
 * The lowest version it lets through counts; without one, the linter assumes 15.
 */
final class PgVersion {
    private PgVersion() {}

    static final int DEFAULT = 15;

    static int declared(Runbook rb) {
        Integer v = find(rb.preflight());
        return v != null ? v : DEFAULT;
    }

    private static Integer find(List<Step> steps) {
        for (Step s : steps) {
            Integer v = null;
            if (s instanceof Step.Expect e) v = fromExpect(e.condition());
            else if (s instanceof Step.Check c) v = find(c.steps());
            if (v != null) return v;
        }
        return null;
    }

    /** query >= N, query > N, query == N, query between N and M (N as 140000 or as 14). */
    private static Integer fromExpect(Expr e) {
        if (e instanceof Expr.Between b && versionQuery(b.value())) return major(b.low(), 0);
        if (!(e instanceof Expr.Binary b)) return null;
        if (b.op() == Expr.BinaryOp.AND) {
            Integer l = fromExpect(b.left());
            return l != null ? l : fromExpect(b.right());
        }
        if (!versionQuery(b.left())) return null;
        return switch (b.op()) {
            case GE, EQ -> major(b.right(), 0);
            case GT -> major(b.right(), 1);
            default -> null;
        };
    }

    private static boolean versionQuery(Expr e) {
        return e instanceof Expr.Query q
                && q.sql().text().toLowerCase(Locale.ROOT).contains("server_version_num");
    }

    /** The major version of a literal: 140000 -> 14, 140005 -> 14, 14 -> 14; strict: 1 for `>`, which excludes the literal. */
    private static Integer major(Expr e, int strict) {
        if (!(e instanceof Expr.Literal l) || !(l.value() instanceof Value.Num n)) return null;
        long v = n.value().longValue();
        return (int) (v >= 100000 ? (v + strict) / 10000 : v + strict);
    }
}
