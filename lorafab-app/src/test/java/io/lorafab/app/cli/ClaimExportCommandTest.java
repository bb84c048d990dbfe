package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.ChipIdentity;
import io.lorafab.store.model.ClaimPin;
import io.lorafab.store.model.Unit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lorafab devices export --format loracloud-claim}: the file the maker claims LR11xx-style units with, and its audit. */
class ClaimExportCommandTest {

    @TempDir
    Path factory;

    @TempDir
    Path files;

    Cli cli;

    @BeforeEach
    void init() {
        cli = new Cli(factory).init();
    }

    void unitWithChip(String devEui, String pin) {
        try (Lorafab lf = Lorafab.open(null, factory, Map.of(), Clock.systemUTC())) {
            Unit u = lf.provisioning().addDevice(new DeviceIdentity(Eui64.parse(devEui), Eui64.parse("0016C001FFFE0001"),
                    AesKey.of(new byte[16]), null, MacVersion.V1_0_3, Region.byName("EU868"), null, null), null, "test:engineer");
            lf.chipIdentities().record(u.devEui(), new ChipIdentity(u.devEui(), Eui64.parse("0016C001FFFE0001"), ClaimPin.parse(pin),
                    "st-1", null), "station:st-1");
        }
    }

    @Test
    void theClaimFileHoldsEachUnitsChipEuiJoinEuiAndPinIsOwnerOnlyAndTheExportIsAudited() throws Exception {
        unitWithChip("0016C001F0000001", "1A2B3C4D");
        Path out = files.resolve("claims.csv");

        Cli.Run r = cli.run("devices", "export", "--format", "loracloud-claim", "--out", out.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo("DevEUI,ChipEUI,JoinEUI,PIN\r\n0016C001F0000001,0016C001F0000001,0016C001FFFE0001,1A2B3C4D\r\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        assertThat(r.err()).contains("claim PINs in the clear").doesNotContain("1A2B3C4D");
        try (Lorafab lf = Lorafab.open(null, factory, Map.of(), Clock.systemUTC())) {
            AuditEvent e = lf.registry().auditLog(1).get(0);
            assertThat(e.action()).isEqualTo("claims.export");
            assertThat(e.details()).isEqualTo("format=loracloud-claim devices=1 pins=clear").doesNotContain("1A2B3C4D");
        }
    }

    @Test
    void theClaimExportTakesNoKeyOrNetworkServerOptionAndSaysWhenThereIsNothing() {
        Cli.Run none = cli.run("devices", "export", "--format", "loracloud-claim", "--out", "-");
        assertThat(none.exit()).isNotZero();
        assertThat(none.err().strip()).startsWith("error: no unit has reported a chip identity").hasLineCount(1);

        Cli.Run wrap = cli.run("devices", "export", "--format", "loracloud-claim", "--wrap-kek-label", "x", "--out", "-");
        assertThat(wrap.exit()).isNotZero();
        assertThat(wrap.err()).contains("--format loracloud-claim carries no keys");
    }
}
