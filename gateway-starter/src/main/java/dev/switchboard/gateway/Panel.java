package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.time.Clock;
import java.util.Optional;

/**
 * The panel: its static files under {@code /ui/} and its sign-in, and the cookie authentication the rest of
 * the gateway accepts in place of an admin key.
 *
 * <pre>
 * GET    /ui/                 the single-page app (index.html); /ui redirects here
 * GET    /ui/{file}           its files; /ui/webjars/{name}/{version}/{file} serves WebJars from the class path
 * GET    /ui/api/session      {"authenticated": true, "csrf_token": "…", "expires_at": "…"} or {"authenticated": false}
 * POST   /ui/api/session      {"key": "&lt;admin key&gt;"} → 201 and the cookie sb_session (HttpOnly, SameSite=Strict, Path=/)
 * DELETE /ui/api/session      signs out (needs X-CSRF-Token)
 * </pre>
 *
 * <p>A request carrying a live {@code sb_session} cookie and no {@code Authorization} header is treated as
 * made with an admin key ({@link Exchange#panelSession()}), provided that, for POST, PUT, PATCH and DELETE,
 * its {@code X-CSRF-Token} header equals the session's token and its {@code Origin} (when sent) is the
 * gateway's own; otherwise it is refused with 403. With {@code gateway.panel.enabled: false} nothing under
 * {@code /ui} is served and cookies are ignored. Thread-safe.
 */
final class Panel {
    static final String ROOT = "/ui";
    static final String SESSION = "/ui/api/session";
    static final String COOKIE = "sb_session";
    static final String CSRF_HEADER = "x-csrf-token";
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
    private final PanelSettings settings;
    private final ApiKeys adminKeys;
    private final PanelSessions sessions;
    private final PanelFiles files = new PanelFiles(Panel.class.getClassLoader());
    private final LoginLimiter limiter = new LoginLimiter(20, 60_000);

    Panel(PanelSettings settings, ApiKeys adminKeys) {
        this.settings = settings;
        this.adminKeys = adminKeys;
        this.sessions = new PanelSessions(settings.sessionIdle(), settings.sessionMaxAge(), 1000, Clock.systemUTC());
    }

    /** Whether {@code path} is under {@code /ui}. */
    static boolean owns(String path) {
        return path.equals(ROOT) || path.startsWith(ROOT + "/");
    }

    /** The session store (tests). */
    PanelSessions sessions() {
        return sessions;
    }

    /**
     * Attaches the session of the request's cookie to {@code ex}, if any, checking CSRF token and origin
     * for state-changing methods. A request with an {@code Authorization} header is left to the key checks.
     *
     * @throws GatewayException 403 when a write made with a live session lacks the CSRF token or comes from another origin
     */
    void authenticate(Exchange ex) {
        if (!settings.enabled() || ex.requestHeaders().contains(HttpHeaderNames.AUTHORIZATION)
                || (ex.path().equals(SESSION) && HttpMethod.POST.equals(ex.method()))) {
            return;
        }
        Optional<PanelSessions.Session> s = sessions.find(cookie(ex));
        if (s.isEmpty()) {
            return;
        }
        if (unsafe(ex.method())) {
            if (!sameOrigin(ex)) {
                throw forbidden("cross_origin", "cross-origin request refused: Origin does not match this gateway");
            }
            if (!s.get().csrfMatches(ex.requestHeaders().get(CSRF_HEADER))) {
                throw forbidden("csrf_token_invalid", "missing or wrong X-CSRF-Token header for a request made with the panel session");
            }
        }
        ex.panelSession(s.get());
    }

    /** Serves a request under {@code /ui}. */
    void handle(Exchange ex) {
        if (!settings.enabled()) {
            throw GatewayException.notFound(null, "unknown_url", "the panel is switched off (gateway.panel.enabled: false)");
        }
        String path = ex.path();
        if (path.equals(SESSION)) {
            session(ex);
            return;
        }
        if (path.startsWith(ROOT + "/api/")) {
            throw GatewayException.notFound(null, "unknown_url", "no panel endpoint at " + path);
        }
        if (!HttpMethod.GET.equals(ex.method()) && !HttpMethod.HEAD.equals(ex.method())) {
            ex.header(HttpHeaderNames.ALLOW, "GET, HEAD");
            throw new GatewayException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request_error", null, "method_not_allowed",
                    ex.method() + " is not allowed on " + path + " (allowed: GET, HEAD)");
        }
        if (path.equals(ROOT)) {
            ex.header(HttpHeaderNames.LOCATION, ROOT + "/");
            ex.send(HttpResponseStatus.FOUND, "text/plain; charset=utf-8", new byte[0]);
            return;
        }
        String rel = path.substring(ROOT.length() + 1);
        PanelFiles.Asset a = files.find(rel.isEmpty() ? "index.html" : rel)
                .orElseThrow(() -> GatewayException.notFound(null, "unknown_url", "no panel file at " + path));
        ex.header(HttpHeaderNames.ETAG, a.etag())
                .header(HttpHeaderNames.CACHE_CONTROL, a.immutable() ? "public, max-age=31536000, immutable" : "no-cache")
                .header("x-content-type-options", "nosniff")
                .header("referrer-policy", "no-referrer")
                .header("x-frame-options", "DENY")
                .header("content-security-policy", CSP);
        String match = ex.requestHeaders().get(HttpHeaderNames.IF_NONE_MATCH);
        if (match != null && (match.contains(a.etag()) || match.trim().equals("*"))) {
            ex.send(HttpResponseStatus.NOT_MODIFIED, a.contentType(), new byte[0]);
            return;
        }
        ex.send(HttpResponseStatus.OK, a.contentType(), a.bytes());
    }

    private void session(Exchange ex) {
        ex.header(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpMethod m = ex.method();
        if (HttpMethod.GET.equals(m)) {
            PanelSessions.Session s = ex.panelSession();
            ex.sendJson(HttpResponseStatus.OK, GatewayJson.bytes(s == null ? GatewayJson.object().put("authenticated", false) : describe(s)));
        } else if (HttpMethod.POST.equals(m)) {
            signIn(ex);
        } else if (HttpMethod.DELETE.equals(m)) {
            PanelSessions.Session s = ex.panelSession();
            if (s != null) {
                sessions.remove(s.id());
            }
            ex.header(HttpHeaderNames.SET_COOKIE, cookieHeader(ex, "", 0));
            ex.sendJson(HttpResponseStatus.OK, GatewayJson.bytes(GatewayJson.object().put("authenticated", false)));
        } else {
            ex.header(HttpHeaderNames.ALLOW, "GET, POST, DELETE");
            throw new GatewayException(HttpResponseStatus.METHOD_NOT_ALLOWED, "invalid_request_error", null, "method_not_allowed",
                    m + " is not allowed on " + SESSION + " (allowed: GET, POST, DELETE)");
        }
    }

    private void signIn(Exchange ex) {
        if (!sameOrigin(ex)) {
            throw forbidden("cross_origin", "cross-origin sign-in refused: Origin does not match this gateway");
        }
        if (adminKeys.isEmpty()) {
            throw forbidden("admin_disabled", "the panel needs an admin key: configure gateway.admin_keys (sha256 hashes, printed by --hash-key <key>)");
        }
        ObjectNode body = GatewayJson.parseObject(ex.body());
        JsonNode key = body.get("key");
        if (key == null || !key.isTextual() || key.textValue().isBlank()) {
            throw GatewayException.badRequest("key", "key is required: one of the gateway's admin keys");
        }
        if (!limiter.allow()) {
            throw new GatewayException(HttpResponseStatus.TOO_MANY_REQUESTS, "rate_limit_error", null, "too_many_sign_ins",
                    "too many failed sign-ins; wait a minute");
        }
        if (!adminKeys.accepts(key.textValue().trim())) {
            limiter.failed();
            throw new GatewayException(HttpResponseStatus.UNAUTHORIZED, "authentication_error", "key", "invalid_api_key", "invalid admin key");
        }
        sessions.remove(cookie(ex)); // never keep a session id the browser had before signing in
        PanelSessions.Session s = sessions.create();
        ex.header(HttpHeaderNames.SET_COOKIE, cookieHeader(ex, s.id(), -1));
        ex.sendJson(HttpResponseStatus.CREATED, GatewayJson.bytes(describe(s)));
    }

    private ObjectNode describe(PanelSessions.Session s) {
        return GatewayJson.object().put("authenticated", true).put("csrf_token", s.csrfToken())
                .put("expires_at", sessions.expiresAt(s).toString());
    }

    private static String cookieHeader(Exchange ex, String value, long maxAge) {
        DefaultCookie c = new DefaultCookie(COOKIE, value);
        c.setHttpOnly(true);
        c.setPath("/");
        c.setSameSite(CookieHeaderNames.SameSite.Strict);
        c.setSecure("https".equalsIgnoreCase(ex.requestHeaders().get("x-forwarded-proto")));
        if (maxAge >= 0) {
            c.setMaxAge(maxAge);
        }
        return ServerCookieEncoder.STRICT.encode(c);
    }

    private static String cookie(Exchange ex) {
        String header = ex.requestHeaders().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return null;
        }
        for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
            if (c.name().equals(COOKIE)) {
                return c.value();
            }
        }
        return null;
    }

    private static boolean unsafe(HttpMethod m) {
        return !HttpMethod.GET.equals(m) && !HttpMethod.HEAD.equals(m) && !HttpMethod.OPTIONS.equals(m);
    }

    /** Whether the request's {@code Origin} (or, without one, {@code Sec-Fetch-Site}) says it comes from this gateway's pages. */
    static boolean sameOrigin(Exchange ex) {
        String origin = ex.requestHeaders().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            String site = ex.requestHeaders().get("sec-fetch-site");
            return site == null || site.equals("same-origin") || site.equals("none");
        }
        for (String host : new String[] {ex.requestHeaders().get(HttpHeaderNames.HOST), ex.requestHeaders().get("x-forwarded-host")}) {
            if (host != null && (origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host))) {
                return true;
            }
        }
        return false;
    }

    private static GatewayException forbidden(String code, String message) {
        return new GatewayException(HttpResponseStatus.FORBIDDEN, "permission_error", null, code, message);
    }

    /** At most {@code max} failed sign-ins per window, for the whole gateway. Thread-safe. */
    private static final class LoginLimiter {
        private final int max;
        private final long windowMillis;
        private long windowStart;
        private int failures;

        LoginLimiter(int max, long windowMillis) {
            this.max = max;
            this.windowMillis = windowMillis;
        }

        synchronized boolean allow() {
            roll();
            return failures < max;
        }

        synchronized void failed() {
            roll();
            failures++;
        }

        private void roll() {
            long now = System.currentTimeMillis();
            if (now - windowStart >= windowMillis) {
                windowStart = now;
                failures = 0;
            }
        }
    }
}
