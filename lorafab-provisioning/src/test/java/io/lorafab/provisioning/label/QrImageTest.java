package io.lorafab.provisioning.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import io.lorafab.lorawan.LorawanFormatException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QrImageTest {

    static final String EXAMPLE =
            "LW:D0:1122334455667788:AABBCCDDEEFF0011:AABB1122:OAABBCCDDEEFF:SYYWWNNNNNN:PFOOBAR:CAF2C";

    @ParameterizedTest(name = "{0}, {2} px per module")
    @CsvSource(delimiter = '|', textBlock = """
            TR005 document example                | LW:D0:1122334455667788:AABBCCDDEEFF0011:AABB1122:OAABBCCDDEEFF:SYYWWNNNNNN:PFOOBAR:CAF2C | 2
            TR005 document example                | LW:D0:1122334455667788:AABBCCDDEEFF0011:AABB1122:OAABBCCDDEEFF:SYYWWNNNNNN:PFOOBAR:CAF2C | 4
            mandatory fields only                 | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001 | 10
            lower-case serial (byte mode)         | LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001:Slf-24-00001 | 3
            """)
    void pngDecodesToTheExactText(String name, String text, int modulePixels) throws Exception {
        byte[] png = QrImage.png(text, modulePixels);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        int side = QrMatrix.encode(text).sizeWithQuietZone() * modulePixels;
        assertThat(img.getWidth()).isEqualTo(side);
        assertThat(img.getHeight()).isEqualTo(side);

        Result r = TestLabels.decode(img);
        assertThat(r.getText()).isEqualTo(text);
        assertThat(r.getResultMetadata()).containsEntry(ResultMetadataType.ERROR_CORRECTION_LEVEL, "M");
    }

    @Test
    void pngMatchesTheMatrixModuleByModuleWithAWhiteQuietZone() throws Exception {
        QrMatrix qr = QrMatrix.encode(EXAMPLE);
        int px = 3;
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(QrImage.png(EXAMPLE, px)));
        for (int y = 0; y < qr.sizeWithQuietZone(); y++) {
            for (int x = 0; x < qr.sizeWithQuietZone(); x++) {
                boolean dark = qr.isDark(x - QrMatrix.QUIET_ZONE, y - QrMatrix.QUIET_ZONE);
                int rgb = img.getRGB(x * px + 1, y * px + 1) & 0xffffff;
                assertThat(rgb).as("module %d,%d", x, y).isEqualTo(dark ? 0x000000 : 0xffffff);
            }
        }
    }

    @Test
    void matrixIsWhatZxingsOwnWriterMakesAtLevelMWithAFourModuleMargin() throws Exception {
        QrMatrix qr = QrMatrix.encode(EXAMPLE);
        int n = qr.sizeWithQuietZone();
        BitMatrix reference = new QRCodeWriter().encode(EXAMPLE, BarcodeFormat.QR_CODE, n, n,
                Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
        assertThat(reference.getWidth()).isEqualTo(n);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                assertThat(qr.isDark(x - 4, y - 4)).as("module %d,%d", x, y).isEqualTo(reference.get(x, y));
            }
        }
    }

    @Test
    void aTr005CodeUsesAlphanumericModeAndASmallSymbol() {
        // 88 characters from the QR alphanumeric set fit version 4-M (capacity 90): 33 modules a side.
        assertThat(QrMatrix.encode(EXAMPLE).size()).isEqualTo(33);
        assertThat(QrMatrix.encode("LW:D0:70B3D57ED0000001:0004A30B001C0530:000A0001").size()).isEqualTo(29);
    }

    static final Pattern RUN = Pattern.compile("M(\\d+),(\\d+)h(\\d+)v1h-(\\d+)z");

    @Test
    void svgIsOnePathOfRunsThatRasterisesToADecodableCode() throws Exception {
        String svg = QrImage.svg(EXAMPLE);
        QrMatrix qr = QrMatrix.encode(EXAMPLE);
        int side = qr.sizeWithQuietZone();
        assertThat(svg).startsWith("<?xml").contains("viewBox=\"0 0 " + side + " " + side + "\"")
                .containsOnlyOnce("<path").endsWith("</svg>\n");

        String d = svg.replaceAll("(?s).*<path fill=\"#000000\" d=\"([^\"]*)\"/>.*", "$1");
        boolean[][] dark = new boolean[side][side];
        Matcher m = RUN.matcher(d);
        int end = 0;
        while (m.find()) {
            assertThat(m.start()).as("path data is only runs").isEqualTo(end);
            end = m.end();
            int x = Integer.parseInt(m.group(1));
            int y = Integer.parseInt(m.group(2));
            int len = Integer.parseInt(m.group(3));
            assertThat(m.group(4)).isEqualTo(m.group(3));
            for (int i = 0; i < len; i++) {
                assertThat(dark[y][x + i]).as("runs do not overlap").isFalse();
                dark[y][x + i] = true;
            }
        }
        assertThat(end).isEqualTo(d.length());

        int px = 6;
        BufferedImage img = new BufferedImage(side * px, side * px, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                assertThat(dark[y][x]).as("module %d,%d", x, y)
                        .isEqualTo(qr.isDark(x - QrMatrix.QUIET_ZONE, y - QrMatrix.QUIET_ZONE));
                if (dark[y][x]) {
                    g.fillRect(x * px, y * px, px, px);
                }
            }
        }
        g.dispose();
        assertThat(TestLabels.decode(img).getText()).isEqualTo(EXAMPLE);
    }

    @Test
    void outputIsDeterministic() {
        assertThat(QrImage.png(EXAMPLE, 2)).isEqualTo(QrImage.png(EXAMPLE, 2));
        assertThat(QrImage.svg(EXAMPLE)).isEqualTo(QrImage.svg(EXAMPLE));
    }

    @ParameterizedTest(name = "module size {0} px is refused")
    @CsvSource({"0", "-1", "65"})
    void moduleSizeOutOfRange(int px) {
        assertThatThrownBy(() -> QrImage.png(EXAMPLE, px)).isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("module size must be 1..64 pixels, got " + px);
    }

    @Test
    void emptyOrOversizedTextIsRefused() {
        assertThatThrownBy(() -> QrImage.svg("")).isInstanceOf(LorawanFormatException.class)
                .hasMessage("QR code: no text to encode");
        assertThatThrownBy(() -> QrImage.png("x".repeat(5000), 1)).isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("cannot encode 5000 characters");
    }
}
