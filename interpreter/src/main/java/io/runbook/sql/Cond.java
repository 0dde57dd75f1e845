package io.runbook.sql;

import io.runbook.source.Pos;

/** An \if block: whether its enclosing lines run, whether a branch was taken, whether this one runs. */
final class Cond {
    final Pos pos;
    boolean outerActive;
    boolean taken;
    boolean active;
    boolean sawElse;

    Cond(Pos pos) {
        this.pos = pos;
    }
}
