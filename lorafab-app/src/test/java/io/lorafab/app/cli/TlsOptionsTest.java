package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TLS options of {@code lorafab server} and {@code lorafab station} refused before anything starts: exit 1,
 * one line "error: ..." naming the option and file, no stack trace, nothing of the key in it.
 */
class TlsOptionsTest {

    static final TestPki PKI = TestPki.shared();

    @TempDir
    Path dir;

    static String f(String name) {
        return PKI.file(name).toString();
    }

    static String scratch(String name, String text) {
        try {
            return PKI.write(name, text).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> refusals() {
        String cert = f("server-ec.pem");
        String key = f("server-ec.key");
        return Stream.of(
                Arguments.of("certificate file missing", List.of("server", "--tls-cert", "/nonexistent/cert.pem", "--tls-key", key),
                        "--tls-cert: no such file: /nonexistent/cert.pem"),
                Arguments.of("key file missing", List.of("server", "--tls-cert", cert, "--tls-key", "/nonexistent/key.pem"),
                        "--tls-key: no such file: /nonexistent/key.pem"),
                Arguments.of("certificate is a folder", List.of("server", "--tls-cert", "/tmp", "--tls-key", key),
                        "--tls-cert /tmp: is a directory, not a file"),
                Arguments.of("key without certificate", List.of("server", "--tls-key", key), "--tls-key needs --tls-cert"),
                Arguments.of("certificate without key", List.of("server", "--tls-cert", cert), "--tls-cert needs --tls-key"),
                Arguments.of("key not matching the certificate", List.of("server", "--tls-cert", cert, "--tls-key", f("unrelated.key")),
                        "--tls-key " + f("unrelated.key") + ": the private key does not match the certificate in --tls-cert " + cert
                                + " (is it the key the certificate was issued for?)"),
                Arguments.of("encrypted key", List.of("server", "--tls-cert", cert, "--tls-key", f("server-ec.encrypted.key")),
                        "--tls-key " + f("server-ec.encrypted.key") + ": the private key is encrypted; lorafab needs it unencrypted "
                                + "(keep the file readable by the server's user only): openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem"),
                Arguments.of("certificate and key swapped", List.of("server", "--tls-cert", key, "--tls-key", cert),
                        "--tls-cert " + key + ": holds a private key but no certificate (expected -----BEGIN CERTIFICATE-----)"),
                Arguments.of("keystore password variable unset", List.of("server", "--tls-keystore", f("server-ec.p12"),
                        "--tls-keystore-password-env", "LORAFAB_TEST_SURELY_UNSET_4711"),
                        "--tls-keystore-password-env: the environment variable LORAFAB_TEST_SURELY_UNSET_4711 is not set"),
                Arguments.of("keystore without a password variable", List.of("server", "--tls-keystore", f("server-ec.p12")),
                        "--tls-keystore needs --tls-keystore-password-env VAR (the password is read from that environment variable, "
                                + "never from the command line)"),
                Arguments.of("password variable without a keystore", List.of("server", "--tls-keystore-password-env", "PATH"),
                        "--tls-keystore-password-env needs --tls-keystore"),
                // PATH is set in every test JVM and is not the keystore's password.
                Arguments.of("wrong keystore password", List.of("server", "--tls-keystore", f("server-ec.p12"),
                        "--tls-keystore-password-env", "PATH"), "--tls-keystore " + f("server-ec.p12") + ": cannot open the keystore: wrong password?"),
                Arguments.of("PEM file as keystore", List.of("server", "--tls-keystore", cert, "--tls-keystore-password-env", "PATH"),
                        "--tls-keystore " + cert + ": not a PKCS#12 keystore (for PEM files use --tls-cert and --tls-key)"),
                Arguments.of("PEM files and a keystore", List.of("server", "--tls-cert", cert, "--tls-key", key, "--tls-keystore",
                        f("server-ec.p12")), "give either --tls-cert and --tls-key, or --tls-keystore, not both"),
                Arguments.of("client CA without TLS", List.of("server", "--tls-client-ca", f("ca.pem")),
                        "--tls-client-ca needs TLS: add --tls-cert and --tls-key, or --tls-keystore"),
                Arguments.of("client CA file without a certificate", List.of("server", "--tls-cert", cert, "--tls-key", key,
                        "--tls-client-ca", key), "--tls-client-ca " + key + ": holds a private key but no certificate"),
                Arguments.of("LNS options with the listener off", List.of("server", "--lns-port", "-1", "--lns-tls-cert", cert, "--lns-tls-key", key),
                        "the --lns-* options need the Basics Station listener, which --lns-port -1 turns off"),
                Arguments.of("LNS key without certificate", List.of("server", "--lns-port", "0", "--lns-tls-key", key),
                        "--lns-tls-key needs --lns-tls-cert"),
                Arguments.of("LNS client CA without TLS", List.of("server", "--lns-port", "0", "--lns-tls-client-ca", f("ca.pem")),
                        "--lns-tls-client-ca needs TLS: add --lns-tls-cert and --lns-tls-key"),
                Arguments.of("LNS key not matching", List.of("server", "--lns-port", "0", "--lns-tls-cert", cert, "--lns-tls-key",
                        f("unrelated.key")), "--lns-tls-key " + f("unrelated.key") + ": the private key does not match"),
                Arguments.of("LNS unknown region", List.of("server", "--lns-port", "0", "--lns-region", "XX999"), "--lns-region: "),
                Arguments.of("LNS negative uplink limit", List.of("server", "--lns-port", "0", "--lns-uplinks-per-gateway", "-5"),
                        "--lns-uplinks-per-gateway: expected 0 (unlimited) or more, got -5"),
                Arguments.of("LNS credentials file with a bad digest", List.of("server", "--lns-port", "0", "--lns-credentials",
                        scratch("bad-lns-credentials.txt", "# gateway tokens\nB827EBFFFE61F47D not-a-digest\n")),
                        "--lns-credentials: line 2: the token digest must be 64 hex digits (SHA-256)"),
                Arguments.of("station: CA for a plain http server", List.of("station", "--server", "http://127.0.0.1:8080", "--token-file", Cli.tokenFile(),
                        "--order", "WO-1", "--ca-cert", f("ca.pem")), "--ca-cert needs an https:// --server"),
                Arguments.of("station: CA file missing", List.of("station", "--server", "https://127.0.0.1:8443", "--token-file", Cli.tokenFile(),
                        "--order", "WO-1", "--ca-cert", "/nonexistent/ca.pem"), "--ca-cert: no such file: /nonexistent/ca.pem"),
                Arguments.of("station: client certificate without key", List.of("station", "--server", "https://127.0.0.1:8443",
                        "--token-file", Cli.tokenFile(), "--order", "WO-1", "--client-cert", f("client.pem")), "--client-cert needs --client-key"),
                Arguments.of("station: client key not matching", List.of("station", "--server", "https://127.0.0.1:8443",
                        "--token-file", Cli.tokenFile(), "--order", "WO-1", "--client-cert", f("client.pem"), "--client-key", key),
                        "--client-key " + key + ": the private key does not match the certificate in --client-cert " + f("client.pem")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refused(String name, List<String> args, String message) {
        List<String> a = new ArrayList<>(args);
        if (args.get(0).equals("server")) {
            a.addAll(List.of("--data-dir", dir.toString(), "--http-port", "0", "--udp-port", "-1"));
        }
        Cli.Run r = Cli.raw(a.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: " + message).endsWith("\n").hasLineCount(1);
        for (String keyFile : List.of("server-ec.key", "unrelated.key", "server-ec.encrypted.key")) {
            assertThat(r.err()).doesNotContain(secretLine(PKI.file(keyFile)));
        }
        assertThat(dir.resolve("lorafab.db")).doesNotExist();
    }

    private static String secretLine(Path keyFile) {
        try {
            return Files.readAllLines(keyFile).get(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
