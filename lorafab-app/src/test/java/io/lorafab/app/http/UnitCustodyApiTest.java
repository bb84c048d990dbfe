package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.Role;
import io.lorafab.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review issue 11, finding 7: who gets a unit's root keys a second time. Over the real HTTP socket, on
 * PostgreSQL: a scan hands out the keys again only to the station that holds the unit; another station needs an
 * engineer's re-assignment; a FAILED unit comes back only through an audited re-test; PASSED and VOID never.
 */
class UnitCustodyApiTest {

    private static final String UNIT = "70b3d57ed0010300";

    @TempDir
    Path dataDir;

    private String url;
    private Lorafab lorafab;
    private ApiServer server;
    private ApiClient engineer;
    private ApiClient operator;

    @BeforeEach
    void start() throws Exception {
        url = TestPostgres.freshSchema();
        lorafab = Lorafab.open(url, dataDir, Map.of(), Clock.systemUTC());
        server = new ApiServer(lorafab, "127.0.0.1", 0, 4);
        server.start();
        String base = "http://127.0.0.1:" + server.port();
        engineer = new ApiClient(base, lorafab.tokens().create("eng", Role.ENGINEER, "test").secret());
        operator = new ApiClient(base, lorafab.tokens().create("operators", Role.OPERATOR, "test").secret());
        assertThat(engineer.post("/api/products", "{\"name\":\"sensor\",\"joinEui\":\"70b3d57ed0000001\",\"macVersion\":\"1.0.3\","
                + "\"region\":\"EU868\",\"profileId\":\"12340001\"}").status()).isEqualTo(201);
        assertThat(engineer.post("/api/eui-blocks", "{\"name\":\"b1\",\"product\":\"sensor\",\"assignment\":\"MA-S\","
                + "\"prefix\":\"70b3d57ed\",\"first\":\"70b3d57ed0010000\",\"size\":1000}").status()).isEqualTo(201);
        assertThat(engineer.post("/api/orders", "{\"reference\":\"WO-1\",\"product\":\"sensor\",\"quantity\":100}").status())
                .isEqualTo(201);
    }

    @AfterEach
    void stop() {
        server.close();
        lorafab.close();
        TestPostgres.drop(url);
    }

    private ApiClient.Reply scan(String station) {
        return operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"" + station + "\",\"scanned\":\"" + UNIT + "\"}");
    }

    private List<AuditEvent> audits(String action) {
        return lorafab.registry().auditLog(1000).stream().filter(a -> a.action().equals(action)).toList();
    }

    @Test
    void aUnitReservedByAnotherStationIsRefusedNamingThatStationButNotTheKeys() {
        String appKey = scan("line-1").json().get("appKey").asText();

        ApiClient.Reply other = scan("line-9");

        assertThat(other.status()).isEqualTo(409);
        assertThat(other.code()).isEqualTo("reserved_by_other_station");
        assertThat(other.json().path("error").path("message").asText()).contains("line-1");
        assertThat(new String(other.raw())).doesNotContain(appKey).doesNotContainIgnoringCase("appKey");
        assertThat(audits("unit.resume")).isEmpty();
    }

    @Test
    void aProgrammedUnitOfAnotherStationIsRefusedToo() {
        scan("line-1");
        operator.post("/api/units/" + UNIT + "/programmed", "{\"stationId\":\"line-1\"}");

        assertThat(scan("line-9").code()).isEqualTo("reserved_by_other_station");
    }

    @Test
    void theStationThatReservedTheUnitResumesItWithTheSameKeys() {
        String appKey = scan("line-1").json().get("appKey").asText();

        ApiClient.Reply again = scan("line-1");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("resumed").asBoolean()).isTrue();
        assertThat(again.json().get("appKey").asText()).isEqualTo(appKey);
        assertThat(audits("unit.resume")).singleElement().satisfies(a -> assertThat(a.details()).contains("station=line-1"));
    }

    @Test
    void anEngineerReassignsAnUnfinishedUnitAndOnlyTheNewStationResumesIt() {
        String appKey = scan("line-1").json().get("appKey").asText();

        assertThat(operator.post("/api/units/" + UNIT + "/reassign", "{\"stationId\":\"line-9\"}").status())
                .as("an operator may not move units between stations").isEqualTo(403);
        ApiClient.Reply moved = engineer.post("/api/units/" + UNIT + "/reassign", "{\"stationId\":\"line-9\"}");

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().get("stationId").asText()).isEqualTo("line-9");
        assertThat(moved.json().has("appKey")).as("re-assignment hands out no keys").isFalse();
        assertThat(scan("line-9").json().get("appKey").asText()).isEqualTo(appKey);
        assertThat(scan("line-1").code()).isEqualTo("reserved_by_other_station");
        assertThat(audits("unit.reassign")).singleElement().satisfies(a -> {
            assertThat(a.actor()).contains("eng");
            assertThat(a.details()).isEqualTo("from=line-1 to=line-9");
        });
    }

    @Test
    void aFailedUnitScannedAgainIsRefusedWithACodeThatSaysReTest() {
        scan("line-1");
        operator.post("/api/units/" + UNIT + "/finish", "{\"result\":\"FAILED\",\"reasonCode\":\"join_failed\",\"stationId\":\"line-1\"}");

        for (String station : List.of("line-1", "line-9")) {
            ApiClient.Reply again = scan(station);
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.code()).isEqualTo("retest_required");
            assertThat(again.json().path("error").path("message").asText()).contains("re-test");
            assertThat(again.json().has("appKey")).isFalse();
        }
        assertThat(audits("unit.resume")).isEmpty();
    }

    @Test
    void aReTestOfAFailedUnitHandsOutItsKeysToTheReTestingStationAndIsAuditedAsSuch() {
        String appKey = scan("line-1").json().get("appKey").asText();
        operator.post("/api/units/" + UNIT + "/finish", "{\"result\":\"FAILED\",\"reasonCode\":\"join_failed\",\"stationId\":\"line-1\"}");

        ApiClient.Reply retest = operator.post("/api/units/" + UNIT + "/retest",
                "{\"stationId\":\"line-9\",\"reason\":\"antenna re-seated\"}");

        assertThat(retest.status()).isEqualTo(200);
        assertThat(retest.json().get("appKey").asText()).isEqualTo(appKey);
        assertThat(retest.json().get("stationId").asText()).isEqualTo("line-9");
        assertThat(retest.json().get("order").asText()).isEqualTo("WO-1");
        assertThat(audits("unit.retest")).singleElement().satisfies(a -> assertThat(a.details())
                .isEqualTo("station=line-9 previous_station=line-1 reason=antenna re-seated"));
        assertThat(audits("unit.resume")).isEmpty();
        // the re-tested unit is programmed and finished by its new station as any other
        assertThat(operator.post("/api/units/" + UNIT + "/programmed", "{\"stationId\":\"line-9\"}").status()).isEqualTo(200);
    }

    @Test
    void aReTestNeedsAStationAndAReason() {
        scan("line-1");
        operator.post("/api/units/" + UNIT + "/finish", "{\"result\":\"FAILED\",\"reasonCode\":\"join_failed\"}");

        assertThat(operator.post("/api/units/" + UNIT + "/retest", "{\"stationId\":\"line-9\"}").code()).isEqualTo("invalid_input");
        assertThat(operator.post("/api/units/" + UNIT + "/retest", "{\"stationId\":\"line-9\",\"reason\":\" \"}").code())
                .isEqualTo("invalid_input");
        assertThat(operator.post("/api/units/" + UNIT + "/retest", "{\"reason\":\"x\"}").code()).isEqualTo("invalid_input");
        assertThat(audits("unit.retest")).isEmpty();
    }

    @Test
    void passedAndVoidUnitsNeverHandOutTheirKeysAgain() {
        scan("line-1");
        operator.post("/api/units/" + UNIT + "/programmed", "{\"stationId\":\"line-1\"}");
        operator.post("/api/units/" + UNIT + "/finish", "{\"result\":\"PASSED\",\"stationId\":\"line-1\"}");
        assertThat(scan("line-1").code()).isEqualTo("unit_passed");
        assertThat(operator.post("/api/units/" + UNIT + "/retest", "{\"stationId\":\"line-1\",\"reason\":\"x\"}").code())
                .isEqualTo("unit_passed");
        assertThat(engineer.post("/api/units/" + UNIT + "/reassign", "{\"stationId\":\"line-9\"}").code()).isEqualTo("unit_passed");

        operator.post("/api/units/" + UNIT + "/void", "{\"reason\":\"scrapped\"}");
        ApiClient.Reply retest = operator.post("/api/units/" + UNIT + "/retest", "{\"stationId\":\"line-1\",\"reason\":\"x\"}");
        assertThat(retest.status()).isEqualTo(409);
        assertThat(retest.code()).isEqualTo("unit_void");
        assertThat(audits("unit.retest")).isEmpty();
    }

    @Test
    void anUnfinishedUnitIsResumedByItsStationNotReTested() {
        scan("line-1");

        ApiClient.Reply retest = operator.post("/api/units/" + UNIT + "/retest", "{\"stationId\":\"line-9\",\"reason\":\"x\"}");

        assertThat(retest.code()).isEqualTo("illegal_transition");
        assertThat(retest.json().has("appKey")).isFalse();
        assertThat(lorafab.registry().unit(Eui64.parse(UNIT)).orElseThrow().stationId()).isEqualTo("line-1");
    }
}
