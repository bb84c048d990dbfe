package io.lorafab.provisioning.label;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.Locale;

/**
 * A sheet of equal labels on a page of {@code pageWidthMm} x {@code pageHeightMm} (A4, 210 x 297 mm, unless
 * said otherwise; a label printer's page is one label), all lengths in millimetres: {@code columns} x {@code rows}
 * labels of {@code labelWidthMm} x {@code labelHeightMm}, the first one {@code leftMarginMm} from the left and
 * {@code topMarginMm} from the top edge of the sheet, neighbours {@code columnGapMm} and {@code rowGapMm} apart.
 * The grid must fit the sheet.
 *
 * <p>Each label is landscape: the QR code fills the label height on the left (less a padding), the text takes
 * the rest, which must be at least {@value #MIN_TEXT_WIDTH_MM} mm wide.
 */
public record LabelLayout(double labelWidthMm, double labelHeightMm, int columns, int rows, double leftMarginMm,
        double topMarginMm, double columnGapMm, double rowGapMm, double pageWidthMm, double pageHeightMm) {

    public static final double A4_WIDTH_MM = 210.0;
    public static final double A4_HEIGHT_MM = 297.0;
    /** Narrowest text column next to the QR code. */
    public static final double MIN_TEXT_WIDTH_MM = 18.0;
    /** Lowest label, so the QR code keeps modules of a printable size. */
    public static final double MIN_LABEL_HEIGHT_MM = 15.0;

    /** The common A4 sheet of 3 x 8 labels of 70 x 37 mm, without gaps. */
    public static final LabelLayout A4_3X8 = centered(70, 37, 3, 8);

    /** A layout on A4 sheets. */
    public LabelLayout(double labelWidthMm, double labelHeightMm, int columns, int rows, double leftMarginMm,
            double topMarginMm, double columnGapMm, double rowGapMm) {
        this(labelWidthMm, labelHeightMm, columns, rows, leftMarginMm, topMarginMm, columnGapMm, rowGapMm, A4_WIDTH_MM, A4_HEIGHT_MM);
    }

    public LabelLayout {
        if (!(labelHeightMm >= MIN_LABEL_HEIGHT_MM) || !(labelWidthMm > 0)) {
            throw new LorawanFormatException("label layout: label must be at least " + MIN_LABEL_HEIGHT_MM
                    + " mm high, got " + labelWidthMm + " x " + labelHeightMm + " mm");
        }
        if (columns < 1 || rows < 1) {
            throw new LorawanFormatException("label layout: need at least one column and one row, got " + columns
                    + " x " + rows);
        }
        if (!(leftMarginMm >= 0) || !(topMarginMm >= 0) || !(columnGapMm >= 0) || !(rowGapMm >= 0)) {
            throw new LorawanFormatException("label layout: margins and gaps must be zero or positive");
        }
        double width = leftMarginMm + columns * labelWidthMm + (columns - 1) * columnGapMm;
        double height = topMarginMm + rows * labelHeightMm + (rows - 1) * rowGapMm;
        if (width > pageWidthMm + 1e-6 || height > pageHeightMm + 1e-6) {
            throw new LorawanFormatException(String.format(Locale.ROOT,
                    "label layout: %d x %d labels of %.1f x %.1f mm need %.1f x %.1f mm, the page is %.1f x %.1f mm",
                    columns, rows, labelWidthMm, labelHeightMm, width, height, pageWidthMm, pageHeightMm));
        }
        double text = labelWidthMm - labelHeightMm - paddingMm(labelHeightMm);
        if (text < MIN_TEXT_WIDTH_MM) {
            throw new LorawanFormatException(String.format(Locale.ROOT,
                    "label layout: a %.1f x %.1f mm label leaves %.1f mm for text next to its QR code, need %.0f",
                    labelWidthMm, labelHeightMm, text, MIN_TEXT_WIDTH_MM));
        }
    }

    /** {@code columns} x {@code rows} labels without gaps, centred on the sheet. */
    public static LabelLayout centered(double labelWidthMm, double labelHeightMm, int columns, int rows) {
        return new LabelLayout(labelWidthMm, labelHeightMm, columns, rows,
                Math.max(0, (A4_WIDTH_MM - columns * labelWidthMm) / 2),
                Math.max(0, (A4_HEIGHT_MM - rows * labelHeightMm) / 2), 0, 0);
    }

    /** One label per page of exactly the label's size: what a roll-fed label printer takes as a PDF. */
    public static LabelLayout single(double labelWidthMm, double labelHeightMm) {
        return new LabelLayout(labelWidthMm, labelHeightMm, 1, 1, 0, 0, 0, 0, labelWidthMm, labelHeightMm);
    }

    /** A label size written {@code WIDTHxHEIGHT} in millimetres, e.g. {@code 70x37}: {width, height}. */
    public static double[] parseSizeMm(String wxh) {
        String[] p = wxh == null ? new String[0] : wxh.toLowerCase(Locale.ROOT).split("x", -1);
        if (p.length == 2 && p[0].matches("\\d{1,3}(\\.\\d+)?") && p[1].matches("\\d{1,3}(\\.\\d+)?")) {
            return new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])};
        }
        throw new LorawanFormatException("label size: expected WIDTHxHEIGHT in millimetres, e.g. 70x37");
    }

    public int labelsPerPage() {
        return columns * rows;
    }

    /** Left edge of the label in {@code column} (0-based), from the left edge of the sheet. */
    public double labelLeftMm(int column) {
        return leftMarginMm + column * (labelWidthMm + columnGapMm);
    }

    /** Top edge of the label in {@code row} (0-based), from the top edge of the sheet. */
    public double labelTopMm(int row) {
        return topMarginMm + row * (labelHeightMm + rowGapMm);
    }

    /** Blank border inside each label edge. */
    public double paddingMm() {
        return paddingMm(labelHeightMm);
    }

    /** Side of the QR code square, quiet zone included: the label height less the padding above and below. */
    public double qrSideMm() {
        return labelHeightMm - 2 * paddingMm();
    }

    private static double paddingMm(double labelHeightMm) {
        return Math.min(2.0, labelHeightMm * 0.05);
    }
}
