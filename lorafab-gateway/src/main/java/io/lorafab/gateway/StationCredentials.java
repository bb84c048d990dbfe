package io.lorafab.gateway;

import io.lorafab.gateway.basicstation.LnsProtocolException;
import io.lorafab.gateway.basicstation.StationEui;
import io.lorafab.lorawan.types.Eui64;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Who may speak for a Basics Station gateway: the per-gateway secrets a station sends from its {@code tc.key} as an
 * {@code Authorization} header (Basics Station's token mode: {@code tc.trust} and {@code tc.key} without
 * {@code tc.crt}, {@code sys_cred} in {@code src/sys.c}; the key file's {@code Name: value} lines are added to the
 * websocket upgrade request as they are, {@code validateAuthToken} in {@code src/net.c}), or a client certificate
 * whose subject CN names the gateway's EUI (mutual TLS: {@code tc.crt} and {@code tc.key}).
 *
 * <p>Secrets are kept only as SHA-256 digests and compared in constant time; no method returns or logs one.
 *
 * @param tokenDigests the SHA-256 of each gateway's token
 * @param required     whether every gateway must prove who it is (a token or a certificate); false serves any
 *                     gateway the allow-list lets in (a test bench on its own network)
 */
public record StationCredentials(Map<Eui64, byte[]> tokenDigests, boolean required) {

    /** Nothing required: any gateway the allow-list admits. */
    public static final StationCredentials NONE = new StationCredentials(Map.of(), false);

    public StationCredentials {
        tokenDigests = Map.copyOf(tokenDigests);
    }

    /**
     * Reads the lines of a credentials file: {@code EUI SHA256-HEX} (the SHA-256 of the gateway's token, e.g. from
     * {@code printf %s TOKEN | sha256sum}); {@code #} starts a comment.
     *
     * @throws IllegalArgumentException one line naming the line number and what is wrong (never the digest)
     */
    public static StationCredentials parse(List<String> lines, boolean required) {
        Map<Eui64, byte[]> out = new LinkedHashMap<>();
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw;
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("line " + n + ": expected EUI and the SHA-256 of its token (64 hex digits)");
            }
            Eui64 eui;
            try {
                eui = StationEui.parse(parts[0], "line " + n);
            } catch (LnsProtocolException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            if (!parts[1].matches("(?i)[0-9a-f]{64}")) {
                throw new IllegalArgumentException("line " + n + ": the token digest must be 64 hex digits (SHA-256)");
            }
            if (out.put(eui, HexFormat.of().parseHex(parts[1].toLowerCase(java.util.Locale.ROOT))) != null) {
                throw new IllegalArgumentException("line " + n + ": gateway " + eui + " is listed twice");
            }
        }
        return new StationCredentials(out, required);
    }

    /** The hex SHA-256 of a token, as the credentials file holds it. */
    public static String digestHex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /**
     * Whether {@code eui} proved who it is, or need not: a certificate (already verified by TLS) whose CN is the EUI,
     * or an {@code Authorization} value ({@code Bearer TOKEN} or {@code TOKEN}) whose token has the gateway's digest.
     */
    public boolean admits(Eui64 eui, Optional<String> authorization, Optional<X509Certificate> clientCertificate) {
        if (clientCertificate.isPresent() && certificateNames(clientCertificate.get(), eui)) {
            return true;
        }
        byte[] want = tokenDigests.get(eui);
        if (authorization.isPresent() && want != null) {
            String v = authorization.get().strip();
            if (v.regionMatches(true, 0, "Bearer ", 0, 7)) {
                v = v.substring(7).strip();
            }
            return MessageDigest.isEqual(want, sha256(v));
        }
        return !required && want == null;
    }

    /** Whether the certificate's subject CN is {@code eui} in any EUI form. */
    public static boolean certificateNames(X509Certificate cert, Eui64 eui) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    try {
                        return StationEui.parse(String.valueOf(rdn.getValue()), "CN").equals(eui);
                    } catch (LnsProtocolException e) {
                        return false;
                    }
                }
            }
        } catch (InvalidNameException e) {
            return false;
        }
        return false;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "StationCredentials[" + tokenDigests.size() + " gateway token(s), required=" + required + "]";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
