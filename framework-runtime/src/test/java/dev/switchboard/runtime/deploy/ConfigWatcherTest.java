package dev.switchboard.runtime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.runtime.telemetry.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration watcher in a directory whose other files are written all the time (a call-log database beside
 * the configuration): those writes call nothing and wake the watcher at most about ten times a second, and an edit
 * of the watched file among them is still seen.
 */
class ConfigWatcherTest {
    @TempDir
    Path dir;

    @Test
    void aBusyDirectoryDoesNotWakeTheWatcherPerWriteAndAnEditAmongTheWritesIsSeen() throws Exception {
        Path config = Files.writeString(dir.resolve("switchboard.yaml"), "providers: {}\n");
        Path database = Files.writeString(dir.resolve("calls.db"), "");
        AtomicInteger changes = new AtomicInteger();
        // a checksum interval far beyond the test: only file system events can report the edit
        try (ConfigWatcher w = new ConfigWatcher(List.of(config), Duration.ofHours(1), changes::incrementAndGet)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 1_500; i++) {
                Files.writeString(database, "row " + i + "\n", StandardOpenOption.APPEND);
                if (i % 100 == 0) {
                    Thread.sleep(10);
                }
            }
            long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
            Thread.sleep(2 * ConfigWatcher.SETTLE_MILLIS);
            assertThat(changes).as("writes to another file call nothing").hasValue(0);
            assertThat(w.eventWakeups()).as("wake-ups for 1,500 writes in %d ms", elapsedMillis)
                    .isBetween(1L, 3 + (elapsedMillis + 2 * ConfigWatcher.SETTLE_MILLIS) / ConfigWatcher.SETTLE_MILLIS);

            Files.writeString(config, "providers: {mock: {type: mock}}\n");
            Files.writeString(database, "after\n", StandardOpenOption.APPEND);
            Await.until(() -> changes.get() >= 1); // a truncating write can be seen as two changes
        }
    }
}
