package io.lorafab.provisioning.label;

import io.lorafab.lorawan.LorawanFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Device labels as a PDF of sheets (A4, or one label per page for a label printer), laid out by a {@link LabelLayout}, filled row by row. Each label shows,
 * left, its TR005 QR code drawn as vector squares (quiet zone included), and right, the product name, the
 * DevEUI in grouped hex and the serial number, in the standard Helvetica fonts (nothing embedded).
 *
 * <p>Text is set at up to 9 pt and shrunk to fit the text column; the DevEUI and serial number are never
 * cut, and a label whose serial number does not fit at {@value #MIN_FONT_PT} pt is refused. A product name
 * too long even at that size is shortened with an ellipsis. Characters Helvetica cannot show (outside
 * WinAnsi) print as '?'.
 *
 * <p>Pure: returns the PDF bytes and writes no file. The output depends only on the input (no dates; the
 * document ID is a digest of the labels), so the same labels give the same bytes.
 */
public final class LabelSheet {

    static final float MAX_FONT_PT = 9f;
    static final float MIN_FONT_PT = 4f;
    private static final float PT_PER_MM = 72f / 25.4f;

    private LabelSheet() {
    }

    /** The PDF for {@code labels}, {@code layout.labelsPerPage()} per page. */
    public static byte[] pdf(List<LabelData> labels, LabelLayout layout) {
        if (labels == null || labels.isEmpty()) {
            throw new LorawanFormatException("label sheet: no labels to print");
        }
        if (layout == null) {
            throw new LorawanFormatException("label sheet: layout is required");
        }
        PDFont regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        try (PDDocument doc = new PDDocument()) {
            int perPage = layout.labelsPerPage();
            for (int first = 0; first < labels.size(); first += perPage) {
                PDPage page = new PDPage(new PDRectangle(pt(layout.pageWidthMm()), pt(layout.pageHeightMm())));
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    int last = Math.min(labels.size(), first + perPage);
                    for (int i = first; i < last; i++) {
                        int slot = i - first;
                        drawLabel(cs, labels.get(i), layout, slot % layout.columns(), slot / layout.columns(),
                                regular, bold);
                    }
                }
            }
            byte[] id = documentId(labels, layout);
            COSArray ids = new COSArray();
            ids.add(new COSString(id));
            ids.add(new COSString(id));
            doc.getDocument().setDocumentID(ids);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("PDF generation in memory failed", e);
        }
    }

    private static void drawLabel(PDPageContentStream cs, LabelData label, LabelLayout layout, int column, int row,
            PDFont regular, PDFont bold) throws IOException {
        float pageHeight = pt(layout.pageHeightMm());
        float left = pt(layout.labelLeftMm(column));
        float top = pageHeight - pt(layout.labelTopMm(row));
        float pad = pt(layout.paddingMm());
        float qrSide = pt(layout.qrSideMm());

        drawQr(cs, QrMatrix.encode(label.tr005()), left + pad, top - pad - qrSide, qrSide);

        float textLeft = left + pad + qrSide + pad;
        float textWidth = pt(layout.labelWidthMm()) - (textLeft - left) - pad;
        float textHeight = pt(layout.labelHeightMm()) - 2 * pad;
        // Four lines: product name, "DevEUI" caption, grouped DevEUI, serial number; 1.25 line spacing.
        float size = Math.max(MIN_FONT_PT, Math.min(MAX_FONT_PT, textHeight / (4 * 1.25f + 0.5f)));
        String devEui = label.devEuiGrouped();
        String serial = printable(regular, label.serialNumber());
        float valueSize = Math.min(size, fitSize(regular, devEui, textWidth));
        if (!serial.isEmpty()) {
            valueSize = Math.min(valueSize, fitSize(regular, "S/N " + serial, textWidth));
        }
        if (valueSize < MIN_FONT_PT) {
            throw new LorawanFormatException("label " + label.devEui() + ": serial number \"" + label.serialNumber()
                    + "\" does not fit a " + layout.labelWidthMm() + " mm label at " + MIN_FONT_PT + " pt");
        }
        String product = printable(bold, label.productName());
        float productMin = Math.max(MIN_FONT_PT, size * 0.75f);
        float productSize = Math.max(productMin, Math.min(size, fitSize(bold, product, textWidth)));
        product = shorten(bold, product, productSize, textWidth);

        // The block of four lines is centred on the label's height.
        float lineHeight = size * 1.25f;
        float blockHeight = 3 * lineHeight + size;
        float y = top - pad - (textHeight - blockHeight) / 2 - size;
        if (!product.isEmpty()) {
            text(cs, bold, productSize, textLeft, y, product);
        }
        y -= lineHeight;
        text(cs, regular, Math.min(size * 0.8f, valueSize), textLeft, y, "DevEUI");
        y -= lineHeight;
        text(cs, regular, valueSize, textLeft, y, devEui);
        if (!serial.isEmpty()) {
            y -= lineHeight;
            text(cs, regular, valueSize, textLeft, y, "S/N " + serial);
        }
    }

    /** Dark modules as filled squares; a run of modules in a row is one rectangle. */
    private static void drawQr(PDPageContentStream cs, QrMatrix qr, float x, float y, float side) throws IOException {
        float module = side / qr.sizeWithQuietZone();
        float originX = x + QrMatrix.QUIET_ZONE * module;
        float originTop = y + side - QrMatrix.QUIET_ZONE * module;
        cs.setNonStrokingColor(0f);
        for (int row = 0; row < qr.size(); row++) {
            int col = 0;
            while (col < qr.size()) {
                int run = qr.darkRun(col, row);
                if (run == 0) {
                    col++;
                    continue;
                }
                cs.addRect(originX + col * module, originTop - (row + 1) * module, run * module, module);
                col += run;
            }
        }
        cs.fill();
    }

    private static void text(PDPageContentStream cs, PDFont font, float size, float x, float y, String s)
            throws IOException {
        cs.beginText();
        cs.setFont(font, size);
        cs.newLineAtOffset(x, y);
        cs.showText(s);
        cs.endText();
    }

    /** The largest size at which {@code s} is at most {@code width} wide (may be below the minimum). */
    private static float fitSize(PDFont font, String s, float width) throws IOException {
        float units = font.getStringWidth(s);
        return units <= 0 ? MAX_FONT_PT : width * 1000f / units;
    }

    private static String shorten(PDFont font, String s, float size, float width) throws IOException {
        if (font.getStringWidth(s) * size / 1000f <= width) {
            return s;
        }
        String cut = s;
        while (!cut.isEmpty() && font.getStringWidth(cut + "\u2026") * size / 1000f > width) {
            cut = cut.substring(0, cut.offsetByCodePoints(cut.length(), -1));
        }
        return cut + "\u2026";
    }

    /** {@code s} with every code point the font cannot encode replaced by '?'. */
    static String printable(PDFont font, String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            String ch = new String(Character.toChars(cp));
            try {
                font.encode(ch);
                out.append(ch);
            } catch (IOException | IllegalArgumentException e) {
                out.append('?');
            }
        });
        return out.toString();
    }

    private static byte[] documentId(List<LabelData> labels, LabelLayout layout) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(layout.toString().getBytes(StandardCharsets.UTF_8));
            for (LabelData l : labels) {
                md.update(l.toString().getBytes(StandardCharsets.UTF_8));
            }
            byte[] full = md.digest();
            byte[] id = new byte[16];
            System.arraycopy(full, 0, id, 0, id.length);
            return id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the Java runtime", e);
        }
    }

    private static float pt(double mm) {
        return (float) (mm * PT_PER_MM);
    }
}
