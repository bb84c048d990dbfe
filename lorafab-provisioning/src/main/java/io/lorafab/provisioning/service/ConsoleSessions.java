package io.lorafab.provisioning.service;

import io.lorafab.store.Registry;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.ConsoleSession;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.SignInCode;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The web console's sessions: the rules of signing in with an API token (or a one-time code made for one), of
 * how long a session lasts, and of ending it. The console adapter only carries the session id in a cookie and the
 * CSRF secret in its forms; everything it decides about a session is decided here.
 *
 * <p>A session lasts at most {@link #ABSOLUTE} from sign-in and ends after {@link #IDLE} without a request, both by
 * the injected clock. It ends with its token: a revoked token's sessions are deleted on their next request. Only the
 * SHA-256 of a session id or of a code is stored; neither, nor a token secret, is ever logged or audited. Audited:
 * {@code console.sign_in}, {@code console.sign_out} and {@code console.sign_in_code} (subject {@code token:<id>}).
 */
public final class ConsoleSessions {
    public static final Duration IDLE = Duration.ofHours(8);
    public static final Duration ABSOLUTE = Duration.ofHours(24);
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(15);
    /** Last-seen is written at most this often: a station screen polling every few seconds must not write each time. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final Registry registry;
    private final ApiTokens tokens;
    private final Clock clock;
    private final SecureRandom random;

    public ConsoleSessions(Registry registry, ApiTokens tokens, Clock clock, SecureRandom random) {
        this.registry = registry;
        this.tokens = tokens;
        this.clock = clock;
        this.random = random;
    }

    /** Who is signed in: the token's id, name and role. */
    public record Principal(long tokenId, String name, Role role) {
        /** The actor of audit records, as the HTTP API writes it. */
        public String actor() {
            return "token:" + tokenId + ":" + name;
        }
    }

    /** A session in use: its holder, the secret its forms must carry, and when it ends at the latest. */
    public record Active(Principal principal, String csrfSecret, Instant expiresAt) {
        @Override
        public String toString() {
            return "Active[" + principal + ", expires " + expiresAt + "]";
        }
    }

    /** A session just opened: its id (for the cookie, shown nowhere else) and the session. */
    public record Opened(String sessionId, Active session) {
        @Override
        public String toString() {
            return "Opened[" + session + "]";
        }
    }

    /** Why a sign-in was refused, in words for the person at the screen. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Why a session could not be resumed: the console shows "signed out" or "session expired" accordingly. */
    public enum Ended { NONE, EXPIRED, REVOKED }

    /** The outcome of {@link #resume}: the session, or why there is none. */
    public record Resumed(Active session, Ended ended) {
        public boolean ok() {
            return session != null;
        }
    }

    /**
     * Opens a session for the active token with this secret.
     *
     * @throws Refused for an unknown or revoked token, or one of the network-server role
     */
    public Opened signIn(String tokenSecret) {
        String s = tokenSecret == null ? "" : tokenSecret.strip();
        if (s.isEmpty()) {
            throw new Refused("enter an API token (lft_...)");
        }
        ApiToken t = tokens.authenticate(s)
                .orElseThrow(() -> new Refused("that token is not known or has been revoked"));
        return open(t, "token");
    }

    private Opened open(ApiToken t, String how) {
        if (t.role() == Role.NETWORK_SERVER) {
            throw new Refused("a network-server token cannot sign in to the console: use an operator, engineer or admin token");
        }
        Instant now = clock.instant();
        String id = randomId();
        ConsoleSession row = new ConsoleSession(hash(id), t.id(), randomId(), now, now, now.plus(ABSOLUTE));
        Principal p = new Principal(t.id(), t.name(), t.role());
        registry.transaction(r -> {
            r.purgeConsoleSessions(now, now.minus(IDLE));
            r.insertConsoleSession(row);
            r.audit(p.actor(), "console.sign_in", "token:" + t.id(), "with=" + how);
            return null;
        });
        return new Opened(id, new Active(p, row.csrfSecret(), row.expiresAt()));
    }

    /**
     * The session with this id if it is still open: not past its end, not idle too long, its token active. A
     * session found ended is deleted.
     */
    public Resumed resume(String sessionId) {
        if (sessionId == null || sessionId.isEmpty() || sessionId.length() > 100) {
            return new Resumed(null, Ended.NONE);
        }
        String h = hash(sessionId);
        Optional<ConsoleSession> found = registry.consoleSession(h);
        if (found.isEmpty()) {
            return new Resumed(null, Ended.NONE);
        }
        ConsoleSession s = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(s.expiresAt()) || !now.isBefore(s.lastSeenAt().plus(IDLE))) {
            registry.deleteConsoleSession(h);
            return new Resumed(null, Ended.EXPIRED);
        }
        Optional<ApiToken> t = registry.token(s.tokenId());
        if (t.isEmpty() || t.get().revokedAt() != null) {
            registry.deleteConsoleSessionsOfToken(s.tokenId());
            return new Resumed(null, Ended.REVOKED);
        }
        if (!now.isBefore(s.lastSeenAt().plus(TOUCH_EVERY))) {
            registry.touchConsoleSession(h, now);
        }
        ApiToken token = t.get();
        return new Resumed(new Active(new Principal(token.id(), token.name(), token.role()), s.csrfSecret(), s.expiresAt()),
                null);
    }

    /** Ends the session with this id, if it is open. */
    public void signOut(String sessionId) {
        if (sessionId == null || sessionId.isEmpty() || sessionId.length() > 100) {
            return;
        }
        String h = hash(sessionId);
        registry.transaction(r -> {
            Optional<ConsoleSession> s = r.consoleSession(h);
            if (s.isPresent() && r.deleteConsoleSession(h)) {
                String actor = r.token(s.get().tokenId()).map(t -> new Principal(t.id(), t.name(), t.role()).actor())
                        .orElse("token:" + s.get().tokenId());
                r.audit(actor, "console.sign_out", "token:" + s.get().tokenId(), null);
            }
            return null;
        });
    }

    /** Whether {@code given} is this session's CSRF secret (compared in constant time). */
    public static boolean csrfMatches(Active session, String given) {
        return given != null && MessageDigest.isEqual(session.csrfSecret().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * A code that signs in as the active token {@code tokenId} once, within {@link #CODE_LIFETIME}: for a link
     * printed by the demo or handed to a station screen, so that the token's secret is not typed there.
     *
     * @throws Refused if there is no such active token
     */
    public String createSignInCode(long tokenId, String actor) {
        ApiToken t = registry.token(tokenId).filter(x -> x.revokedAt() == null)
                .orElseThrow(() -> new Refused("no active token " + tokenId));
        if (t.role() == Role.NETWORK_SERVER) {
            throw new Refused("a network-server token cannot sign in to the console");
        }
        Instant now = clock.instant();
        String code = randomId();
        registry.transaction(r -> {
            r.insertSignInCode(new SignInCode(hash(code), t.id(), now, now.plus(CODE_LIFETIME), null));
            r.audit(actor, "console.sign_in_code", "token:" + t.id(), "valid_minutes=" + CODE_LIFETIME.toMinutes());
            return null;
        });
        return code;
    }

    /** Whether this code could still sign in (unused, not expired, its token active); uses nothing. */
    public boolean codeUsable(String code) {
        return usableCode(code).isPresent();
    }

    private Optional<ApiToken> usableCode(String code) {
        if (code == null || code.isEmpty() || code.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return registry.signInCode(hash(code))
                .filter(c -> c.usedAt() == null && now.isBefore(c.expiresAt()))
                .flatMap(c -> registry.token(c.tokenId()))
                .filter(t -> t.revokedAt() == null);
    }

    /**
     * Opens a session with a one-time code, using it up.
     *
     * @throws Refused if the code is unknown, used, expired, or its token revoked
     */
    public Opened signInWithCode(String code) {
        ApiToken t = usableCode(code).orElseThrow(() -> new Refused(
                "this sign-in link has been used or has expired: ask for a new one, or sign in with a token"));
        if (!registry.useSignInCode(hash(code), clock.instant())) {
            throw new Refused("this sign-in link has been used: ask for a new one, or sign in with a token");
        }
        return open(t, "code");
    }

    private String randomId() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String hash(String s) {
        return ApiTokens.hash(s);
    }
}
