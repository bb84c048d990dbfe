package io.lorafab.provisioning.label;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.Set;

/**
 * One label on a Zebra printer: its size in millimetres, the printhead resolution in dots per inch, and the QR
 * code magnification (ZPL {@code ^BQ} dots per module, 1 to 10), or {@link #AUTO_MAGNIFICATION} for the
 * largest that fits the label height with a 4-module quiet zone.
 */
public record ZplLayout(double labelWidthMm, double labelHeightMm, int dpi, int qrMagnification) {

    /** Printhead resolutions of Zebra printers: 6, 8, 12 and 24 dots/mm. */
    public static final Set<Integer> DPIS = Set.of(152, 203, 300, 600);
    public static final int AUTO_MAGNIFICATION = 0;
    public static final int MAX_MAGNIFICATION = 10;

    public ZplLayout {
        if (!DPIS.contains(dpi)) {
            throw new LorawanFormatException("ZPL layout: printer resolution must be 152, 203, 300 or 600 dpi, got "
                    + dpi);
        }
        if (!(labelWidthMm >= 20) || !(labelHeightMm >= 10) || labelWidthMm > 300 || labelHeightMm > 1000) {
            throw new LorawanFormatException("ZPL layout: label must be 20..300 mm wide and 10..1000 mm high, got "
                    + labelWidthMm + " x " + labelHeightMm + " mm");
        }
        if (qrMagnification < 0 || qrMagnification > MAX_MAGNIFICATION) {
            throw new LorawanFormatException("ZPL layout: QR magnification must be 1..10 (or 0 for automatic), got "
                    + qrMagnification);
        }
    }

    /** A label with the QR magnification chosen per label. */
    public static ZplLayout of(double labelWidthMm, double labelHeightMm, int dpi) {
        return new ZplLayout(labelWidthMm, labelHeightMm, dpi, AUTO_MAGNIFICATION);
    }

    /** Label width in printer dots ({@code ^PW}). */
    public int widthDots() {
        return dots(labelWidthMm);
    }

    /** Label length in printer dots ({@code ^LL}). */
    public int heightDots() {
        return dots(labelHeightMm);
    }

    /** {@code mm} in printer dots, rounded to the nearest dot. */
    public int dots(double mm) {
        return (int) Math.round(mm * dpi / 25.4);
    }
}
