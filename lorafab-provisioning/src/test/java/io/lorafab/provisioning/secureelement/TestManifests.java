package io.lorafab.provisioning.secureelement;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Builds TNGLoRa-style manifests in the test, signed with the test PKI of src/test/resources/tnglora (made by its
 * make-fixtures.sh): entries as Microchip writes them (flattened JWS, ES256, kid = the signer's SKI in base64url).
 */
public final class TestManifests {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private TestManifests() {
    }

    public static byte[] resource(String name) {
        try (InputStream in = TestManifests.class.getResourceAsStream("/tnglora/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource tnglora/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static X509Certificate cert(String name) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(resource(name + ".pem")));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PrivateKey key(String name) {
        String pem = new String(resource(name + ".key"), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signers a test pins: the given certificates of the test PKI. */
    public static ManifestSigners pinned(String... names) {
        return ManifestSigners.of(Arrays.stream(names).map(TestManifests::cert).toList());
    }

    /** A moment inside the validity of every certificate of the test PKI. */
    public static Instant during() {
        return cert("log-signer").getNotBefore().toInstant().plusSeconds(86_400);
    }

    /** A payload as Microchip writes it, for one device certificate with the given chain beside it. */
    public static ObjectNode payload(String uniqueId, Instant provisioned, String... x5c) {
        ObjectNode p = JSON.createObjectNode();
        p.put("version", 1);
        p.put("model", "ATECC608A");
        p.put("partNumber", "ATECC608A-TNGLORA");
        p.put("provisioningTimestamp", provisioned.toString());
        p.put("uniqueId", uniqueId);
        ObjectNode key = p.putObject("publicKeySet").putArray("keys").addObject();
        key.put("kid", "0");
        key.put("kty", "EC");
        key.put("crv", "P-256");
        ECPublicKey pub = (ECPublicKey) cert(x5c[0]).getPublicKey();
        key.put("x", B64URL.encodeToString(fixed(pub.getW().getAffineX().toByteArray())));
        key.put("y", B64URL.encodeToString(fixed(pub.getW().getAffineY().toByteArray())));
        ArrayNode chain = key.putArray("x5c");
        for (String c : x5c) {
            try {
                chain.add(Base64.getEncoder().encodeToString(cert(c).getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        ObjectNode slot = p.putObject("modelInfo").putArray("publicData").addObject();
        slot.put("zone", "data");
        slot.put("slot", 9);
        slot.put("offset", 0);
        slot.put("data", B64URL.encodeToString(new byte[] {0x70, (byte) 0xB3, (byte) 0xD5, 0x7E, (byte) 0xD0, 0, 0, 0, 0, 0}));
        return p;
    }

    /** One flattened JWS entry signed by {@code signerKey}, naming {@code namedSigner} by kid (and x5t#S256). */
    public static ObjectNode sign(ObjectNode payload, String signerKey, String namedSigner) {
        ObjectNode h = JSON.createObjectNode();
        h.put("typ", "JWT");
        h.put("alg", "ES256");
        h.put("kid", ManifestSigners.keyId(cert(namedSigner)).orElseThrow());
        h.put("x5t#S256", ManifestSigners.thumbprint(cert(namedSigner)));
        return signWithHeader(payload, signerKey, h);
    }

    /** One flattened JWS entry whose protected header carries the signer's certificate chain in x5c. */
    public static ObjectNode signWithChain(ObjectNode payload, String signerKey, String... chain) {
        ObjectNode h = JSON.createObjectNode();
        h.put("alg", "ES256");
        ArrayNode x5c = h.putArray("x5c");
        for (String c : chain) {
            try {
                x5c.add(Base64.getEncoder().encodeToString(cert(c).getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return signWithHeader(payload, signerKey, h);
    }

    public static ObjectNode signWithHeader(ObjectNode payload, String signerKey, ObjectNode header) {
        try {
            String prot = B64URL.encodeToString(JSON.writeValueAsBytes(header));
            String body = B64URL.encodeToString(JSON.writeValueAsBytes(payload));
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(key(signerKey));
            s.update((prot + "." + body).getBytes(StandardCharsets.US_ASCII));
            ObjectNode e = JSON.createObjectNode();
            e.put("payload", body);
            e.put("protected", prot);
            e.putObject("header").put("uniqueId", payload.path("uniqueId").asText());
            e.put("signature", B64URL.encodeToString(s.sign()));
            return e;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] manifest(ObjectNode... entries) {
        ArrayNode a = JSON.createArrayNode();
        List<ObjectNode> list = new ArrayList<>(List.of(entries));
        list.forEach(a::add);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(a);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The two good units of the test PKI (B- and C-generation certificates), signed by the pinned log signer. */
    public static byte[] goodManifest() {
        return manifest(
                sign(payload("0123a1b2c3d4e5f627", during(), "device-b", "device-signer"), "log-signer", "log-signer"),
                sign(payload("0123a1b2c3d4e5f628", during(), "device-c", "device-signer"), "log-signer", "log-signer"));
    }

    private static byte[] fixed(byte[] twosComplement) {
        byte[] out = new byte[32];
        int n = Math.min(32, twosComplement.length);
        System.arraycopy(twosComplement, twosComplement.length - n, out, 32 - n, n);
        return out;
    }
}
