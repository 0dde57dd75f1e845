package io.runbook.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The one golden-file helper: compares a text with a file under interpreter/src/test/resources. A missing
 * file fails the test. After an intended change, rewrite the files with {@code -Dgolden.update=true} and
 * review the diff.
 */
public final class Golden {
    public static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private Golden() {}

    /** `resource` is relative to interpreter/src/test/resources, e.g. "reports/run.md". */
    public static void check(String resource, String actual) {
        Path file = Files.root().resolve("interpreter/src/test/resources").resolve(resource);
        try {
            if (UPDATE) {
                java.nio.file.Files.createDirectories(file.getParent());
                java.nio.file.Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            assertThat(file)
                    .as("golden file %s is missing (create it with -Dgolden.update=true); actual:%n%s", file, actual)
                    .exists();
            assertThat(actual)
                    .as("golden file %s", file)
                    .isEqualTo(java.nio.file.Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
