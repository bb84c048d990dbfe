package io.lorafab.provisioning.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.provisioning.qr.Tr005Code;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZplTest {

    static final ZplLayout LAYOUT_203 = ZplLayout.of(60, 30, 203);
    static final Pattern FORMAT = Pattern.compile("\\^XA\\n(.*?)\\^XZ\\n", Pattern.DOTALL);
    static final Pattern QR = Pattern.compile("\\^FO(\\d+),(\\d+)\\^BQN,2,(\\d+)\\^FDMA,([^\\^~]*)\\^FS");
    static final Pattern TEXT = Pattern.compile("\\^FO(\\d+),(\\d+)\\^A0N,(\\d+),(\\d+)\\^FH_\\^FD([^\\^~]*)\\^FS");

    @Test
    void oneFormatPerLabelWithTheTr005CodeAsQrData() {
        List<LabelData> labels = TestLabels.samples(3);
        String zpl = Zpl.zpl(labels, LAYOUT_203);
        List<String> formats = formats(zpl);
        assertThat(formats).hasSize(3);
        for (int i = 0; i < labels.size(); i++) {
            String f = formats.get(i);
            assertThat(f).startsWith("^CI28\n^PW480\n^LL240\n^LH0,0\n");
            Matcher qr = QR.matcher(f);
            assertThat(qr.find()).isTrue();
            assertThat(qr.group(4)).isEqualTo(labels.get(i).tr005());
            assertThat(texts(f)).containsExactly("Soil sensor S1", "DevEUI", labels.get(i).devEuiGrouped(),
                    "S/N " + labels.get(i).serialNumber());
        }
    }

    @ParameterizedTest(name = "{0} x {1} mm at {2} dpi -> ^PW{3} ^LL{4}")
    @CsvSource({
            "60, 30, 203, 480, 240",
            "50, 25, 203, 400, 200",
            "50, 25, 300, 591, 295",
            "100, 50, 300, 1181, 591",
            "60, 30, 152, 359, 180",
            "60, 30, 600, 1417, 709",
    })
    void labelSizeInDotsFollowsThePrinterResolution(double w, double h, int dpi, int pw, int ll) {
        String f = formats(Zpl.zpl(TestLabels.samples(1), ZplLayout.of(w, h, dpi))).get(0);
        assertThat(f).contains("^PW" + pw + "\n").contains("^LL" + ll + "\n");
    }

    @ParameterizedTest(name = "{0} x {1} mm at {2} dpi -> magnification {3}")
    @CsvSource({
            // The sample code has 67 characters: version 4-M, 33 modules a side, 41 with the quiet zone.
            "60, 30, 203, 5",
            "50, 25, 203, 4",
            "50, 25, 300, 7",
            "100, 50, 300, 10",
    })
    void automaticMagnificationIsTheLargestThatFitsWithItsQuietZone(double w, double h, int dpi, int mag) {
        LabelData label = TestLabels.sample(1);
        int modules = QrMatrix.encode(label.tr005()).sizeWithQuietZone();
        ZplLayout layout = ZplLayout.of(w, h, dpi);
        Matcher qr = QR.matcher(Zpl.zpl(List.of(label), layout));
        assertThat(qr.find()).isTrue();
        assertThat(Integer.parseInt(qr.group(3))).isEqualTo(mag);
        assertThat(mag * modules).isLessThanOrEqualTo(layout.heightDots());
        assertThat(Integer.parseInt(qr.group(1))).isEqualTo(4 * mag);
    }

    @Test
    void caretTildeUnderscoreAndNonAsciiInTextAreHexEscaped() {
        Tr005Code code = Tr005Code.of(TestLabels.JOIN_EUI, Eui64.parse("0004A30B001C0530"), TestLabels.PROFILE);
        String product = "T^ny ~ sensor_2 Zähler";
        String zpl = Zpl.zpl(List.of(LabelData.of(code, "A^B", product)), ZplLayout.of(100, 30, 203));
        assertThat(zpl).contains("^FH_^FDT_5Eny _7E sensor_5F2 Z_C3_A4hler^FS");
        assertThat(zpl).contains("^FH_^FDS/N A_5EB^FS");
        assertThat(zpl.chars().allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f))).as("plain ASCII").isTrue();
        String format = formats(zpl).get(0);
        assertThat(texts(format)).contains(product, "S/N A^B");
        // Every '^' left is a command: a field's data never holds one.
        assertThat(format.split("\\^FS", -1)).allSatisfy(part -> {
            int fd = part.indexOf("^FD");
            if (fd >= 0) {
                assertThat(part.substring(fd + 3)).doesNotContain("^").doesNotContain("~");
            }
        });
    }

    @Test
    void aQrCodeHoldingCaretOrTildeIsEscapedToo() {
        Tr005Code code = Tr005Code.of(TestLabels.JOIN_EUI, Eui64.parse("0004A30B001C0530"), TestLabels.PROFILE)
                .withProprietary("a^b~c_d");
        String zpl = Zpl.zpl(List.of(LabelData.of(code, "", "")), ZplLayout.of(100, 30, 203));
        String data = "MA," + LabelData.of(code, "", "").tr005();
        assertThat(zpl).contains("^FH_^FD" + Zpl.escape(data) + "^FS").contains(":Pa_5Eb_7Ec_5Fd:C");
        assertThat(unescape(Zpl.escape(data))).isEqualTo(data);
    }

    @Test
    void emptySerialAndProductLeaveTheirLinesOut() {
        Tr005Code code = Tr005Code.of(TestLabels.JOIN_EUI, Eui64.parse("0004A30B001C0530"), TestLabels.PROFILE);
        String f = formats(Zpl.zpl(List.of(LabelData.of(code, "", "")), LAYOUT_203)).get(0);
        assertThat(texts(f)).containsExactly("DevEUI", "0004 A30B 001C 0530");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            explicit magnification too big   | 60  | 30  | 203 | 10 | needs 370 dots, the label is 240 dots high
            no room for text beside the QR   | 20  | 30  | 203 | 0  | has no room for text next to its 222-dot QR code
            serial number too long           | 60  | 30  | 203 | 0  | does not fit a 60.0 mm label
            """)
    void labelsThatCannotBePrintedAreRefused(String name, double w, double h, int dpi, int mag, String message) {
        Tr005Code code = Tr005Code.of(TestLabels.JOIN_EUI, Eui64.parse("0004A30B001C0530"), TestLabels.PROFILE);
        String serial = name.startsWith("serial") ? "S-" + "1".repeat(60) : "S-1";
        LabelData label = LabelData.of(code, serial, "P");
        assertThatThrownBy(() -> Zpl.zpl(List.of(label), new ZplLayout(w, h, dpi, mag)))
                .isInstanceOf(LorawanFormatException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown resolution     | 60 | 30 | 250 | 0  | must be 152, 203, 300 or 600 dpi, got 250
            magnification over 10  | 60 | 30 | 203 | 11 | QR magnification must be 1..10 (or 0 for automatic), got 11
            label too narrow       | 15 | 30 | 203 | 0  | 20..300 mm wide
            """)
    void impossibleLayoutsAreRefused(String name, double w, double h, int dpi, int mag, String message) {
        assertThatThrownBy(() -> new ZplLayout(w, h, dpi, mag)).isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void nothingToPrintIsRefused() {
        assertThatThrownBy(() -> Zpl.zpl(List.of(), LAYOUT_203)).isInstanceOf(LorawanFormatException.class)
                .hasMessage("ZPL: no labels to print");
    }

    /** The bodies of the ^XA ... ^XZ formats, checking that nothing lies between or around them. */
    static List<String> formats(String zpl) {
        List<String> out = new ArrayList<>();
        Matcher m = FORMAT.matcher(zpl);
        int end = 0;
        while (m.find()) {
            assertThat(m.start()).as("nothing between formats").isEqualTo(end);
            assertThat(m.group(1)).doesNotContain("^XA").doesNotContain("^XZ");
            out.add(m.group(1));
            end = m.end();
        }
        assertThat(end).isEqualTo(zpl.length());
        return out;
    }

    /** The text fields of one format, with their ^FH hex escapes decoded. */
    static List<String> texts(String format) {
        List<String> out = new ArrayList<>();
        Matcher m = TEXT.matcher(format);
        while (m.find()) {
            out.add(unescape(m.group(5)));
        }
        return out;
    }

    static String unescape(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '_') {
                bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(s.charAt(i));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
