package io.lorafab.provisioning.label;

import io.lorafab.lorawan.LorawanFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Device labels in ZPL II for Zebra label printers: one {@code ^XA ... ^XZ} format per label.
 *
 * <p>Each label sets UTF-8 ({@code ^CI28}), its width ({@code ^PW}) and length ({@code ^LL}) in dots, then
 * prints the TR005 QR code with {@code ^BQN,2,<magnification>} (normal orientation, model 2) and field data
 * {@code ^FDMA,<code>^FS}: 'M' is error-correction level M (as for the PDF and PNG) and 'A' automatic data
 * input, so everything after the comma is the data. The QR code sits a 4-module quiet zone from the top-left
 * corner; the product name, a "DevEUI" caption, the DevEUI in grouped hex and "S/N " and the serial number
 * are {@code ^A0} (scalable font) text lines to its right.
 *
 * <p>Escaping: every text field is written after {@code ^FH_} and has '_', '^', '~' and every non-ASCII byte
 * (of its UTF-8 form) written as {@code _XX} hex, so no field data can end the field or start a command and
 * the output is plain ASCII. The QR field gets the same treatment only if it holds one of '_', '^', '~' (a
 * TR005 code normally holds none). Text widths are estimated (the printer's font metrics are not known
 * here): a DevEUI or serial number that cannot fit at the smallest size is refused, a long product name is
 * shortened with "...".
 *
 * <p>Pure: returns the ZPL text; sending it to a printer is the caller's job.
 */
public final class Zpl {

    /** Estimated advance of one {@code ^A0} character as a fraction of its height (conservative). */
    static final double CHAR_WIDTH_PER_HEIGHT = 0.62;
    private static final double MAX_TEXT_MM = 3.5;
    private static final double MIN_TEXT_MM = 1.5;

    private Zpl() {
    }

    /** ZPL for {@code labels}, one format per label, in order. */
    public static String zpl(List<LabelData> labels, ZplLayout layout) {
        if (labels == null || labels.isEmpty()) {
            throw new LorawanFormatException("ZPL: no labels to print");
        }
        if (layout == null) {
            throw new LorawanFormatException("ZPL: layout is required");
        }
        StringBuilder out = new StringBuilder(labels.size() * 400);
        for (LabelData label : labels) {
            label(out, label, layout);
        }
        return out.toString();
    }

    private static void label(StringBuilder out, LabelData label, ZplLayout layout) {
        int width = layout.widthDots();
        int height = layout.heightDots();
        int modules = QrMatrix.encode(label.tr005()).size();
        int mag = layout.qrMagnification();
        if (mag == ZplLayout.AUTO_MAGNIFICATION) {
            mag = Math.min(ZplLayout.MAX_MAGNIFICATION, height / (modules + 2 * QrMatrix.QUIET_ZONE));
        }
        int qrWithQuietZone = mag * (modules + 2 * QrMatrix.QUIET_ZONE);
        if (mag < 1 || qrWithQuietZone > height) {
            throw new LorawanFormatException("ZPL: label " + label.devEui() + ": a QR code of " + modules
                    + " modules plus quiet zone needs " + (modules + 2 * QrMatrix.QUIET_ZONE) * Math.max(mag, 1)
                    + " dots, the label is " + height + " dots high");
        }
        int quiet = QrMatrix.QUIET_ZONE * mag;
        int textLeft = qrWithQuietZone;
        int margin = layout.dots(1.5);
        int textWidth = width - textLeft - margin;
        // Four lines (product name, "DevEUI" caption, grouped DevEUI, serial number) with quarter-line gaps.
        int maxHeight = Math.min(layout.dots(MAX_TEXT_MM), (height - 2 * margin) * 4 / 19);
        int minHeight = layout.dots(MIN_TEXT_MM);
        if (textWidth <= 0) {
            throw new LorawanFormatException("ZPL: label " + label.devEui() + " has no room for text next to its "
                    + qrWithQuietZone + "-dot QR code (label is " + width + " dots wide)");
        }

        String devEui = label.devEuiGrouped();
        String serial = label.serialNumber().isEmpty() ? "" : "S/N " + label.serialNumber();
        int valueHeight = Math.min(maxHeight, fitHeight(devEui, textWidth));
        if (!serial.isEmpty()) {
            valueHeight = Math.min(valueHeight, fitHeight(serial, textWidth));
        }
        if (valueHeight < minHeight) {
            throw new LorawanFormatException("ZPL: label " + label.devEui() + ": serial number \""
                    + label.serialNumber() + "\" does not fit a " + layout.labelWidthMm() + " mm label");
        }
        int productMin = Math.max(minHeight, maxHeight * 3 / 4);
        int productHeight = Math.max(productMin, Math.min(maxHeight, fitHeight(label.productName(), textWidth)));
        String product = shorten(label.productName(), productHeight, textWidth);
        int captionHeight = Math.max(minHeight, valueHeight * 4 / 5);
        int gap = Math.max(2, maxHeight / 4);
        int blockHeight = (product.isEmpty() ? 0 : productHeight + gap) + captionHeight + gap + valueHeight
                + (serial.isEmpty() ? 0 : gap + valueHeight);

        out.append("^XA\n^CI28\n");
        out.append("^PW").append(width).append('\n');
        out.append("^LL").append(height).append('\n');
        out.append("^LH0,0\n");
        out.append("^FO").append(quiet).append(',').append(quiet).append("^BQN,2,").append(mag);
        String qrData = "MA," + label.tr005();
        if (needsEscape(qrData)) {
            out.append("^FH_^FD").append(escape(qrData));
        } else {
            out.append("^FD").append(qrData);
        }
        out.append("^FS\n");
        // The text block is centred on the label's height.
        int y = Math.max(margin, (height - blockHeight) / 2);
        if (!product.isEmpty()) {
            textField(out, textLeft, y, productHeight, product);
            y += productHeight + gap;
        }
        textField(out, textLeft, y, captionHeight, "DevEUI");
        y += captionHeight + gap;
        textField(out, textLeft, y, valueHeight, devEui);
        y += valueHeight + gap;
        if (!serial.isEmpty()) {
            textField(out, textLeft, y, valueHeight, serial);
        }
        out.append("^XZ\n");
    }

    private static void textField(StringBuilder out, int x, int y, int height, String text) {
        out.append("^FO").append(x).append(',').append(y)
                .append("^A0N,").append(height).append(',').append(height)
                .append("^FH_^FD").append(escape(text)).append("^FS\n");
    }

    /** Largest font height (dots) at which {@code text} is estimated to fit {@code width} dots. */
    private static int fitHeight(String text, int width) {
        int chars = text.codePointCount(0, text.length());
        return chars == 0 ? Integer.MAX_VALUE : (int) Math.floor(width / (chars * CHAR_WIDTH_PER_HEIGHT));
    }

    private static String shorten(String text, int height, int width) {
        int fits = (int) Math.floor(width / (height * CHAR_WIDTH_PER_HEIGHT));
        if (text.codePointCount(0, text.length()) <= fits) {
            return text;
        }
        int keep = Math.max(0, fits - 3);
        return text.substring(0, text.offsetByCodePoints(0, keep)) + "...";
    }

    private static boolean needsEscape(String s) {
        return s.indexOf('_') >= 0 || s.indexOf('^') >= 0 || s.indexOf('~') >= 0;
    }

    /** Field data for use after {@code ^FH_}: '_', '^', '~', controls and non-ASCII bytes as _XX (UTF-8). */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '_' || c == '^' || c == '~' || c < 0x20 || c >= 0x7f) {
                out.append('_').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }
}
