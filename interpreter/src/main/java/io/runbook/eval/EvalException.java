package io.runbook.eval;

import io.runbook.source.Pos;

/** An expression that cannot be evaluated (a type mismatch, a name with no value): the runbook's fault. */
public final class EvalException extends RuntimeException {
    private final Pos pos;
    private final String hint;

    public EvalException(Pos pos, String message, String hint) {
        super(message);
        this.pos = pos;
        this.hint = hint;
    }

    public Pos pos() {
        return pos;
    }

    public String hint() {
        return hint;
    }
}
