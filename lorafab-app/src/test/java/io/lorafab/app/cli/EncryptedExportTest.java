package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.jose.RecipientKey;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.station.at.Identity;
import io.lorafab.station.image.IdentityBlock;
import io.lorafab.station.image.IdentityFlasher;
import io.lorafab.station.image.IdentityImage;
import io.lorafab.station.line.IdentityFixture;
import io.lorafab.provisioning.service.Reservation;
import io.lorafab.provisioning.service.ReserveRequest;
import io.lorafab.store.model.TestResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code devices export --encrypt-to}: the file a network operator receives is opened by an independent JWE implementation
 * (Node's {@code jose}, from src/test/resources/jose-decrypt, installed by {@code npm ci} from its lock file) with keys made
 * by {@code openssl genpkey}, and holds exactly the unencrypted export; another key opens nothing; the audit names the key.
 * The same for a station's identity file for a fixture on another machine, and for {@code lorafab decrypt}.
 */
class EncryptedExportTest {

    @TempDir
    static Path tools;
    static Path node;
    static Path keys;

    @TempDir
    Path factory;
    @TempDir
    Path files;
    Cli cli;

    @BeforeAll
    static void theRecipientsToolsAndKeys() throws Exception {
        node = tools.resolve("jose-decrypt");
        Files.createDirectories(node);
        for (String f : List.of("package.json", "package-lock.json", "decrypt.mjs")) {
            try (InputStream in = EncryptedExportTest.class.getResourceAsStream("/jose-decrypt/" + f)) {
                Files.copy(in, node.resolve(f));
            }
        }
        run(node, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
        keys = tools.resolve("keys");
        Files.createDirectories(keys);
        // as an operator makes them: RSA and EC key pairs, their public halves, and a certificate for the EC key
        run(keys, "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072", "-out", "rsa.key");
        run(keys, "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "other-rsa.key");
        run(keys, "openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "short-rsa.key");
        run(keys, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.key");
        run(keys, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "ec384.key");
        run(keys, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other-ec.key");
        run(keys, "openssl", "genpkey", "-algorithm", "ED25519", "-out", "ed.key");
        for (String k : List.of("rsa", "short-rsa", "ec", "ec384", "ed")) {
            run(keys, "openssl", "pkey", "-in", k + ".key", "-pubout", "-out", k + ".pub");
        }
        run(keys, "openssl", "req", "-x509", "-new", "-key", "ec.key", "-subj", "/CN=network-server", "-days", "2", "-out", "ec.crt");
    }

    @BeforeEach
    void aDayOnTheLine() {
        cli = new Cli(factory).init();
        assertThat(cli.run("products", "create", "--name", "gauge", "--join-eui", "70b3d57ed0000002", "--mac-version", "1.1",
                "--region", "EU868", "--profile-id", "12340002").exit()).isZero();
        assertThat(cli.run("eui-blocks", "create", "--name", "b1", "--assignment", "MA-S", "--prefix", "70b3d57ed",
                "--first", "70b3d57ed0030000", "--size", "100").exit()).isZero();
        assertThat(cli.run("orders", "create", "--product", "gauge", "--quantity", "10", "--reference", "WO-G").exit()).isZero();
        try (Lorafab lf = Lorafab.open(null, factory, Map.of(), Clock.systemUTC())) {
            for (int i = 0; i < 3; i++) {
                Reservation r = lf.provisioning().reserve(new ReserveRequest("WO-G", "st-1", null, "SN" + i), "test");
                lf.provisioning().markProgrammed(r.unit().devEui(), "st-1", "test");
                lf.provisioning().finish(r.unit().devEui(), TestResult.PASSED, null, "{}", "st-1", "test");
            }
        }
    }

    @ParameterizedTest(name = "{0} to {1}: node jose opens it with {2} and reads the plain export")
    @CsvSource({
            "csv,            rsa.pub, rsa.key,   RSA-OAEP-256",
            "tts-json,       rsa.pub, rsa.key,   RSA-OAEP-256",
            "csv,            ec.pub,  ec.key,    ECDH-ES",
            "chirpstack-csv, ec.pub,  ec.key,    ECDH-ES",
            "tts-json,       ec384.pub, ec384.key, ECDH-ES",
            "csv,            ec.crt,  ec.key,    ECDH-ES"})
    void anEncryptedExportIsOpenedByNodeJoseWithTheRecipientsPrivateKeyAndHoldsThePlainExport(String format, String recipient,
            String privateKey, String alg) throws Exception {
        List<String> extra = format.equals("chirpstack-csv")
                ? List.of("--application-id", "5f2a3b1c-0000-4000-8000-000000000001", "--device-profile-id",
                        "5f2a3b1c-0000-4000-8000-000000000002")
                : List.of();
        Path plain = files.resolve("plain." + format);
        Path jwe = files.resolve("devices.jwe");
        assertThat(export(plain, extra).exit()).isZero();
        List<String> args = new ArrayList<>(extra);
        args.addAll(List.of("--encrypt-to", keys.resolve(recipient).toString()));
        Cli.Run r = cliExport(format, jwe, args);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(jwe))).isEqualTo("rw-------");

        Decrypted d = decrypt(privateKey, jwe);

        assertThat(d.exit()).as(d.err()).isZero();
        assertThat(d.plaintext()).isEqualTo(Files.readAllBytes(plain));
        JsonNode info = new ObjectMapper().readTree(d.err());
        JsonNode header = info.get("header");
        assertThat(header.get("alg").asText()).isEqualTo(alg);
        assertThat(header.get("enc").asText()).isEqualTo("A256GCM");
        assertThat(header.get("cty").asText()).isEqualTo(format);
        String thumbprint = info.get("thumbprint").asText();
        assertThat(header.get("kid").asText()).isEqualTo(thumbprint);
        assertThat(r.err()).contains("encrypted to", thumbprint);
        String compact = Files.readString(jwe).strip();
        assertThat(compact).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(compact).doesNotContain(Files.readString(plain).lines().skip(1).findFirst().orElseThrow());
    }

    @ParameterizedTest(name = "encrypted to {0}: {1} opens nothing")
    @CsvSource({"rsa.pub, other-rsa.key", "ec.pub, other-ec.key", "ec.pub, rsa.key"})
    void anotherPrivateKeyCannotOpenTheExport(String recipient, String wrongKey) throws Exception {
        Path jwe = files.resolve("devices.jwe");
        assertThat(cliExport("csv", jwe, List.of("--encrypt-to", keys.resolve(recipient).toString())).exit()).isZero();

        Decrypted d = decrypt(wrongKey, jwe);

        assertThat(d.exit()).isNotZero();
        assertThat(d.plaintext()).isEmpty();
    }

    @Test
    void theAuditRecordNamesTheRecipientKeysThumbprint() throws Exception {
        Path jwe = files.resolve("devices.jwe");
        assertThat(cliExport("tts-json", jwe, List.of("--encrypt-to", keys.resolve("ec.pub").toString())).exit()).isZero();
        String thumbprint = new ObjectMapper().readTree(decrypt("ec.key", jwe).err()).get("thumbprint").asText();
        try (Lorafab lf = Lorafab.open(null, factory, Map.of(), Clock.systemUTC())) {
            List<String> details = lf.registry().auditLog(50).stream().filter(e -> e.action().equals("keys.export"))
                    .map(e -> e.details()).toList();
            assertThat(details).containsExactly("format=tts-json devices=3 keys=clear encrypted_to=" + thumbprint + " (ECDH-ES)");
        }
    }

    @ParameterizedTest(name = "--encrypt-to {0}: refused with one line, nothing written, nothing audited")
    @CsvSource({
            "rsa.key,       that is a private key",
            "short-rsa.pub, at least 2048",
            "ed.pub,        neither RSA nor EC",
            "missing.pem,   missing.pem"})
    void aRecipientThatIsNotAnRsaOrEcPublicKeyIsRefused(String recipient, String says) throws Exception {
        Path jwe = files.resolve("devices.jwe");

        Cli.Run r = cliExport("csv", jwe, List.of("--encrypt-to", keys.resolve(recipient).toString()));

        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains(says).doesNotContain("Exception", "MII").hasLineCount(1);
        assertThat(jwe).doesNotExist();
        try (Lorafab lf = Lorafab.open(null, factory, Map.of(), Clock.systemUTC())) {
            assertThat(lf.registry().auditLog(50)).noneMatch(e -> e.action().equals("keys.export"));
        }
    }

    @Test
    void aStationsIdentityFileForAFixtureOnAnotherMachineIsOpenedByNodeJose() throws Exception {
        Identity id = new Identity(Eui64.parse("70b3d57ed0070001"), Eui64.parse("70b3d57ed0000001"),
                AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c"), Optional.of(AesKey.parse("000102030405060708090a0b0c0d0e0f")));
        Path handOver = Files.writeString(files.resolve("hand-over.sh"), "cp \"$1\" '" + files + "/unit.hex.jwe'\n");
        IdentityFixture fixture = new IdentityFixture(0x0803_F800L, 2048, (byte) 0xff, IdentityFlasher.custom("sh " + handOver + " {hex}", null,
                java.time.Duration.ofSeconds(20)), files, System::nanoTime, RecipientKey.fromPem(Files.readString(keys.resolve("rsa.pub"))));

        assertThat(fixture.program(id, "SN-1").ok()).isTrue();
        Decrypted d = decrypt("rsa.key", files.resolve("unit.hex.jwe"));

        assertThat(d.exit()).as(d.err()).isZero();
        byte[] block = new IdentityBlock(id.devEui(), id.joinEui(), id.appKey(), id.nwkKey(), "SN-1").encode();
        assertThat(new String(d.plaintext(), StandardCharsets.US_ASCII)).isEqualTo(IdentityImage.pageHex(block, 0x0803_F800L, 2048, (byte) 0xff));
        JsonNode header = new ObjectMapper().readTree(d.err()).get("header");
        assertThat(header.get("cty").asText()).isEqualTo("lfid-hex");
        assertThat(header.get("alg").asText()).isEqualTo("RSA-OAEP-256");
        assertThat(decrypt("other-rsa.key", files.resolve("unit.hex.jwe")).exit()).isNotZero();
    }

    @Test
    void lorafabDecryptOpensAnExportWithTheRecipientsKeyAndRefusesAnotherKeyInOneLine() throws Exception {
        Path plain = files.resolve("plain.csv");
        Path jwe = files.resolve("devices.jwe");
        assertThat(export(plain, List.of()).exit()).isZero();
        assertThat(cliExport("csv", jwe, List.of("--encrypt-to", keys.resolve("ec.crt").toString())).exit()).isZero();
        Path opened = files.resolve("opened.csv");

        Cli.Run r = Cli.raw("decrypt", "--key", keys.resolve("ec.key").toString(), "--out", opened.toString(), jwe.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(opened)).isEqualTo(Files.readAllBytes(plain));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(opened))).isEqualTo("rw-------");
        Path wrong = files.resolve("wrong.csv");
        Cli.Run refused = Cli.raw("decrypt", "--key", keys.resolve("other-ec.key").toString(), "--out", wrong.toString(), jwe.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("error: ").contains("does not open the file").hasLineCount(1);
        assertThat(wrong).doesNotExist();
    }

    private Cli.Run export(Path out, List<String> extra) {
        String name = out.getFileName().toString();
        return cliExport(name.substring(name.indexOf('.') + 1), out, extra);
    }

    private Cli.Run cliExport(String format, Path out, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("devices", "export", "--format", format, "--out", out.toString()));
        args.addAll(extra);
        return cli.run(args.toArray(String[]::new));
    }

    record Decrypted(int exit, byte[] plaintext, String err) {
    }

    private static Decrypted decrypt(String privateKey, Path jwe) throws Exception {
        Process p = new ProcessBuilder("node", node.resolve("decrypt.mjs").toString(), keys.resolve(privateKey).toString(),
                jwe.toString()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Decrypted(p.exitValue(), out, err);
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
