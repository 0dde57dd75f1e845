package io.runbook.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the schemas of a database contain, read from the system catalogs: an immutable value that can be compared
 * with another ({@link SchemaDiff}) and stored as JSON ({@link #toJson()}, {@link #fromJson(String)}).
 *
 * <p>Names are as stored (case-sensitive, unquoted). Types, defaults and definitions are PostgreSQL's own text
 * ({@code format_type}, {@code pg_get_expr}, {@code pg_get_constraintdef}, ...) printed with an empty
 * {@code search_path}, so every name outside {@code pg_catalog} is schema-qualified. Grants are the access
 * privileges as {@code aclitem} text ({@code alice=arwdDxt/postgres}), sorted; where none were granted or revoked,
 * the owner's defaults ({@code acldefault}). Objects that belong to an extension (its functions, types, tables) are
 * left out: the extension stands for them. All lists are sorted by name.
 *
 * @param format     the version of this model ({@value #FORMAT}); a later journal stores it with the snapshot
 * @param schemas    the captured schemas
 * @param extensions all extensions of the database, whatever schema they live in
 */
public record SchemaSnapshot(
        int format,
        List<Schema> schemas,
        List<Extension> extensions,
        List<EnumType> enums,
        List<Sequence> sequences,
        List<Table> tables,
        List<Index> indexes,
        List<Trigger> triggers,
        List<View> views,
        List<Function> functions) {

    public static final int FORMAT = 1;

    /** Left out unless asked for by name: the system schemas and the journal schema {@code runbook}. */
    public static final Set<String> EXCLUDED_BY_DEFAULT =
            Set.of("pg_catalog", "information_schema", "pg_toast", "runbook");

    public SchemaSnapshot {
        schemas = copy(schemas);
        extensions = copy(extensions);
        enums = copy(enums);
        sequences = copy(sequences);
        tables = copy(tables);
        indexes = copy(indexes);
        triggers = copy(triggers);
        views = copy(views);
        functions = copy(functions);
    }

    /**
     * Reads the given schemas; an empty list means every schema except {@link #EXCLUDED_BY_DEFAULT} and the
     * temporary ones ({@code pg_temp_N}, {@code pg_toast_temp_N}). A named schema that does not exist is not in
     * the snapshot. The connection's transaction state and {@code search_path} are left as they were.
     */
    public static SchemaSnapshot capture(Connection connection, List<String> schemas) throws SQLException {
        return SchemaCapture.capture(connection, schemas, EXCLUDED_BY_DEFAULT);
    }

    /**
     * As {@link #capture(Connection, List)}; when {@code schemas} is empty, {@code alsoExcluded} are left out too
     * (e.g. a journal kept in another schema than {@code runbook}).
     */
    public static SchemaSnapshot capture(Connection connection, List<String> schemas, Set<String> alsoExcluded)
            throws SQLException {
        Set<String> excluded = new HashSet<>(EXCLUDED_BY_DEFAULT);
        excluded.addAll(alsoExcluded);
        return SchemaCapture.capture(connection, schemas, excluded);
    }

    /** A schema (namespace). */
    public record Schema(String name, String owner, List<String> grants) {
        public Schema {
            grants = copy(grants);
        }
    }

    /** An extension created in the database ({@code pg_extension}). */
    public record Extension(String name, String version, String schema) {}

    /** An enum type and its labels in sort order. */
    public record EnumType(String schema, String name, List<String> values, String owner) {
        public EnumType {
            values = copy(values);
        }
    }

    /**
     * A sequence. {@code ownedBy} is the column it belongs to ({@code serial}, {@code OWNED BY}) as
     * {@code schema.table.column}, or null. Sequences of identity columns are part of the column, not listed here.
     */
    public record Sequence(
            String schema,
            String name,
            String type,
            long start,
            long increment,
            long min,
            long max,
            long cache,
            boolean cycle,
            String ownedBy,
            String owner,
            List<String> grants) {
        public Sequence {
            grants = copy(grants);
        }
    }

    /**
     * A table: {@code kind} is {@code table}, {@code partitioned table} or {@code foreign table}; {@code partitionOf}
     * the parent of a partition (qualified) with its {@code partitionBound}; {@code partitionKey} the key of a
     * partitioned table. Columns are in their order in the table.
     */
    public record Table(
            String schema,
            String name,
            String kind,
            boolean unlogged,
            String partitionOf,
            String partitionBound,
            String partitionKey,
            boolean rowSecurity,
            boolean forceRowSecurity,
            String owner,
            List<String> grants,
            List<Column> columns,
            List<Constraint> constraints,
            List<Policy> policies) {
        public Table {
            grants = copy(grants);
            columns = copy(columns);
            constraints = copy(constraints);
            policies = copy(policies);
        }
    }

    /**
     * A column: {@code type} as {@code format_type} prints it; {@code defaultValue} the default expression (null
     * when none); {@code identity} {@code always} or {@code by default} (null when not an identity column);
     * {@code generated} the expression of a generated column; {@code collation} only when it is not the type's own.
     */
    public record Column(
            String name,
            String type,
            boolean nullable,
            String defaultValue,
            String identity,
            String generated,
            String collation) {}

    /**
     * A constraint declared on a table: {@code type} is {@code primary key}, {@code unique}, {@code foreign key},
     * {@code check}, {@code exclusion} or {@code trigger}; {@code definition} is {@code pg_get_constraintdef}
     * without the {@code NOT VALID} suffix, which {@code validated} says instead. Copies PostgreSQL makes on
     * partitions and inherited CHECK constraints are left out.
     */
    public record Constraint(String name, String type, String definition, boolean validated) {}

    /** A row-level security policy: {@code command} is {@code all}, {@code select}, {@code insert}, ... */
    public record Policy(
            String name, String command, boolean permissive, List<String> roles, String using, String withCheck) {
        public Policy {
            roles = copy(roles);
        }
    }

    /**
     * An index on a table or materialized view: {@code definition} is {@code pg_get_indexdef}; {@code valid} is
     * false after an interrupted {@code CREATE INDEX CONCURRENTLY}. Partitions of partitioned indexes are left out.
     */
    public record Index(String schema, String name, String table, String definition, boolean valid) {}

    /**
     * A trigger on a table or view ({@code pg_get_triggerdef}); {@code enabled} is {@code origin}, {@code always},
     * {@code replica} or {@code disabled}. Internal triggers (foreign keys) and the copies on partitions are left out.
     */
    public record Trigger(String schema, String table, String name, String definition, String enabled) {}

    /** A view or materialized view and its query ({@code pg_get_viewdef}). */
    public record View(
            String schema, String name, boolean materialized, String definition, String owner, List<String> grants) {
        public View {
            grants = copy(grants);
        }
    }

    /**
     * A function, procedure, aggregate or window function ({@code kind}). It is identified by schema, name and
     * {@code argumentTypes} (the input types, as in {@code DROP FUNCTION}); {@code arguments} is the full list with
     * names, modes and defaults. {@code bodyMd5} is the md5 of its source ({@code prosrc}, or the SQL-standard
     * body). {@code config} holds its {@code SET} clauses.
     */
    public record Function(
            String schema,
            String name,
            String argumentTypes,
            String kind,
            String arguments,
            String result,
            String language,
            String volatility,
            boolean strict,
            boolean securityDefiner,
            List<String> config,
            String bodyMd5,
            String owner,
            List<String> grants) {
        public Function {
            config = copy(config);
            grants = copy(grants);
        }
    }

    // ------------------------------------------------------------------ JSON

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The snapshot as JSON (indented); {@link #fromJson(String)} reads it back to an equal snapshot. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write schema snapshot as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads a snapshot written by {@link #toJson()}; unknown properties (from a later format) are ignored. */
    public static SchemaSnapshot fromJson(String json) {
        try {
            return JSON.readValue(json, SchemaSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a schema snapshot: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
