package io.runbook.sql;

/** A statement refers to a psql variable that has no value. */
public final class UndefinedVariableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient VarRef ref;

    public UndefinedVariableException(VarRef ref) {
        super("variable " + ref.written() + " is not defined");
        this.ref = ref;
    }

    public VarRef ref() {
        return ref;
    }
}
