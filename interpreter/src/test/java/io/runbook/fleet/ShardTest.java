package io.runbook.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.runbook.db.ConnectionSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** `--shard I/N`: computed from the names alone, so separate processes agree without talking to each other. */
class ShardTest {
    static List<Target> targets(int count) {
        List<Target> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = String.format(Locale.ROOT, "tenant_%04d", i);
            out.add(new Target(name, new ConnectionSettings("db1", 5432, name, "app", null, Map.of())));
        }
        return out;
    }

    @Test
    void theSharesAreDisjointCoverTheFleetInItsOrderAndAreNotLopsided() {
        List<Target> all = targets(1000);
        for (int n : new int[] {1, 2, 3, 7}) {
            Set<String> seen = new HashSet<>();
            List<String> union = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                List<Target> share = Targets.shard(all, i, n);
                assertThat(share.size()).as("share %d/%d", i, n).isBetween(1000 / n * 8 / 10, 1000 / n * 12 / 10);
                for (Target t : share)
                    assertThat(seen.add(t.name()))
                            .as(t.name() + " in two shares")
                            .isTrue();
                union.addAll(share.stream().map(Target::name).toList());
            }
            assertThat(union)
                    .containsExactlyInAnyOrderElementsOf(
                            all.stream().map(Target::name).toList());
        }
        List<Target> first = Targets.shard(all, 1, 3);
        assertThat(first).isSortedAccordingTo((a, b) -> a.name().compareTo(b.name()));
    }

    @Test
    void aTargetsShareDependsOnItsNameOnly() {
        List<Target> all = targets(300);
        List<Target> shuffled = new ArrayList<>(all);
        java.util.Collections.reverse(shuffled);
        List<Target> more = new ArrayList<>(all);
        more.addAll(0, targets(400).subList(300, 400)); // new targets, listed first
        for (int i = 1; i <= 4; i++) {
            Set<String> share = names(Targets.shard(all, i, 4));
            assertThat(names(Targets.shard(all, i, 4))).as("the same again").isEqualTo(share);
            assertThat(names(Targets.shard(shuffled, i, 4)))
                    .as("in another order")
                    .isEqualTo(share);
            assertThat(names(Targets.shard(more, i, 4)))
                    .as("adding targets moves no other target")
                    .containsAll(share);
        }
        // Pinned: another release, JVM or machine must split a fleet the same way (SHA-256 of the UTF-8 name).
        assertThat(Targets.shardOf("tenant_0001", 4)).isEqualTo(1);
        assertThat(List.of("acme", "globex", "initech", "umbrella", "hooli", "stark").stream()
                        .map(n -> Targets.shardOf(n, 2)))
                .containsExactly(1, 2, 2, 1, 2, 1);
    }

    static Set<String> names(List<Target> targets) {
        return new HashSet<>(targets.stream().map(Target::name).toList());
    }
}
