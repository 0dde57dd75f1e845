package io.runbook.shell;

import io.runbook.ast.Value;
import io.runbook.eval.Scope;
import io.runbook.journal.Journal;
import io.runbook.parse.Program;
import io.runbook.run.Prompter;
import io.runbook.run.Session;
import io.runbook.run.Session.TxState;
import io.runbook.source.ExitCode;
import io.runbook.sql.SqlStatement;
import io.runbook.term.Style;
import io.runbook.term.TerminalPrompter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jline.builtins.Less;
import org.jline.builtins.Source;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp;

/**
 * `runbook shell`: an interactive shell on one database session. With a runbook it steps through the plan
 * (next, run, skip, verify, check, rollback, ...); anything else typed is SQL, run in the same session.
 */
public final class Shell {
    /** What the command line hands over. program, file and journal are null for a plain SQL shell. */
    public record Setup(
            Terminal terminal,
            Session session,
            String target,
            String database,
            Program program,
            Path file,
            Map<String, String> params,
            Scope paramScope,
            Map<String, String> env,
            Map<String, String> shellEnvironment,
            Journal journal,
            long runId,
            String operator,
            Path history,
            boolean allowChanged) {}

    /** The connection is gone: the shell ends. */
    static final class Lost extends RuntimeException {
        Lost(String message) {
            super(message);
        }
    }

    enum Expanded {
        OFF,
        ON,
        AUTO
    }

    private final Setup setup;
    private final Terminal terminal;
    private final PrintStream out;
    private final Style style;
    private final boolean unicode;
    private final LineReader reader;
    private LineReader questions;
    private final Prompter prompter;
    private final SqlConsole sql;
    private final Catalog catalog = new Catalog();
    private final Stepper stepper;
    private final Scope variables;
    private final boolean dumb;
    private Expanded expanded = Expanded.OFF;
    private boolean pager = true;
    private int exit = ExitCode.OK;
    private String outcome = "shell ended";

    public Shell(Setup setup) {
        this.setup = setup;
        this.terminal = setup.terminal();
        this.out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
        this.dumb =
                Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
        boolean colour =
                !Terminal.TYPE_DUMB.equals(terminal.getType()) && setup.env().get("NO_COLOR") == null;
        this.unicode = colour && StandardCharsets.UTF_8.equals(terminal.encoding());
        this.style = new Style(colour, unicode);
        this.sql = new SqlConsole(this);
        this.prompter = new Prompter() {
            private TerminalPrompter asked; // made at the first question: a line reader costs start-up time

            @Override
            public Answer confirm(String question, String typing) {
                if (asked == null) asked = new TerminalPrompter(terminal, setup.operator());
                return asked.confirm(question, typing);
            }

            @Override
            public boolean canAsk() {
                return true;
            }
        };
        this.variables = setup.paramScope() == null ? new Scope(null) : setup.paramScope();
        LineReaderBuilder b = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("runbook")
                .parser(new Input(!dumb))
                .completer(new Completion(names()))
                .highlighter(new Highlighting(() -> colour))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.CASE_INSENSITIVE, true)
                .option(LineReader.Option.AUTO_GROUP, true)
                .option(LineReader.Option.INSERT_TAB, false)
                .variable(LineReader.HISTORY_FILE_SIZE, 10_000)
                .variable(LineReader.ERRORS, 0);
        if (setup.history() != null) b.variable(LineReader.HISTORY_FILE, setup.history());
        this.reader = b.build();
        this.stepper = setup.program() == null
                ? null
                : new Stepper(
                        this,
                        setup.session(),
                        setup.program(),
                        setup.file(),
                        setup.params(),
                        setup.paramScope(),
                        setup.env(),
                        setup.shellEnvironment(),
                        setup.journal(),
                        setup.runId(),
                        setup.allowChanged(),
                        prompter);
    }

    /** Reads and runs commands and SQL until quit or Ctrl-D; returns the exit code. */
    public int run() {
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> interrupt());
        try {
            out.println(style.bold("runbook shell") + " on " + setup.target()
                    + style.dim("  (`help` lists the commands; SQL ends with ;)"));
            if (stepper != null) stepper.start();
            while (true) {
                String line;
                try {
                    held();
                    reader.setVariable(
                            LineReader.SECONDARY_PROMPT_PATTERN, continuation().replace("%", "%%"));
                    line = reader.readLine(prompt());
                    if (dumb) {
                        StringBuilder b = new StringBuilder(line);
                        while (!Input.complete(b.toString())) b.append('\n').append(reader.readLine(continuation()));
                        line = b.toString();
                    }
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C at the prompt drops what was typed
                } catch (EndOfFileException e) {
                    if (leaveNow()) break;
                    continue;
                }
                if (!dispatch(line)) break;
            }
        } catch (Lost e) {
            error("the connection to the database was lost: " + e.getMessage());
            exit = ExitCode.CONNECTION;
            outcome = "connection lost";
            return exit;
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            try {
                reader.getHistory().save();
            } catch (IOException | RuntimeException e) {
                // history is a convenience
            }
        }
        leave();
        return exit;
    }

    /** What the journal records as the shell's outcome. */
    public String outcome() {
        return outcome;
    }

    private boolean dispatch(String line) {
        Input.Command c = Input.command(line);
        try {
            String word = c == null ? Input.notACommand(line) : null;
            if (word != null) {
                out.println("`" + word + "` is not a command"
                        + (word.equals("clear") || word.equals("cls") ? " (Ctrl-L clears the screen)" : "")
                        + "; `help` lists the commands, SQL ends with ;");
                return true;
            }
            if (c == null) {
                if (!line.isBlank()) sql.execute(line);
                return true;
            }
            return command(c);
        } catch (Lost e) {
            throw e;
        } catch (RuntimeException e) {
            error("internal error: " + e);
            out.println("  hint: this is a bug in runbook; the session is still usable");
            return true;
        }
    }

    private boolean command(Input.Command c) {
        String a = c.args();
        switch (c.name()) {
            case "quit", "exit", "\\q" -> {
                return false;
            }
            case "help", "\\?" -> help();
            case "\\x" -> expanded(a);
            case "\\pager" -> pager(a);
            case "vars" -> {
                if (stepper != null) stepper.vars();
                else sqlVars();
            }
            case "set" -> {
                String[] nameValue = a.split("\\s+", 2);
                String name = nameValue[0];
                String value = nameValue[1].strip();
                if (stepper != null) stepper.set(name, value);
                else {
                    Value v = Views.parse(variables.get(name), value);
                    if (v == null)
                        error("\"" + value + "\" is not a "
                                + variables.get(name).typeName());
                    else {
                        variables.set(name, v);
                        out.println(name + " = " + Value.quoted(v));
                    }
                }
            }
            case "commit" -> {
                if (stepper != null && stepper.phaseOpen()) stepper.commitCommand();
                else if (txState() != TxState.IDLE) sql.execute("commit;");
                else out.println("no transaction is open");
            }
            case "rollback" -> {
                if (a.isEmpty() && txState() != TxState.IDLE && (stepper == null || !stepper.phaseOpen()))
                    sql.execute("rollback;");
                else if (needsRunbook(c)) stepper.rollbackCommand(a);
            }
            default -> {
                if (!needsRunbook(c)) return true;
                switch (c.name()) {
                    case "plan" -> stepper.plan();
                    case "next" -> stepper.next();
                    case "run" -> stepper.run(a);
                    case "skip" -> stepper.skip(a);
                    case "verify" -> stepper.verify(a);
                    case "check" -> stepper.check(a);
                    case "status" -> stepper.status();
                    case "reload" -> stepper.reload();
                    default -> out.println("unknown command " + c.name() + "; `help` lists the commands");
                }
            }
        }
        return true;
    }

    private boolean needsRunbook(Input.Command c) {
        if (c.name().startsWith("\\")) {
            out.println("unknown command " + c.name() + "; `help` lists the commands");
            return false;
        }
        if (stepper != null) return true;
        out.println("`" + c.name() + "` needs a runbook: start the shell as `runbook shell FILE`");
        return false;
    }

    private void help() {
        String[][] rows = {
            {"plan", "the phases and steps: done, next (the cursor) and pending"},
            {"next", "run the next step and stop"},
            {"run [PHASE]", "run to the end of the current phase (or of PHASE, or `run preflight`), COMMIT included"},
            {"skip [phase]", "go past the next step without running it (`skip phase`: the rest of the phase)"},
            {"verify [PHASE]", "run a phase's verify block now; at the cursor it counts, elsewhere it only looks"},
            {"check [N|LABEL]", "list the checks, or run one again now (changes nothing)"},
            {"commit", "commit the phase under way (its steps and verify done), journaled as `runbook run` does"},
            {
                "rollback [PHASE]",
                "discard the phase under way; else run the rollback blocks of PHASE and later applied phases"
            },
            {"status", "what the journal knows about each phase"},
            {"vars", "params and lets with their values"},
            {"set NAME VALUE", "change a param or let (or make a variable for SQL as :NAME)"},
            {"reload", "read the file again, keeping progress where the plan is unchanged"},
            {"quit", "leave (also Ctrl-D); a phase half-done is rolled back"},
            {"SQL;", "anything else is SQL, until ; (or \\g, \\gx for one expanded result)"},
            {"\\x [on|off|auto]", "expanded results: one record per block"},
            {"\\pager [on|off]", "page results wider or longer than the terminal"}
        };
        int w = 0;
        for (String[] r : rows) w = Math.max(w, r[0].length());
        for (String[] r : rows) out.println("  " + style.bold(r[0]) + " ".repeat(w - r[0].length() + 2) + r[1]);
        out.println(
                style.dim(
                        "  Tab completes commands, phases, checks, variables, tables and columns; Ctrl-C cancels the running statement. See docs/shell.md."));
    }

    private void expanded(String a) {
        expanded = switch (a.toLowerCase(Locale.ROOT)) {
            case "" -> expanded == Expanded.OFF ? Expanded.ON : Expanded.OFF;
            case "on" -> Expanded.ON;
            case "off" -> Expanded.OFF;
            case "auto" -> Expanded.AUTO;
            default -> {
                out.println("\\x takes on, off or auto");
                yield expanded;
            }
        };
        out.println("Expanded display is " + expanded.name().toLowerCase(Locale.ROOT) + ".");
    }

    private void pager(String a) {
        pager = switch (a.toLowerCase(Locale.ROOT)) {
            case "" -> !pager;
            case "on" -> true;
            case "off" -> false;
            default -> pager;
        };
        out.println("Pager is " + (pager ? "on" : "off") + ".");
    }

    private void sqlVars() {
        if (variables.local().isEmpty()) {
            out.println("no variables; `set NAME VALUE` makes one for SQL (:NAME)");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        variables.local().forEach((k, v) -> rows.add(List.of(k, Value.quoted(v))));
        print(Tables.aligned(
                new Tables.Result(List.of("name", "value"), List.of(false, false), rows, rows.size()), style));
    }

    // ------------------------------------------------------------------ leaving

    /** Ctrl-D: asks first when a transaction is open. */
    private boolean leaveNow() {
        String what = stepper != null && stepper.phaseTransaction()
                ? "a phase is half-done and its transaction is open"
                : txState() != TxState.IDLE ? "a transaction is open" : null;
        if (what == null) return true;
        try {
            if (questions == null)
                questions = LineReaderBuilder.builder()
                        .terminal(terminal)
                        .appName("runbook")
                        .build();
            String answer = questions.readLine(what + ": roll it back and quit? [y/N] ");
            return answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes");
        } catch (EndOfFileException e) {
            return true;
        } catch (UserInterruptException e) {
            return false;
        }
    }

    private void leave() {
        if (stepper != null) {
            String left = stepper.leave();
            if (left != null) {
                outcome = left;
                exit = ExitCode.ABORTED;
            }
        }
        if (txState() != TxState.IDLE) {
            setup.session().abandon();
            warn("the open transaction was rolled back");
        }
    }

    // ------------------------------------------------------------------ for the parts

    void interrupt() {
        sql.cancel();
        if (stepper != null) stepper.interrupt();
    }

    PrintStream out() {
        return out;
    }

    Style style() {
        return style;
    }

    String target() {
        return setup.target();
    }

    Session session() {
        return setup.session();
    }

    /** The session's transaction, as psql shows it in the prompt: nothing, `*` open, `!` failed. */
    TxState txState() {
        return setup.session().txState();
    }

    /** SQL typed at the prompt, through the engine while a runbook is loaded (it knows the open phase), else the session. */
    void typed(SqlStatement st, String sql, int keep, Session.Output out) throws SQLException {
        if (stepper != null) stepper.engine().typed(st, sql, keep, out);
        else setup.session().typed(st, sql, keep, out);
    }

    boolean phaseTransaction() {
        return stepper != null && stepper.phaseTransaction();
    }

    void typedInPhase() {
        if (stepper != null) stepper.typedInPhase();
    }

    /** COMMIT / ROLLBACK typed while a phase's transaction is open: they end the phase, as the commands do. */
    boolean transactionControl(SqlStatement st) {
        String k = st.keyword();
        switch (k) {
            case "COMMIT", "END" -> stepper.commitCommand();
            case "ROLLBACK", "ABORT" -> stepper.rollbackCommand("");
            default -> {
                error(k + " while phase's transaction is open: the phase owns it");
                out.println("  hint: `commit` commits the phase once its verify passed; `rollback` discards it");
                return false;
            }
        }
        return true;
    }

    Value variable(String name) {
        return stepper != null ? stepper.scope().get(name) : variables.get(name);
    }

    void schemaChanged() {
        catalog.invalidate();
    }

    boolean expanded(Tables.Result r) {
        if (expanded == Expanded.ON) return true;
        if (expanded == Expanded.OFF) return false;
        int width = terminal.getWidth();
        return width > 0 && Tables.widest(Tables.aligned(r, Style.plain())) > width;
    }

    /** Prints lines; through the pager when they do not fit the terminal and it can page. */
    void print(List<String> lines) {
        int width = terminal.getWidth();
        int height = terminal.getHeight();
        boolean fits = width <= 0 || height <= 0 || (lines.size() < height - 1 && Tables.widest(lines) <= width);
        if (fits || !pager || dumb) {
            for (String l : lines) out.println(l);
            return;
        }
        try {
            Less less = new Less(terminal, Path.of("."));
            less.chopLongLines = true;
            less.noInit = true;
            byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
            less.run(new Source.InputStreamSource(new ByteArrayInputStream(text), true, "result"));
            // The pager leaves its last screen (as less -X does) and the cursor on its status line: clear that.
            terminal.puts(InfoCmp.Capability.carriage_return);
            terminal.puts(InfoCmp.Capability.clr_eol);
            terminal.flush();
        } catch (IOException | RuntimeException e) {
            for (String l : lines) out.println(l);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void note(String text) {
        out.println(style.dim("  " + text));
    }

    void warn(String text) {
        out.println(style.yellow("note: ") + text);
    }

    void error(String text) {
        out.println(style.red("ERROR: ") + text);
    }

    /** The plan's marks: ✓ ✗ ↷ ▶ on a UTF-8 colour terminal, else + x - >. */
    String mark(String what) {
        return switch (what) {
            case "done" -> unicode ? "✓" : "+";
            case "failed" -> unicode ? "✗" : "x";
            case "skipped" -> unicode ? "↷" : "-";
            default -> unicode ? "▶" : ">";
        };
    }

    Lost lost(SQLException e) {
        return new Lost(e.getMessage());
    }

    Lost lost(String message) {
        return new Lost(message);
    }

    /** Above the prompt, while the open transaction holds more than ACCESS SHARE: what it locks, since readers queue behind it. */
    private void held() {
        java.util.List<String> locks = io.runbook.run.LockReport.heldBy(setup.session());
        if (!locks.isEmpty())
            out.println(style.yellow(
                    "holding " + String.join(", ", locks) + ": other sessions wait until commit or rollback"));
    }

    private String prompt() {
        TxState s = txState();
        String tx = switch (s) {
            case OPEN -> style.yellow("*");
            case FAILED -> style.red("!");
            default -> "";
        };
        return style.bold(setup.database() + where()) + "=" + tx + "> ";
    }

    private String continuation() {
        TxState s = txState();
        return setup.database() + where() + "-" + (s == TxState.OPEN ? "*" : s == TxState.FAILED ? "!" : "") + "> ";
    }

    private String where() {
        return stepper == null ? "" : "[" + stepper.where() + "]";
    }

    private Completion.Names names() {
        return new Completion.Names() {
            public List<String> phases() {
                return stepper == null ? List.of() : stepper.phaseNames();
            }

            public List<String> checks() {
                return stepper == null ? List.of() : stepper.checkLabels();
            }

            public List<String> variables() {
                return stepper == null
                        ? List.copyOf(Shell.this.variables.local().keySet())
                        : stepper.variables();
            }

            public List<Catalog.Table> tables() {
                return catalog.tables(setup.session());
            }
        };
    }
}
