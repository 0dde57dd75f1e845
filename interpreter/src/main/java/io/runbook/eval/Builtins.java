package io.runbook.eval;

import io.runbook.ast.Value;
import java.util.List;
import java.util.Map;

/** Functions implemented in Java because the language cannot express them (the environment, string case). */
public final class Builtins {
    private static final Map<String, int[]> ARITY = Map.of(
            "env", new int[] {1, 2},
            "lower", new int[] {1, 1},
            "upper", new int[] {1, 1},
            "length", new int[] {1, 1});
    private static final Map<String, String> USAGE = Map.of(
            "env", "env(\"NAME\") or env(\"NAME\", \"default\"): an environment variable",
            "lower", "lower(text)",
            "upper", "upper(text)",
            "length", "length(text): number of characters");

    private Builtins() {}

    public static boolean has(String name) {
        return ARITY.containsKey(name);
    }

    public static String usage(String name) {
        return USAGE.get(name);
    }

    /** null when the count fits, else the message. */
    public static String checkArity(String name, int count) {
        int[] a = ARITY.get(name);
        if (count >= a[0] && count <= a[1]) return null;
        return name + "() takes " + (a[0] == a[1] ? "" + a[0] : a[0] + " or " + a[1]) + " argument(s), got " + count;
    }

    static Value call(String name, List<Value> args, Map<String, String> env) {
        return switch (name) {
            case "env" -> {
                String v = env.get(args.get(0).display());
                yield v != null ? new Value.Text(v) : args.size() > 1 ? args.get(1) : Value.Null.NULL;
            }
            case "lower" -> new Value.Text(args.get(0).display().toLowerCase(java.util.Locale.ROOT));
            case "upper" -> new Value.Text(args.get(0).display().toUpperCase(java.util.Locale.ROOT));
            case "length" -> Value.Num.of(args.get(0).display().length());
            default -> throw new IllegalArgumentException(name);
        };
    }
}
