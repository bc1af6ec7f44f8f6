package dev.switchboard.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The panel's server-side session store. A session is created when an admin key is exchanged at
 * {@code POST /ui/api/session}; its id (256 random bits, base64url) travels only in an HttpOnly,
 * SameSite=Strict cookie, and its CSRF token (another 256 random bits) is handed to the page, which sends it
 * as {@code X-CSRF-Token} with every state-changing request.
 *
 * <pre>{@code
 * PanelSessions sessions = new PanelSessions(Duration.ofMinutes(30), Duration.ofHours(12), 1000, Clock.systemUTC());
 * PanelSessions.Session s = sessions.create();
 * sessions.find(s.id()).isPresent();        // true until idle for 30 min, 12 h old, or removed
 * }</pre>
 *
 * <p>Sessions expire after {@code idle} without use and {@code maxAge} after creation, whichever comes first;
 * when {@code capacity} sessions exist, creating one evicts the one used least recently. The store keeps
 * only SHA-256 digests of session ids. Thread-safe.
 */
final class PanelSessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> byDigest = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Duration maxAge;
    private final int capacity;
    private final Clock clock;

    PanelSessions(Duration idle, Duration maxAge, int capacity, Clock clock) {
        this.idle = idle;
        this.maxAge = maxAge;
        this.capacity = capacity;
        this.clock = clock;
    }

    /**
     * One signed-in panel. The id is known only to the cookie (and this object); {@link #csrfToken()} must
     * accompany every write made with it.
     */
    static final class Session {
        private final String id;
        private final String csrfToken;
        private final Instant created;
        private volatile Instant lastUsed;

        private Session(String id, String csrfToken, Instant created) {
            this.id = id;
            this.csrfToken = csrfToken;
            this.created = created;
            this.lastUsed = created;
        }

        String id() {
            return id;
        }

        String csrfToken() {
            return csrfToken;
        }

        Instant created() {
            return created;
        }

        /** Whether {@code presented} is this session's CSRF token (constant-time comparison). */
        boolean csrfMatches(String presented) {
            return presented != null && MessageDigest.isEqual(csrfToken.getBytes(StandardCharsets.US_ASCII),
                    presented.trim().getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A new session; evicts expired sessions, and the least recently used one when full. */
    Session create() {
        Instant now = clock.instant();
        byDigest.values().removeIf(s -> expired(s, now));
        while (byDigest.size() >= capacity) {
            byDigest.values().stream().min(Comparator.comparing(s -> s.lastUsed))
                    .ifPresent(oldest -> byDigest.remove(digest(oldest.id)));
        }
        Session s = new Session(random(), random(), now);
        byDigest.put(digest(s.id), s);
        return s;
    }

    /** The live session with this id, marked as used now; empty when unknown or expired. */
    Optional<Session> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        String d = digest(id);
        Session s = byDigest.get(d);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            byDigest.remove(d);
            return Optional.empty();
        }
        s.lastUsed = now;
        return Optional.of(s);
    }

    /** Ends the session with this id (log-out); nothing happens when there is none. */
    void remove(String id) {
        if (id != null) {
            byDigest.remove(digest(id));
        }
    }

    /** How many sessions are kept (expired ones included until they are next looked at). */
    int size() {
        return byDigest.size();
    }

    /** When {@code s} expires if it is not used again. */
    Instant expiresAt(Session s) {
        Instant byIdle = s.lastUsed.plus(idle);
        Instant byAge = s.created.plus(maxAge);
        return byIdle.isBefore(byAge) ? byIdle : byAge;
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(expiresAt(s));
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String digest(String id) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
