package io.lorafab.provisioning.secureelement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.lorawan.types.Eui64;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Microchip's ATECC608 TNGLoRa manifest: a JSON list of JWS entries (flattened JSON, or compact strings), one per
 * secure element, each signed with ES256 by a Microchip log signer. The payload holds the element's serial number
 * ({@code uniqueId}) and its device certificate ({@code publicKeySet.keys[0].x5c}).
 *
 * <p>Verification is all-or-nothing: every entry's signature must verify against a pinned signer (named by
 * {@code kid}, or carried in the protected {@code x5c} header and chaining to a pinned CA), the signer must have been
 * valid at the entry's {@code provisioningTimestamp}, and the device certificate must be signed by the certificate
 * beside it. The first entry that fails refuses the whole manifest, naming that entry.
 *
 * <p>The DevEUI is read from the device certificate the way The Things Stack's {@code microchip-atecc608a-tnglora}
 * template reads it: B-generation certificates carry it as the second of three words of the subject CN; C-generation
 * ones carry only the serial number in the CN and put the DevEUI in the subject alternative name, a directoryName whose
 * serialNumber is {@code eui64_<16 hex digits>}. Pure: no I/O, time given by the caller.
 */
public final class TngLoraManifest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final byte[] SERIAL_NUMBER_OID = {0x06, 0x03, 0x55, 0x04, 0x05};
    private static final String EUI64_PREFIX = "eui64_";

    private TngLoraManifest() {
    }

    /**
     * Verifies every entry and returns them in manifest order.
     *
     * @param now the time at which a signer must have been valid for an entry without a provisioning timestamp
     * @throws ManifestException for the first entry (or the file) that does not verify
     */
    public static List<ManifestEntry> verify(byte[] manifest, ManifestSigners signers, Instant now) {
        JsonNode root;
        try {
            root = JSON.readTree(manifest);
        } catch (java.io.IOException e) {
            throw new ManifestException(-1, ManifestProblem.NOT_A_MANIFEST, "not JSON");
        }
        if (root == null || !root.isArray()) {
            throw new ManifestException(-1, ManifestProblem.NOT_A_MANIFEST, null);
        }
        if (root.isEmpty()) {
            throw new ManifestException(-1, ManifestProblem.EMPTY_MANIFEST, null);
        }
        List<ManifestEntry> out = new ArrayList<>(root.size());
        Map<Eui64, Integer> seen = new HashMap<>();
        for (int i = 0; i < root.size(); i++) {
            ManifestEntry e = entry(i, root.get(i), signers, now);
            Integer first = seen.putIfAbsent(e.devEui(), i);
            if (first != null) {
                throw new ManifestException(i, ManifestProblem.DUPLICATE_DEV_EUI, e.devEui() + ", also entry [" + first + "]");
            }
            out.add(e);
        }
        return List.copyOf(out);
    }

    /** The three parts of one JWS with a single signature; the unprotected header may be null. */
    private record Jws(String protectedB64, String payloadB64, String signatureB64, JsonNode unprotected) {
    }

    private static Jws jws(int i, JsonNode node) {
        if (node.isTextual()) {
            String[] parts = node.asText().split("\\.", -1);
            if (parts.length != 3) {
                throw new ManifestException(i, ManifestProblem.MALFORMED_ENTRY, "compact form needs three parts");
            }
            return new Jws(parts[0], parts[1], parts[2], null);
        }
        if (!node.isObject()) {
            throw new ManifestException(i, ManifestProblem.MALFORMED_ENTRY, "neither a JSON object nor a compact JWS");
        }
        JsonNode sig = node;
        if (node.has("signatures")) { // general JSON serialization: accepted with exactly one signature
            if (!node.get("signatures").isArray() || node.get("signatures").size() != 1) {
                throw new ManifestException(i, ManifestProblem.MALFORMED_ENTRY, "expected exactly one signature");
            }
            sig = node.get("signatures").get(0);
        }
        return new Jws(text(i, sig, "protected"), text(i, node, "payload"), text(i, sig, "signature"), sig.get("header"));
    }

    private static ManifestEntry entry(int i, JsonNode node, ManifestSigners signers, Instant now) {
        Jws jws = jws(i, node);
        JsonNode header = json(i, decode(i, jws.protectedB64(), "protected header"), "protected header");
        String alg = header.path("alg").asText("");
        if (!"ES256".equals(alg)) {
            throw new ManifestException(i, ManifestProblem.UNSUPPORTED_ALGORITHM, alg.isEmpty() ? "none given" : alg);
        }
        if (header.has("crit")) { // RFC 7515 4.1.11: a header parameter we do not understand must not be ignored
            throw new ManifestException(i, ManifestProblem.MALFORMED_ENTRY, "critical header parameters not supported");
        }

        List<X509Certificate> signerChain = signerChain(i, header, jws.unprotected(), signers);
        X509Certificate signer = signerChain.get(0);
        byte[] input = (jws.protectedB64() + "." + jws.payloadB64()).getBytes(StandardCharsets.US_ASCII);
        if (!verifyEs256(signer.getPublicKey(), input, decode(i, jws.signatureB64(), "signature"))) {
            throw new ManifestException(i, ManifestProblem.SIGNATURE_INVALID, "signer " + name(signer));
        }

        // Only now is the payload trusted: it is what the signer signed.
        JsonNode payload = json(i, decode(i, jws.payloadB64(), "payload"), "payload");
        Instant made = provisioningTime(i, payload);
        Instant at = made != null ? made : now;
        for (X509Certificate c : signerChain) {
            if (!validAt(c, at)) {
                throw new ManifestException(i, ManifestProblem.SIGNER_NOT_VALID, name(c) + " at " + at);
            }
        }

        String uniqueId = payload.path("uniqueId").asText("");
        if (!uniqueId.matches("[0-9A-Fa-f]{2,64}")) {
            throw new ManifestException(i, ManifestProblem.MALFORMED_ENTRY, "uniqueId missing or not hex");
        }
        JsonNode key = payload.path("publicKeySet").path("keys").path(0);
        JsonNode x5c = key.path("x5c");
        if (!x5c.isArray() || x5c.isEmpty()) {
            throw new ManifestException(i, ManifestProblem.NO_DEVICE_CERTIFICATE, null);
        }
        List<X509Certificate> deviceChain = certificates(i, x5c, Base64.getDecoder(), ManifestProblem.NO_DEVICE_CERTIFICATE);
        for (int k = 0; k + 1 < deviceChain.size(); k++) {
            if (!ManifestSigners.signs(deviceChain.get(k + 1), deviceChain.get(k))) {
                throw new ManifestException(i, ManifestProblem.DEVICE_CHAIN_INVALID, "x5c[" + k + "] by x5c[" + (k + 1) + "]");
            }
        }
        X509Certificate device = deviceChain.get(0);
        checkJwk(i, key, device);
        Eui64 devEui = devEui(i, device);
        return new ManifestEntry(i, uniqueId.toLowerCase(Locale.ROOT), devEui, slotJoinEui(payload),
                payload.path("partNumber").asText(null), made, device, name(signer));
    }

    /** The signer's certificate first, then its chain up to (not including) the pinned certificate that vouches for it. */
    private static List<X509Certificate> signerChain(int i, JsonNode header, JsonNode unprotected, ManifestSigners signers) {
        if (header.has("x5c")) {
            List<X509Certificate> chain = certificates(i, header.get("x5c"), Base64.getDecoder(), ManifestProblem.MALFORMED_ENTRY);
            for (int k = 0; k < chain.size(); k++) {
                X509Certificate c = chain.get(k);
                if (signers.isPinned(c) || signers.pinnedIssuerOf(c).isPresent()) {
                    return chain.subList(0, k + 1);
                }
                if (k + 1 < chain.size() && (chain.get(k + 1).getBasicConstraints() < 0 || !ManifestSigners.signs(chain.get(k + 1), c))) {
                    break;
                }
            }
            throw new ManifestException(i, ManifestProblem.SIGNER_CHAIN_UNTRUSTED, "signer " + name(chain.get(0)));
        }
        // Microchip names its log signer by kid only (the unprotected header is accepted for kid: it selects a key,
        // and the signature must still verify against that key).
        String kid = header.has("kid") ? header.get("kid").asText("")
                : unprotected != null ? unprotected.path("kid").asText("") : "";
        if (kid.isEmpty()) {
            throw new ManifestException(i, ManifestProblem.UNKNOWN_SIGNER, "no kid");
        }
        X509Certificate signer = signers.byKeyId(kid)
                .orElseThrow(() -> new ManifestException(i, ManifestProblem.UNKNOWN_SIGNER, "kid " + kid));
        if (header.has("x5t#S256") && !header.get("x5t#S256").asText().equals(ManifestSigners.thumbprint(signer))) {
            throw new ManifestException(i, ManifestProblem.UNKNOWN_SIGNER, "kid " + kid + " with another certificate's x5t#S256");
        }
        return List.of(signer);
    }

    /** ES256: the JWS signature is R||S (RFC 7518 3.4), which the JDK takes as "P1363" format. */
    static boolean verifyEs256(PublicKey key, byte[] input, byte[] signature) {
        if (!(key instanceof ECPublicKey) || signature.length != 64) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(key);
            s.update(input);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean validAt(X509Certificate c, Instant at) {
        try {
            c.checkValidity(Date.from(at));
            return true;
        } catch (CertificateException e) {
            return false;
        }
    }

    private static Instant provisioningTime(int i, JsonNode payload) {
        JsonNode t = payload.get("provisioningTimestamp");
        if (t == null || t.isNull()) {
            return null;
        }
        try {
            return Instant.parse(t.asText());
        } catch (DateTimeParseException e) {
            throw new ManifestException(i, ManifestProblem.MALFORMED_ENTRY, "provisioningTimestamp is not an ISO-8601 instant");
        }
    }

    /** The JWK beside the certificate, when it gives x and y, must be the certificate's key. */
    private static void checkJwk(int i, JsonNode key, X509Certificate device) {
        if (!key.hasNonNull("x") || !key.hasNonNull("y")) {
            return;
        }
        if (!(device.getPublicKey() instanceof ECPublicKey ec)) {
            throw new ManifestException(i, ManifestProblem.DEVICE_KEY_MISMATCH, "certificate key is not EC");
        }
        byte[] x = decode(i, key.get("x").asText(), "x");
        byte[] y = decode(i, key.get("y").asText(), "y");
        if (!new java.math.BigInteger(1, x).equals(ec.getW().getAffineX())
                || !new java.math.BigInteger(1, y).equals(ec.getW().getAffineY())) {
            throw new ManifestException(i, ManifestProblem.DEVICE_KEY_MISMATCH, null);
        }
    }

    static Eui64 devEui(int i, X509Certificate device) {
        String cn = commonName(device);
        String[] words = cn.split(" ", 3);
        String hex = null;
        if (words.length == 3) {
            hex = words[1];
        } else if (words.length == 1) {
            hex = sanSerialNumber(device.getExtensionValue(SUBJECT_ALT_NAME));
        }
        if (hex == null || !hex.matches("[0-9A-Fa-f]{16}")) {
            throw new ManifestException(i, ManifestProblem.NO_DEV_EUI, "subject " + device.getSubjectX500Principal().getName());
        }
        Eui64 eui = Eui64.parse(hex);
        if (eui.isAllZero()) {
            throw new ManifestException(i, ManifestProblem.NO_DEV_EUI, "all-zero DevEUI");
        }
        return eui;
    }

    private static String commonName(X509Certificate c) {
        for (String rdn : c.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253).split(",")) {
            if (rdn.startsWith("CN=")) {
                return rdn.substring(3);
            }
        }
        return "";
    }

    /**
     * The hex digits after {@code eui64_} in the SAN's serialNumber. Read by hand from the DER because Microchip writes
     * the serialNumber as a PrintableString holding "_", which PrintableString does not allow, so the JDK's name
     * parser cannot be relied on for it; the walk only looks for the serialNumber attribute's OID and the string after it.
     */
    static String sanSerialNumber(byte[] extension) {
        if (extension == null) {
            return null;
        }
        for (int p = 0; p + SERIAL_NUMBER_OID.length + 2 <= extension.length; p++) {
            if (Arrays.equals(extension, p, p + SERIAL_NUMBER_OID.length, SERIAL_NUMBER_OID, 0, SERIAL_NUMBER_OID.length)) {
                int s = p + SERIAL_NUMBER_OID.length;
                int tag = extension[s] & 0xff;
                int len = extension[s + 1] & 0xff;
                // PrintableString, UTF8String or IA5String of short length
                if ((tag == 0x13 || tag == 0x0c || tag == 0x16) && len < 0x80 && s + 2 + len <= extension.length) {
                    String v = new String(extension, s + 2, len, StandardCharsets.US_ASCII);
                    return v.startsWith(EUI64_PREFIX) ? v.substring(EUI64_PREFIX.length()) : null;
                }
            }
        }
        return null;
    }

    /** The JoinEUI in the first 8 bytes of slot 9's public data, which TNGLoRa parts hold there, when the manifest lists it. */
    private static Optional<Eui64> slotJoinEui(JsonNode payload) {
        for (JsonNode d : payload.path("modelInfo").path("publicData")) {
            if ("data".equals(d.path("zone").asText()) && d.path("slot").asInt(-1) == 9 && d.path("offset").asInt(-1) == 0) {
                try {
                    byte[] b = B64URL.decode(d.path("data").asText(""));
                    return b.length >= 8 ? Optional.of(Eui64.fromBytes(Arrays.copyOf(b, 8))) : Optional.empty();
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static List<X509Certificate> certificates(int i, JsonNode array, Base64.Decoder dec, ManifestProblem problem) {
        if (!array.isArray() || array.isEmpty()) {
            throw new ManifestException(i, problem, "x5c is not a list of certificates");
        }
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (JsonNode c : array) {
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(dec.decode(c.asText("")))));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new ManifestException(i, problem, "x5c holds something that is not a certificate");
        }
        return out;
    }

    private static String text(int i, JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new ManifestException(i, ManifestProblem.MALFORMED_ENTRY, "no " + field);
        }
        return v.asText();
    }

    private static byte[] decode(int i, String b64url, String what) {
        try {
            return B64URL.decode(b64url);
        } catch (IllegalArgumentException e) {
            throw new ManifestException(i, ManifestProblem.MALFORMED_ENTRY, what + " is not base64url");
        }
    }

    private static JsonNode json(int i, byte[] bytes, String what) {
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new ManifestException(i, ManifestProblem.MALFORMED_ENTRY, what + " is not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ManifestException(i, ManifestProblem.MALFORMED_ENTRY, what + " is not JSON");
        } catch (java.io.IOException e) {
            throw new ManifestException(i, ManifestProblem.MALFORMED_ENTRY, what + " is not JSON");
        }
    }

    private static String name(X509Certificate c) {
        return c.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
    }
}
