package io.runbook.cli;

import java.util.GregorianCalendar;
import java.util.List;

/**
 * What a run needs later and the JDK is slow to set up the first time, done on the second core while the first builds
 * picocli's model of the command line: pgjdbc's connection reads the locale's number format and calendar data (CLDR,
 * tens of milliseconds), the journal's checksums start the security providers, and the run's classes come next.
 * Nothing here has an effect a command could see; the work is only done sooner. Classes of the run are loaded, not
 * initialised, so no class's initialiser runs on two threads.
 */
final class Warmup {
    private Warmup() {}

    /** Before the connection reads them: NumberFormat for pgjdbc's ServerVersion, the calendar for TimestampUtils. */
    static void localeData() {
        java.text.NumberFormat.getIntegerInstance();
        new GregorianCalendar();
    }

    /** What the journal and the run's first steps use after connecting. */
    static void run() {
        try {
            java.security.MessageDigest.getInstance("SHA-256").digest(new byte[1]);
        } catch (java.security.NoSuchAlgorithmException e) {
            // the checksums say so themselves
        }
        JournalOptions.version();
        for (Class<?> c : List.of(
                org.postgresql.jdbc.PgResultSet.class,
                org.postgresql.jdbc.PgArray.class,
                org.postgresql.jdbc.TimestampUtils.class,
                io.runbook.journal.Journal.class,
                io.runbook.journal.JournalRecorder.class,
                io.runbook.journal.Checksums.class,
                io.runbook.run.Interpreter.class,
                io.runbook.run.Engine.class,
                io.runbook.run.Session.class,
                io.runbook.term.ConsoleReporter.class)) {
            try {
                Class.forName(c.getName(), false, c.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // loaded where it is used, as before
            }
        }
    }
}
