package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.station.at.SerialPorts;
import org.junit.jupiter.api.Test;

/**
 * {@code lorafab ports} on this machine, through jSerialComm's real port list (a build machine may have no USB
 * adapter, so only the shape is held: the header, one row or JSON object per port the library lists, exit 0).
 */
class PortsCommandTest {

    @Test
    void theTableHasAHeaderAndOneRowPerPortTheLibraryLists() {
        Cli.Run r = Cli.raw("ports");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        var lines = r.out().lines().toList();
        assertThat(lines.get(0)).matches("PORT +USB ID +SERIAL +DESCRIPTION");
        int ports = SerialPorts.list().size();
        if (ports == 0) {
            assertThat(lines).containsExactly(lines.get(0), "(no serial ports found)");
        } else {
            assertThat(lines).hasSize(1 + ports);
            for (SerialPorts.Info p : SerialPorts.list()) {
                assertThat(r.out()).contains(p.name());
            }
        }
    }

    @Test
    void jsonIsAnArrayWithThePortAndItsUsbIds() {
        Cli.Run r = Cli.raw("ports", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode a = r.json();
        assertThat(a.isArray()).isTrue();
        assertThat(a.size()).isEqualTo(SerialPorts.list().size());
        for (JsonNode p : a) {
            assertThat(p.fieldNames()).toIterable().containsExactly("port", "usbVendorId", "usbProductId", "serialNumber", "description");
            assertThat(p.get("port").asText()).isNotBlank();
            if (!p.get("usbVendorId").isNull()) {
                assertThat(p.get("usbVendorId").asText()).matches("[0-9a-f]{4}");
                assertThat(p.get("usbProductId").asText()).matches("[0-9a-f]{4}");
            }
        }
    }
}
