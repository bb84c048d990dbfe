package io.lorafab.app.views;

import io.lorafab.provisioning.service.Reservation;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.TestRun;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON shapes of registry records, shared by the HTTP API and the command line's {@code --json}. Keys
 * appear only in a reservation; names of related records are given by the caller where it has them (null
 * otherwise).
 */
public final class JsonViews {
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
        m.put("region", p.region());
        m.put("profileId", p.profileId().toString());
        m.put("vendorId", p.profileId().vendorId());
        m.put("modelId", p.profileId().modelId());
        m.put("programmingProfile", p.programmingProfile());
        m.put("rssiMinDbm", p.rssiMinDbm());
        m.put("snrMinDb", p.snrMinDb());
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

    /** A work order; with {@code counts}, also the units per state and the yield passed / (passed + failed). */
    public static Map<String, Object> workOrder(WorkOrder w, String productName, Map<UnitState, Long> counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("reference", w.reference());
        m.put("productId", w.productId());
        m.put("product", productName);
        m.put("quantity", w.quantity());
        m.put("state", w.state().name());
        m.put("createdAt", iso(w.createdAt()));
        if (counts != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            counts.forEach((k, v) -> c.put(k.name().toLowerCase(), v));
            m.put("units", c);
            long passed = counts.get(UnitState.PASSED);
            long failed = counts.get(UnitState.FAILED);
            m.put("yield", passed + failed == 0 ? null : (double) passed / (passed + failed));
        }
        return m;
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
        m.put("region", u.region());
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
        m.put("measurements", t.measurementsJson());
        m.put("finishedAt", iso(t.finishedAt()));
        return m;
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
