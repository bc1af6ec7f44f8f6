package dev.switchboard.gateway.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.testkit.RecordedRequest;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based bad input: chat request bodies generated from the OpenAI request shape, then mutated (wrong
 * types for every field, missing required fields, unknown fields, huge, negative and non-finite numbers, deep
 * nesting, invalid UTF-8, very long strings, empty arrays, unknown roles). Unknown fields are accepted and not
 * passed on; every invalid body gets a 4xx OpenAI-shaped error whose {@code param} names the field (or no
 * field, when the body is not JSON or breaks a parser limit); never a 5xx, never a hang; the gateway stays
 * healthy.
 */
class PropertyBadInputTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
    private static FaultyUpstreams up;

    /**
     * One generated request body and what the gateway must answer.
     *
     * @param what         a description, for failure messages
     * @param body         the bytes sent
     * @param param        the {@code param} of the expected 4xx; {@code ""} for a 4xx naming no field; null: accepted
     * @param unknownField a field the body carries that the gateway does not know, or null
     */
    record Case(String what, byte[] body, String param, String unknownField) {
        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return what + " -> " + (param == null ? "accepted" : "4xx param=" + param) + ": "
                    + (text.length() > 300 ? text.substring(0, 300) + "…(" + body.length + " bytes)" : text);
        }
    }

    /** A change to a valid body and the {@code param} the gateway must name (null: still valid). */
    record Mutation(String what, Consumer<ObjectNode> change, String param) {
    }

    @BeforeContainer
    static void start() {
        up = FaultyUpstreams.start();
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            HttpResponse<String> health = up.http.send(HttpRequest.newBuilder(URI.create(up.gateway.baseUrl() + "/health"))
                    .timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as("the gateway is healthy after the run: %s", health.body()).isEqualTo(200);
        } finally {
            up.close();
        }
    }

    @Property(tries = 300)
    void everyBodyIsAnsweredOrRefusedNamingTheField(@ForAll("cases") Case c) throws Exception {
        up.primary.reset();
        HttpResponse<String> r = up.http.send(HttpRequest.newBuilder(URI.create(up.gateway.baseUrl() + "/v1/chat/completions"))
                .timeout(CLIENT_TIMEOUT).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(c.body())).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as("never a 5xx: %s%n  for %s", r.body(), c).isLessThan(500);
        if (c.param() == null) {
            assertThat(r.statusCode()).as("accepted: %s%n  for %s", r.body(), c).isEqualTo(200);
            if (c.unknownField() != null) {
                RecordedRequest sent = up.primary.takeRequest(Duration.ofSeconds(2));
                assertThat(sent).isNotNull();
                assertThat(sent.json().has(c.unknownField())).as("unknown fields are not passed on").isFalse();
            }
            return;
        }
        assertThat(r.statusCode()).as("refused: %s%n  for %s", r.body(), c).isBetween(400, 499);
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isEqualTo(r.statusCode() == 404 ? "not_found_error" : "invalid_request_error");
        assertThat(error.path("code").isTextual()).isTrue();
        assertThat(error.has("param")).isTrue();
        if (c.param().isEmpty()) {
            assertThat(error.path("param").isNull()).as("no field to name: %s%n  for %s", r.body(), c).isTrue();
        } else {
            assertThat(error.path("param").asText()).as("param of %s%n  for %s", r.body(), c).isEqualTo(c.param());
        }
        assertThat(up.primary.requestCount()).as("a refused body never reaches the provider").isZero();
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<ObjectNode> base = validBodies();
        Arbitrary<Case> mutated = Combinators.combine(base, mutations(), unknownFieldNames(), anyJson(3), Arbitraries.of(true, false))
                .as((body, m, name, value, addUnknown) -> {
                    String param = m.param() == null || !m.param().contains("messages[-1]") ? m.param()
                            : m.param().replace("messages[-1]", "messages[" + (messages(body).size() - 1) + "]");
                    m.change().accept(body);
                    if (addUnknown) {
                        body.set(name, value);
                    }
                    return new Case(m.what() + (addUnknown ? " + unknown field" : ""), bytes(body), param,
                            addUnknown && param == null ? name : null);
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, mutated),
                net.jqwik.api.Tuple.of(2, Combinators.combine(base, structural()).as((body, s) -> s.apply(body))));
    }

    /** Valid bodies for the direct model {@code primary/m}, with optional fields set at random to valid values. */
    private static Arbitrary<ObjectNode> validBodies() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withChars("\uD83D\uDE00")
                .ofMinLength(1).ofMaxLength(80).filter(s -> !s.isBlank() && validUtf16(s));
        return Combinators.combine(text, Arbitraries.of("system", "developer", "user"), Arbitraries.doubles().between(0, 2),
                        Arbitraries.integers().between(1, 4096), Arbitraries.of(true, false), Arbitraries.integers().between(0, 2))
                .as((prompt, firstRole, temperature, maxTokens, stream, extras) -> {
                    ObjectNode body = NODES.objectNode().put("model", "primary/m");
                    ArrayNode messages = body.putArray("messages");
                    if (!firstRole.equals("user")) {
                        messages.addObject().put("role", firstRole).put("content", "Be brief.");
                    }
                    messages.addObject().put("role", "user").put("content", prompt);
                    if (extras >= 1) {
                        body.put("temperature", temperature).put("max_tokens", maxTokens);
                    }
                    if (extras >= 2) {
                        body.put("stream", stream).put("top_p", 1).put("seed", 7).put("n", 1);
                        body.putObject("metadata").put("ticket", "42");
                        body.set("retry", NODES.numberNode(1));
                    }
                    return body;
                });
    }

    private static Arbitrary<Mutation> mutations() {
        List<Arbitrary<Mutation>> all = new ArrayList<>();
        // Wrong JSON kinds for every typed field.
        all.add(wrong("model", Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.ARRAY, Kind.OBJECT, Kind.NULL));
        all.add(wrong("messages", Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.OBJECT));
        all.add(wrong("temperature", Kind.STRING, Kind.BOOL, Kind.ARRAY, Kind.OBJECT));
        all.add(wrong("top_p", Kind.STRING, Kind.BOOL, Kind.ARRAY, Kind.OBJECT));
        all.add(wrong("max_tokens", Kind.STRING, Kind.FLOAT, Kind.BOOL, Kind.ARRAY, Kind.OBJECT));
        all.add(wrong("n", Kind.STRING, Kind.FLOAT, Kind.BOOL, Kind.ARRAY, Kind.OBJECT));
        all.add(wrong("seed", Kind.STRING, Kind.FLOAT, Kind.BOOL, Kind.ARRAY, Kind.OBJECT));
        all.add(wrong("stop", Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.OBJECT));
        all.add(wrong("stream", Kind.STRING, Kind.INT, Kind.FLOAT, Kind.ARRAY, Kind.OBJECT));
        all.add(wrong("stream_options", Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.ARRAY));
        all.add(wrong("tools", Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.OBJECT));
        all.add(wrong("tool_choice", Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.ARRAY));
        all.add(wrong("response_format", Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.ARRAY));
        all.add(wrong("retry", Kind.STRING, Kind.FLOAT, Kind.BOOL, Kind.ARRAY));
        all.add(wrong("fallbacks", Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.OBJECT));
        all.add(wrong("timeout", Kind.BOOL, Kind.ARRAY, Kind.OBJECT));
        all.add(wrong("context", Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.ARRAY));
        all.add(wrong("metadata", Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.ARRAY));
        all.add(wrong("inputs", Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.ARRAY));
        all.add(wrongIn("messages[0]", b -> messages(b), 0, Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.ARRAY, Kind.NULL));
        all.add(wrongAt("messages[-1].role", Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.ARRAY, Kind.OBJECT, Kind.NULL));
        all.add(wrongAt("messages[-1].content", Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.OBJECT, Kind.NULL));
        all.add(wrongAt("messages[-1].name", Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.ARRAY, Kind.OBJECT));
        all.add(wrongIn("stream_options.include_usage", b -> b.putObject("stream_options"), "include_usage",
                Kind.STRING, Kind.INT, Kind.FLOAT, Kind.ARRAY, Kind.OBJECT));
        all.add(wrongIn("retry.count", b -> b.putObject("retry"), "count", Kind.STRING, Kind.FLOAT, Kind.BOOL, Kind.ARRAY, Kind.OBJECT));
        all.add(wrongIn("fallbacks[0]", b -> b.putArray("fallbacks"), 0, Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.ARRAY, Kind.OBJECT, Kind.NULL));
        all.add(wrongIn("tools[0]", b -> b.putArray("tools"), 0, Kind.STRING, Kind.INT, Kind.FLOAT, Kind.BOOL, Kind.ARRAY, Kind.NULL));
        all.add(wrongIn("context.k", b -> b.putObject("context"), "k", Kind.ARRAY, Kind.OBJECT, Kind.NULL));
        all.add(wrongIn("metadata.k", b -> b.putObject("metadata"), "k", Kind.ARRAY, Kind.OBJECT, Kind.NULL));

        // Values of the right kind that break a rule.
        Arbitrary<JsonNode> hugeIntegers = Arbitraries.bigIntegers().between(TWO_TO_64, TWO_TO_64.shiftLeft(64))
                .map(i -> (JsonNode) NODES.numberNode(i));
        Arbitrary<JsonNode> hugeOrNonFinite = Arbitraries.oneOf(hugeIntegers,
                Arbitraries.of(1e300, -1e300, Double.MAX_VALUE).map(NODES::numberNode),
                Arbitraries.of(new java.math.BigDecimal("1e400"), new java.math.BigDecimal("-1e400")).map(NODES::numberNode));
        Arbitrary<JsonNode> negatives = Arbitraries.integers().between(Integer.MIN_VALUE, -1).map(NODES::numberNode);
        all.add(value("temperature", Arbitraries.oneOf(hugeOrNonFinite, negatives,
                Arbitraries.doubles().between(2.0001, 1e9).ofScale(4).map(NODES::numberNode))));
        all.add(value("top_p", Arbitraries.oneOf(hugeOrNonFinite, negatives,
                Arbitraries.doubles().between(1.0001, 1e9).ofScale(4).map(NODES::numberNode))));
        all.add(value("max_tokens", Arbitraries.oneOf(hugeIntegers, negatives, Arbitraries.just(NODES.numberNode(0)),
                Arbitraries.longs().between(1L + Integer.MAX_VALUE, Long.MAX_VALUE).map(NODES::numberNode))));
        all.add(value("n", Arbitraries.oneOf(hugeIntegers, negatives, Arbitraries.integers().between(129, Integer.MAX_VALUE).map(NODES::numberNode))));
        all.add(value("seed", hugeIntegers));
        all.add(value("retry", Arbitraries.oneOf(hugeIntegers, negatives, Arbitraries.integers().between(11, 1000).map(NODES::numberNode))));
        all.add(value("timeout", Arbitraries.oneOf(hugeOrNonFinite, negatives, Arbitraries.just(NODES.numberNode(0)),
                Arbitraries.of("soon", "-5s", "0s", "11m", "2h", "1e400", "").map(NODES::textNode))));
        all.add(value("model", Arbitraries.of("", "   ", "nosuch/m", "http://evil.example/x", "../../etc/passwd", "gpt-4o")
                .map(NODES::textNode)));
        all.add(value("messages", Arbitraries.just(NODES.arrayNode())));
        all.add(value("stop", Arbitraries.just(NODES.arrayNode().add(1).add("x"))));
        all.add(value("tool_choice", Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)
                .filter(s -> !Set.of("auto", "none", "required").contains(s)).map(NODES::textNode)));
        all.add(value("fallbacks", Arbitraries.just(arrayOf(11, "backup/m"))));
        all.add(at("messages[-1].role", Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12)
                .filter(s -> !Set.of("system", "developer", "user", "assistant", "tool", "function").contains(s))
                .map(NODES::textNode)));
        all.add(at("messages[-1].content", Arbitraries.just(NODES.arrayNode().add(NODES.objectNode().put("type", "video")))
                .map(n -> (JsonNode) n), "messages[-1].content[0].type"));
        all.add(mutation("retry.on_codes[0]", b -> b.putObject("retry").putArray("on_codes").add(200), "retry.on_codes[0]"));
        all.add(mutation("retry.bogus", b -> b.putObject("retry").put("bogus", 1), "retry.bogus"));
        all.add(mutation("fallbacks[0] unknown provider", b -> b.putArray("fallbacks").add("nosuch/m"), "fallbacks[0]"));
        all.add(mutation("fallbacks[0] url", b -> b.putArray("fallbacks").add("http://169.254.169.254/latest"), "fallbacks[0]"));
        all.add(mutation("response_format.type", b -> b.putObject("response_format").put("type", "xml"), "response_format.type"));
        all.add(mutation("tools[0].function.name", b -> b.putArray("tools").addObject().put("type", "function").putObject("function"),
                "tools[0].function.name"));
        all.add(mutation("inputs.k null", b -> b.putObject("inputs").putNull("k"), "inputs.k"));
        all.add(mutation("context too big", b -> {
            ObjectNode ctx = b.putObject("context");
            for (int i = 0; i < 65; i++) {
                ctx.put("k" + i, i);
            }
        }, "context"));
        all.add(mutation("metadata value too long", b -> b.putObject("metadata").put("k", "x".repeat(513)), "metadata.k"));

        // Missing required fields.
        all.add(mutation("no model", b -> b.remove("model"), "model"));
        all.add(mutation("no messages", b -> b.remove("messages"), "messages"));

        // Still valid: very long strings within the limits, unusual but legal values.
        all.add(Arbitraries.integers().between(10_000, 200_000).map(n -> new Mutation("long content " + n,
                b -> lastMessage(b).put("content", "y".repeat(n)), null)));
        all.add(Arbitraries.just(new Mutation("string temperature", b -> b.put("temperature", "0.5"), null)));
        all.add(Arbitraries.just(new Mutation("null optional fields", b -> b.putNull("temperature").putNull("tools").putNull("stop"), null)));
        return Arbitraries.oneOf(all);
    }

    /** Bodies broken below the field level: not JSON, not an object, or past a parser limit. */
    private static Arbitrary<java.util.function.Function<ObjectNode, Case>> structural() {
        List<Arbitrary<java.util.function.Function<ObjectNode, Case>>> all = new ArrayList<>();
        all.add(Arbitraries.integers().between(65, 400).map(depth -> body -> {
            String json = bytesText(body);
            String deep = "\"x_deep\":" + "[".repeat(depth) + "]".repeat(depth) + ",";
            return new Case("nesting depth " + depth, ("{" + deep + json.substring(1)).getBytes(StandardCharsets.UTF_8), "", null);
        }));
        all.add(Arbitraries.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0x80},
                new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xE2, (byte) 0x82}).map(bad -> body -> {
                    lastMessage(body).put("content", "@@BAD@@");
                    byte[] b = bytes(body);
                    return new Case("invalid UTF-8 " + Arrays.toString(bad), replace(b, "@@BAD@@".getBytes(StandardCharsets.UTF_8), bad), "", null);
                }));
        all.add(Arbitraries.just(body -> {
            lastMessage(body).put("content", "z".repeat(1_000_001));
            return new Case("a string over 1,000,000 characters", bytes(body), "", null);
        }));
        all.add(Arbitraries.integers().between(0, 1000).map(cut -> body -> {
            byte[] b = bytes(body);
            return new Case("truncated", Arrays.copyOf(b, Math.min(cut, b.length - 1)), "", null);
        }));
        all.add(Arbitraries.of("NaN", "Infinity", "-Infinity", "01", "1.", ".5", "+1", "0x10").map(token -> body -> {
            String json = bytesText(body);
            return new Case("non-JSON number " + token, ("{\"temperature\":" + token + "," + json.substring(1)).getBytes(StandardCharsets.UTF_8), "", null);
        }));
        all.add(Arbitraries.of("[]", "42", "\"hi\"", "null", "true", "{} {}", "{\"model\":\"primary/m\"} x").map(text -> body ->
                new Case("not one object: " + text, text.getBytes(StandardCharsets.UTF_8), "", null)));
        all.add(Arbitraries.just(body -> {
            String json = bytesText(body);
            return new Case("duplicate key", ("{\"model\":\"primary/m\"," + json.substring(1)).getBytes(StandardCharsets.UTF_8), "", null);
        }));
        return Arbitraries.oneOf(all);
    }

    // ---- building blocks ----

    enum Kind { STRING, INT, FLOAT, BOOL, ARRAY, OBJECT, NULL }

    private static Arbitrary<JsonNode> ofKind(Kind k) {
        return switch (k) {
            case STRING -> Arbitraries.strings().alpha().ofMinLength(0).ofMaxLength(20).map(s -> (JsonNode) NODES.textNode("s" + s));
            case INT -> Arbitraries.integers().map(NODES::numberNode);
            case FLOAT -> Arbitraries.doubles().between(-1e6, 1e6).filter(d -> d != Math.rint(d)).map(NODES::numberNode);
            case BOOL -> Arbitraries.of(true, false).map(NODES::booleanNode);
            case ARRAY -> anyJson(2).list().ofMaxSize(3).map(l -> (JsonNode) NODES.arrayNode().addAll(l));
            case OBJECT -> anyJson(2).list().ofMaxSize(3).map(l -> {
                ObjectNode o = NODES.objectNode();
                for (int i = 0; i < l.size(); i++) {
                    o.set("f" + i, l.get(i));
                }
                return (JsonNode) o;
            });
            case NULL -> Arbitraries.just(NODES.nullNode());
        };
    }

    private static Arbitrary<JsonNode> wrongKinds(Kind... kinds) {
        List<Arbitrary<JsonNode>> all = new ArrayList<>();
        for (Kind k : kinds) {
            all.add(ofKind(k));
        }
        return Arbitraries.oneOf(all);
    }

    /** Any JSON value, nested at most {@code depth} levels. */
    private static Arbitrary<JsonNode> anyJson(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(30).map(s -> (JsonNode) NODES.textNode(s)),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
        if (depth <= 0) {
            return leaf;
        }
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(1, anyJson(depth - 1).list().ofMaxSize(3).map(l -> (JsonNode) NODES.arrayNode().addAll(l))),
                net.jqwik.api.Tuple.of(1, anyJson(depth - 1).list().ofMaxSize(3).map(l -> {
                    ObjectNode o = NODES.objectNode();
                    for (int i = 0; i < l.size(); i++) {
                        o.set("k" + i, l.get(i));
                    }
                    return (JsonNode) o;
                })));
    }

    private static Arbitrary<String> unknownFieldNames() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12).map(s -> "x_" + s);
    }

    private static Arbitrary<Mutation> wrong(String field, Kind... kinds) {
        return value(field, wrongKinds(kinds));
    }

    private static Arbitrary<Mutation> value(String field, Arbitrary<JsonNode> values) {
        return values.map(v -> new Mutation(field + " = " + v, b -> b.set(field, v), field));
    }

    private static Arbitrary<Mutation> wrongAt(String path, Kind... kinds) {
        return at(path, wrongKinds(kinds));
    }

    /** {@code messages[-1].<field>}: a field of the last message (the user's); the param names its index. */
    private static Arbitrary<Mutation> at(String path, Arbitrary<JsonNode> values) {
        return at(path, values, path);
    }

    private static Arbitrary<Mutation> at(String path, Arbitrary<JsonNode> values, String param) {
        String field = path.substring("messages[-1].".length());
        return values.map(v -> new Mutation(path + " = " + v, b -> lastMessage(b).set(field, v), param));
    }

    private static Arbitrary<Mutation> wrongIn(String param, java.util.function.Function<ObjectNode, ObjectNode> parent, String key,
                                               Kind... kinds) {
        return wrongKinds(kinds).map(v -> new Mutation(param + " = " + v, b -> parent.apply(b).set(key, v), param));
    }

    private static Arbitrary<Mutation> wrongIn(String param, java.util.function.Function<ObjectNode, ArrayNode> parent, int index,
                                               Kind... kinds) {
        return wrongKinds(kinds).map(v -> new Mutation(param + " = " + v, b -> {
            ArrayNode a = parent.apply(b);
            if (a.size() > index) {
                a.set(index, v);
            } else {
                a.add(v);
            }
        }, param));
    }

    private static Arbitrary<Mutation> mutation(String what, Consumer<ObjectNode> change, String param) {
        return Arbitraries.just(new Mutation(what, change, param));
    }

    private static ArrayNode messages(ObjectNode body) {
        return (ArrayNode) body.get("messages");
    }

    private static ObjectNode lastMessage(ObjectNode body) {
        ArrayNode m = messages(body);
        return (ObjectNode) m.get(m.size() - 1);
    }

    private static ArrayNode arrayOf(int n, String value) {
        ArrayNode a = NODES.arrayNode();
        for (int i = 0; i < n; i++) {
            a.add(value);
        }
        return a;
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String bytesText(JsonNode n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
    }

    /** Whether every surrogate in {@code s} is part of a pair. */
    private static boolean validUtf16(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] replace(byte[] in, byte[] marker, byte[] with) {
        String s = new String(in, StandardCharsets.ISO_8859_1);
        int at = s.indexOf(new String(marker, StandardCharsets.ISO_8859_1));
        byte[] out = new byte[in.length - marker.length + with.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(with, 0, out, at, with.length);
        System.arraycopy(in, at + marker.length, out, at + with.length, in.length - at - marker.length);
        return out;
    }
}
