package io.lorafab.app.views;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.provisioning.service.Reservation;
import io.lorafab.store.Registry;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.OrderYield;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.TestRun;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON shapes of registry records, shared by the HTTP API and the command line's {@code --json}. Keys
 * appear only in a reservation; names of related records are given by the caller where it has them (null
 * otherwise).
 */
public final class JsonViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonViews() {
    }

    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    /** A product with the NetIDs of the network servers that may join its devices over Backend Interfaces. */
    public static Map<String, Object> product(Product p, AllowedNetIds netIds) {
        Map<String, Object> m = product(p);
        m.put("netIds", netIds.texts());
        return m;
    }

    public static Map<String, Object> product(Product p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("name", p.name());
        m.put("joinEui", p.joinEui().toString());
        m.put("macVersion", p.macVersion().text());
        m.put("region", p.region().name());
        m.put("profileId", p.profileId().toString());
        m.put("vendorId", p.profileId().vendorId());
        m.put("modelId", p.profileId().modelId());
        m.put("programmingProfile", p.programmingProfile());
        m.put("rssiMinDbm", p.rssiMinDbm());
        m.put("snrMinDb", p.snrMinDb());
        m.put("serialTemplate", p.serialTemplate().text());
        m.put("createdAt", iso(p.createdAt()));
        return m;
    }

    public static Map<String, Object> euiBlock(EuiBlock b, String productName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("name", b.name());
        m.put("productId", b.productId());
        m.put("product", productName);
        m.put("assignment", b.assignment().display());
        m.put("prefix", b.prefix());
        m.put("first", b.first().toString());
        m.put("last", b.last().toString());
        m.put("size", b.size());
        m.put("used", b.nextIndex());
        m.put("remaining", b.remaining());
        m.put("createdAt", iso(b.createdAt()));
        return m;
    }

    /**
     * A work order (with when, by whom and why it was closed, null while open); with {@code counts}, also the
     * units per state and the yield passed / (passed + failed).
     */
    public static Map<String, Object> workOrder(WorkOrder w, String productName, Map<UnitState, Long> counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("reference", w.reference());
        m.put("productId", w.productId());
        m.put("product", productName);
        m.put("quantity", w.quantity());
        m.put("state", w.state().name());
        m.put("createdAt", iso(w.createdAt()));
        m.put("closedAt", w.closure() == null ? null : iso(w.closure().at()));
        m.put("closedBy", w.closure() == null ? null : w.closure().by());
        m.put("closeReason", w.closure() == null ? null : w.closure().reason());
        if (counts != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            counts.forEach((k, v) -> c.put(k.name().toLowerCase(), v));
            m.put("units", c);
            m.put("yield", OrderYield.finalYield(counts));
        }
        return m;
    }

    /**
     * A work order's yield figures, the same object in {@code GET /api/orders/{ref}} and {@code orders show
     * --json}: first-pass and final yield, re-tests, runs the test station spoiled, and each unit that failed at least once counted once by
     * the reason and station of its latest failed run.
     */
    public static Map<String, Object> orderYield(OrderYield y) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("testedUnits", y.testedUnits());
        m.put("firstPassUnits", y.firstPassUnits());
        m.put("firstPassYield", y.firstPassYield());
        m.put("passed", y.count(UnitState.PASSED));
        m.put("failed", y.count(UnitState.FAILED));
        m.put("finalYield", y.finalYield());
        Map<String, Object> retests = new LinkedHashMap<>();
        retests.put("units", y.retestedUnits());
        retests.put("extraRuns", y.extraRuns());
        m.put("retests", retests);
        Map<String, Object> faults = new LinkedHashMap<>();
        faults.put("runs", y.stationFaultRuns());
        faults.put("units", y.stationFaultUnits());
        m.put("stationFaults", faults);
        Map<String, Object> failures = new LinkedHashMap<>();
        failures.put("units", y.failedAtLeastOnce());
        failures.put("byReason", failureCounts(y.failuresByReason(), "reason"));
        failures.put("byStation", failureCounts(y.failuresByStation(), "station"));
        m.put("failures", failures);
        return m;
    }

    private static List<Map<String, Object>> failureCounts(List<OrderYield.FailureCount> counts, String keyName) {
        return counts.stream().map(f -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put(keyName, f.key());
            e.put("units", f.units());
            return e;
        }).toList();
    }

    public static Map<String, Object> unit(Unit u, String productName, String orderReference) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("devEui", u.devEui().toString());
        m.put("joinEui", u.joinEui().toString());
        m.put("productId", u.productId());
        m.put("product", productName);
        m.put("workOrderId", u.workOrderId());
        m.put("order", orderReference);
        m.put("serial", u.serial());
        m.put("name", u.name());
        m.put("macVersion", u.macVersion().text());
        m.put("region", u.region() == null ? null : u.region().name());
        m.put("state", u.state().name());
        m.put("origin", u.origin().name());
        m.put("stationId", u.stationId());
        m.put("kekLabel", u.keys().kekLabel());
        m.put("createdAt", iso(u.createdAt()));
        m.put("updatedAt", iso(u.updatedAt()));
        return m;
    }

    public static Map<String, Object> unit(Unit u) {
        return unit(u, null, null);
    }

    /**
     * Units with their product's name and work order's reference, each looked up once per namer (a page of
     * units shares a few products and orders). Use one namer per request or command.
     */
    public static Function<Unit, Map<String, Object>> unitsNamedFrom(Registry registry) {
        Map<Long, String> products = new HashMap<>();
        Map<Long, String> orders = new HashMap<>();
        return u -> unit(u,
                u.productId() == null ? null : products.computeIfAbsent(u.productId(),
                        id -> registry.product(id).map(p -> p.name()).orElse(null)),
                u.workOrderId() == null ? null : orders.computeIfAbsent(u.workOrderId(),
                        id -> registry.workOrder(id).map(WorkOrder::reference).orElse(null)));
    }

    /** A reservation: the unit (with its product's name and work order's reference) and its root keys. */
    public static Map<String, Object> reservation(Reservation r, String productName, String orderReference) {
        Map<String, Object> m = unit(r.unit(), productName, orderReference);
        m.put("appKey", r.appKey().toHex());
        m.put("nwkKey", r.nwkKey() == null ? null : r.nwkKey().toHex());
        m.put("resumed", r.resumed());
        return m;
    }

    public static Map<String, Object> testRun(TestRun t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("stationId", t.stationId());
        m.put("result", t.result().name());
        m.put("reasonCode", t.reasonCode());
        m.put("measurements", measurements(t.measurementsJson()));
        m.put("finishedAt", iso(t.finishedAt()));
        return m;
    }

    /**
     * A run's measurements as the JSON object they were recorded as (the API takes only an object). Text that
     * is not one (written by hand into the database, or by an old version) is kept whole under
     * {@code "unparsed"}, so that the field stays an object for every client.
     */
    static JsonNode measurements(String stored) {
        if (stored == null || stored.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(stored);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (JsonProcessingException e) {
            // falls through: kept as text
        }
        return JSON.createObjectNode().put("unparsed", stored);
    }

    public static Map<String, Object> token(ApiToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("role", t.role().display());
        m.put("active", t.revokedAt() == null);
        m.put("createdAt", iso(t.createdAt()));
        m.put("revokedAt", iso(t.revokedAt()));
        return m;
    }

    public static Map<String, Object> audit(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("at", iso(e.at()));
        m.put("actor", e.actor());
        m.put("action", e.action());
        m.put("subject", e.subject());
        m.put("details", e.details());
        return m;
    }
}
