package io.lorafab.station.at;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing the fixture's adapter by USB IDs among the ports a machine lists. */
class SerialPortsTest {

    private static final SerialPorts.Info CP2102 = new SerialPorts.Info("/dev/ttyUSB0", "CP2102N USB to UART Bridge", 0x10c4, 0xea60, "0001");
    private static final SerialPorts.Info FTDI = new SerialPorts.Info("COM7", "FT232R USB UART", 0x0403, 0x6001, "");
    private static final SerialPorts.Info ONBOARD = new SerialPorts.Info("/dev/ttyS0", "Physical Port S0", -1, -1, "");

    @Test
    void autoWithIdsPicksTheOnePortWithThoseIds() {
        assertThat(SerialPorts.choose("auto:10C4:EA60", List.of(ONBOARD, FTDI, CP2102))).isEqualTo(CP2102);
        assertThat(SerialPorts.choose("auto:403:6001", List.of(ONBOARD, FTDI, CP2102)).name()).isEqualTo("COM7");
    }

    @Test
    void autoAlonePicksTheOnlyUsbPortAndIgnoresOnboardOnes() {
        assertThat(SerialPorts.choose("auto", List.of(ONBOARD, CP2102))).isEqualTo(CP2102);
    }

    @Test
    void noMatchIsOneLineListingThePortsThatAreThere() {
        assertThatThrownBy(() -> SerialPorts.choose("auto:1a86:7523", List.of(ONBOARD, FTDI, CP2102)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--port auto:1a86:7523: no USB serial port 1a86:7523 found; USB serial ports here: "
                        + "COM7 0403:6001, /dev/ttyUSB0 10c4:ea60 serial 0001");
        assertThatThrownBy(() -> SerialPorts.choose("auto", List.of(ONBOARD)))
                .hasMessage("--port auto: no USB serial port found; no USB serial ports are attached (lorafab ports lists them all)");
    }

    @Test
    void severalMatchesAreOneLineListingTheCandidates() {
        SerialPorts.Info twin = new SerialPorts.Info("/dev/ttyUSB1", "CP2102N USB to UART Bridge", 0x10c4, 0xea60, "0002");
        assertThatThrownBy(() -> SerialPorts.choose("auto:10c4:ea60", List.of(CP2102, twin)))
                .hasMessage("--port auto:10c4:ea60: 2 ports match, expected exactly one; candidates: /dev/ttyUSB0 10c4:ea60 serial 0001, "
                        + "/dev/ttyUSB1 10c4:ea60 serial 0002; unplug the others or give --port by name");
    }

    @Test
    void forAMultiUpFixtureAutoTakesExactlyNMatchingPortsInNameOrder() {
        SerialPorts.Info usb1 = new SerialPorts.Info("/dev/ttyUSB1", "CP2102N USB to UART Bridge", 0x10c4, 0xea60, "0002");
        SerialPorts.Info usb2 = new SerialPorts.Info("/dev/ttyUSB2", "CP2102N USB to UART Bridge", 0x10c4, 0xea60, "0003");
        assertThat(SerialPorts.chooseAll("auto:10c4:ea60", List.of(usb2, FTDI, ONBOARD, CP2102, usb1), 3))
                .extracting(SerialPorts.Info::name).containsExactly("/dev/ttyUSB0", "/dev/ttyUSB1", "/dev/ttyUSB2");
        assertThatThrownBy(() -> SerialPorts.chooseAll("auto:10c4:ea60", List.of(CP2102, usb1, FTDI), 4))
                .hasMessage("--port auto:10c4:ea60: 4 positions need 4 matching USB serial ports, 2 are attached: "
                        + "/dev/ttyUSB0 10c4:ea60, /dev/ttyUSB1 10c4:ea60; or give a --port name per position");
        assertThatThrownBy(() -> SerialPorts.chooseAll("auto", List.of(ONBOARD), 2))
                .hasMessage("--port auto: 2 positions need 2 matching USB serial ports, none is attached (lorafab ports lists them all); "
                        + "or give a --port name per position");
    }

    @Test
    void aMalformedSpecIsNamed() {
        assertThatThrownBy(() -> SerialPorts.choose("auto:10c4", List.of(CP2102)))
                .hasMessageStartingWith("--port auto:10c4: expected auto or auto:VID:PID");
        assertThat(SerialPorts.isAuto("auto:10c4:ea60")).isTrue();
        assertThat(SerialPorts.isAuto("AUTO")).isTrue();
        assertThat(SerialPorts.isAuto("/dev/ttyUSB0")).isFalse();
        assertThat(SerialPorts.isAuto("automat")).isFalse();
    }

    @Test
    void thisMachinesListHasNamesThatOpenAcceptsAndNoNulls() {
        for (SerialPorts.Info p : SerialPorts.list()) {
            assertThat(p.name()).isNotBlank();
            assertThat(p.description()).isNotNull();
            assertThat(p.serialNumber()).isNotNull();
        }
    }

    @Test
    void aWindowsNameThatIsNotThereIsATypedOneLineError() {
        assertThatThrownBy(() -> SerialPort.open("COM97", 115200)).isInstanceOf(AtException.class)
                .hasMessageContaining("serial port COM97").hasMessageContaining(" here").hasMessageNotContaining("\n");
    }
}
