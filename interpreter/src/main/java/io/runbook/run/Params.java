package io.runbook.run;

import io.runbook.ast.Durations;
import io.runbook.ast.Runbook;
import io.runbook.ast.Value;
import io.runbook.eval.EvalException;
import io.runbook.eval.Evaluator;
import io.runbook.eval.QueryRunner;
import io.runbook.eval.Scope;
import io.runbook.parse.Program;
import io.runbook.source.Diagnostic;
import io.runbook.source.ExitCode;
import io.runbook.source.RunbookException;
import io.runbook.source.SqlText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Binds `param` declarations to `--param name=value` overrides or their defaults, checking types. */
public final class Params {
    private Params() {}

    private static final QueryRunner NO_DATABASE = new QueryRunner() {
        public Value scalar(SqlText sql, Scope scope) {
            throw noDatabase(sql);
        }

        public long count(SqlText sql, Scope scope) {
            throw noDatabase(sql);
        }
    };

    private static EvalException noDatabase(SqlText sql) {
        return new EvalException(
                sql.pos(),
                "a param default cannot query the database",
                "use `let name = scalar $$...$$` in preflight instead");
    }

    public static Scope bind(Program program, Map<String, String> given, Map<String, String> env) {
        Runbook rb = program.runbook();
        List<Diagnostic> problems = new ArrayList<>();
        for (String name : given.keySet()) {
            if (rb.params().stream().noneMatch(p -> p.name().equals(name))) {
                problems.add(new Diagnostic(
                        rb.pos(),
                        "--param " + name + ": the runbook has no param '" + name + "'",
                        "its params are: "
                                + (rb.params().isEmpty()
                                        ? "(none)"
                                        : String.join(
                                                ", ",
                                                rb.params().stream()
                                                        .map(Runbook.Param::name)
                                                        .toList()))));
            }
        }
        Evaluator evaluator = new Evaluator(program.functions(), NO_DATABASE, env);
        Scope scope = new Scope(null);
        for (Runbook.Param p : rb.params()) {
            String raw = given.get(p.name());
            try {
                Value v;
                if (raw != null) {
                    v = parse(p.type(), raw);
                    if (v == null) {
                        problems.add(new Diagnostic(
                                p.pos(),
                                "--param " + p.name() + "=" + (p.secret() ? Redactor.MASK : raw) + " is not a valid "
                                        + p.type().keyword,
                                example(p.type())));
                        continue;
                    }
                } else if (p.defaultValue() != null) {
                    v = coerce(p.type(), evaluator.eval(p.defaultValue(), scope));
                    if (v == null) {
                        problems.add(new Diagnostic(
                                p.defaultValue().pos(),
                                "the default of param " + p.name() + " is not a valid " + p.type().keyword,
                                example(p.type())));
                        continue;
                    }
                } else {
                    problems.add(new Diagnostic(
                            p.pos(),
                            "param " + p.name() + " has no default and no value was given",
                            p.secret()
                                    ? "give it in a --param-file (chmod 600), as a default of env(\"NAME\"), or run on a terminal to be asked"
                                    : "pass --param " + p.name() + "=VALUE"));
                    continue;
                }
                scope.set(p.name(), v);
            } catch (EvalException e) {
                problems.add(new Diagnostic(e.pos(), e.getMessage(), e.hint()));
            }
        }
        if (!problems.isEmpty()) throw new RunbookException(ExitCode.INVALID, problems);
        return scope;
    }

    /** A value given as text (command line, environment) read as the declared type; null when it is not one. */
    static Value parse(Runbook.Type type, String raw) {
        String s = raw.trim();
        switch (type) {
            case TEXT:
                return new Value.Text(raw);
            case INT:
                try {
                    return new Value.Num(new BigDecimal(s).setScale(0, java.math.RoundingMode.UNNECESSARY));
                } catch (ArithmeticException | NumberFormatException e) {
                    return null;
                }
            case BOOL:
                return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                    case "true", "yes", "on", "1" -> Value.Bool.TRUE;
                    case "false", "no", "off", "0" -> Value.Bool.FALSE;
                    default -> null;
                };
            default: {
                var d = Durations.parse(s);
                return d == null ? null : new Value.Dur(d);
            }
        }
    }

    private static Value coerce(Runbook.Type type, Value v) {
        if (v instanceof Value.Null) return v;
        return switch (type) {
            case TEXT -> v instanceof Value.Text ? v : new Value.Text(v.display());
            case INT -> v instanceof Value.Num ? v : parse(type, v.display());
            case BOOL -> v instanceof Value.Bool ? v : parse(type, v.display());
            case DURATION -> v instanceof Value.Dur ? v : parse(type, v.display());
        };
    }

    private static String example(Runbook.Type type) {
        return switch (type) {
            case INT -> "write a whole number, e.g. 52";
            case BOOL -> "write true or false";
            case DURATION -> "write a duration, e.g. 250ms, 5s, 2min, 1h";
            case TEXT -> null;
        };
    }
}
