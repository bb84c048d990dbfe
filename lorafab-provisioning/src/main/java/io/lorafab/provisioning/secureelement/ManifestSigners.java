package io.lorafab.provisioning.secureelement;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The certificates a manifest's signatures must lead to, pinned by the operator: Microchip's log-signer
 * certificates themselves (an entry names its signer by {@code kid}, the base64url of the signer's Subject Key
 * Identifier, as Microchip's manifests do), or a CA whose log signers an entry carries in its protected {@code x5c}
 * header. Nothing is trusted from the manifest alone.
 */
public final class ManifestSigners {

    private static final String SUBJECT_KEY_ID = "2.5.29.14";

    private final List<X509Certificate> pinned;

    private ManifestSigners(List<X509Certificate> pinned) {
        this.pinned = List.copyOf(pinned);
    }

    /** The certificates of one or more PEM texts (several certificates per text allowed). */
    public static ManifestSigners fromPem(List<byte[]> pemTexts) {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (byte[] pem : pemTexts) {
                for (var c : cf.generateCertificates(new ByteArrayInputStream(pem))) {
                    certs.add((X509Certificate) c);
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("signer certificates: not a PEM or DER X.509 certificate", e);
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("signer certificates: none found");
        }
        return new ManifestSigners(certs);
    }

    public static ManifestSigners of(List<X509Certificate> certs) {
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("signer certificates: none given");
        }
        return new ManifestSigners(certs);
    }

    public List<X509Certificate> certificates() {
        return pinned;
    }

    /** The pinned certificate an entry's {@code kid} names. */
    Optional<X509Certificate> byKeyId(String kid) {
        return pinned.stream().filter(c -> keyId(c).map(kid::equals).orElse(false)).findFirst();
    }

    boolean isPinned(X509Certificate cert) {
        return pinned.stream().anyMatch(cert::equals);
    }

    /** A pinned CA certificate that issued {@code cert} (same name and its signature verifies). */
    Optional<X509Certificate> pinnedIssuerOf(X509Certificate cert) {
        return pinned.stream()
                .filter(ca -> ca.getBasicConstraints() >= 0)
                .filter(ca -> ca.getSubjectX500Principal().equals(cert.getIssuerX500Principal()))
                .filter(ca -> signs(ca, cert))
                .findFirst();
    }

    static boolean signs(X509Certificate issuer, X509Certificate cert) {
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** base64url (no padding) of the Subject Key Identifier: how Microchip's manifests name their log signer. */
    static Optional<String> keyId(X509Certificate c) {
        byte[] ext = c.getExtensionValue(SUBJECT_KEY_ID);
        if (ext == null) {
            return Optional.empty();
        }
        // OCTET STRING (the extension value) holding OCTET STRING (the key identifier); both short enough for one length byte.
        if (ext.length < 4 || ext[0] != 0x04 || ext[2] != 0x04) {
            return Optional.empty();
        }
        byte[] id = Arrays.copyOfRange(ext, 4, 4 + (ext[3] & 0xff));
        return Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(id));
    }

    /** base64url SHA-256 of the DER certificate: the JWS {@code x5t#S256} header. */
    static String thumbprint(X509Certificate c) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
