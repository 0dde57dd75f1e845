package io.runbook.lint;

import java.util.List;

/**
 * What a statement does, as far as the rules care: the analysers turn SQL into these, the rules look only
 * at these. at is the offset in the statement's text that a finding points to.
 */
sealed interface Change {
    int at();

    record CreateTable(int at, Name table, List<Column> columns) implements Change {}

    record Column(String name, TypeName type) {}

    record CreateIndex(int at, Name table, boolean concurrently) implements Change {}

    /** Any other statement or clause with CONCURRENTLY that PostgreSQL refuses inside a transaction block. */
    record Concurrently(int at, String what) implements Change {}

    enum ConstraintKind { FOREIGN_KEY, CHECK, OTHER }

    /** ADD [CONSTRAINT name] ...; notNullColumn is set for CHECK (col IS NOT NULL). */
    record AddConstraint(int at, Name table, String name, ConstraintKind kind, boolean notValid, String notNullColumn)
            implements Change {}

    record ValidateConstraint(int at, Name table, String name) implements Change {}

    /** volatileWhy says why every row gets its own value (a volatile default, serial, identity, ...), or null. */
    record AddColumn(int at, Name table, String column, TypeName type, String volatileWhy) implements Change {}

    record AlterColumnType(int at, Name table, String column, TypeName type) implements Change {}

    record SetNotNull(int at, Name table, String column) implements Change {}

    record DropTable(int at, List<Name> tables) implements Change {}

    record DropColumn(int at, Name table, String column) implements Change {}

    record AddEnumValue(int at, Name type) implements Change {}

    /** A rename of a relation (column == null) or of one of its columns; kind is TABLE, VIEW, ... */
    record Rename(int at, String kind, Name table, String column, String newName) implements Change {}

    /** TRUNCATE, or DELETE/UPDATE without WHERE. */
    record BulkChange(int at, String what, List<Name> tables) implements Change {}

    /** A DO block: bodyStart/bodyEnd delimit its PL/pgSQL body inside the statement text (-1 when not readable). */
    record DoBlock(int at, int bodyStart, int bodyEnd, String language) implements Change {}

    /** Something the analysers could not classify: reported as `unanalysed`. */
    record Unanalysed(int at, String why) implements Change {}
}
