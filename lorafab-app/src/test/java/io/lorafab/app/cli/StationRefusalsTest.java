package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.station.client.StationApiException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which refusals stop the station and which only end the unit. */
class StationRefusalsTest {

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("token not accepted", 401, "unauthenticated", false, true),
                Arguments.of("token without the operator role", 403, "forbidden", true, true),
                Arguments.of("work order closed", 409, "work_order_closed", false, true),
                Arguments.of("no such work order", 404, "not_found", true, true),
                Arguments.of("work order full, allocating", 409, "work_order_full", true, true),
                Arguments.of("work order full, scanning (a resume may still work)", 409, "work_order_full", false, false),
                Arguments.of("EUI block used up, allocating", 409, "eui_block_exhausted", true, true),
                Arguments.of("unit already passed", 409, "unit_passed", false, false),
                Arguments.of("unit voided", 409, "unit_void", false, false),
                Arguments.of("DevEUI outside the blocks", 400, "eui_out_of_range", false, false),
                Arguments.of("label of another product", 400, "label_mismatch", false, false),
                Arguments.of("server unreachable", 0, "unreachable", true, false),
                Arguments.of("server busy", 503, "busy", true, false),
                Arguments.of("a newer server's code for a refused token", 401, "token_expired", false, true),
                Arguments.of("a newer server's code for one unit", 409, "unit_quarantined", true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void fatalOrNot(String name, int status, String code, boolean allocating, boolean stops) {
        assertThat(StationCommand.fatal(new StationApiException(status, code, name), allocating)).isEqualTo(stops);
    }
}
