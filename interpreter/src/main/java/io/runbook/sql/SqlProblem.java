package io.runbook.sql;

/** Something in a SQL source that runbook cannot run; offset is into the whole source. */
public record SqlProblem(int offset, String message, String hint) {}
