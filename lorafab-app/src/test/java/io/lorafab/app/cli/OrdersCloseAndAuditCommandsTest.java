package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.provisioning.service.Reservation;
import io.lorafab.provisioning.service.ReserveRequest;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.TestResult;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lorafab orders show|close|reopen} and {@code lorafab audit} in-process on one SQLite data folder. */
class OrdersCloseAndAuditCommandsTest {

    static final String ACTOR = "cli:" + System.getProperty("user.name");

    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void line() {
        cli = new Cli(dir).init();
        ok(cli.run("products", "create", "--name", "tracker", "--join-eui", "70b3d57ed0000000", "--mac-version", "1.0.3",
                "--region", "EU868", "--profile-id", "12340001"));
        ok(cli.run("eui-blocks", "create", "--name", "line-1", "--assignment", "MA-S", "--prefix", "70b3d57ed",
                "--first", "70b3d57ed0001000", "--size", "100", "--product", "tracker"));
        ok(cli.run("orders", "create", "--product", "tracker", "--quantity", "10", "--reference", "WO-1"));
    }

    static Cli.Run ok(Cli.Run r) {
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return r;
    }

    static Cli.Run refused(Cli.Run r) {
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.err().lines().toList()).as("one line").hasSize(1);
        assertThat(r.err()).startsWith("error: ").doesNotContain("Exception").doesNotContain("\tat ");
        return r;
    }

    Lorafab open() {
        return Lorafab.open(null, dir, Map.of(), Clock.systemUTC());
    }

    /** Units made as a station would: each a list of test results ("pass", or a reason code) at a station. */
    List<String> units(String... histories) {
        List<String> devEuis = new ArrayList<>();
        try (Lorafab lf = open()) {
            for (String history : histories) {
                Reservation r = lf.provisioning().reserve(new ReserveRequest("WO-1", "st-1", null, null), "test");
                String devEui = r.unit().devEui().toString();
                devEuis.add(devEui);
                for (String run : history.isEmpty() ? new String[0] : history.split(",")) {
                    String[] rs = run.split("@");
                    lf.provisioning().markProgrammed(r.unit().devEui(), rs[1], "test");
                    boolean pass = rs[0].equals("pass");
                    lf.provisioning().finish(r.unit().devEui(), pass ? TestResult.PASSED : TestResult.FAILED,
                            pass ? null : rs[0], "{}", rs[1], "test");
                }
            }
        }
        return devEuis;
    }

    @Test
    void ordersShowGivesFirstPassYieldRetestsAndFailuresByTheirLatestFailedRun() {
        units("pass@st-1", "join_failed@st-1,pass@st-2", "module_error@st-1,join_failed@st-2", "rssi_below_threshold@st-2", "");
        Cli.Run shown = ok(cli.run("orders", "show", "WO-1"));
        assertThat(shown.out())
                .containsPattern("(?m)^units +5$")
                .containsPattern("(?m)^yield +50\\.0% \\(2 passed, 2 failed\\)$")
                .containsPattern("(?m)^firstPassYield +25\\.0% \\(1 of 4 tested units passed their first run\\)$")
                .containsPattern("(?m)^retests +2 units tested more than once, 2 extra runs$")
                .containsPattern("(?m)^failures by reason \\(3 units failed at least once; each counted once, by its latest failed run\\):\\n"
                        + "  join_failed +2\\n  rssi_below_threshold +1\\n")
                .containsPattern("(?m)^failures by station \\(of that latest failed run\\):\\n  st-2 +2\\n  st-1 +1\\n");
        JsonNode json = ok(cli.run("orders", "show", "WO-1", "--json")).json();
        assertThat(json.at("/testing/firstPassYield").asDouble()).isEqualTo(0.25);
        assertThat(json.at("/testing/finalYield").asDouble()).isEqualTo(0.5);
        assertThat(json.at("/testing/retests/extraRuns").asLong()).isEqualTo(2);
        assertThat(json.at("/testing/failures/byReason/0/reason").asText()).isEqualTo("join_failed");
    }

    @Test
    void anUntestedOrderShowsNoYieldAndNoFailureSections() {
        units("");
        Cli.Run shown = ok(cli.run("orders", "show", "WO-1"));
        assertThat(shown.out()).containsPattern("(?m)^yield +-$").containsPattern("(?m)^firstPassYield +-$")
                .containsPattern("(?m)^retests +0 units tested more than once, 0 extra runs$").doesNotContain("failures");
        JsonNode json = ok(cli.run("orders", "show", "WO-1", "--json")).json();
        assertThat(json.at("/testing/firstPassYield").isNull()).isTrue();
        assertThat(json.at("/testing/failures/byReason")).isEmpty();
    }

    @Test
    void closingRefusesNewReservationsOnceWithAClearMessageAndIsAudited() {
        List<String> before = units("");
        Cli.Run closed = ok(cli.run("orders", "close", "WO-1", "--reason", "batch complete", "--json"));
        assertThat(closed.json().get("state").asText()).isEqualTo("CLOSED");
        assertThat(closed.json().get("closedBy").asText()).isEqualTo(ACTOR);
        assertThat(closed.json().get("closeReason").asText()).isEqualTo("batch complete");
        String at = closed.json().get("closedAt").asText();

        assertThat(ok(cli.run("orders", "show", "WO-1")).out()).containsPattern("(?m)^state +CLOSED$")
                .containsPattern("(?m)^closed +" + at.replace(".", "\\.") + " by " + ACTOR + " \\(reason: batch complete\\)$");
        assertThat(refused(cli.run("orders", "close", "WO-1", "--reason", "again")).err().strip()).isEqualTo(
                "error: work order WO-1 is already closed since " + at + " by " + ACTOR + " (reason: batch complete)");
        try (Lorafab lf = open()) {
            assertThatThrownBy(() -> lf.provisioning().reserve(new ReserveRequest("WO-1", "st-1", null, null), "test"))
                    .isInstanceOf(StoreException.class).extracting(e -> ((StoreException) e).code().code()).isEqualTo("work_order_closed");
            // the unit reserved before the close is finished as usual
            lf.provisioning().markProgrammed(io.lorafab.lorawan.types.Eui64.parse(before.get(0)), "st-1", "test");
            lf.provisioning().finish(io.lorafab.lorawan.types.Eui64.parse(before.get(0)), TestResult.PASSED, null, "{}", "st-1", "test");
        }
        JsonNode audit = ok(cli.run("audit", "--action", "work_order.*", "--json")).json();
        assertThat(audit).hasSize(2);
        assertThat(audit.get(0).get("action").asText()).isEqualTo("work_order.close");
        assertThat(audit.get(0).get("actor").asText()).isEqualTo(ACTOR);
        assertThat(audit.get(0).get("subject").asText()).isEqualTo("work_order:WO-1");
        assertThat(audit.get(0).get("details").asText()).isEqualTo("reason=batch complete");
        assertThat(audit.get(1).get("action").asText()).isEqualTo("work_order.create");

        Cli.Run reopened = ok(cli.run("orders", "reopen", "WO-1"));
        assertThat(reopened.out()).containsPattern("(?m)^state +OPEN$").containsPattern("(?m)^closedAt +-$");
        assertThat(units("")).hasSize(1);
        assertThat(refused(cli.run("orders", "reopen", "WO-1")).err().strip())
                .isEqualTo("error: work order WO-1 is open; only a closed order can be reopened");
        assertThat(ok(cli.run("audit", "--action", "work_order.reopen")).out().lines().toList()).hasSize(2);
    }

    @Test
    void closeRefusesBadInputInOneLine() {
        assertThat(refused(cli.run("orders", "close", "NOPE")).err().strip()).isEqualTo("error: work order 'NOPE' not found");
        assertThat(refused(cli.run("orders", "close", "WO-1", "--reason", "two\nlines")).err().strip())
                .isEqualTo("error: --reason: reason: contains a control character");
        assertThat(refused(cli.run("orders", "close", "WO-1", "--reason", "x".repeat(101))).err().strip())
                .isEqualTo("error: --reason: reason: longer than 100 characters");
        assertThat(ok(cli.run("orders", "show", "WO-1")).out()).containsPattern("(?m)^state +OPEN$");
    }

    @Test
    void auditListsTheTrailNewestFirstWithFiltersDoneByTheDatabase() {
        List<String> made = units("pass@st-1", "join_failed@st-2");
        String a = made.get(0);
        String b = made.get(1);

        Cli.Run table = ok(cli.run("audit", "--unit", a));
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).matches("ID +AT +ACTOR +ACTION +SUBJECT +DETAILS");
        assertThat(lines.subList(1, lines.size())).hasSize(3);
        assertThat(lines.get(1)).matches(" *\\d+  \\S+Z  test +unit\\.finish +" + a + "  result=PASSED");
        assertThat(lines.get(2)).matches(" *\\d+  \\S+Z  test +unit\\.programmed +" + a + "  -");
        assertThat(lines.get(3)).matches(" *\\d+  \\S+Z  test +unit\\.reserve +" + a + " +order=WO-1 station=st-1");

        JsonNode ofB = ok(cli.run("audit", "--unit", b.toUpperCase(), "--action", "unit.finish", "--json")).json();
        assertThat(ofB).hasSize(1);
        assertThat(ofB.get(0).get("details").asText()).isEqualTo("result=FAILED reason=join_failed");
        assertThat(ofB.get(0).get("at").asText()).endsWith("Z");

        List<String> byCli = new ArrayList<>();
        ok(cli.run("audit", "--actor", "cli:*", "--json")).json().forEach(e -> byCli.add(e.get("action").asText()));
        assertThat(byCli).containsExactly("work_order.create", "eui_block.create", "product.create");
        assertThat(ok(cli.run("audit", "--limit", "2", "--json")).json()).hasSize(2);
        assertThat(ok(cli.run("audit", "--since", "1h", "--json")).json()).hasSize(9);
        assertThat(ok(cli.run("audit", "--until", "2000-01-01", "--json")).json()).isEmpty();
        assertThat(ok(cli.run("audit", "--since", "2000-01-01T00:00:00Z", "--until", "2999-12-31", "--unit", a, "--json")).json())
                .hasSize(3);

        assertThat(refused(cli.run("audit", "--since", "yesterday")).err().strip()).isEqualTo(
                "error: --since: 'yesterday' is not a time (use 2026-12-06T10:00:00Z, 2026-12-06 or an age such as 24h, 7d)");
        assertThat(refused(cli.run("audit", "--since", "2026-12-06", "--until", "2026-12-05")).err().strip()).isEqualTo(
                "error: since (2026-12-06T00:00:00Z) must be before until (2026-12-05T00:00:00Z)");
        assertThat(refused(cli.run("audit", "--limit", "0")).err().strip()).isEqualTo("error: --limit: must be 1..10000");
        assertThat(refused(cli.run("audit", "--unit", "zz")).err()).startsWith("error: --unit: ");
        assertThat(cli.run("audit", "--limit", "many").exit()).as("usage error").isEqualTo(2);
    }
}
