package dev.switchboard.runtime.calllog;

import dev.switchboard.api.Attempt;
import dev.switchboard.api.Usage;
import dev.switchboard.runtime.engine.CallResult;
import dev.switchboard.runtime.engine.EmbeddingsResult;
import dev.switchboard.runtime.engine.Invocation;
import dev.switchboard.runtime.engine.ResolvedVariant;
import dev.switchboard.runtime.telemetry.ErrorTypes;
import dev.switchboard.spi.ChatMessage;
import dev.switchboard.spi.ChatResponse;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns what a {@link PendingCall} kept into a {@link CallRecord}, and cleans records: credentials masked
 * in every text, redaction rules applied to messages, reply and error texts, contents dropped when
 * content logging is off. Runs on the writer thread. Immutable and thread-safe.
 */
final class RecordAssembler {
    private final String origin;
    private final boolean logContent;
    private final Redactor redactor;
    private final PriceTable prices;
    private final Supplier<List<String>> secrets;

    RecordAssembler(String origin, boolean logContent, Redactor redactor, PriceTable prices, Supplier<List<String>> secrets) {
        this.origin = origin;
        this.logContent = logContent;
        this.redactor = redactor;
        this.prices = prices;
        this.secrets = secrets;
    }

    /** The record of {@code p}, cleaned as {@link #clean} cleans (built once: this runs for every call). */
    CallRecord assemble(PendingCall p) {
        Collection<String> keys = secrets.get();
        var s = p.start;
        CallRecord.Builder b = begin(s.callId(), s.variant(), s.invocation(), p.span, keys).streaming(s.streaming());
        if (logContent) {
            List<MessageRecord> messages = new ArrayList<>(s.request().messages().size());
            for (ChatMessage m : s.request().messages()) {
                messages.add(redacted(MessageRecord.of(m), keys));
            }
            b.requestMessages(messages);
        }
        CallResult r = p.result;
        if (r != null) {
            ChatResponse resp = r.response();
            Usage u = resp.usage();
            b.status(CallRecord.Status.SUCCESS).startedAt(r.startedAt()).endedAt(r.startedAt().plus(r.latency()))
                    .latencyMs(r.latency().toMillis()).attempts(attempts(r.attempts(), keys))
                    .provider(r.answeredBy().provider()).model(r.answeredBy().model()).responseModel(resp.model())
                    .finishReason(resp.finishReason() == null ? null : resp.finishReason().wireName())
                    .timeToFirstTokenMs(r.timeToFirstChunk() == null ? null : r.timeToFirstChunk().toMillis())
                    .inputTokens(u.inputTokens()).outputTokens(u.outputTokens()).cachedTokens(u.cachedInputTokens())
                    .costUsd(prices.cost(r.answeredBy().provider(), r.answeredBy().model(), resp.model(), u));
            if (logContent) {
                b.reply(redactor.apply(MessageRecord.of(resp.message()).content(), keys));
            }
        } else {
            failed(b, p, s.variant().config().model().provider(), s.request().model(), keys);
            if (p.firstChunkNanos != 0) {
                b.timeToFirstTokenMs((p.firstChunkNanos - p.startNanos) / 1_000_000);
            }
        }
        return b.build();
    }

    /**
     * The record of an embeddings call: its inputs as request messages of role {@code input} (when content is logged),
     * no reply, the input tokens and their cost.
     */
    CallRecord assemble(PendingEmbeddings p) {
        Collection<String> keys = secrets.get();
        var s = p.start;
        CallRecord.Builder b = begin(s.callId(), s.variant(), s.invocation(), p.span, keys).streaming(false);
        if (logContent) {
            List<MessageRecord> messages = new ArrayList<>(s.request().inputs().size());
            for (String input : s.request().inputs()) {
                messages.add(new MessageRecord("input", redactor.apply(input, keys)));
            }
            b.requestMessages(messages);
        }
        EmbeddingsResult r = p.result;
        if (r != null) {
            Usage u = r.response().usage();
            b.status(CallRecord.Status.SUCCESS).startedAt(r.startedAt()).endedAt(r.startedAt().plus(r.latency()))
                    .latencyMs(r.latency().toMillis()).attempts(attempts(r.attempts(), keys))
                    .provider(r.answeredBy().provider()).model(r.answeredBy().model()).responseModel(r.response().model())
                    .inputTokens(u.inputTokens())
                    .costUsd(prices.cost(r.answeredBy().provider(), r.answeredBy().model(), r.response().model(), u));
        } else {
            failed(b, p, s.variant().config().model().provider(), s.request().model(), keys);
        }
        return b.build();
    }

    /** A record's builder with what every call has: id, origin, deployment, variant, version, context, metadata, trace. */
    private CallRecord.Builder begin(String callId, ResolvedVariant v, Invocation inv, SpanContext span, Collection<String> keys) {
        CallRecord.Builder b = CallRecord.builder(callId).origin(origin)
                .deployment(v.deployment()).variant(v.variant()).version(v.version())
                .context(mask(inv.context(), keys)).metadata(mask(inv.metadata(), keys));
        if (span != null && span.isValid()) {
            b.traceId(span.getTraceId()).spanId(span.getSpanId());
        }
        return b;
    }

    /** Fills in a failed call: its times, attempts, the provider and model tried last (else the primary) and the error. */
    private void failed(CallRecord.Builder b, PendingRecord p, String primaryProvider, String primaryModel, Collection<String> keys) {
        List<Attempt> a = p.attempts == null ? List.of() : p.attempts;
        Attempt last = a.isEmpty() ? null : a.get(a.size() - 1);
        b.status(CallRecord.Status.ERROR).startedAt(Instant.ofEpochMilli(p.startMillis)).endedAt(Instant.ofEpochMilli(p.endMillis))
                .latencyMs((p.endNanos - p.startNanos) / 1_000_000).attempts(attempts(a, keys))
                .provider(last != null ? last.provider() : primaryProvider)
                .model(last != null ? last.model() : primaryModel)
                .errorType(ErrorTypes.of(p.error))
                .errorMessage(p.error == null ? null : redactor.apply(String.valueOf(p.error.getMessage()), keys));
    }

    private List<AttemptRecord> attempts(List<Attempt> attempts, Collection<String> keys) {
        List<AttemptRecord> out = new ArrayList<>(attempts.size());
        for (Attempt a : attempts) {
            out.add(redacted(AttemptRecord.of(a), keys));
        }
        return out;
    }

    private MessageRecord redacted(MessageRecord m, Collection<String> keys) {
        return m.withContent(redactor.apply(m.content(), keys));
    }

    private AttemptRecord redacted(AttemptRecord a, Collection<String> keys) {
        return a.error() == null ? a : a.withError(redactor.apply(a.error(), keys));
    }

    /** {@code r} with credentials masked, redaction rules applied and, when content logging is off, no contents. */
    CallRecord clean(CallRecord r) {
        Collection<String> keys = secrets.get();
        CallRecord.Builder b = r.toBuilder()
                .errorMessage(redactor.apply(r.errorMessage(), keys))
                .context(mask(r.context(), keys))
                .metadata(mask(r.metadata(), keys));
        List<AttemptRecord> attempts = new ArrayList<>(r.attempts().size());
        for (AttemptRecord a : r.attempts()) {
            attempts.add(redacted(a, keys));
        }
        b.attempts(attempts);
        if (!logContent) {
            return b.requestMessages(null).reply(null).build();
        }
        if (r.requestMessages() != null) {
            List<MessageRecord> messages = new ArrayList<>(r.requestMessages().size());
            for (MessageRecord m : r.requestMessages()) {
                messages.add(redacted(m, keys));
            }
            b.requestMessages(messages);
        }
        return b.reply(redactor.apply(r.reply(), keys)).build();
    }

    private static Map<String, String> mask(Map<String, String> m, Collection<String> keys) {
        if (m.isEmpty() || keys.isEmpty()) {
            return m;
        }
        Map<String, String> out = new LinkedHashMap<>(m.size());
        m.forEach((k, v) -> out.put(k, Redactor.maskSecrets(v, keys)));
        return out;
    }
}
