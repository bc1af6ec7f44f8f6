package dev.switchboard.runtime.telemetry;

import dev.switchboard.api.AllAttemptsFailedException;
import dev.switchboard.api.ProviderCallException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * The low-cardinality {@code error.type} of a failure, shared by spans, metrics and call records: the
 * HTTP status code of a provider's error answer ({@code "503"}), the failure kind of other provider
 * failures ({@code "timeout"}, {@code "connection"}, {@code "circuit_open"}, …), {@code "cancelled"},
 * else the exception's class name. A call that failed after several attempts is typed by its last
 * attempt's failure. Stateless.
 */
public final class ErrorTypes {
    private ErrorTypes() {
    }

    /** The error type of {@code error}; {@code _OTHER} for null. */
    public static String of(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof AllAttemptsFailedException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e == null) {
            return "_OTHER";
        }
        if (e instanceof ProviderCallException pe) {
            if (pe.kind() == ProviderCallException.Kind.HTTP_STATUS && pe.statusCode() > 0) {
                return Integer.toString(pe.statusCode());
            }
            return pe.kind().name().toLowerCase(Locale.ROOT);
        }
        if (e instanceof CancellationException) {
            return "cancelled";
        }
        return e.getClass().getName();
    }
}
