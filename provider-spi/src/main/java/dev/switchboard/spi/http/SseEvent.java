package dev.switchboard.spi.http;

/**
 * One server-sent event. Immutable.
 *
 * @param event the {@code event:} field, {@code "message"} when absent
 * @param data  the {@code data:} lines joined with {@code \n}
 * @param id    the {@code id:} field, or null
 */
public record SseEvent(String event, String data, String id) {
}
