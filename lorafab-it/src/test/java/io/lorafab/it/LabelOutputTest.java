package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.station.client.ReservedUnit;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.line.LabelOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A passed unit's label fetched from the real server, written, and handed to a print command that works or fails. */
class LabelOutputTest {

    @TempDir
    Path dir;

    LineServer server;
    StationApiClient station;
    ReservedUnit unit;

    @BeforeEach
    void start() throws Exception {
        server = LineServer.start(dir.resolve("data"));
        server.workOrder("WO-P", "tag", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, new ProfileId(1, 9), Eui64.parse("70b3d57ed00a0000"));
        station = new StationApiClient(server.url(), server.operatorToken("st-label"), "st-label");
        unit = station.reserve("WO-P", null);
        station.programmed(unit.devEui());
        station.finish(unit.devEui(), true, null, Map.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    LabelOutput output(String format, String print) {
        return new LabelOutput(new LabelOutput.Settings(dir.resolve("labels"), format, "50x25", print, Duration.ofSeconds(10)));
    }

    @Test
    void aPdfLabelIsWrittenAndPrinted() throws Exception {
        Path printed = dir.resolve("printer-queue.pdf");
        LabelOutput.Delivered d = output("pdf", "cp {file} " + printed).deliver(station, unit.devEui(), unit.serial());
        assertThat(unit.serial()).matches("tag-\\d{4}-000001"); // from the product's default serial template
        assertThat(d.file()).isEqualTo(dir.resolve("labels").resolve(unit.serial() + ".pdf"));
        assertThat(Files.readAllBytes(d.file())).startsWith("%PDF".getBytes()).isEqualTo(Files.readAllBytes(printed));
        assertThat(d.printed()).hasValueSatisfying(r -> assertThat(r.exitCode()).isZero());
        try (var files = Files.list(dir.resolve("labels"))) {
            assertThat(files).as("no partial files left").containsExactly(d.file());
        }
    }

    @Test
    void aPrinterThatFailsIsReportedWithItsLastLineAndTheFileStays() {
        assertThatThrownBy(() -> output("zpl", "sh -c \"echo printer offline; exit 4\" {file}").deliver(station, unit.devEui(), unit.serial()))
                .isInstanceOf(LabelOutput.LabelException.class)
                .hasMessageContaining("print command exited 4").hasMessageContaining("printer offline");
        assertThat(dir.resolve("labels").resolve(unit.serial() + ".zpl")).exists();
    }

    @Test
    void aVoidedUnitGetsNoLabel() {
        station.voidUnit(unit.devEui(), "dropped");
        assertThatThrownBy(() -> output("zpl", null).deliver(station, unit.devEui(), unit.serial()))
                .hasMessageContaining("VOID");
    }
}
