package io.lorafab.app.wiring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Certificates and keys for the TLS tests, made once per test JVM with the openssl command line (as an operator
 * would make them): a private CA, server certificates for 127.0.0.1 and localhost with RSA and EC keys in every
 * PEM form lorafab reads or refuses, a PKCS#12 keystore, a certificate for another host name, client certificates
 * from the CA and from a second, unrelated CA.
 */
public final class TestPki {
    public static final String KEYSTORE_PASSWORD = "keystore-secret";

    private static TestPki shared;

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** The files, made on first use and deleted when the JVM exits. */
    public static synchronized TestPki shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("lorafab-pki");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                shared = new TestPki(dir);
                shared.make();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** A file of this PKI, e.g. {@code ca.pem}, {@code server-rsa.key}, {@code server-rsa-chain.pem}. */
    public Path file(String name) {
        Path p = dir.resolve(name);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("no such test PKI file: " + name);
        }
        return p;
    }

    /** A scratch file with {@code text}, for malformed inputs. */
    public Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    private void make() throws IOException {
        Files.writeString(dir.resolve("openssl.cnf"), String.join("\n",
                "[req]", "distinguished_name = dn", "prompt = no", "[dn]", "CN = unused",
                "[ca_ext]", "basicConstraints = critical,CA:TRUE", "keyUsage = critical,keyCertSign,cRLSign",
                "subjectKeyIdentifier = hash",
                "[server_ext]", "basicConstraints = CA:FALSE", "keyUsage = critical,digitalSignature,keyEncipherment",
                "extendedKeyUsage = serverAuth", "subjectAltName = DNS:localhost,IP:127.0.0.1", "authorityKeyIdentifier = keyid",
                "[elsewhere_ext]", "basicConstraints = CA:FALSE", "keyUsage = critical,digitalSignature", "extendedKeyUsage = serverAuth",
                "subjectAltName = DNS:lorafab.example.com", "authorityKeyIdentifier = keyid",
                "[client_ext]", "basicConstraints = CA:FALSE", "keyUsage = critical,digitalSignature", "extendedKeyUsage = clientAuth",
                "authorityKeyIdentifier = keyid", ""));
        for (String ca : List.of("ca", "other-ca")) {
            ecKey(ca + ".key");
            openssl("req", "-x509", "-new", "-key", ca + ".key", "-config", "openssl.cnf", "-extensions", "ca_ext",
                    "-subj", "/CN=lorafab test " + ca, "-days", "2", "-out", ca + ".pem");
        }
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "server-rsa.key");
        ecKey("server-ec.key");
        ecKey("unrelated.key");
        for (String k : List.of("server-rsa", "server-ec")) {
            issue(k, "/CN=localhost", "server_ext", "ca");
            openssl("pkey", "-in", k + ".key", "-traditional", "-out", k + ".traditional.key");
            openssl("pkey", "-in", k + ".key", "-aes256", "-passout", "pass:x", "-out", k + ".encrypted.key");
            openssl("pkey", "-in", k + ".key", "-traditional", "-aes256", "-passout", "pass:x", "-out", k + ".encrypted-traditional.key");
            Files.writeString(dir.resolve(k + "-chain.pem"), Files.readString(dir.resolve(k + ".pem")) + Files.readString(dir.resolve("ca.pem")));
            Files.writeString(dir.resolve(k + "-chain-reversed.pem"),
                    Files.readString(dir.resolve("ca.pem")) + Files.readString(dir.resolve(k + ".pem")));
        }
        openssl("pkcs12", "-export", "-in", "server-ec.pem", "-inkey", "server-ec.key", "-certfile", "ca.pem", "-name", "lorafab",
                "-passout", "pass:" + KEYSTORE_PASSWORD, "-out", "server-ec.p12");
        ecKey("client.key");
        issue("client", "/CN=network-server-000013", "client_ext", "ca");
        // a Basics Station gateway's client certificate: its EUI as the subject CN
        ecKey("gateway.key");
        issue("gateway", "/CN=B8-27-EB-FF-FE-61-F4-7D", "client_ext", "ca");
        ecKey("rogue-client.key");
        issue("rogue-client", "/CN=rogue", "client_ext", "other-ca");
        ecKey("elsewhere.key");
        issue("elsewhere", "/CN=lorafab.example.com", "elsewhere_ext", "ca");
    }

    private void ecKey(String name) {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name);
    }

    /** {@code name}.pem: a certificate for {@code name}.key, signed by {@code ca}. */
    private void issue(String name, String subject, String extensions, String ca) {
        openssl("req", "-new", "-key", name + ".key", "-config", "openssl.cnf", "-subj", subject, "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-set_serial",
                Long.toString(System.nanoTime() & 0xffffffffL), "-days", "2", "-extfile", "openssl.cnf", "-extensions", extensions,
                "-out", name + ".pem");
    }

    private void openssl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl (the TLS tests need it; .ci/run installs it): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
