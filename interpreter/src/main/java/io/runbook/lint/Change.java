package io.runbook.lint;

import java.util.List;

/**
 * What a statement does, as far as the rules care: the analysers turn SQL into these, the rules look only
 * at these. at is the offset in the statement's text that a finding points to.
 */
sealed interface Change {
    int at();

    /** CREATE TABLE, also CREATE MATERIALIZED VIEW (a relation the runbook made, with data it filled). */
    record CreateTable(int at, Name table, List<Column> columns) implements Change {}

    record Column(String name, TypeName type) {}

    /** CREATE DOMAIN: its constraints cost nothing later while no table uses it. */
    record CreateDomain(int at, Name domain) implements Change {}

    /** index is the index's name (null when not given). */
    record CreateIndex(int at, Name table, boolean concurrently, String index) implements Change {}

    /** Any other statement or clause with CONCURRENTLY that PostgreSQL refuses inside a transaction block. */
    record Concurrently(int at, String what) implements Change {}

    enum ConstraintKind {
        FOREIGN_KEY,
        CHECK,
        PRIMARY_KEY,
        UNIQUE,
        EXCLUDE
    }

    /** ADD [CONSTRAINT name] ...; notNullColumn is set for CHECK (col IS NOT NULL); usingIndex for ... USING INDEX i. */
    record AddConstraint(
            int at,
            Name table,
            String name,
            ConstraintKind kind,
            boolean notValid,
            String notNullColumn,
            boolean usingIndex)
            implements Change {}

    record ValidateConstraint(int at, Name table, String name) implements Change {}

    /**
     * ADD COLUMN. volatileWhy says why every row gets its own value (a volatile default, serial, identity, ...),
     * or null; hasDefault: a DEFAULT other than NULL; notNull: declared NOT NULL (or PRIMARY KEY); unique: a
     * PRIMARY KEY or UNIQUE column constraint, which builds an index.
     */
    record AddColumn(
            int at,
            Name table,
            String column,
            TypeName type,
            String volatileWhy,
            boolean hasDefault,
            boolean notNull,
            boolean unique)
            implements Change {}

    record AlterColumnType(int at, Name table, String column, TypeName type) implements Change {}

    record SetNotNull(int at, Name table, String column) implements Change {}

    record DropNotNull(int at, Name table, String column) implements Change {}

    record DropTable(int at, List<Name> tables) implements Change {}

    record DropColumn(int at, Name table, String column) implements Change {}

    /** DROP INDEX without CONCURRENTLY. */
    record DropIndex(int at, List<Name> indexes) implements Change {}

    /** REINDEX without CONCURRENTLY; what is INDEX, TABLE, SCHEMA, DATABASE or SYSTEM. */
    record Reindex(int at, String what, Name target) implements Change {}

    /** VACUUM FULL or CLUSTER: the table rewritten in place (tables empty: every table it may touch). */
    record Rewrite(int at, String what, List<Name> tables) implements Change {}

    /** REFRESH MATERIALIZED VIEW without CONCURRENTLY. */
    record Refresh(int at, Name view) implements Change {}

    /** LOCK [TABLE] ... in a mode that blocks writes (mode as written, ACCESS EXCLUSIVE by default). */
    record LockTable(int at, List<Name> tables, String mode) implements Change {}

    /** ALTER DOMAIN: ADD CONSTRAINT without NOT VALID, SET NOT NULL or VALIDATE CONSTRAINT (what says which). */
    record DomainConstraint(int at, Name domain, String what) implements Change {}

    /** ALTER TABLE ... DETACH PARTITION without CONCURRENTLY (FINALIZE is not one). */
    record DetachPartition(int at, Name table, Name partition) implements Change {}

    record AddEnumValue(int at, Name type, String value) implements Change {}

    /** A rename of a relation (column == null) or of one of its columns; kind is TABLE, VIEW, ... */
    record Rename(int at, String kind, Name table, String column, String newName) implements Change {}

    /** TRUNCATE, or DELETE/UPDATE without WHERE. */
    record BulkChange(int at, String what, List<Name> tables) implements Change {}

    /** TRUNCATE ... CASCADE: also empties every table with a foreign key to these. */
    record TruncateCascade(int at, List<Name> tables) implements Change {}

    /** A DO block: bodyStart/bodyEnd delimit its PL/pgSQL body inside the statement text (-1 when not readable). */
    record DoBlock(int at, int bodyStart, int bodyEnd, String language) implements Change {}

    /** Something the analysers could not classify: reported as `unanalysed`. */
    record Unanalysed(int at, String why) implements Change {}
}
