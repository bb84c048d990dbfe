package io.lorafab.provisioning.service;

import io.lorafab.store.Registry;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * API tokens: a random secret shown once ({@code lft_} + 43 base64url characters, 256 bits); only its
 * SHA-256 is stored, so a leaked database does not leak working tokens.
 */
public final class ApiTokens {
    private static final String PREFIX = "lft_";
    private static final java.util.regex.Pattern FORM = java.util.regex.Pattern.compile("lft_[A-Za-z0-9_-]{43}");
    private final Registry registry;
    private final SecureRandom random;

    public ApiTokens(Registry registry, SecureRandom random) {
        this.registry = registry;
        this.random = random;
    }

    /** A new token and its secret, which is not stored and cannot be shown again. */
    public record Created(ApiToken token, String secret) {
        @Override
        public String toString() {
            return "Created[" + token + ", secret=redacted]";
        }
    }

    public Created create(String name, Role role, String actor) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        ApiToken t = registry.transaction(r -> {
            ApiToken token = r.insertToken(name, role, hash(secret));
            r.audit(actor, "token.create", "token:" + token.id(), "role=" + role.display() + " name=" + name);
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

    /** The active token with this secret, if any. */
    public Optional<ApiToken> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        return registry.tokenByHash(hash(secret)).filter(t -> t.revokedAt() == null);
    }

    public void revoke(long id, String actor) {
        registry.transaction(r -> {
            r.revokeToken(id);
            r.audit(actor, "token.revoke", "token:" + id, null);
            return null;
        });
    }

    static String hash(String secret) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return io.lorafab.lorawan.types.Hex.format(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
