package io.runbook.term;

import io.runbook.run.Prompter;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/** Confirmations read through JLine from the operator's terminal. */
public final class TerminalPrompter implements Prompter {
    private final LineReader reader;
    private final String who;

    public TerminalPrompter(Terminal terminal, String who) {
        this.reader = LineReaderBuilder.builder().terminal(terminal).build();
        this.who = who;
    }

    @Override
    public Answer confirm(String question, String typing) {
        String line;
        try {
            line = reader.readLine(prompt(question, typing));
        } catch (UserInterruptException | EndOfFileException e) {
            return new Answer(false, who);
        }
        return new Answer(yes(line, typing), who);
    }

    /** The question as asked: a y/N question, or one that wants a word typed. */
    static String prompt(String question, String typing) {
        return typing == null ? question + " [y/N] " : question + " Type \"" + typing + "\" to continue: ";
    }

    /** Whether the line typed says yes: y or yes, or exactly the word asked for. */
    static boolean yes(String line, String typing) {
        String answer = line == null ? "" : line.trim();
        return typing == null ? answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes") : answer.equals(typing);
    }

    @Override
    public boolean canAsk() {
        return true;
    }
}
