package io.lorafab.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Set;

/**
 * The public key a file is encrypted to: RSA of at least 2048 bits (RSA-OAEP-256) or EC on P-256, P-384 or P-521
 * (ECDH-ES), read from a PEM "PUBLIC KEY" (SubjectPublicKeyInfo, what {@code openssl pkey -pubout} writes) or from an
 * X.509 "CERTIFICATE". Its {@link #thumbprint()} (RFC 7638, SHA-256) names it in the JWE's {@code kid} and in the
 * audit record, so the recipient can tell which of their keys opens a file.
 *
 * <p>Text holding a private key is refused whole, whatever else it holds: a recipient's private key never reaches
 * lorafab, not even by mistake in a combined PEM.
 */
public final class RecipientKey {

    /** Below this an RSA key is refused: NIST SP 800-57 retires 1024-bit RSA, and 2048 is the floor JOSE profiles name. */
    public static final int MIN_RSA_BITS = 2048;
    private static final Set<Curve> CURVES = Set.of(Curve.P_256, Curve.P_384, Curve.P_521);
    private static final String WANTED = "give the recipient's public key as PEM 'PUBLIC KEY' (openssl pkey -in KEY -pubout) "
            + "or its X.509 certificate";

    private final JWK jwk;
    private final JWEAlgorithm algorithm;
    private final String description;

    private RecipientKey(JWK jwk, JWEAlgorithm algorithm, String description) {
        this.jwk = jwk;
        this.algorithm = algorithm;
        this.description = description;
    }

    /**
     * The first public key or certificate of a PEM text.
     *
     * @throws JweException one line: a private key, no PEM, an unsupported key type, a short RSA key, another curve
     */
    public static RecipientKey fromPem(String text) {
        if (text == null || text.isBlank()) {
            throw new JweException("no recipient key: " + WANTED);
        }
        for (String label : Pem.labels(text)) {
            if (Pem.isPrivateKeyLabel(label)) {
                throw new JweException("that is a private key ('" + label + "'), which never leaves its owner: " + WANTED);
            }
        }
        List<Pem> blocks = Pem.blocks(text);
        if (blocks.isEmpty()) {
            throw new JweException("not a PEM public key or certificate: " + WANTED);
        }
        Pem first = blocks.get(0);
        return switch (first.label()) {
            case "PUBLIC KEY" -> of(publicKey(first.der()));
            case "CERTIFICATE" -> of(certificate(first.der()).getPublicKey());
            case "RSA PUBLIC KEY" -> throw new JweException("a PKCS#1 'RSA PUBLIC KEY': convert it with "
                    + "openssl rsa -RSAPublicKey_in -in KEY -pubout, or " + WANTED);
            default -> throw new JweException("a PEM '" + first.label() + "' is not a public key: " + WANTED);
        };
    }

    /** The recipient for a public key already read (RSA ≥ 2048 bits, or EC P-256/P-384/P-521). */
    public static RecipientKey of(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new JweException("the RSA key has " + bits + " bits; at least " + MIN_RSA_BITS + " are needed");
            }
            return new RecipientKey(new RSAKey.Builder(rsa).build(), JWEAlgorithm.RSA_OAEP_256, "RSA " + bits);
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null || !CURVES.contains(curve)) {
                throw new JweException("the EC key is on a curve JWE here does not take; use P-256, P-384 or P-521");
            }
            return new RecipientKey(new ECKey.Builder(curve, ec).build(), JWEAlgorithm.ECDH_ES, "EC " + curve.getName());
        }
        throw new JweException("a " + key.getAlgorithm() + " key cannot be a recipient here; use RSA (2048 bits or more) "
                + "or EC P-256, P-384 or P-521");
    }

    private static PublicKey publicKey(byte[] spki) {
        for (String type : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(spki));
            } catch (GeneralSecurityException e) {
                // not this type: try the next, then say which types are taken
            }
        }
        throw new JweException("the public key is neither RSA nor EC (P-256, P-384, P-521), or is malformed: " + WANTED);
    }

    private static X509Certificate certificate(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new JweException("the certificate is malformed: " + WANTED);
        }
    }

    /** The RFC 7638 JWK thumbprint (SHA-256, base64url): the JWE's {@code kid} and the key's name in the audit. */
    public String thumbprint() {
        try {
            return jwk.computeThumbprint("SHA-256").toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** "RSA-OAEP-256" or "ECDH-ES": the JWE's {@code alg}. */
    public String algorithm() {
        return algorithm.getName();
    }

    /** "RSA 3072" or "EC P-256": what a person is told the file was encrypted to, with the thumbprint. */
    public String description() {
        return description;
    }

    /** The recipient as a public JWK (JSON): what {@code kid} is the thumbprint of. */
    public String toPublicJwk() {
        return jwk.toPublicJWK().toJSONString();
    }

    JWEAlgorithm jweAlgorithm() {
        return algorithm;
    }

    JWEEncrypter encrypter() {
        try {
            return jwk instanceof RSAKey rsa ? new RSAEncrypter(rsa) : new ECDHEncrypter((ECKey) jwk);
        } catch (JOSEException e) {
            throw new JweException("the recipient key cannot be used for encryption");
        }
    }

    @Override
    public String toString() {
        return description + " " + thumbprint();
    }
}
