package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.demo.Demo;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole line over real sockets and pseudo-terminals (the demo with few units), then the database is checked:
 * every PASSED unit has a verified join and uplink recorded, identities are unique, failures carry reasons.
 */
class DemoLineTest {

    @TempDir
    Path dir;

    @Test
    void theLineLeavesAConsistentRegistry() throws Exception {
        StringWriter text = new StringWriter();
        int exit = new Demo(new Demo.Options(32, 2, dir, false), new PrintWriter(text, true)).run();
        assertThat(exit).isZero();
        assertThat(text.toString()).contains("units: ").contains("throughput: ");
        assertThat(Files.exists(dir.resolve("devices-tts.json"))).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("labels-DEMO-1.pdf"))).startsWith("%PDF".getBytes());
        try (Lorafab lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC())) {
            List<Unit> units = lf.registry().units(UnitQuery.all());
            assertThat(units).hasSize(32);
            Set<String> euis = new HashSet<>();
            int passed = 0;
            for (Unit u : units) {
                assertThat(euis.add(u.devEui().toString())).isTrue();
                List<RadioEvent> events = lf.joinStore().events(u.devEui(), 0, 100);
                var runs = lf.registry().testRuns(u.id());
                assertThat(runs).as("test run of %s", u.devEui()).hasSize(1);
                if (u.state() == UnitState.PASSED) {
                    passed++;
                    assertThat(events).extracting(RadioEvent::kind).contains("join_accepted", "uplink_verified");
                    assertThat(runs.get(0).measurementsJson()).contains("\"rssi\"");
                } else {
                    assertThat(u.state()).isEqualTo(UnitState.FAILED);
                    assertThat(runs.get(0).reasonCode()).isIn("module_error", "join_failed");
                }
            }
            assertThat(passed).isGreaterThanOrEqualTo(28); // units 11 (rejected key) and 17 (out of range) fail by design
        }
    }
}
