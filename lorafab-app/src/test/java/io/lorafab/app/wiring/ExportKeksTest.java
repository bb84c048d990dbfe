package io.lorafab.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.api.ErrorCode;
import io.lorafab.joinserver.bi.ExportKekSource;
import io.lorafab.joinserver.bi.KeyEnvelope;
import io.lorafab.store.StoreException;
import io.lorafab.store.vault.Kek;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Backend Interfaces' export KEKs are kept between requests, yet every change to their file or variable counts at once. */
class ExportKeksTest {
    private static final String A = "000102030405060708090a0b0c0d0e0f";
    private static final String B = "f0e0d0c0b0a090807060504030201000";

    @TempDir
    Path dir;

    private void write(String text) throws Exception {
        Path f = dir.resolve(ExportKeks.FILE_NAME);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }

    /** A clock a minute ahead: the file written just now is past the window in which it is read regardless. */
    private static Clock later() {
        return Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1));
    }

    private static List<String> labels(ExportKeks.Current c) {
        return c.keks().stream().map(Kek::label).toList();
    }

    @Test
    void aKekAddedToTheFileCountsAtTheNextRequest() throws Exception {
        write("000013=" + A + "\n");
        ExportKeks.Current keks = new ExportKeks.Current(Map.of(), dir, later());
        assertThat(labels(keks)).containsExactly("000013");
        assertThat(labels(keks)).containsExactly("000013");
        write("000013=" + A + "\n000013-as=" + B + "\n");
        assertThat(labels(keks)).containsExactly("000013", "000013-as");
    }

    @Test
    void aKeyChangedInPlaceWithTheSameLengthCountsAtTheNextRequest() throws Exception {
        write("000013=" + A + "\n");
        ExportKeks.Current keks = new ExportKeks.Current(Map.of(), dir);
        assertThat(keks.keks().get(0).keyBytes()).isEqualTo(io.lorafab.lorawan.types.Hex.parse(A, "key"));
        write("000013=" + B + "\n"); // same size, and likely the same clock tick
        assertThat(keks.keks().get(0).keyBytes()).isEqualTo(io.lorafab.lorawan.types.Hex.parse(B, "key"));
    }

    @Test
    void aFileOpenedToOthersIsRefusedAtTheNextRequestThoughItsContentIsUnchanged() throws Exception {
        write("000013=" + A + "\n");
        ExportKeks.Current keks = new ExportKeks.Current(Map.of(), dir, later());
        assertThat(labels(keks)).containsExactly("000013");
        Files.setPosixFilePermissions(dir.resolve(ExportKeks.FILE_NAME), PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(keks::keks).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.KEY_FILE_NOT_PRIVATE));
    }

    @Test
    void aRemovedFileTakesItsKeksAlongAndTheVariableStillCounts() throws Exception {
        write("000013=" + A + "\n");
        Map<String, String> env = new HashMap<>(Map.of(ExportKeks.ENV, "000099:" + B));
        ExportKeks.Current keks = new ExportKeks.Current(env, dir, later());
        assertThat(labels(keks)).containsExactly("000099", "000013");
        Files.delete(dir.resolve(ExportKeks.FILE_NAME));
        assertThat(labels(keks)).containsExactly("000099");
        env.put(ExportKeks.ENV, "000098:" + A);
        assertThat(labels(keks)).containsExactly("000098");
    }

    @Test
    void aLabelNoKekCarriesIsNoneAndAKnownOneIsFound() throws Exception {
        write("000013=" + A + "\n");
        ExportKekSource source = ExportKeks.forBackendInterfaces(Map.of(), dir);
        assertThat(source.byLabel("000013-as")).isEmpty();
        Optional<KeyEnvelope.Kek> k = source.byLabel("000013");
        assertThat(k).isPresent();
        assertThat(k.get().label()).isEqualTo("000013");
    }
}
