package dev.switchboard.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RandomFaultsTest {

    private final Http http = new Http();

    @Test
    void seededRandomFaultsAreReproducibleAndNearTheRequestedRate() throws Exception {
        List<String> first = run(500, 42L);
        List<String> second = run(500, 42L);
        List<String> otherSeed = run(500, 7L);

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
        long failures = first.stream().filter(o -> !o.equals("ok")).count();
        // binomial(500, 0.4): mean 200, sd ~11; allow ~4.5 sd
        assertThat(failures).isBetween(150L, 250L);
        assertThat(first).contains("reset", "500");
        long resets = first.stream().filter("reset"::equals).count();
        assertThat(resets).isBetween(failures / 2 - 50, failures / 2 + 50);
    }

    @Test
    void scriptedEntriesWinOverRandomFaults() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.start()) {
            server.randomFaults(1.0, 1L, Reply.status(500));
            server.enqueue(Reply.text("scripted"));

            assertThat(http.post(server, "/v1/chat/completions", Http.chat("x", false)).statusCode()).isEqualTo(200);
            assertThat(http.post(server, "/v1/chat/completions", Http.chat("x", false)).statusCode()).isEqualTo(500);
            server.clearRandomFaults();
            assertThat(http.post(server, "/v1/chat/completions", Http.chat("x", false)).statusCode()).isEqualTo(200);
        }
    }

    private List<String> run(int requests, long seed) throws Exception {
        List<String> outcomes = new ArrayList<>();
        try (FakeLlmServer server = FakeLlmServer.start()) {
            server.randomFaults(0.4, seed, Fault.connectionReset(), Reply.status(500));
            for (int i = 0; i < requests; i++) {
                try {
                    HttpResponse<String> r = http.post(server, "/v1/chat/completions", Http.chat("n" + i, false));
                    outcomes.add(r.statusCode() == 200 ? "ok" : String.valueOf(r.statusCode()));
                } catch (IOException e) {
                    outcomes.add("reset");
                }
            }
            assertThat(server.requestCount()).isEqualTo(requests);
        }
        return outcomes;
    }
}
