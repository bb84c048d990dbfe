package io.lorafab.provisioning.service;

import io.lorafab.store.Registry;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.Names;
import io.lorafab.store.model.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * API tokens: a random secret shown once ({@code lft_} + 43 base64url characters, 256 bits); only its
 * SHA-256 is stored, so a leaked database does not leak working tokens. The HTTP API and the command line create
 * and revoke tokens here, under the same naming rule, audited {@code token.create} / {@code token.revoke} with
 * subject {@code token:<id>}.
 */
public final class ApiTokens {
    private static final String PREFIX = "lft_";
    private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile("lft_[A-Za-z0-9_-]{43}");
    private final Registry registry;
    private final SecureRandom random;
    private final BiConsumer<Role, String> nameRule;

    /**
     * How long a token found active is taken as active without asking the database again. Every API request is
     * authenticated, and the look-up was one database round trip per request (a reservation's costliest on
     * PostgreSQL after its own commit). A token revoked through this object is refused at once (its entries go
     * before {@link #revoke} returns); one revoked by another process on the same database (the CLI beside a running
     * server, another server instance) is refused by this one at most this long after.
     */
    static final long VERIFIED_FOR_NANOS = 1_000_000_000L;
    /** Cached tokens at most; past it the cache starts afresh (a flood of distinct valid tokens is not a workload). */
    static final int VERIFIED_MAX = 4096;

    private record Verified(ApiToken token, long until) {
    }

    /** Active tokens by the SHA-256 of their secret (never the secret), each until its time runs out. */
    private final java.util.concurrent.ConcurrentHashMap<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();
    /** Counts revocations through this object: a look-up that overlapped one does not enter the cache. */
    private long revocations;
    private final java.util.function.LongSupplier nanoTime;

    /** Tokens whose names may be anything (up to the length and character limits of every name). */
    /**
     * One digest per thread: every API request hashes its token, and {@code MessageDigest.getInstance} looks the
     * algorithm up among the security providers each time (3 % of the server's CPU in a reservation profile).
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    public ApiTokens(Registry registry, SecureRandom random) {
        this(registry, random, (role, name) -> { });
    }

    /**
     * @param nameRule refuses (throws for) a name a token of that role may not carry: a network-server token is named
     *        after the identity it speaks for, which the Backend Interfaces adapter reads from it
     */
    public ApiTokens(Registry registry, SecureRandom random, BiConsumer<Role, String> nameRule) {
        this(registry, random, nameRule, System::nanoTime);
    }

    /** With the monotonic clock that times the cache of verified tokens (tests). */
    ApiTokens(Registry registry, SecureRandom random, BiConsumer<Role, String> nameRule, java.util.function.LongSupplier nanoTime) {
        this.registry = registry;
        this.random = random;
        this.nameRule = nameRule;
        this.nanoTime = nanoTime;
    }

    /** The name a new token of {@code role} gets: {@code name} checked, or (null) the role's own name. */
    public String nameFor(Role role, String name) {
        String n = name == null ? role.display() : Names.require(name, "token name");
        nameRule.accept(role, n);
        return n;
    }

    public List<ApiToken> all() {
        return registry.tokens();
    }

    /** A new token and its secret, which is not stored and cannot be shown again. */
    public record Created(ApiToken token, String secret) {
        @Override
        public String toString() {
            return "Created[" + token + ", secret=redacted]";
        }
    }

    /**
     * A new token of {@code role}, named {@code name} (null: after the role) by the rule of {@link #nameFor}.
     */
    public Created create(String name, Role role, String actor) {
        String tokenName = nameFor(role, name);
        byte[] b = new byte[32];
        random.nextBytes(b);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        ApiToken t = registry.transaction(r -> {
            ApiToken token = r.insertToken(tokenName, role, hash(secret));
            r.audit(actor, "token.create", "token:" + token.id(), "role=" + role.display() + " name=" + tokenName);
            return token;
        });
        return new Created(t, secret);
    }

    /**
     * Whether {@code secret} has the form of a token this class makes ({@code lft_} + 43 base64url characters).
     * A client checks it before sending: a value with a line break or a stray quote would otherwise end up in
     * an HTTP library's error message, which then shows the secret.
     */
    public static boolean wellFormed(String secret) {
        return secret != null && FORM.matcher(secret).matches();
    }

    /**
     * The active token with this secret, if any: from the database, or from the cache of tokens found active there
     * within the last {@link #VERIFIED_FOR_NANOS} (see there for revocations).
     */
    public Optional<ApiToken> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        String hash = hash(secret);
        long now = nanoTime.getAsLong();
        Verified v = verified.get(hash);
        if (v != null && now - v.until() < 0) {
            return Optional.of(v.token());
        }
        long seen;
        synchronized (verified) {
            seen = revocations;
        }
        Optional<ApiToken> token = registry.tokenByHash(hash).filter(t -> t.revokedAt() == null);
        if (token.isEmpty()) {
            verified.remove(hash);
            return token;
        }
        synchronized (verified) {
            // a revocation committed meanwhile may be of this token, read before it: not cached, asked again next time
            if (seen == revocations) {
                if (verified.size() >= VERIFIED_MAX) {
                    verified.clear();
                }
                verified.put(hash, new Verified(token.get(), now + VERIFIED_FOR_NANOS));
            }
        }
        return token;
    }

    /** Revokes the token: refused by this process from the moment this returns, by others within {@link #VERIFIED_FOR_NANOS}. */
    public void revoke(long id, String actor) {
        registry.transaction(r -> {
            r.revokeToken(id);
            r.audit(actor, "token.revoke", "token:" + id, null);
            return null;
        });
        synchronized (verified) {
            revocations++;
            verified.values().removeIf(v -> v.token().id() == id);
        }
    }

    static String hash(String secret) {
        byte[] d = SHA_256.get().digest(secret.getBytes(StandardCharsets.UTF_8));
        return io.lorafab.lorawan.types.Hex.format(d);
    }
}
