package io.lorafab.jose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The envelope's rules: which recipient keys are taken, what the header says, who can open it. */
class JweTest {

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    static KeyPair pair(String algorithm, Object param) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (param instanceof Integer bits) {
            g.initialize(bits);
        } else if (param instanceof String curve) {
            g.initialize(new ECGenParameterSpec(curve));
        }
        return g.generateKeyPair();
    }

    static Stream<Arguments> recipients() {
        return Stream.of(
                Arguments.of("RSA", 2048, "RSA-OAEP-256", "RSA 2048"),
                Arguments.of("RSA", 3072, "RSA-OAEP-256", "RSA 3072"),
                Arguments.of("EC", "secp256r1", "ECDH-ES", "EC P-256"),
                Arguments.of("EC", "secp384r1", "ECDH-ES", "EC P-384"),
                Arguments.of("EC", "secp521r1", "ECDH-ES", "EC P-521"));
    }

    @ParameterizedTest(name = "{3} → alg {2}, enc A256GCM, kid = thumbprint; only its private key opens it")
    @MethodSource("recipients")
    void anRsaOrEcRecipientGetsACompactJweOnlyItsPrivateKeyOpens(String type, Object param, String alg, String description)
            throws Exception {
        KeyPair kp = pair(type, param);
        RecipientKey to = RecipientKey.fromPem(pem("PUBLIC KEY", kp.getPublic().getEncoded()));
        assertThat(to.algorithm()).isEqualTo(alg);
        assertThat(to.description()).isEqualTo(description);
        byte[] plain = "dev_eui,app_key\n0004a30b001c0530,2b7e151628aed2a6abf7158809cf4f3c\n".getBytes(StandardCharsets.UTF_8);

        String jwe = Jwe.encrypt(plain.clone(), to, "csv");

        assertThat(jwe.split("\\.", -1)).hasSize(5);
        assertThat(jwe).doesNotContain("2b7e1516");
        String header = new String(Base64.getUrlDecoder().decode(jwe.substring(0, jwe.indexOf('.'))), StandardCharsets.UTF_8);
        assertThat(header).contains("\"alg\":\"" + alg + "\"", "\"enc\":\"A256GCM\"", "\"cty\":\"csv\"",
                "\"kid\":\"" + to.thumbprint() + "\"");
        Jwe.Opened opened = Jwe.decrypt(jwe, PrivateKeyPem.fromPem(pem("PRIVATE KEY", kp.getPrivate().getEncoded())));
        assertThat(opened.plaintext()).isEqualTo(plain);
        assertThat(opened.contentType()).isEqualTo("csv");
        assertThat(opened.keyId()).isEqualTo(to.thumbprint());

        KeyPair other = pair(type, param);
        assertThatThrownBy(() -> Jwe.decrypt(jwe, PrivateKeyPem.fromPem(pem("PRIVATE KEY", other.getPrivate().getEncoded()))))
                .isInstanceOf(JweException.class).hasMessageContaining("does not open the file")
                .hasMessageContaining(to.thumbprint());
    }

    @Test
    void theThumbprintIsRfc7638sExample() throws Exception {
        // RFC 7638 §3.1: this RSA key's SHA-256 thumbprint is NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs
        RSAKey rfc = RSAKey.parse("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx"
                + "4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw\"}");
        RecipientKey to = RecipientKey.of(rfc.toRSAPublicKey());
        assertThat(to.thumbprint()).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }

    static Stream<Arguments> refusals() throws Exception {
        KeyPair rsa = pair("RSA", 2048);
        return Stream.of(
                Arguments.of("a PKCS#8 private key", pem("PRIVATE KEY", rsa.getPrivate().getEncoded()), "that is a private key"),
                Arguments.of("a public key with a private key after it",
                        pem("PUBLIC KEY", rsa.getPublic().getEncoded()) + pem("PRIVATE KEY", rsa.getPrivate().getEncoded()),
                        "that is a private key"),
                Arguments.of("a traditional EC private key", "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
                        "that is a private key"),
                Arguments.of("RSA of 1024 bits", pem("PUBLIC KEY", pair("RSA", 1024).getPublic().getEncoded()), "at least 2048"),
                Arguments.of("Ed25519", pem("PUBLIC KEY", pair("Ed25519", null).getPublic().getEncoded()), "neither RSA nor EC"),
                Arguments.of("PKCS#1 RSA PUBLIC KEY", "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n",
                        "RSAPublicKey_in"),
                Arguments.of("no PEM", "ssh-rsa AAAAB3NzaC1yc2E", "not a PEM public key"),
                Arguments.of("empty", "", "no recipient key"),
                Arguments.of("a certificate request", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
                        "not a public key"),
                Arguments.of("a malformed certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                        "certificate is malformed"));
    }

    @ParameterizedTest(name = "{0} is refused with one line")
    @MethodSource("refusals")
    void otherKeysAreRefusedWithOneLine(String what, String pem, String says) {
        assertThatThrownBy(() -> RecipientKey.fromPem(pem)).isInstanceOf(JweException.class)
                .hasMessageContaining(says)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "Exception", "MII"));
    }

    @Test
    void aJweOfAnotherAlgorithmIsNotOpened() throws Exception {
        KeyPair ec = pair("EC", "secp256r1");
        String jwe = Jwe.encrypt(new byte[] {1}, RecipientKey.fromPem(pem("PUBLIC KEY", ec.getPublic().getEncoded())), "csv");
        KeyPair rsa = pair("RSA", 2048);
        assertThatThrownBy(() -> Jwe.decrypt(jwe, PrivateKeyPem.fromPem(pem("PRIVATE KEY", rsa.getPrivate().getEncoded()))))
                .isInstanceOf(JweException.class).hasMessageContaining("ECDH-ES");
        assertThatThrownBy(() -> Jwe.decrypt("not.a.jwe", PrivateKeyPem.fromPem(pem("PRIVATE KEY", rsa.getPrivate().getEncoded()))))
                .isInstanceOf(JweException.class).hasMessageContaining("compact serialization");
    }
}
