package dev.switchboard.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickstartAppTest {
    @Test
    void runsOfflineAndPrintsEveryKindOfAnswer() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            QuickstartApp.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("answer:     Where is my parcel?")
                .contains("triage:     Ticket[subject=sample, priority=LOW, tags=[sample]]")
                .contains("from mock/echo-1 after 1 attempt(s), variant default")
                .contains("[tokens][ arrive][ one][ by][ one]");
    }
}
