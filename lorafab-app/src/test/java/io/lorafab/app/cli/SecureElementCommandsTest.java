package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lorafab devices import --format tnglora} with Microchip's public sample manifest (resources/tnglora), and the
 * export of its units for The Things Stack: no key, the external join server named.
 */
class SecureElementCommandsTest {

    @TempDir
    Path factory;

    @TempDir
    Path files;

    Cli cli;
    Path manifest;
    Path signer002;
    Path signer003;

    @BeforeEach
    void init() throws IOException {
        cli = new Cli(factory).init();
        manifest = copy("microchip-sample.json");
        signer002 = copy("log-signer-002.pem");
        signer003 = copy("log-signer-003.pem");
    }

    Path copy(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/tnglora/" + name)) {
            Path p = files.resolve(name);
            Files.write(p, in.readAllBytes());
            return p;
        }
    }

    @Test
    void theSampleManifestImportsItsUnitsKeylessAndTheirTtsExportNamesTheJoinServer() throws Exception {
        Cli.Run r = cli.run("devices", "import", "--format", "tnglora", "--signers", files.toString(), "--join-server",
                "js.example.com", manifest.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 2 device(s) whose secure elements hold their keys; their joins go to js.example.com");
        try (Lorafab lf = Lorafab.open(null, factory, Map.of(), Clock.systemUTC())) {
            List<Unit> units = lf.registry().units(UnitQuery.all());
            assertThat(units).extracting(Unit::devEui).containsExactlyInAnyOrder(Eui64.parse("0004A310001FF9DA"),
                    Eui64.parse("0004A310001AA90A"));
            assertThat(units).allSatisfy(u -> assertThat(u.keys()).isNull());
        }

        Path out = files.resolve("tts.json");
        Cli.Run e = cli.run("devices", "export", "--format", "tts-json", "--out", out.toString());
        assertThat(e.exit()).as(e.err()).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(2);
        JsonNode d = new ObjectMapper().readTree(lines.get(0));
        assertThat(d.path("join_server_address").asText()).isEqualTo("js.example.com");
        assertThat(d.path("ids").path("join_eui").asText()).isEqualTo("70B3D57ED0000000");
        assertThat(d.path("root_keys").has("app_key")).isFalse();
    }

    @Test
    void aManifestNotSignedByThePinnedSignerIsRefusedInOneLineNamingTheEntry() {
        Cli.Run r = cli.run("devices", "import", "--format", "tnglora", "--signers", signer003.toString(), "--join-server",
                "js.example.com", manifest.toString());

        assertThat(r.exit()).isNotZero();
        assertThat(r.err().strip()).startsWith("error: manifest refused, nothing imported: entry [0]: signed by a certificate "
                + "that is not among the pinned signers").doesNotContain("Exception").hasLineCount(1);
    }

    @Test
    void theTngLoraImportNeedsItsSignersAndItsJoinServer() {
        assertThat(cli.run("devices", "import", "--format", "tnglora", "--join-server", "js.example.com", manifest.toString()).err())
                .contains("--format tnglora needs --signers");
        assertThat(cli.run("devices", "import", "--format", "tnglora", "--signers", signer002.toString(), manifest.toString()).err())
                .contains("--format tnglora needs --join-server");
    }
}
