package io.lorafab.jose;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;

/**
 * The recipient's own private key, on the recipient's machine (a fixture's PC, a network operator's), read from an
 * unencrypted PKCS#8 PEM "PRIVATE KEY" as {@code openssl genpkey} writes it. Only for opening a JWE: nothing sends it
 * anywhere.
 */
public final class PrivateKeyPem {

    private final PrivateKey key;

    private PrivateKeyPem(PrivateKey key) {
        this.key = key;
    }

    /** @throws JweException not a PKCS#8 RSA or EC private key, with how to convert one that is another PEM */
    public static PrivateKeyPem fromPem(String text) {
        List<Pem> blocks = text == null ? List.of() : Pem.blocks(text);
        Pem block = blocks.stream().filter(b -> Pem.isPrivateKeyLabel(b.label())).findFirst()
                .orElseThrow(() -> new JweException("no PEM private key found: give the recipient's PKCS#8 'PRIVATE KEY' "
                        + "(as openssl genpkey writes it)"));
        if (!block.label().equals("PRIVATE KEY")) {
            throw new JweException("a PEM '" + block.label() + "' is not read here: convert it with "
                    + "openssl pkcs8 -topk8 -nocrypt -in KEY (a passphrase-protected key is decrypted by that too)");
        }
        try {
            for (String type : List.of("RSA", "EC")) {
                try {
                    return new PrivateKeyPem(KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(block.der())));
                } catch (GeneralSecurityException e) {
                    // not this type: try the next
                }
            }
        } finally {
            Arrays.fill(block.der(), (byte) 0);
        }
        throw new JweException("the private key is neither RSA nor EC, or is malformed");
    }

    JWEAlgorithm algorithm() {
        return key instanceof RSAPrivateKey ? JWEAlgorithm.RSA_OAEP_256 : JWEAlgorithm.ECDH_ES;
    }

    String description() {
        return key instanceof RSAPrivateKey ? "RSA" : "EC";
    }

    JWEDecrypter decrypter() {
        try {
            return key instanceof RSAPrivateKey ? new RSADecrypter(key) : new ECDHDecrypter((ECPrivateKey) key);
        } catch (JOSEException e) {
            throw new JweException("the " + description() + " private key cannot be used to decrypt (its curve is not "
                    + "P-256, P-384 or P-521?)");
        }
    }
}
