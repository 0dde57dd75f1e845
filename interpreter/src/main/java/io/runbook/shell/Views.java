package io.runbook.shell;

import io.runbook.ast.Durations;
import io.runbook.ast.Phase;
import io.runbook.ast.Runbook;
import io.runbook.ast.Value;
import io.runbook.eval.Scope;
import io.runbook.journal.Checksums;
import io.runbook.journal.Journal;
import io.runbook.run.Consequence;
import io.runbook.run.Params;
import io.runbook.run.Redactor;
import io.runbook.shell.Plan.Item;
import io.runbook.shell.Plan.Kind;
import io.runbook.shell.Plan.Mark;
import io.runbook.source.Diagnostic;
import io.runbook.source.RunbookException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What the operator sees of a stepped runbook: the plan with its marks, the journal's status, the variables; and `set`. */
final class Views {
    private final Stepper s;

    Views(Stepper stepper) {
        this.s = stepper;
    }

    /** What a failure left behind, in the shell's words: what is open now and what to type next. */
    static String words(Consequence c) {
        return switch (c.kind()) {
            case NOTHING_CHANGED -> "nothing was changed";
            case STEP_UNDONE ->
                "the phase's transaction is still open (the failed step was undone to its savepoint): look at the data, then"
                        + " `next` to retry the step, `skip` to go on without it, or `rollback` to discard the phase";
            case PARTLY_COMMITTED ->
                "statements of this `no transaction` phase that ran before stay committed ("
                        + String.join("; ", c.committed())
                        + "): `next` retries the step, `rollback` runs the phase's rollback block";
            case PHASE_ROLLED_BACK ->
                "nothing of this phase is applied: `next` retries the step, `rollback` gives the phase up";
            case UNDO_ROLLED_BACK ->
                "the rollback block was rolled back"
                        + (c.committed().isEmpty()
                                ? ""
                                : " (what it committed stays: " + String.join("; ", c.committed()) + ")")
                        + "; the phase stays applied; `rollback PHASE` tries again";
            case CONNECTION_LOST -> "the server rolled back the open transaction";
        };
    }

    void plan() {
        var out = s.shell.out();
        var style = s.shell.style();
        Runbook rb = s.program.runbook();
        Plan plan = s.plan;
        out.println(style.bold("runbook \"" + rb.name() + "\"") + style.dim("  " + s.file));
        boolean notNeeded = !s.engine.preflightNeeded(rb.phases()) && !plan.touched(null);
        String last = "";
        for (int i = 0; i < plan.items.size(); i++) {
            Item it = plan.items.get(i);
            String key = it.phase() == null ? "preflight" : it.phase().name();
            if (!key.equals(last)) {
                last = key;
                if (it.phase() == null) {
                    out.println(style.bold("preflight")
                            + style.dim(" (read-only)"
                                    + (notNeeded ? "  not needed: every phase was applied before" : "")));
                } else {
                    Phase p = it.phase();
                    out.println(style.bold("phase " + plan.number(p) + "/"
                                    + rb.phases().size() + " \"" + p.name() + "\"")
                            + style.dim(p.transactional() ? " (one transaction)" : " (no transaction)")
                            + phaseState(p));
                }
            }
            if (it.kind() == Kind.VERIFY && (i == 0 || plan.items.get(i - 1).kind() != Kind.VERIFY))
                out.println("    " + style.bold("verify"));
            out.println(line(i, notNeeded));
        }
        if (plan.finished())
            out.println(style.green("every phase is applied") + style.dim("  (`status` shows the journal)"));
    }

    private String phaseState(Phase p) {
        var style = s.shell.style();
        Journal.PhaseRecord r = s.records.get(p.name());
        if (s.engine.openPhase() == p)
            return style.yellow(p.transactional() ? "  in progress: its transaction is open" : "  in progress");
        if (r == null) return "";
        String state = "";
        if (r.done()) state = style.green("  " + r.describe());
        else if (r.status().equals("partial")) state = style.red("  PARTLY COMMITTED in run #" + r.runId());
        else if (r.interrupted()) state = style.red("  INTERRUPTED in run #" + r.runId());
        else if (r.status().equals("rolled_back")) state = style.dim("  rolled back in run #" + r.runId());
        if (r.done() && !r.checksum().equals(Checksums.phase(s.program, p))) state += style.red("  CHANGED since");
        return state;
    }

    private String line(int i, boolean preflightNotNeeded) {
        var style = s.shell.style();
        var shell = s.shell;
        Plan plan = s.plan;
        Item it = plan.items.get(i);
        Mark m = plan.marks[i];
        boolean appliedBefore = it.phase() != null && s.applied(it.phase()) && m == null;
        boolean notNeeded = it.phase() == null && m == null && preflightNotNeeded;
        String mark;
        if (i == plan.cursor && m == Mark.FAILED) mark = style.red(shell.mark("failed"));
        else if (i == plan.cursor) mark = style.bold(shell.mark("next"));
        else if (m == Mark.DONE || appliedBefore) mark = style.green(shell.mark("done"));
        else if (m == Mark.FAILED) mark = style.red(shell.mark("failed"));
        else if (m == Mark.SKIPPED || notNeeded) mark = style.dim(shell.mark("skipped"));
        else mark = " ";
        String text = it.kind() == Kind.END
                ? (it.phase().transactional() ? "commit" : "complete (journal it as applied)")
                : s.label(it.step());
        String body = i == plan.cursor
                ? style.bold(text)
                : appliedBefore || m == Mark.SKIPPED || notNeeded ? style.dim(text) : text;
        if (i == plan.cursor && m == Mark.FAILED) body += style.dim("  (failed: `next` runs it again)");
        return "  " + mark + (it.kind() == Kind.VERIFY ? "   " : " ") + body;
    }

    void status() {
        s.refreshRecords();
        List<String> cols = List.of("phase", "state", "when", "by", "duration", "run", "checksum");
        List<List<String>> rows = new ArrayList<>();
        for (Phase p : s.program.runbook().phases()) {
            Journal.PhaseRecord r = s.records.get(p.name());
            if (s.engine.openPhase() == p) {
                rows.add(List.of(p.name(), "in progress (this shell)", "", "", "", "#" + s.runId, ""));
                continue;
            }
            if (r == null) {
                rows.add(List.of(p.name(), "pending", "", "", "", "", ""));
                continue;
            }
            String state = switch (r.status()) {
                case "started" -> "INTERRUPTED";
                case "rolled_back" -> "rolled back";
                case "marked_done" -> "marked done";
                case "failed" -> "failed, nothing committed";
                case "partial" -> "PARTLY COMMITTED";
                default -> r.status();
            };
            String duration = r.started() == null ? "" : Durations.human(Duration.between(r.started(), r.finished()));
            rows.add(List.of(
                    p.name(),
                    state,
                    r.finished().toString(),
                    r.osUser(),
                    duration,
                    "#" + r.runId(),
                    r.checksum().equals(Checksums.phase(s.program, p)) ? "matches" : "CHANGED"));
        }
        s.shell
                .out()
                .println("runbook \"" + s.program.runbook().name() + "\" on " + s.shell.target()
                        + s.shell.style().dim("  (this shell is run #" + s.runId + ")"));
        s.shell.print(Tables.aligned(
                new Tables.Result(cols, cols.stream().map(c -> false).toList(), rows, rows.size()), s.shell.style()));
    }

    List<String> variables() {
        Set<String> out = new LinkedHashSet<>();
        for (Runbook.Param p : s.program.runbook().params()) out.add(p.name());
        out.addAll(StepLabels.lets(s.program.runbook()));
        out.addAll(s.scope().local().keySet());
        return List.copyOf(out);
    }

    void vars() {
        List<List<String>> rows = new ArrayList<>();
        for (Runbook.Param p : s.program.runbook().params()) {
            Value v = s.params.get(p.name());
            rows.add(List.of(
                    p.name(),
                    "param " + p.type().keyword,
                    p.secret()
                            ? Redactor.MASK
                            : v == null ? "(no value)" : s.engine().redactor().shown(p.name(), v)));
        }
        Map<String, Value> lets = s.scope().local();
        for (String name : StepLabels.lets(s.program.runbook())) {
            Value v = lets.get(name);
            rows.add(List.of(
                    name,
                    "let",
                    v == null ? "(no value yet)" : s.engine().redactor().shown(name, v)));
        }
        for (String name : s.shellVariables) {
            Value v = lets.get(name);
            if (v != null)
                rows.add(List.of(name, "set in the shell", s.engine().redactor().shown(name, v)));
        }
        if (rows.isEmpty()) {
            s.shell.out().println("no params or lets; `set NAME VALUE` makes a variable for SQL (:NAME)");
            return;
        }
        List<String> cols = List.of("name", "kind", "value");
        s.shell.print(Tables.aligned(
                new Tables.Result(cols, List.of(false, false, false), rows, rows.size()), s.shell.style()));
    }

    /** `set NAME VALUE`: a param (as its type), a let (as the type of its value) or a new variable for SQL. */
    void set(String name, String raw) {
        Runbook.Param param = s.program.runbook().params().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElse(null);
        if (param != null) {
            Map<String, String> next = new LinkedHashMap<>(s.given);
            next.put(name, raw);
            try {
                Scope bound = Params.bind(s.program, next, s.env);
                s.given.put(name, raw);
                s.params.set(name, bound.get(name));
                if (param.secret()) s.engine().redactor().secret(name, bound.get(name));
                s.shell
                        .out()
                        .println("param " + name + " = " + s.engine().redactor().shown(name, bound.get(name)));
            } catch (RunbookException e) {
                for (Diagnostic d : e.diagnostics())
                    if (d.message().contains(name)) s.shell.out().print(d.render());
            }
            return;
        }
        Value old = s.scope().get(name);
        Value v = parse(old, raw);
        if (v == null) {
            s.shell.error("\"" + raw + "\" is not a " + old.typeName() + " (the type of " + name + "'s value now)");
            return;
        }
        s.scope().set(name, v);
        boolean let = StepLabels.lets(s.program.runbook()).contains(name);
        if (!let) s.shellVariables.add(name);
        s.shell
                .out()
                .println((let ? "let " : "") + name + " = "
                        + s.engine().redactor().shown(name, v));
    }

    /** Text typed for a variable, read as the type its value has now (a number when it has none and looks like one). */
    static Value parse(Value old, String raw) {
        String text = Input.unquote(raw.strip());
        if (old == null || old instanceof Value.Null) {
            try {
                return new Value.Num(new BigDecimal(text));
            } catch (NumberFormatException e) {
                return new Value.Text(text);
            }
        }
        if (old instanceof Value.Num) {
            try {
                return new Value.Num(new BigDecimal(text));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (old instanceof Value.Bool) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> Value.Bool.TRUE;
                case "false", "no", "off", "0" -> Value.Bool.FALSE;
                default -> null;
            };
        }
        if (old instanceof Value.Dur) {
            Duration d = Durations.parse(text);
            return d == null ? null : new Value.Dur(d);
        }
        return new Value.Text(text);
    }

    /** `check`: lists the checks (null); `check N|LABEL`: the one meant, or null after saying why. */
    StepLabels.CheckAt findCheck(String arg) {
        var out = s.shell.out();
        List<StepLabels.CheckAt> checks = StepLabels.checks(s.program.runbook());
        if (checks.isEmpty()) {
            out.println("the runbook has no checks");
            return null;
        }
        if (arg.isEmpty()) {
            for (int i = 0; i < checks.size(); i++) {
                StepLabels.CheckAt c = checks.get(i);
                out.println(String.format(Locale.ROOT, "%3d  ", i + 1)
                        + s.checkLabel(c.check())
                        + s.shell.style().dim("  (" + where(c) + ")"));
            }
            s.shell.note("`check N` or `check LABEL` runs one again now");
            return null;
        }
        List<StepLabels.CheckAt> found = new ArrayList<>();
        if (arg.matches("\\d+")) {
            int n = Integer.parseInt(arg);
            if (n >= 1 && n <= checks.size()) found.add(checks.get(n - 1));
        } else {
            for (StepLabels.CheckAt c : checks) if (s.checkLabel(c.check()).equalsIgnoreCase(arg)) found.add(c);
            if (found.isEmpty()) {
                String lower = arg.toLowerCase(Locale.ROOT);
                for (StepLabels.CheckAt c : checks)
                    if (s.checkLabel(c.check()).toLowerCase(Locale.ROOT).contains(lower)) found.add(c);
            }
        }
        if (found.isEmpty()) {
            out.println("no check \"" + arg + "\"; `check` lists them");
            return null;
        }
        if (found.size() > 1) {
            out.println(found.size() + " checks match \"" + arg + "\":");
            for (StepLabels.CheckAt c : found)
                out.println("  " + (checks.indexOf(c) + 1) + "  " + s.checkLabel(c.check())
                        + s.shell.style().dim("  (" + where(c) + ")"));
            return null;
        }
        return found.get(0);
    }

    String where(StepLabels.CheckAt c) {
        return c.phase() == null
                ? "preflight"
                : (c.verify() ? "verify of " : "phase ") + "\"" + c.phase().name() + "\"";
    }
}
