package io.runbook.ast;

import io.runbook.source.Pos;
import io.runbook.source.SqlText;
import java.util.List;

/** Expressions. Every node knows where it was written. */
public sealed interface Expr {
    Pos pos();

    record Literal(Pos pos, Value value) implements Expr {}

    record Variable(Pos pos, String name) implements Expr {}

    record Negate(Pos pos, Expr operand) implements Expr {}

    record Not(Pos pos, Expr operand) implements Expr {}

    record Binary(Pos pos, BinaryOp op, Expr left, Expr right) implements Expr {}

    record Between(Pos pos, Expr value, Expr low, Expr high) implements Expr {}

    record Call(Pos pos, String name, List<Expr> args) implements Expr {}

    /** `scalar $$...$$` (exactly one row and column) or `count $$...$$` (number of rows). */
    record Query(Pos pos, QueryKind kind, SqlText sql) implements Expr {}

    /** A string with `${expr}` parts: literal text pieces and expressions, concatenated. */
    record Interpolated(Pos pos, List<Expr> parts) implements Expr {}

    enum QueryKind { SCALAR, COUNT }

    enum BinaryOp {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"),
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="),
        AND("and"), OR("or");

        public final String symbol;

        BinaryOp(String symbol) { this.symbol = symbol; }

        public boolean isComparison() { return ordinal() >= EQ.ordinal() && ordinal() <= GE.ordinal(); }
    }
}
