package io.lorafab.provisioning.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelLayoutTest {

    @Test
    void a4ThreeByEightIsCentred() {
        LabelLayout l = LabelLayout.A4_3X8;
        assertThat(l.labelsPerPage()).isEqualTo(24);
        assertThat(l.leftMarginMm()).isZero();
        assertThat(l.topMarginMm()).isEqualTo(0.5);
        assertThat(l.labelLeftMm(2)).isEqualTo(140.0);
        assertThat(l.labelTopMm(7)).isEqualTo(0.5 + 7 * 37);
        assertThat(l.paddingMm()).isEqualTo(1.85, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(l.qrSideMm()).isEqualTo(33.3, org.assertj.core.data.Offset.offset(1e-9));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            grid wider than A4         | 70  | 37 | 4 | 8 | 0  | 0  | 0 | 0 | need 280.0 x 296.0 mm, the page is 210.0 x 297.0 mm
            grid taller than A4        | 70  | 37 | 3 | 8 | 0  | 5  | 0 | 1 | need 210.0 x 308.0 mm
            margin pushes grid off     | 70  | 37 | 3 | 1 | 1  | 0  | 0 | 0 | need 211.0 x 37.0 mm
            no columns                 | 70  | 37 | 0 | 8 | 0  | 0  | 0 | 0 | at least one column and one row, got 0 x 8
            negative gap               | 70  | 37 | 3 | 8 | 0  | 0  | -1 | 0 | margins and gaps must be zero or positive
            label too low for a QR     | 70  | 10 | 3 | 8 | 0  | 0  | 0 | 0 | at least 15.0 mm high
            no room for text           | 40  | 30 | 3 | 8 | 0  | 0  | 0 | 0 | leaves 8.5 mm for text next to its QR code, need 18
            """)
    void impossibleLayoutsAreRefused(String name, double w, double h, int cols, int rows, double left, double top,
            double gapX, double gapY, String message) {
        assertThatThrownBy(() -> new LabelLayout(w, h, cols, rows, left, top, gapX, gapY))
                .isInstanceOf(LorawanFormatException.class).hasMessageContaining(message);
    }
}
