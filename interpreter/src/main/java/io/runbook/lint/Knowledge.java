package io.runbook.lint;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** What the runbook's own SQL made so far, keyed by schema-qualified names (Name.qualified()). */
final class Knowledge {
    /** Relations created by the runbook's own SQL so far (tables, materialized views), with their column types. */
    Map<String, Map<String, TypeName>> created = new HashMap<>();
    /** Column types seen for any table (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE). */
    Map<String, Map<String, TypeName>> columns = new HashMap<>();
    /** Columns with a validated CHECK (col IS NOT NULL), per table. */
    Map<String, Set<String>> notNullChecked = new HashMap<>();
    /** "table.constraint" of CHECK (col IS NOT NULL) constraints, to their column. */
    Map<String, String> checkColumn = new HashMap<>();
    /** "table.constraint" added NOT VALID, to the transaction that added it. */
    Map<String, Object> addedNotValidIn = new HashMap<>();
    /** Indexes the runbook created, to the table they are on. */
    Map<String, String> indexes = new HashMap<>();
    /** Domains the runbook created. */
    Set<String> domains = new HashSet<>();
    /** Enum values added in a transaction (PostgreSQL 12+), to that transaction: not usable before it commits. */
    Map<String, Object> enumValuesIn = new HashMap<>();

    Knowledge copy() {
        Knowledge k = new Knowledge();
        created.forEach((t, c) -> k.created.put(t, new HashMap<>(c)));
        columns.forEach((t, c) -> k.columns.put(t, new HashMap<>(c)));
        notNullChecked.forEach((t, c) -> k.notNullChecked.put(t, new HashSet<>(c)));
        k.checkColumn.putAll(checkColumn);
        k.addedNotValidIn.putAll(addedNotValidIn);
        k.indexes.putAll(indexes);
        k.domains.addAll(domains);
        k.enumValuesIn.putAll(enumValuesIn);
        return k;
    }

    boolean existing(Name table) {
        return !created.containsKey(table.qualified());
    }
}
