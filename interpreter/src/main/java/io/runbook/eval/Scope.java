package io.runbook.eval;

import io.runbook.ast.Value;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names and their values: params and lets of a run, or the arguments of a function call. */
public final class Scope {
    private final Scope parent;
    private final Map<String, Value> values = new LinkedHashMap<>();

    public Scope(Scope parent) {
        this.parent = parent;
    }

    public Value get(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Value v = s.values.get(name);
            if (v != null) return v;
        }
        return null;
    }

    public void set(String name, Value value) {
        values.put(name, value);
    }

    /** The names defined in this scope only (not its parents), in definition order. */
    public Map<String, Value> local() {
        return java.util.Collections.unmodifiableMap(values);
    }
}
