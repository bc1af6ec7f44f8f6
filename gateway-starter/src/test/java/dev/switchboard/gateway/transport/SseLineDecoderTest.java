package dev.switchboard.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseLineDecoderTest {
    private static final String TEXT = "data: héllo €\r\n\r\nevent: x\rdata: 😀\n\ndata: end\r\r\n:comment\n";
    private static final List<String> LINES = List.of("data: héllo €", "", "event: x", "data: 😀", "", "data: end", "", ":comment");

    private static List<String> decode(byte[] bytes, int... cuts) throws IOException {
        SseLineDecoder d = new SseLineDecoder(1024);
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            d.feed(Unpooled.wrappedBuffer(bytes, from, cut - from), l -> out.add(l));
            from = cut;
        }
        d.feed(Unpooled.wrappedBuffer(bytes, from, bytes.length - from), l -> out.add(l));
        String last = d.finish();
        if (last != null) {
            out.add(last);
        }
        return out;
    }

    @Test
    void everyTerminatorEndsALineOnce() throws IOException {
        assertThat(decode(TEXT.getBytes(StandardCharsets.UTF_8))).isEqualTo(LINES);
    }

    @Test
    void anyChunkBorderGivesTheSameLines() throws IOException {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertThat(decode(bytes, cut)).as("cut at %d", cut).isEqualTo(LINES);
        }
        for (int a = 0; a <= bytes.length; a += 3) {
            for (int b = a; b <= bytes.length; b += 5) {
                assertThat(decode(bytes, a, b)).as("cuts at %d and %d", a, b).isEqualTo(LINES);
            }
        }
    }

    @Test
    void byteByByte() throws IOException {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        int[] cuts = new int[bytes.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        assertThat(decode(bytes, cuts)).isEqualTo(LINES);
    }

    @Test
    void anUnterminatedLastLineIsKept() throws IOException {
        assertThat(decode("data: a\n\ndata: b".getBytes(StandardCharsets.UTF_8), 12)).containsExactly("data: a", "", "data: b");
    }

    @Test
    void aSinkCanStopTheRest() throws IOException {
        List<String> seen = new ArrayList<>();
        int n = new SseLineDecoder(100).feed(Unpooled.wrappedBuffer("a\nb\nc\n".getBytes(StandardCharsets.UTF_8)), l -> {
            seen.add(l);
            return !l.equals("b");
        });
        assertThat(n).isEqualTo(-1);
        assertThat(seen).containsExactly("a", "b");
    }

    @Test
    void aLineAboveTheLimitFails() {
        SseLineDecoder d = new SseLineDecoder(10);
        assertThatThrownBy(() -> {
            d.feed(Unpooled.wrappedBuffer("data: 0123".getBytes(StandardCharsets.UTF_8)), l -> true);
            d.feed(Unpooled.wrappedBuffer("456789\n".getBytes(StandardCharsets.UTF_8)), l -> true);
        }).isInstanceOf(IOException.class).hasMessageContaining("longer than 10 bytes");
        assertThatThrownBy(() -> new SseLineDecoder(10).feed(Unpooled.wrappedBuffer("data: 0123456789\n".getBytes(StandardCharsets.UTF_8)), l -> true))
                .isInstanceOf(IOException.class);
    }
}
