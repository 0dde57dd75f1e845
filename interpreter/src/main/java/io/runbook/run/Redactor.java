package io.runbook.run;

import io.runbook.ast.Expr;
import io.runbook.ast.Runbook;
import io.runbook.ast.Value;
import io.runbook.eval.Evaluator;
import io.runbook.eval.Scope;
import io.runbook.source.Diagnostic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret values of a run, and every event with them masked: the engine passes each event through
 * here on its way out, so the console, the journal (and the reports read from it), the audit log and
 * the shell never see one. Secret are the values of `secret` params and of lets computed from them (a
 * let whose expression names a secret param or such a let, in `${...}`, a call or the SQL of a query).
 */
public final class Redactor {
    /** What a secret reads as; the same words the journal's run header and `plan` use for a secret param. */
    public static final String MASK = "(secret)";

    /** Shorter text is masked only where it is the whole value: masked everywhere, "ab" would garble every message. */
    static final int SHORTEST = 4;

    /** Names whose values are secret: secret params, and lets computed from them. */
    private final Set<String> names = new LinkedHashSet<>();
    /** Each secret's text and its quoted forms (SQL literal, identifier, escaped), masked wherever they appear. */
    private final Set<String> texts = new LinkedHashSet<>();

    private Pattern textPattern;
    private Pattern namePattern;

    private Redactor() {}

    /** The secret params of the runbook, with the values bound to them. */
    public static Redactor of(Runbook runbook, Scope params) {
        Redactor r = new Redactor();
        for (Runbook.Param p : runbook.params()) {
            // a param whose default reads a secret param (`= "key=" + api_key`) holds a secret too
            if (p.secret() || r.tainted(p.defaultValue()))
                r.secret(p.name(), params == null ? null : params.get(p.name()));
        }
        return r;
    }

    /** Another engine's secrets too (the shell's reload keeps the lets made so far). */
    Redactor with(Redactor earlier) {
        Redactor r = new Redactor();
        r.names.addAll(names);
        r.names.addAll(earlier.names);
        r.texts.addAll(texts);
        r.texts.addAll(earlier.texts);
        r.compile();
        return r;
    }

    /** A secret's value (a secret param, or one given a new value in the shell): masked from now on. */
    public void secret(String name, Value v) {
        names.add(name);
        if (v != null && !(v instanceof Value.Null) && !(v instanceof Value.Bool)) add(v.display());
        compile();
    }

    /** Whether the name's value is secret: a secret param, or a param or let computed from one. */
    public boolean holdsSecret(String name) {
        return names.contains(name);
    }

    /** A let was bound: when its expression reads a secret, its name and value are secret too. */
    void let(String name, Expr expr, Value v) {
        if (!tainted(expr)) return;
        names.add(name);
        // only text: a derived number or boolean ("12", "true") masked everywhere would garble every count
        if (v instanceof Value.Text t) add(t.value());
        compile();
    }

    /** Whether the expression reads a secret: a secret name as a variable, or anywhere in a query's SQL. */
    boolean tainted(Expr e) {
        if (names.isEmpty() || e == null) return false;
        return e.tree()
                .anyMatch(x -> x instanceof Expr.Variable v && names.contains(v.name())
                        || x instanceof Expr.Query q && mentions(q.sql().text()));
    }

    /** Whether the text names a secret (a word, e.g. `:'api_key'` in SQL or `api_key` in an expectation). */
    boolean mentions(String text) {
        return namePattern != null && text != null && namePattern.matcher(text).find();
    }

    private void add(String s) {
        if (s == null || s.length() < SHORTEST) return;
        texts.add(s);
        texts.add(s.replace("'", "''"));
        texts.add(s.replace("\\", "\\\\").replace("'", "''"));
        texts.add(s.replace("\"", "\"\""));
        texts.add(s.replace("\\", "\\\\").replace("\"", "\\\""));
        for (String line : s.split("\\R")) if (line.length() >= 2 * SHORTEST) texts.add(line);
    }

    private void compile() {
        List<String> longestFirst = new ArrayList<>(texts);
        longestFirst.sort(Comparator.comparingInt(String::length).reversed());
        textPattern = longestFirst.isEmpty()
                ? null
                : Pattern.compile(
                        String.join(
                                "|", longestFirst.stream().map(Pattern::quote).toList()),
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        namePattern = names.isEmpty()
                ? null
                : Pattern.compile("(?<![A-Za-z0-9_])(?:"
                        + String.join("|", names.stream().map(Pattern::quote).toList())
                        + ")(?![A-Za-z0-9_])");
    }

    /** The text with every secret in it (in any case: the server folds unquoted names) replaced by {@value #MASK}. */
    public String text(String s) {
        if (s == null || textPattern == null) return s;
        Matcher m = textPattern.matcher(s);
        return m.find() ? m.replaceAll(Matcher.quoteReplacement(MASK)) : s;
    }

    /** A named value as shown (quoted): {@value #MASK} when the name holds a secret, else with any secret in it masked. */
    public String shown(String name, Value v) {
        return names.contains(name) ? MASK : text(Value.quoted(v));
    }

    private List<String> texts(List<String> list) {
        return textPattern == null ? list : list.stream().map(this::text).toList();
    }

    /** The failure with its message, details, hint and what it left behind masked. */
    public Failure failure(Failure f) {
        if (textPattern == null && namePattern == null) return f;
        Diagnostic d = f.diagnostic();
        boolean guardOnSecret = mentions(d.message());
        List<String> details = new ArrayList<>();
        for (String detail : d.details()) {
            // a failed expectation on a secret: its actual value may be derived (a length), not the text itself
            details.add(guardOnSecret && detail.startsWith("actual:") ? "actual:   " + MASK : text(detail));
        }
        Diagnostic masked =
                new Diagnostic(d.severity(), d.pos(), d.end(), text(d.message()), List.copyOf(details), text(d.hint()));
        Consequence c = f.consequence();
        return new Failure(
                f.exitCode(), masked, f.sqlState(), c == null ? null : new Consequence(c.kind(), texts(c.committed())));
    }

    public RunSummary summary(RunSummary s) {
        if (s == null || textPattern == null) return s;
        return new RunSummary(
                s.runbook(),
                s.lines().stream()
                        .map(l -> new RunSummary.Line(l.name(), l.state(), l.duration(), text(l.detail())))
                        .toList(),
                s.exitCode(),
                text(s.outcome()),
                s.duration());
    }

    private Evaluator.Outcome outcome(String label, Evaluator.Outcome o) {
        boolean onSecret = mentions(label);
        return new Evaluator.Outcome(
                o.passed(), text(o.expected()), onSecret && o.actual() != null ? MASK : text(o.actual()));
    }

    private StepResult result(StepResult r) {
        if (textPattern == null || r.results().isEmpty()) return r;
        List<StepResult.ResultTable> tables = r.results().stream()
                .map(t -> new StepResult.ResultTable(
                        texts(t.columns()),
                        t.numeric(),
                        t.rows().stream().map(this::texts).toList(),
                        t.totalRows()))
                .toList();
        return new StepResult(r.affected(), r.statements(), r.duration(), tables);
    }

    /** The event as it may leave the engine: every secret in its text masked. */
    public RunEvent event(RunEvent e) {
        if (textPattern == null && namePattern == null) return e;
        if (e instanceof RunEvent.Looked l) return new RunEvent.Looked(event(l.event()));
        if (e instanceof RunEvent.SqlDone d) return new RunEvent.SqlDone(d.at(), text(d.label()), result(d.result()));
        if (e instanceof RunEvent.GuardChecked g)
            return new RunEvent.GuardChecked(g.at(), text(g.label()), outcome(g.label(), g.outcome()));
        if (e instanceof RunEvent.Confirmed c) return new RunEvent.Confirmed(c.at(), text(c.question()), c.answer());
        if (e instanceof RunEvent.Echoed x) return new RunEvent.Echoed(x.at(), text(x.text()));
        if (e instanceof RunEvent.LetBound l)
            return new RunEvent.LetBound(
                    l.at(),
                    l.name(),
                    names.contains(l.name())
                            ? new Value.Text(MASK)
                            : l.value() instanceof Value.Text t ? new Value.Text(text(t.value())) : l.value());
        if (e instanceof RunEvent.Note n) return new RunEvent.Note(text(n.text()));
        if (e instanceof RunEvent.LockRetry r)
            return new RunEvent.LockRetry(
                    text(r.what()),
                    r.attempt(),
                    r.attempts(),
                    r.lockTimeout(),
                    r.pause(),
                    r.nextLockTimeout(),
                    texts(r.holders()));
        if (e instanceof RunEvent.LocksShown l) return new RunEvent.LocksShown(texts(l.holders()));
        if (e instanceof RunEvent.MonitorRound m)
            return new RunEvent.MonitorRound(m.at(), text(m.label()), m.round(), m.rounds(), text(m.failure()));
        if (e instanceof RunEvent.MonitorEnded m)
            return new RunEvent.MonitorEnded(m.at(), text(m.label()), m.round(), m.rounds());
        if (e instanceof RunEvent.ShellOutput o) return new RunEvent.ShellOutput(o.at(), text(o.line()));
        if (e instanceof RunEvent.ShellDone d)
            return new RunEvent.ShellDone(d.at(), text(d.command()), d.exitCode(), d.duration(), d.passed());
        if (e instanceof RunEvent.StepSkipped k) return new RunEvent.StepSkipped(k.block(), k.phase(), text(k.label()));
        if (e instanceof RunEvent.PhaseSkipped p)
            return new RunEvent.PhaseSkipped(p.phase(), p.index(), p.total(), text(p.why()));
        if (e instanceof RunEvent.Failed f) return new RunEvent.Failed(f.block(), f.phase(), failure(f.failure()));
        if (e instanceof RunEvent.PhaseFinished f)
            return new RunEvent.PhaseFinished(f.phase(), f.state(), f.duration(), text(f.detail()));
        if (e instanceof RunEvent.RunFinished f) return new RunEvent.RunFinished(summary(f.summary()));
        return e; // the rest carry names, counts and times only
    }
}
