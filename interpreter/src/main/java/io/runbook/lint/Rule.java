package io.runbook.lint;

import java.util.Arrays;

/** The lint rules, by the name findings, suppressions and docs/lint.md use. */
public enum Rule {
    CREATE_INDEX_NOT_CONCURRENTLY("create-index-not-concurrently", Severity.WARNING),
    CONCURRENTLY_IN_TRANSACTION("concurrently-in-transaction", Severity.ERROR),
    CONSTRAINT_NOT_VALID("constraint-not-valid", Severity.WARNING),
    ALTER_COLUMN_TYPE("alter-column-type", Severity.WARNING),
    SET_NOT_NULL("set-not-null", Severity.WARNING),
    VOLATILE_DEFAULT("volatile-default", Severity.WARNING),
    DROP_WITHOUT_ROLLBACK("drop-without-rollback", Severity.WARNING),
    ADD_ENUM_VALUE_IN_TRANSACTION("add-enum-value-in-transaction", Severity.WARNING),
    RENAME("rename", Severity.WARNING),
    UNGUARDED_BULK_CHANGE("unguarded-bulk-change", Severity.WARNING),
    CONSTRAINT_BUILDS_INDEX("constraint-builds-index", Severity.WARNING),
    DROP_INDEX_NOT_CONCURRENTLY("drop-index-not-concurrently", Severity.WARNING),
    REINDEX_NOT_CONCURRENTLY("reindex-not-concurrently", Severity.WARNING),
    TABLE_REWRITE("table-rewrite", Severity.WARNING),
    REFRESH_NOT_CONCURRENTLY("refresh-not-concurrently", Severity.WARNING),
    LOCK_TABLE("lock-table", Severity.WARNING),
    NOT_NULL_WITHOUT_DEFAULT("not-null-column-without-default", Severity.WARNING),
    DROP_NOT_NULL("drop-not-null", Severity.WARNING),
    DOMAIN_CONSTRAINT("domain-constraint", Severity.WARNING),
    DETACH_PARTITION_NOT_CONCURRENTLY("detach-partition-not-concurrently", Severity.WARNING),
    TRUNCATE_CASCADE("truncate-cascade", Severity.WARNING),
    PHASE_WITHOUT_VERIFY("phase-without-verify", Severity.WARNING),
    UNANALYSED("unanalysed", Severity.INFO),
    SUPPRESSION_WITHOUT_REASON("suppression-without-reason", Severity.WARNING),
    SUPPRESSION_UNKNOWN_RULE("suppression-unknown-rule", Severity.WARNING);

    public final String id;
    /** The usual severity; a finding may differ (alter-column-type when the old type is unknown, ADD VALUE before PostgreSQL 12). */
    public final Severity severity;

    Rule(String id, Severity severity) {
        this.id = id;
        this.severity = severity;
    }

    /** Whether `-- runbook:allow` can silence it: a statement PostgreSQL always refuses cannot be allowed. */
    public boolean suppressible() {
        return this != CONCURRENTLY_IN_TRANSACTION;
    }

    public static Rule byId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst().orElse(null);
    }

    @Override
    public String toString() {
        return id;
    }
}
