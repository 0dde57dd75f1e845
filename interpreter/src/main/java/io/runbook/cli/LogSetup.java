package io.runbook.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Logback's configuration in code (found through META-INF/services): operators read stdout, logs go to
 * stderr at WARN; --debug shows runbook's own debug lines (the SQL sent, with timings) but not the libraries';
 * --log-file adds a JSON-lines audit log. A logback.xml named by
 * -Dlogback.configurationFile replaces all of this. Doing without logback.xml spares every start the XML parser.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements ch.qos.logback.classic.spi.Configurator {
    /** The logger of the SQL a run sends (as written: psql variables are not substituted, so no secret shows). */
    public static final String SQL_SENT = "io.runbook.sql.sent";

    private static final ThresholdFilter CONSOLE = new ThresholdFilter();

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null)
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // the operator's own
        Console stderr = new Console();
        stderr.setContext(context);
        stderr.setName("STDERR");
        CONSOLE.setLevel("WARN");
        CONSOLE.start();
        stderr.addFilter(CONSOLE);
        stderr.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger(AuditLog.LOGGER).setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Lines on stderr, through a pattern layout built at the first line that passes the level filter: most commands
     * log nothing, and the layout's set-up (its converter table, the pattern's parse) is a part of every start.
     */
    private static final class Console extends AppenderBase<ILoggingEvent> {
        private ConsoleAppender<ILoggingEvent> stderr;

        @Override
        protected void append(ILoggingEvent event) {
            if (stderr == null) stderr = open();
            stderr.doAppend(event);
        }

        private ConsoleAppender<ILoggingEvent> open() {
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
            encoder.start();
            ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
            appender.setContext(context);
            appender.setName(getName());
            appender.setTarget("System.err");
            appender.setEncoder(encoder);
            appender.start();
            return appender;
        }

        @Override
        public void stop() {
            if (stderr != null) stderr.stop();
            super.stop();
        }
    }

    /** --debug: runbook's own debug lines on stderr; libraries stay at WARN. */
    static void debug() {
        io.runbook.run.DetailLogs.on(true);
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        context.getLogger("io.runbook").setLevel(Level.DEBUG);
        CONSOLE.setLevel("DEBUG");
    }

    /** --log-file: the audit trail and the SQL sent, as JSON lines appended to the file. */
    static void logFile(Path file) {
        io.runbook.run.DetailLogs.on(true);
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithContext(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithThreadName(false);
        encoder.setWithArguments(false);
        encoder.setWithMessage(false);
        encoder.setWithFormattedMessage(true);
        encoder.setWithMDC(false);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("AUDIT");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setImmediateFlush(true);
        appender.setEncoder(encoder);
        appender.start();
        Logger audit = context.getLogger(AuditLog.LOGGER);
        audit.setLevel(Level.INFO);
        audit.setAdditive(false);
        audit.addAppender(appender);
        Logger sql = context.getLogger(SQL_SENT);
        sql.setLevel(Level.DEBUG);
        sql.addAppender(
                appender); // additive: --debug shows it on stderr too; the console filter holds it back otherwise
    }

    /** Back to the defaults (for tests, which run many commands in one JVM). */
    static void reset() {
        io.runbook.run.DetailLogs.on(false);
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        context.getLogger("io.runbook").setLevel(null);
        CONSOLE.setLevel("WARN");
        Logger audit = context.getLogger(AuditLog.LOGGER);
        audit.detachAndStopAllAppenders();
        audit.setLevel(Level.OFF);
        Logger sql = context.getLogger(SQL_SENT);
        sql.detachAppender("AUDIT");
        sql.setLevel(null);
    }
}
