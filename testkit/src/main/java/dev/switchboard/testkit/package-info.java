/**
 * Switchboard testkit: an in-process fake LLM server for tests.
 *
 * <pre>{@code
 * try (FakeLlmServer server = FakeLlmServer.start()) {
 *     server.enqueue(Reply.status(503), Fault.connectionReset(), Reply.text("finally"));
 *     // exercise the client under test against server.baseUrl()
 *     assertThat(server.requests()).hasSize(3);
 * }
 * }</pre>
 *
 * <p>Entry points: {@link dev.switchboard.testkit.FakeLlmServer} (the server),
 * {@link dev.switchboard.testkit.Reply}, {@link dev.switchboard.testkit.Fault} and
 * {@link dev.switchboard.testkit.RawResponse} (what it answers), {@link dev.switchboard.testkit.RecordedRequest}
 * (what it received) and {@link dev.switchboard.testkit.FakeLlmServerExtension} (JUnit 5 integration).
 */
package dev.switchboard.testkit;
