package dev.switchboard.runtime.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.config.ConfigFiles;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Helpers shared by the deploy tests. */
final class DeployFixtures {
    private DeployFixtures() {
    }

    /** A definition from YAML text. */
    static ObjectNode yaml(String text) {
        return ConfigFiles.parse("test", text);
    }

    /** A one-variant definition on the mock provider whose user message is {@code content}. */
    static ObjectNode greeting(String content) {
        return yaml("model: mock/echo-1\nmessages:\n  - { role: user, content: \"" + content + "\" }\n");
    }

    /** Polls {@code condition} every 50 ms for up to {@code max}; true as soon as it holds. */
    static boolean eventually(Duration max, BooleanSupplier condition) {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
