package io.runbook.run;

import java.time.Duration;
import java.util.List;

/** What executing the statements of one sql step did: rows affected, statements run, time taken, rows returned. */
public record StepResult(long affected, int statements, Duration duration, List<ResultTable> results) {

    /** The rows a statement returned, kept small for display (totalRows counts them all); numeric columns align right. */
    public record ResultTable(List<String> columns, List<Boolean> numeric, List<List<String>> rows, long totalRows) {
        public ResultTable(List<String> columns, List<List<String>> rows, long totalRows) {
            this(columns, columns.stream().map(c -> false).toList(), rows, totalRows);
        }
    }
}
