package io.lorafab.provisioning.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.provisioning.qr.Tr005Code;
import java.awt.image.BufferedImage;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSheetTest {

    @ParameterizedTest(name = "{0} labels at {1} x {2} per page -> {3} pages")
    @CsvSource({
            "1, 3, 8, 1",
            "24, 3, 8, 1",
            "25, 3, 8, 2",
            "49, 3, 8, 3",
            "7, 2, 2, 2",
    })
    void onePageForEachFullGrid(int n, int cols, int rows, int pages) throws Exception {
        LabelLayout layout = LabelLayout.centered(70, 37, cols, rows);
        try (PDDocument doc = Loader.loadPDF(LabelSheet.pdf(TestLabels.samples(n), layout))) {
            assertThat(doc.getNumberOfPages()).isEqualTo(pages);
            assertThat(doc.getPage(0).getMediaBox().getWidth()).isEqualTo(595.27563f, within());
            assertThat(doc.getPage(0).getMediaBox().getHeight()).isEqualTo(841.8898f, within());
        }
    }

    @Test
    void everyDevEuiAndSerialIsOnTheSheetAsText() throws Exception {
        List<LabelData> labels = TestLabels.samples(30);
        try (PDDocument doc = Loader.loadPDF(LabelSheet.pdf(labels, LabelLayout.A4_3X8))) {
            String text = new PDFTextStripper().getText(doc);
            for (LabelData l : labels) {
                assertThat(text).contains(l.devEuiGrouped()).contains("S/N " + l.serialNumber());
            }
            assertThat(text).contains("Soil sensor S1").contains("DevEUI");
            PDFTextStripper page2 = new PDFTextStripper();
            page2.setStartPage(2);
            page2.setEndPage(2);
            assertThat(page2.getText(doc)).contains(labels.get(24).devEuiGrouped())
                    .doesNotContain(labels.get(23).devEuiGrouped());
        }
    }

    @Test
    void everyQrCodeOnPageOneDecodesFromA300DpiRendering() throws Exception {
        List<LabelData> labels = TestLabels.samples(26);
        LabelLayout layout = LabelLayout.A4_3X8;
        try (PDDocument doc = Loader.loadPDF(LabelSheet.pdf(labels, layout))) {
            float dpi = 300;
            BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(0, dpi, ImageType.GRAY);
            double pxPerMm = dpi / 25.4;
            for (int i = 0; i < layout.labelsPerPage(); i++) {
                int col = i % layout.columns();
                int row = i / layout.columns();
                int x = (int) Math.floor(layout.labelLeftMm(col) * pxPerMm);
                int y = (int) Math.floor(layout.labelTopMm(row) * pxPerMm);
                // The left part of the label holds the QR code (its quiet zone included).
                int w = (int) Math.ceil(layout.labelHeightMm() * pxPerMm);
                int h = Math.min((int) Math.ceil(layout.labelHeightMm() * pxPerMm), page.getHeight() - y);
                BufferedImage crop = page.getSubimage(x, y, w, h);
                assertThat(TestLabels.decode(crop).getText()).as("label %d", i).isEqualTo(labels.get(i).tr005());
            }
        }
    }

    @Test
    void aLabelPrinterPageHoldsOneLabelOfExactlyItsSizeAndItsQrDecodes() throws Exception {
        List<LabelData> labels = TestLabels.samples(2);
        LabelLayout layout = LabelLayout.single(50, 25);
        try (PDDocument doc = Loader.loadPDF(LabelSheet.pdf(labels, layout))) {
            assertThat(doc.getNumberOfPages()).isEqualTo(2);
            assertThat(doc.getPage(1).getMediaBox().getWidth()).isEqualTo(141.73228f, within());
            assertThat(doc.getPage(1).getMediaBox().getHeight()).isEqualTo(70.86614f, within());
            BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(1, 300, ImageType.GRAY);
            int side = (int) Math.ceil(25 * 300 / 25.4);
            BufferedImage qr = page.getSubimage(0, 0, Math.min(side, page.getWidth()), Math.min(side, page.getHeight()));
            assertThat(TestLabels.decode(qr).getText()).isEqualTo(labels.get(1).tr005());
            PDFTextStripper second = new PDFTextStripper();
            second.setStartPage(2);
            second.setEndPage(2);
            assertThat(second.getText(doc)).contains(labels.get(1).serialNumber()).doesNotContain(labels.get(0).serialNumber());
        }
    }

    @Test
    void sameLabelsGiveTheSameBytes() {
        List<LabelData> labels = TestLabels.samples(3);
        assertThat(LabelSheet.pdf(labels, LabelLayout.A4_3X8)).isEqualTo(LabelSheet.pdf(labels, LabelLayout.A4_3X8));
    }

    @Test
    void textHelveticaCannotShowPrintsAsQuestionMarksAndLongNamesAreShortened() throws Exception {
        Tr005Code code = Tr005Code.of(TestLabels.JOIN_EUI, Eui64.parse("0004A30B001C0530"), TestLabels.PROFILE);
        List<LabelData> labels = List.of(
                LabelData.of(code, "Z-1", "Zähler \u2713 Ω"),
                LabelData.of(code, "Z-2", "An extraordinarily long product name for a tiny label"));
        try (PDDocument doc = Loader.loadPDF(LabelSheet.pdf(labels, LabelLayout.A4_3X8))) {
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("Zähler ? ?").contains("An extraordinarily").contains("\u2026")
                    .doesNotContain("tiny label");
        }
    }

    @Test
    void aSerialNumberThatCannotFitIsRefusedNotCut() {
        Tr005Code code = Tr005Code.of(TestLabels.JOIN_EUI, Eui64.parse("0004A30B001C0530"), TestLabels.PROFILE);
        LabelData label = LabelData.of(code, "SERIAL-" + "9".repeat(80), "P");
        assertThatThrownBy(() -> LabelSheet.pdf(List.of(label), LabelLayout.A4_3X8))
                .isInstanceOf(LorawanFormatException.class).hasMessageContaining("does not fit");
    }

    @Test
    void nothingToPrintIsRefused() {
        assertThatThrownBy(() -> LabelSheet.pdf(List.of(), LabelLayout.A4_3X8))
                .isInstanceOf(LorawanFormatException.class).hasMessage("label sheet: no labels to print");
    }

    private static org.assertj.core.data.Offset<Float> within() {
        return org.assertj.core.data.Offset.offset(0.01f);
    }
}
