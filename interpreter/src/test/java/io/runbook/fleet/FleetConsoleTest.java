package io.runbook.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.term.Style;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fleet's progress line as the operator reads it: an estimate while targets are to come, none once halted. */
class FleetConsoleTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final FleetConsole console =
            new FleetConsole(new PrintStream(bytes, true, StandardCharsets.UTF_8), Style.plain(), 4);

    private void finish(String name, TargetResult.State state) {
        Target t = new Target(name, null);
        console.started(t, false);
        console.finished(new TargetResult(t, state, 0, null, null, Duration.ofMillis(5), 1L, "", null));
    }

    @Test
    void whileRunningTheLineEstimatesWhatIsLeft() {
        finish("tenant_1", TargetResult.State.APPLIED);
        assertThat(console.progress())
                .contains("1/4 applied")
                .contains("3 pending")
                .contains(" left");
    }

    @Test
    void onceHaltedTheLineSaysSoAndEstimatesNothing() {
        finish("tenant_1", TargetResult.State.APPLIED);
        finish("tenant_2", TargetResult.State.FAILED);
        console.halted("the fleet halted: 1 target(s) failed, more than --max-failures 0");
        assertThat(console.progress())
                .startsWith("fleet: 1/4 applied, 0 running, 1 failed, halted (2 not started);")
                .doesNotContain(" left")
                .doesNotContain("pending");
        finish("tenant_3", TargetResult.State.STOPPED);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out.substring(out.indexOf("the fleet halted"))).doesNotContain(" left");
    }
}
