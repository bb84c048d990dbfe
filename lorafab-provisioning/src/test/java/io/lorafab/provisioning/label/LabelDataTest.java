package io.lorafab.provisioning.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelDataTest {

    static final String CODE = "LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:SLF-1";
    static final Eui64 DEV = Eui64.parse("0004A30B001C0530");
    static final Eui64 JOIN = Eui64.parse("70B3D57ED0000001");

    @ParameterizedTest(name = "DevEUI {0} is printed as {1}")
    @CsvSource({
            "0004a30b001c0530, 0004 A30B 001C 0530",
            "ffffffffffffffff, FFFF FFFF FFFF FFFF",
            "0000000000000001, 0000 0000 0000 0001",
    })
    void devEuiIsGroupedUpperCaseHex(String eui, String grouped) {
        Eui64 dev = Eui64.parse(eui);
        String code = "LW:D0:70B3D57ED0000001:" + eui + ":000A0001";
        assertThat(new LabelData(dev, JOIN, "", "", code).devEuiGrouped()).isEqualTo(grouped);
    }

    @Test
    void ofWritesTheCodeWithACheckSum() {
        LabelData l = TestLabels.sample(7);
        assertThat(l.tr005()).isEqualTo("LW:D0:70B3D57ED0000001:0004A30B001C0007:000A0001:SLF-24-00007:C"
                + io.lorafab.provisioning.qr.Tr005Checksum.of(
                        "LW:D0:70B3D57ED0000001:0004A30B001C0007:000A0001:SLF-24-00007"));
        assertThat(l.serialNumber()).isEqualTo("LF-24-00007");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            QR code for another DevEUI  | 0004A30B001C0531 | 70B3D57ED0000001 | LF-1  | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:SLF-1 | is for DevEUI 0004a30b001c0530
            QR code for another JoinEUI | 0004A30B001C0530 | 70B3D57ED0000002 | LF-1  | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:SLF-1 | not for this device
            serial differs from SerNum  | 0004A30B001C0530 | 70B3D57ED0000001 | LF-2  | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:SLF-1 | serial number "LF-2" differs from the TR005 SerNum "LF-1"
            QR code is not TR005        | 0004A30B001C0530 | 70B3D57ED0000001 | LF-1  | https://example.com/0004A30B001C0530                   | TR005: must start with "LW:"
            QR code with a bad checksum | 0004A30B001C0530 | 70B3D57ED0000001 | LF-1  | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:C0000  | CheckSum mismatch
            QR code with trailing CR LF | 0004A30B001C0530 | 70B3D57ED0000001 | LF-1  | "LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001\r\n"  | surrounding whitespace
            control character in serial | 0004A30B001C0530 | 70B3D57ED0000001 | "LF\t1" | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001     | serial number contains a control character at position 2
            """)
    void inconsistentLabelsAreRefused(String name, String dev, String join, String serial, String code,
            String message) {
        assertThatThrownBy(() -> new LabelData(Eui64.parse(dev), Eui64.parse(join), unescape(serial), "Sensor",
                unescape(code))).isInstanceOf(LorawanFormatException.class).hasMessageContaining(message);
    }

    @Test
    void serialMayBeEmptyOrAbsentFromTheCode() {
        assertThat(new LabelData(DEV, JOIN, "", "", CODE).serialNumber()).isEmpty();
        assertThat(new LabelData(DEV, JOIN, "X-9", "P", "LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001")
                .serialNumber()).isEqualTo("X-9");
        assertThatThrownBy(() -> new LabelData(DEV, JOIN, null, "", CODE)).isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("required");
    }

    @Test
    void aLabelHasNoPlaceForAKey() {
        assertThat(Arrays.stream(LabelData.class.getRecordComponents()).map(RecordComponent::getType))
                .doesNotContain(AesKey.class).containsOnly(Eui64.class, String.class);
    }

    static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    }
}
