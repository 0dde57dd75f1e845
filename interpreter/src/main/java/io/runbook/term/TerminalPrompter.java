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
        String prompt = typing == null ? question + " [y/N] " : question + " Type \"" + typing + "\" to continue: ";
        String line;
        try {
            line = reader.readLine(prompt);
        } catch (UserInterruptException | EndOfFileException e) {
            return new Answer(false, who);
        }
        String answer = line == null ? "" : line.trim();
        boolean yes =
                typing == null ? answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes") : answer.equals(typing);
        return new Answer(yes, who);
    }

    @Override
    public boolean canAsk() {
        return true;
    }
}
