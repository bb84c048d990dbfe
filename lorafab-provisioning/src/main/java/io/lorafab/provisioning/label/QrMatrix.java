package io.lorafab.provisioning.label;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import io.lorafab.lorawan.LorawanFormatException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Map;

/**
 * The modules of one QR code symbol (ISO/IEC 18004, model 2), error-correction level M, as made by ZXing's
 * encoder: {@code size} x {@code size} modules without the quiet zone, which the renderers add. Immutable.
 */
public final class QrMatrix {

    /** The quiet zone every renderer leaves around the symbol, in modules (ISO/IEC 18004 asks for 4). */
    public static final int QUIET_ZONE = 4;

    private final int size;
    private final BitSet dark;

    private QrMatrix(int size, BitSet dark) {
        this.size = size;
        this.dark = dark;
    }

    /**
     * Encodes {@code text} at level M. Text within ISO-8859-1 is encoded without an ECI (a TR005 code, made of
     * upper-case letters, digits and ':', uses the compact alphanumeric mode); other text is encoded as UTF-8
     * with an ECI.
     */
    public static QrMatrix encode(String text) {
        if (text == null || text.isEmpty()) {
            throw new LorawanFormatException("QR code: no text to encode");
        }
        Map<EncodeHintType, Object> hints = StandardCharsets.ISO_8859_1.newEncoder().canEncode(text)
                ? Map.of() : Map.of(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        ByteMatrix m;
        try {
            m = Encoder.encode(text, ErrorCorrectionLevel.M, hints).getMatrix();
        } catch (WriterException e) {
            throw new LorawanFormatException("QR code: cannot encode " + text.length() + " characters: "
                    + e.getMessage(), e);
        }
        int n = m.getWidth();
        BitSet bits = new BitSet(n * n);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                if (m.get(x, y) == 1) {
                    bits.set(y * n + x);
                }
            }
        }
        return new QrMatrix(n, bits);
    }

    /** Modules per side, without the quiet zone (21 for version 1, 4 more per version). */
    public int size() {
        return size;
    }

    /** Modules per side including the quiet zone on both sides. */
    public int sizeWithQuietZone() {
        return size + 2 * QUIET_ZONE;
    }

    /** Whether the module at column {@code x}, row {@code y} (0-based, without quiet zone) is dark. */
    public boolean isDark(int x, int y) {
        if (x < 0 || y < 0 || x >= size || y >= size) {
            return false;
        }
        return dark.get(y * size + x);
    }

    /** Length of the run of dark modules in row {@code y} starting at column {@code x} (0 if light). */
    int darkRun(int x, int y) {
        int end = x;
        while (end < size && isDark(end, y)) {
            end++;
        }
        return end - x;
    }
}
