package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.runtime.calllog.CallLog;
import dev.switchboard.runtime.calllog.CallLogIngest;
import dev.switchboard.runtime.calllog.CallLogQuery;
import dev.switchboard.runtime.calllog.CallRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v2/logs/ingest}: call records reported by applications in configuration-management mode (see
 * {@link IngestRecords} for the body, {@link ReportAccess} for the key). The body may be gzip
 * ({@code Content-Encoding: gzip}; it may inflate to {@value GzipBodies#INFLATION}× {@code gateway.max_body_bytes}).
 * Records are cleaned by the gateway's call log (configured secrets masked, its redaction rules, contents dropped
 * when it does not capture them) and stored before the answer, idempotently by id: a batch sent twice is stored
 * once; new records reach the panel's live tail. A store that cannot take them answers 503, so the application
 * keeps them and sends them again. (A store that cannot ingest idempotently gets them through the call log's
 * queue instead, and the answer says {@code queued}.)
 *
 * <pre>{"object": "ingest", "received": 200, "stored": 180, "duplicates": 20}</pre>
 *
 * 404 {@code call_log_disabled} when the gateway keeps no call log. Parsing and storing run off the event loop.
 * Stateless and thread-safe.
 */
final class IngestEndpoint {
    static final String PATH = "/v2/logs/ingest";
    private final GatewayContext gw;

    IngestEndpoint(GatewayContext gw) {
        this.gw = gw;
    }

    void handle(Exchange ex) {
        CallLog log = callLog(gw);
        CallLogQuery store = gw.observability().query();
        String origin = headerOrigin(ex);
        long max = (long) gw.settings().maxBodyBytes() * GzipBodies.INFLATION;
        LogWork.run(ex, () -> {
            List<CallRecord> records = IngestRecords.read(GzipBodies.body(ex, max), origin);
            List<CallRecord> clean = new ArrayList<>(records.size());
            records.forEach(r -> clean.add(log.clean(r)));
            ObjectNode out = GatewayJson.object().put("object", "ingest").put("received", records.size());
            if (store instanceof CallLogIngest ingest) {
                int stored = ingest.ingest(clean);
                out.put("stored", stored).put("duplicates", records.size() - stored);
                if (stored > 0) {
                    gw.observability().tail().publish(clean);
                }
            } else {
                int queued = 0;
                for (CallRecord r : clean) {
                    queued += log.record(r) ? 1 : 0;
                }
                out.put("queued", queued);
            }
            return GatewayJson.bytes(out);
        });
    }

    /** The gateway's call log. @throws GatewayException 404 when there is none */
    static CallLog callLog(GatewayContext gw) {
        CallLog log = gw.observability().callLog();
        if (log == null) {
            throw GatewayException.notFound(null, "call_log_disabled",
                    "this gateway keeps no call log (gateway.call_log.enabled is false, or the Switchboard was passed in built)");
        }
        return log;
    }

    /** {@code app/instance} from {@code x-switchboard-app} and {@code x-switchboard-instance}, or null; malformed values are ignored. */
    static String headerOrigin(Exchange ex) {
        String app = ex.requestHeaders().get("x-switchboard-app");
        if (app == null || !app.matches("[A-Za-z0-9_.-]{1,64}")) {
            return null;
        }
        String instance = ex.requestHeaders().get("x-switchboard-instance");
        boolean ok = instance != null && !instance.isBlank() && instance.length() <= 128 && !instance.contains("/")
                && instance.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        return ok ? app + "/" + instance.trim() : app;
    }
}
