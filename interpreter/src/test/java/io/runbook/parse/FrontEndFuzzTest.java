package io.runbook.parse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.runbook.lint.LintOutput;
import io.runbook.lint.Linter;
import io.runbook.source.Diagnostic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * No input crashes the front end: whatever bytes a runbook holds, parse, check and lint end with diagnostics,
 * never with an exception, a stack overflow or a hang.
 *
 * <p>In the normal build this runs the committed seeds (regression mode: src/test/resources/io/runbook/parse/
 * FrontEndFuzzTestInputs/parseCheckAndLint, one file per input, plus every crash found so far). A long run
 * mutates them with Jazzer: {@code mvn -B -ntp -pl interpreter -am verify -Pfuzz -Dfuzz.runs=1000000}; a
 * crashing input is written to that directory, where it stays as a regression seed once fixed. When fuzzing,
 * an input that takes more than 2 s counts as a hang.
 */
class FrontEndFuzzTest {
    private static final long HANG_NANOS = 2_000_000_000L;
    private static final boolean FUZZING = Boolean.getBoolean("jazzer.fuzz");

    private static Path dir;
    private static Path file;
    private static long inputs;
    private static long slowestNanos;
    private static byte[] slowest = new byte[0];
    private static long slow;

    /** The input stands where a real runbook does, next to SQL files it may name (sql/..., fixture.sql). */
    @BeforeAll
    static void copyExample() throws IOException {
        dir = Files.createTempDirectory("runbook-fuzz");
        Path example = io.runbook.testing.Files.root().resolve("examples/examgenie");
        try (Stream<Path> files = Files.walk(example)) {
            for (Path p : files.toList()) {
                Path target = dir.resolve(example.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        file = dir.resolve("fuzz.runbook");
        // A named pipe: opening it for reading would block until a writer comes.
        try {
            new ProcessBuilder("mkfifo", dir.resolve("pipe.sql").toString())
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @FuzzTest(maxDuration = "3h")
    void parseCheckAndLint(byte[] input) {
        // Bigger inputs find nothing smaller ones do not, and slow every run down (the seeds stay whole).
        if (FUZZING && input.length > 8192) input = java.util.Arrays.copyOf(input, 8192);
        try {
            Files.write(file, input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long took = frontEnd();
        // The first input to reach a class pays for loading, instrumenting and compiling it; the machine may be
        // busy: an input is a hang only when it stays slow on three tries.
        for (int i = 0; i < 2 && took > HANG_NANOS; i++) took = Math.min(took, frontEnd());
        inputs++;
        if (took > slowestNanos) {
            slowestNanos = took;
            slowest = input;
        }
        if (FUZZING && took > HANG_NANOS) {
            // Instrumentation (and a busy machine) slows every run several times over: keep the input, to be
            // timed again on the plain jar (docs in README.md, Test).
            slow++;
            try {
                Path dir = Files.createDirectories(Path.of("target/fuzz-slow"));
                Files.write(dir.resolve(Integer.toHexString(java.util.Arrays.hashCode(input)) + ".runbook"), input);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Parse, check and lint the input file, render every diagnostic; returns the nanoseconds it took. */
    private static long frontEnd() {
        long start = System.nanoTime();
        Checker.Result result = Checker.check(file, null);
        for (Diagnostic d : result.diagnostics()) d.render();
        if (result.program() != null) LintOutput.text(Linter.lint(result.program()), true);
        return System.nanoTime() - start;
    }

    @AfterAll
    static void report() throws IOException {
        if (FUZZING) {
            Path out = Path.of("target/fuzz-slowest.runbook");
            Files.write(out, slowest);
            System.out.printf(
                    java.util.Locale.ROOT,
                    "fuzz: %d inputs, %d over 2 s (instrumented), slowest %d ms (%d bytes, written to %s)%n",
                    inputs,
                    slow,
                    slowestNanos / 1_000_000,
                    slowest.length,
                    out.toAbsolutePath());
        }
    }
}
