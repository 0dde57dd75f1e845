package io.runbook.ast;

import io.runbook.source.Pos;
import java.util.List;

/** A parsed `runbook "name" { ... }` block. Imports and defs inside it are hoisted into its Module. */
public record Runbook(
        Pos pos,
        String name,
        String description,
        List<Param> params,
        List<Setting> settings,
        List<Step> preflight,
        List<Phase> phases,
        Fixture fixture) {

    /** `fixture "schema.sql"`: the "before" schema `runbook rehearse` loads into a scratch database. */
    public record Fixture(Pos pos, String path) {}

    public record Param(Pos pos, String name, Type type, boolean secret, Expr defaultValue) {}

    public record Setting(Pos pos, String name, Expr value) {}

    public enum Type {
        INT("int"),
        TEXT("text"),
        BOOL("bool"),
        DURATION("duration");

        public final String keyword;

        Type(String keyword) {
            this.keyword = keyword;
        }

        public static Type of(String keyword) {
            for (Type t : values()) if (t.keyword.equals(keyword)) return t;
            return null;
        }
    }

    public Phase phase(String name) {
        return phases.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }
}
