package io.lorafab.app.wiring;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TLS identity read from PEM text, as openssl and Let's Encrypt write it: a certificate chain (the holder's
 * own certificate first) and its unencrypted private key, RSA or EC. The key may be PKCS#8
 * ({@code BEGIN PRIVATE KEY}) or the older PKCS#1 / SEC1 forms ({@code BEGIN RSA PRIVATE KEY},
 * {@code BEGIN EC PRIVATE KEY}); an encrypted key is refused with the openssl command that converts it.
 *
 * <p>Pure: text in, JDK key and certificate objects out, no file access. Every refusal is a
 * {@link TlsConfigException} whose message starts with the {@code source} given (the option and file name)
 * and never quotes the file's contents.
 */
public record PemCredentials(List<X509Certificate> chain, PrivateKey key) {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END ([A-Z0-9 ]+)-----", Pattern.DOTALL);
    private static final String CONVERT = "openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem";
    private static final byte[] OID_RSA = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] OID_EC = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    public PemCredentials {
        chain = List.copyOf(chain);
    }

    /**
     * The certificates of {@code certPem} and the one private key of {@code keyPem}, checked to belong together:
     * the key must match the public key of the first certificate.
     */
    public static PemCredentials parse(String certPem, String certSource, String keyPem, String keySource) {
        List<X509Certificate> chain = certificates(certPem, certSource);
        PrivateKey key = privateKey(keyPem, keySource);
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            for (int i = 1; i < chain.size(); i++) {
                if (belongTogether(key, chain.get(i).getPublicKey())) {
                    throw new TlsConfigException(keySource + ": the key belongs to certificate " + (i + 1) + " of " + certSource
                            + "; that certificate must come first in the file, before the CA certificates");
                }
            }
            throw new TlsConfigException(keySource + ": the private key does not match the certificate in " + certSource
                    + " (is it the key the certificate was issued for?)");
        }
        return new PemCredentials(chain, key);
    }

    /** Every {@code CERTIFICATE} block of {@code pem}, in order; at least one. */
    public static List<X509Certificate> certificates(String pem, String source) {
        List<Block> blocks = blocks(pem, source);
        List<X509Certificate> out = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        for (Block b : blocks) {
            if (!b.label().equals("CERTIFICATE")) {
                continue;
            }
            try {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.decode(source))));
            } catch (CertificateException e) {
                throw new TlsConfigException(source + ": certificate " + (out.size() + 1) + " is not a valid X.509 certificate");
            }
        }
        if (out.isEmpty()) {
            throw new TlsConfigException(source + (blocks.stream().anyMatch(Block::isKey)
                    ? ": holds a private key but no certificate (expected -----BEGIN CERTIFICATE-----)"
                    : ": no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)"));
        }
        return out;
    }

    /** The one private key block of {@code pem}. */
    public static PrivateKey privateKey(String pem, String source) {
        List<Block> keys = blocks(pem, source).stream().filter(Block::isKey).toList();
        if (keys.isEmpty()) {
            throw new TlsConfigException(source + (pem.contains("-----BEGIN CERTIFICATE-----")
                    ? ": holds a certificate but no private key (expected -----BEGIN PRIVATE KEY-----)"
                    : ": no PEM private key in it (expected -----BEGIN PRIVATE KEY-----)"));
        }
        if (keys.size() > 1) {
            throw new TlsConfigException(source + ": holds " + keys.size() + " private keys; give a file with exactly one");
        }
        Block b = keys.get(0);
        if (b.label().equals("ENCRYPTED PRIVATE KEY") || b.encrypted()) {
            throw new TlsConfigException(source + ": the private key is encrypted; lorafab needs it unencrypted (keep the file "
                    + "readable by the server's user only): " + CONVERT);
        }
        byte[] der = b.decode(source);
        byte[] pkcs8 = null;
        try {
            switch (b.label()) {
                case "PRIVATE KEY":
                    return keyOf(der, source, "RSA", "EC");
                case "RSA PRIVATE KEY":
                    pkcs8 = pkcs8(der(0x30, OID_RSA, new byte[] {0x05, 0x00}), der);
                    return keyOf(pkcs8, source, "RSA");
                case "EC PRIVATE KEY":
                    pkcs8 = pkcs8(der(0x30, OID_EC, ecCurve(der, source)), der);
                    return keyOf(pkcs8, source, "EC");
                default:
                    throw new TlsConfigException(source + ": -----BEGIN " + b.label() + "----- is not supported; give an unencrypted "
                            + "PKCS#8 RSA or EC key (-----BEGIN PRIVATE KEY-----), e.g. " + CONVERT);
            }
        } finally {
            Arrays.fill(der, (byte) 0);
            if (pkcs8 != null) {
                Arrays.fill(pkcs8, (byte) 0);
            }
        }
    }

    /** True when {@code key} is the private half of {@code publicKey}: a signature by one verifies with the other. */
    public static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] probe = "lorafab: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(publicKey);
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key on another curve
        }
    }

    /** Never the key itself. */
    @Override
    public String toString() {
        return "PemCredentials[" + chain.get(0).getSubjectX500Principal().getName() + ", " + key.getAlgorithm() + " key]";
    }

    private static PrivateKey keyOf(byte[] pkcs8, String source, String... algorithms) {
        for (String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm (or damaged): try the next
            }
        }
        throw new TlsConfigException(source + ": the private key is damaged or neither RSA nor EC (lorafab takes those two)");
    }

    /** The curve OID (the whole TLV) that a SEC1 {@code ECPrivateKey} names in its {@code [0] parameters}. */
    private static byte[] ecCurve(byte[] sec1, String source) {
        try {
            int[] outer = tlv(sec1, 0);
            for (int at = outer[0]; at < outer[1]; ) {
                int[] child = tlv(sec1, at);
                if ((sec1[at] & 0xff) == 0xa0) {
                    int[] oid = tlv(sec1, child[0]);
                    if (sec1[child[0]] == 0x06) {
                        return Arrays.copyOfRange(sec1, child[0], oid[1]);
                    }
                }
                at = child[1];
            }
        } catch (IllegalArgumentException e) {
            throw new TlsConfigException(source + ": the EC private key is damaged (not a valid EC PRIVATE KEY structure)");
        }
        throw new TlsConfigException(source + ": the EC private key does not name its curve; convert it: " + CONVERT);
    }

    /** The contents' {start, end} of the DER element at {@code at}. */
    private static int[] tlv(byte[] der, int at) {
        if (at + 2 > der.length) {
            throw new IllegalArgumentException("truncated");
        }
        int length = der[at + 1] & 0xff;
        int start = at + 2;
        if (length >= 0x80) {
            int n = length & 0x7f;
            if (n == 0 || n > 3 || start + n > der.length) {
                throw new IllegalArgumentException("bad length");
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = length << 8 | der[start++] & 0xff;
            }
        }
        if (start + length > der.length) {
            throw new IllegalArgumentException("truncated");
        }
        return new int[] {start, start + length};
    }

    /** PKCS#8 {@code PrivateKeyInfo}: version 0, the algorithm, the algorithm's own key structure. */
    private static byte[] pkcs8(byte[] algorithmId, byte[] keyStructure) {
        return der(0x30, new byte[] {0x02, 0x01, 0x00}, algorithmId, der(0x04, keyStructure));
    }

    private static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int n = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 5);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static List<Block> blocks(String pem, String source) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            if (!m.group(1).equals(m.group(3))) {
                throw new TlsConfigException(source + ": a PEM block opened as " + m.group(1) + " ends as " + m.group(3));
            }
            out.add(Block.of(m.group(1), m.group(2)));
        }
        return out;
    }

    /** One {@code -----BEGIN label-----} block: its base64 body and whether RFC 1421 headers say it is encrypted. */
    private record Block(String label, String base64, boolean encrypted) {
        static Block of(String label, String body) {
            StringBuilder base64 = new StringBuilder();
            boolean encrypted = false;
            for (String line : body.split("\\R")) {
                if (line.contains(":")) {
                    encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
                } else {
                    base64.append(line.strip());
                }
            }
            return new Block(label, base64.toString(), encrypted);
        }

        boolean isKey() {
            return label.endsWith("PRIVATE KEY");
        }

        byte[] decode(String source) {
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new TlsConfigException(source + ": the " + label + " block is not valid base64");
            }
        }

        @Override
        public String toString() {
            return "Block[" + label + "]";
        }
    }
}
