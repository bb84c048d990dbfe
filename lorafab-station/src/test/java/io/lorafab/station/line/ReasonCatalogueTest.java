package io.lorafab.station.line;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.api.FailureReason;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The station's reasons and the catalogue the console and the API explain them with are one table. */
class ReasonCatalogueTest {

    @Test
    void everyReasonAStationSendsIsInTheCatalogueWithTheSameFault() {
        for (Reason r : Reason.values()) {
            FailureReason known = FailureReason.of(r.code()).orElseThrow(() -> new AssertionError(r.code() + " is not in FailureReason"));
            assertThat(known.unitFault()).as(r.code()).isEqualTo(r.fault() == Reason.Fault.BOARD);
        }
        assertThat(Arrays.stream(FailureReason.values()).map(FailureReason::code))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Reason.values()).map(Reason::code).toList());
    }
}
