package io.lorafab.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** PEM certificate chains and private keys as openssl writes them: what is read, and the one-line refusals. */
class PemCredentialsTest {

    static final TestPki PKI = TestPki.shared();
    static final String CONVERT = "openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem";

    static String pem(String name) {
        try {
            return Files.readString(PKI.file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("RSA, PKCS#8", "server-rsa.pem", pem("server-rsa.key"), "RSA", 1),
                Arguments.of("EC P-256, PKCS#8", "server-ec.pem", pem("server-ec.key"), "EC", 1),
                Arguments.of("RSA, PKCS#1 (BEGIN RSA PRIVATE KEY)", "server-rsa.pem", pem("server-rsa.traditional.key"), "RSA", 1),
                Arguments.of("EC, SEC1 (BEGIN EC PRIVATE KEY)", "server-ec.pem", pem("server-ec.traditional.key"), "EC", 1),
                Arguments.of("chain: server certificate, then the CA", "server-ec-chain.pem", pem("server-ec.key"), "EC", 2),
                Arguments.of("CRLF line ends", "server-rsa.pem", pem("server-rsa.key").replace("\n", "\r\n"), "RSA", 1),
                Arguments.of("certificate and key in one file", "server-ec.pem", pem("server-ec.pem") + pem("server-ec.key"), "EC", 1),
                Arguments.of("text around the blocks", "server-ec.pem", "# made by openssl\n" + pem("server-ec.key") + "\nthe end\n", "EC", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void reads(String name, String certFile, String keyPem, String algorithm, int chainLength) {
        PemCredentials c = PemCredentials.parse(pem(certFile), "cert", keyPem, "key");
        assertThat(c.key().getAlgorithm()).isEqualTo(algorithm);
        assertThat(c.chain()).hasSize(chainLength);
        assertThat(c.chain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(c.toString()).isEqualTo("PemCredentials[CN=localhost, " + algorithm + " key]");
    }

    static Stream<Arguments> refused() {
        String rsaKey = pem("server-rsa.key");
        String cert = pem("server-rsa.pem");
        String certBody = cert.substring(cert.indexOf('\n') + 1, cert.indexOf("-----END"));
        return Stream.of(
                Arguments.of("encrypted PKCS#8 key", cert, pem("server-rsa.encrypted.key"),
                        "key: the private key is encrypted; lorafab needs it unencrypted (keep the file readable by the server's user only): "
                                + CONVERT),
                Arguments.of("encrypted PKCS#1 key", cert, pem("server-rsa.encrypted-traditional.key"),
                        "key: the private key is encrypted; lorafab needs it unencrypted"),
                Arguments.of("encrypted SEC1 key", pem("server-ec.pem"), pem("server-ec.encrypted-traditional.key"),
                        "key: the private key is encrypted; lorafab needs it unencrypted"),
                Arguments.of("key of another certificate", pem("server-ec.pem"), pem("unrelated.key"),
                        "key: the private key does not match the certificate in cert (is it the key the certificate was issued for?)"),
                Arguments.of("RSA key for an EC certificate", pem("server-ec.pem"), rsaKey,
                        "key: the private key does not match the certificate in cert"),
                Arguments.of("CA before the server certificate", pem("server-rsa-chain-reversed.pem"), rsaKey,
                        "key: the key belongs to certificate 2 of cert; that certificate must come first in the file, before the CA certificates"),
                Arguments.of("certificate given as the key", cert, cert,
                        "key: holds a certificate but no private key (expected -----BEGIN PRIVATE KEY-----)"),
                Arguments.of("key given as the certificate", rsaKey, rsaKey,
                        "cert: holds a private key but no certificate (expected -----BEGIN CERTIFICATE-----)"),
                Arguments.of("empty certificate file", "", rsaKey, "cert: no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)"),
                Arguments.of("empty key file", cert, "", "key: no PEM private key in it (expected -----BEGIN PRIVATE KEY-----)"),
                Arguments.of("DER certificate", new String(Base64.getMimeDecoder().decode(certBody), java.nio.charset.StandardCharsets.ISO_8859_1),
                        rsaKey, "cert: no PEM certificate in it"),
                Arguments.of("two keys", cert, rsaKey + pem("unrelated.key"), "key: holds 2 private keys; give a file with exactly one"),
                Arguments.of("certificate not base64", cert.replace(certBody.substring(10, 20), "!!!!!!!!!!"), rsaKey,
                        "cert: the CERTIFICATE block is not valid base64"),
                Arguments.of("certificate damaged", cert.replace(certBody.substring(0, 12), "AAAAAAAAAAAA"), rsaKey,
                        "cert: certificate 1 is not a valid X.509 certificate"),
                Arguments.of("key damaged", cert, "-----BEGIN PRIVATE KEY-----\nAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----\n",
                        "key: the private key is damaged or neither RSA nor EC (lorafab takes those two)"),
                Arguments.of("EC key without its curve", pem("server-ec.pem"),
                        "-----BEGIN EC PRIVATE KEY-----\nMCUCAQEEIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g\n-----END EC PRIVATE KEY-----\n",
                        "key: the EC private key does not name its curve; convert it: " + CONVERT),
                Arguments.of("block ends with another label", cert.replace("-----END CERTIFICATE-----", "-----END CERTIFICATES-----"),
                        rsaKey, "cert: a PEM block opened as CERTIFICATE ends as CERTIFICATES"),
                Arguments.of("OpenSSH key", cert, "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
                        "key: -----BEGIN OPENSSH PRIVATE KEY----- is not supported; give an unencrypted PKCS#8 RSA or EC key "
                                + "(-----BEGIN PRIVATE KEY-----), e.g. " + CONVERT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refuses(String name, String certPem, String keyPem, String message) {
        assertThatThrownBy(() -> PemCredentials.parse(certPem, "cert", keyPem, "key"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(secretLine(keyPem)));
    }

    @Test
    void aBundleOfCaCertificatesIsReadInOrder() {
        var certs = PemCredentials.certificates(pem("ca.pem") + pem("other-ca.pem"), "bundle");
        assertThat(certs).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=lorafab test ca", "CN=lorafab test other-ca");
    }

    @Test
    void keysOfDifferentAlgorithmsNeverBelongTogether() {
        var rsa = PemCredentials.privateKey(pem("server-rsa.key"), "rsa");
        var ec = PemCredentials.parse(pem("server-ec.pem"), "c", pem("server-ec.key"), "k");
        assertThat(PemCredentials.belongTogether(rsa, ec.chain().get(0).getPublicKey())).isFalse();
        assertThat(PemCredentials.belongTogether(ec.key(), ec.chain().get(0).getPublicKey())).isTrue();
    }

    /** A line of the key's base64 body (never to appear in a message); a marker that cannot match when there is none. */
    private static String secretLine(String keyPem) {
        return keyPem.lines().filter(l -> l.length() > 40 && !l.startsWith("-----")).findFirst().orElse("\u0000no key body");
    }
}
