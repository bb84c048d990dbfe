package io.lorafab.jose;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import java.text.ParseException;
import java.util.Objects;
import java.util.Set;

/**
 * JWE (RFC 7516) in compact serialization, as lorafab writes it for someone else's machine: {@code alg} RSA-OAEP-256 or
 * ECDH-ES by the recipient's key type, {@code enc} A256GCM, {@code cty} the inner file's format (a lorafab format ID
 * such as {@code tts-json} or {@code lfid-hex}), {@code kid} the recipient key's RFC 7638 thumbprint. Any JOSE library
 * (Nimbus, jose4j, Node's {@code jose}, step-cli) decrypts it with the recipient's private key.
 *
 * <p>Nimbus JOSE+JWT does the cryptography; lorafab only fixes the choices above and reads keys from PEM
 * ({@link RecipientKey}, {@link PrivateKeyPem}), so that an export and a flasher file are the same kind of envelope.
 */
public final class Jwe {

    /** The media type of a compact JWE (RFC 7515 §9.2.1 registers application/jose for compact serialization). */
    public static final String MEDIA_TYPE = "application/jose";
    private static final Set<JWEAlgorithm> ALGORITHMS = Set.of(JWEAlgorithm.RSA_OAEP_256, JWEAlgorithm.ECDH_ES);

    private Jwe() {
    }

    /** What {@link #decrypt} read: the plaintext and the protected header's {@code cty} and {@code kid}. */
    public record Opened(byte[] plaintext, String contentType, String keyId) {
    }

    /**
     * The plaintext encrypted to {@code recipient}; the caller wipes its plaintext afterwards.
     *
     * @param contentType the {@code cty}: the inner file's format
     */
    public static String encrypt(byte[] plaintext, RecipientKey recipient, String contentType) {
        Objects.requireNonNull(plaintext, "plaintext");
        JWEHeader header = new JWEHeader.Builder(recipient.jweAlgorithm(), EncryptionMethod.A256GCM)
                .contentType(Objects.requireNonNull(contentType, "contentType"))
                .keyID(recipient.thumbprint())
                .build();
        JWEObject jwe = new JWEObject(header, new Payload(plaintext));
        try {
            jwe.encrypt(recipient.encrypter());
        } catch (JOSEException e) {
            throw new JweException("could not encrypt to the recipient's " + recipient.description() + " key");
        }
        return jwe.serialize();
    }

    /**
     * Opens a compact JWE that lorafab's choices describe (RSA-OAEP-256 or ECDH-ES, A256GCM, no compression).
     *
     * @throws JweException not a compact JWE, another algorithm, or a key that does not open it (a wrong key and a
     *     tampered file are one answer: AES-GCM tells them apart no better)
     */
    public static Opened decrypt(String compact, PrivateKeyPem key) {
        JWEObject jwe;
        try {
            jwe = JWEObject.parse(compact.strip());
        } catch (ParseException e) {
            throw new JweException("not a JWE in compact serialization (five base64url parts separated by dots)");
        }
        JWEHeader h = jwe.getHeader();
        if (!ALGORITHMS.contains(h.getAlgorithm()) || !EncryptionMethod.A256GCM.equals(h.getEncryptionMethod())
                || h.getCompressionAlgorithm() != null) {
            throw new JweException("the JWE uses alg " + h.getAlgorithm() + " and enc " + h.getEncryptionMethod()
                    + (h.getCompressionAlgorithm() == null ? "" : " with compression")
                    + "; lorafab opens RSA-OAEP-256 or ECDH-ES with A256GCM only");
        }
        if (!key.algorithm().equals(h.getAlgorithm())) {
            throw new JweException("the file is encrypted with " + h.getAlgorithm() + " to key " + h.getKeyID()
                    + ", which this " + key.description() + " private key cannot open");
        }
        try {
            jwe.decrypt(key.decrypter());
        } catch (JOSEException e) {
            throw new JweException("this private key does not open the file (it is encrypted to key " + h.getKeyID()
                    + "), or the file was altered");
        }
        return new Opened(jwe.getPayload().toBytes(), h.getContentType(), h.getKeyID());
    }
}
