package io.runbook.parse;

import io.runbook.ast.Expr;
import io.runbook.ast.Module;
import io.runbook.eval.Builtins;
import io.runbook.source.Pos;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The checker's function pass: every def of the runbook and its imports, by name, and no def that calls itself. */
final class Functions {
    private final Problems problems;
    final Map<String, Module.FunctionDef> functions = new LinkedHashMap<>();

    Functions(Problems problems) {
        this.problems = problems;
    }

    /** Defines a module's functions: a name defined twice, or that of a built-in, is a problem. */
    void defineAll(Module m) {
        for (Module.FunctionDef def : m.defs()) {
            Module.FunctionDef old = functions.get(def.name());
            if (old != null && old != def) {
                problem(
                        def.pos(),
                        "function '" + def.name() + "' is already defined at " + old.pos(),
                        "rename one of them");
            } else if (Builtins.has(def.name())) {
                problem(def.pos(), "'" + def.name() + "' is a built-in function", "choose another name");
            }
            functions.put(def.name(), def);
        }
    }

    /** Defs have no conditional, so a def that reaches itself would recurse forever: refuse it. */
    void checkRecursion() {
        for (Module.FunctionDef def : functions.values()) {
            java.util.Deque<String> path = new java.util.ArrayDeque<>();
            if (reaches(def.body(), def.name(), path, new HashSet<>())) {
                problem(
                        def.pos(),
                        "function '" + def.name() + "' calls itself"
                                + (path.isEmpty() ? "" : " through " + String.join(" -> ", path)),
                        "a def has no conditional to stop recursion: write the logic out, or in SQL (a recursive CTE)");
            }
        }
    }

    private boolean reaches(Expr e, String target, java.util.Deque<String> path, Set<String> seen) {
        if (e instanceof Expr.Call c) {
            if (c.name().equals(target)) return true;
            Module.FunctionDef callee = functions.get(c.name());
            if (callee != null && seen.add(c.name())) {
                path.addLast(c.name());
                if (reaches(callee.body(), target, path, seen)) return true;
                path.removeLast();
            }
        }
        for (Expr child : e.children()) if (reaches(child, target, path, seen)) return true;
        return false;
    }

    private void problem(Pos pos, String message, String hint) {
        problems.add(pos, message, hint);
    }
}
