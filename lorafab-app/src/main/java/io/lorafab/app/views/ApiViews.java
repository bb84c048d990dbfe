package io.lorafab.app.views;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.lorafab.api.ErrorCode;
import io.lorafab.api.model.AuditEntry;
import io.lorafab.api.model.CreatedToken;
import io.lorafab.api.model.CreatedWorkOrder;
import io.lorafab.api.model.DeviceView;
import io.lorafab.api.model.EuiBlockView;
import io.lorafab.api.model.GatewayStat;
import io.lorafab.api.model.GatewayView;
import io.lorafab.api.model.ImportRefusal;
import io.lorafab.api.model.KeyRotationView;
import io.lorafab.api.model.OrderYieldView;
import io.lorafab.api.model.ProductView;
import io.lorafab.api.model.RadioEventView;
import io.lorafab.api.model.ReservationView;
import io.lorafab.api.model.TestRunView;
import io.lorafab.api.model.TokenView;
import io.lorafab.api.model.UnitDetail;
import io.lorafab.api.model.UnitView;
import io.lorafab.api.model.WorkOrderReport;
import io.lorafab.api.model.WorkOrderView;
import io.lorafab.gateway.GatewayState;
import io.lorafab.gateway.semtech.Stat;
import io.lorafab.provisioning.io.ImportException;
import io.lorafab.provisioning.service.ApiTokens;
import io.lorafab.provisioning.service.Reservation;
import io.lorafab.store.Registry;
import io.lorafab.store.join.RadioEvent;
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
import io.lorafab.store.vault.KeyRotation;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one mapping from lorafab's records to the API's ({@code io.lorafab.api.model}): what the HTTP API answers and
 * what the command line prints with {@code --json}, so that both show the same shapes and a field renamed in the
 * API's records breaks the compilation here. Keys appear only in a reservation; names of related records are given
 * by the caller where it has them (null otherwise).
 */
public final class ApiViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiViews() {
    }

    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String iso(Optional<Instant> t) {
        return t.map(Instant::toString).orElse(null);
    }

    /** A product with the NetIDs of the network servers that may join its devices over Backend Interfaces. */
    public static ProductView product(Product p, AllowedNetIds netIds) {
        return new ProductView(p.id(), p.name(), p.joinEui().toString(), p.macVersion().text(), p.region().name(),
                p.profileId().toString(), p.profileId().vendorId(), p.profileId().modelId(), p.programmingProfile(), p.rssiMinDbm(),
                p.snrMinDb(), p.serialTemplate().text(), iso(p.createdAt()), netIds.texts(), p.downlinkRssiMinDbm(), p.downlinkSnrMinDb(),
                p.certificationProfile(), p.certificationDataRates(), p.certificationFirmwareVersion());
    }

    public static EuiBlockView euiBlock(EuiBlock b, String productName) {
        return new EuiBlockView(b.id(), b.name(), b.productId(), productName, b.assignment().display(), b.prefix(),
                b.first().toString(), b.last().toString(), b.size(), b.nextIndex(), b.remaining(), iso(b.createdAt()));
    }

    /** A work order, with when, by whom and why it was closed (null while open). */
    public static WorkOrderView workOrder(WorkOrder w, String productName) {
        return new WorkOrderView(w.id(), w.reference(), w.productId(), productName, w.quantity(), w.state().name(),
                iso(w.createdAt()), w.closure() == null ? null : iso(w.closure().at()), w.closure() == null ? null : w.closure().by(),
                w.closure() == null ? null : w.closure().reason());
    }

    /** A work order just opened, with its units per state and its yield. */
    public static CreatedWorkOrder createdWorkOrder(WorkOrder w, String productName, Map<UnitState, Long> counts) {
        WorkOrderView v = workOrder(w, productName);
        return new CreatedWorkOrder(v.id(), v.reference(), v.productId(), v.product(), v.quantity(), v.state(), v.createdAt(),
                v.closedAt(), v.closedBy(), v.closeReason(), unitCounts(counts), OrderYield.finalYield(counts));
    }

    /** {@code GET /api/orders/{ref}}: the order, its units per state, its yield and its test figures. */
    public static WorkOrderReport workOrderReport(WorkOrder w, String productName, OrderYield y) {
        WorkOrderView v = workOrder(w, productName);
        return new WorkOrderReport(v.id(), v.reference(), v.productId(), v.product(), v.quantity(), v.state(), v.createdAt(),
                v.closedAt(), v.closedBy(), v.closeReason(), unitCounts(y.counts()), OrderYield.finalYield(y.counts()), orderYield(y));
    }

    /** Units per state under the states' lower-case names, in state order. */
    private static Map<String, Long> unitCounts(Map<UnitState, Long> counts) {
        Map<String, Long> c = new LinkedHashMap<>();
        counts.forEach((k, v) -> c.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
        return c;
    }

    /**
     * A work order's yield figures, the same object in {@code GET /api/orders/{ref}} and {@code orders show --json}:
     * first-pass and final yield, re-tests, runs the test station spoiled, and each unit that failed at least once
     * counted once by the reason and station of its latest failed run.
     */
    public static OrderYieldView orderYield(OrderYield y) {
        return new OrderYieldView(y.testedUnits(), y.firstPassUnits(), y.firstPassYield(), y.count(UnitState.PASSED),
                y.count(UnitState.FAILED), y.finalYield(), new OrderYieldView.Retests(y.retestedUnits(), y.extraRuns()),
                new OrderYieldView.StationFaults(y.stationFaultRuns(), y.stationFaultUnits()),
                new OrderYieldView.Failures(y.failedAtLeastOnce(),
                        y.failuresByReason().stream().map(f -> new OrderYieldView.ByReason(f.key(), f.units())).toList(),
                        y.failuresByStation().stream().map(f -> new OrderYieldView.ByStation(f.key(), f.units())).toList()));
    }

    public static UnitView unit(Unit u, String productName, String orderReference) {
        return new UnitView(u.id(), u.devEui().toString(), u.joinEui().toString(), u.productId(), productName, u.workOrderId(),
                orderReference, u.serial(), u.name(), u.macVersion().text(), u.region() == null ? null : u.region().name(),
                u.state().name(), u.origin().name(), u.stationId(), u.keys() == null ? null : u.keys().kekLabel(), iso(u.createdAt()),
                iso(u.updatedAt()), u.secureElement() == null ? null : u.secureElement().elementId(),
                u.secureElement() == null ? null : u.secureElement().joinServer());
    }

    /** A unit as an answer to a state change: without the names of its product and order. */
    public static UnitView unit(Unit u) {
        return unit(u, null, null);
    }

    /**
     * Units with their product's name and work order's reference, each looked up once per namer (a page of units
     * shares a few products and orders). Use one namer per request or command.
     */
    public static Function<Unit, UnitView> unitsNamedFrom(Registry registry) {
        Map<Long, String> products = new HashMap<>();
        Map<Long, String> orders = new HashMap<>();
        return u -> unit(u,
                u.productId() == null ? null : products.computeIfAbsent(u.productId(),
                        id -> registry.product(id).map(Product::name).orElse(null)),
                u.workOrderId() == null ? null : orders.computeIfAbsent(u.workOrderId(),
                        id -> registry.workOrder(id).map(WorkOrder::reference).orElse(null)));
    }

    /** {@code GET /api/units/{devEui}}: a unit (named) with its test runs, oldest first. */
    public static UnitDetail unitDetail(UnitView v, List<TestRun> runs) {
        return new UnitDetail(v.id(), v.devEui(), v.joinEui(), v.productId(), v.product(), v.workOrderId(), v.order(), v.serial(),
                v.name(), v.macVersion(), v.region(), v.state(), v.origin(), v.stationId(), v.kekLabel(), v.createdAt(), v.updatedAt(),
                runs.stream().map(ApiViews::testRun).toList(), v.secureElementId(), v.joinServer());
    }

    /** A device added from elsewhere, with the NetIDs allowed to join it. */
    public static DeviceView device(Unit u, String productName, AllowedNetIds netIds) {
        UnitView v = unit(u, productName, null);
        return new DeviceView(v.id(), v.devEui(), v.joinEui(), v.productId(), v.product(), v.workOrderId(), v.order(), v.serial(),
                v.name(), v.macVersion(), v.region(), v.state(), v.origin(), v.stationId(), v.kekLabel(), v.createdAt(), v.updatedAt(),
                netIds.texts(), v.secureElementId(), v.joinServer());
    }

    /**
     * A reservation as a station takes it: the unit (with its product's name and work order's reference), its root
     * keys, and its product's pass thresholds ({@code product} null: none).
     */
    public static ReservationView reservation(Reservation r, Product product, String orderReference) {
        UnitView v = unit(r.unit(), product == null ? null : product.name(), orderReference);
        return new ReservationView(v.id(), v.devEui(), v.joinEui(), v.productId(), v.product(), v.workOrderId(), v.order(),
                v.serial(), v.name(), v.macVersion(), v.region(), v.state(), v.origin(), v.stationId(), v.kekLabel(), v.createdAt(),
                v.updatedAt(), r.appKey() == null ? null : r.appKey().toHex(), r.nwkKey() == null ? null : r.nwkKey().toHex(), r.resumed(),
                product == null ? null : product.rssiMinDbm(), product == null ? null : product.snrMinDb(),
                product == null ? null : product.downlinkRssiMinDbm(), product == null ? null : product.downlinkSnrMinDb(),
                product != null && product.certificationProfile(), product == null ? java.util.List.of() : product.certificationDataRates(),
                product == null ? null : product.certificationFirmwareVersion(), v.secureElementId());
    }

    public static TestRunView testRun(TestRun t) {
        return new TestRunView(t.id(), t.stationId(), t.result().name(), t.reasonCode(), measurements(t.measurementsJson()),
                iso(t.finishedAt()));
    }

    /**
     * A run's measurements as the JSON object they were recorded as (the API takes only an object). Text that is
     * not one (written by hand into the database, or by an old version) is kept whole under {@code "unparsed"}, so
     * that the field stays an object for every client.
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

    public static TokenView token(ApiToken t) {
        return new TokenView(t.id(), t.name(), t.role().display(), t.revokedAt() == null, iso(t.createdAt()), iso(t.revokedAt()));
    }

    /** A token just created, with its secret: shown this once. */
    public static CreatedToken createdToken(ApiTokens.Created c) {
        TokenView v = token(c.token());
        return new CreatedToken(v.id(), v.name(), v.role(), v.active(), v.createdAt(), v.revokedAt(), c.secret());
    }

    public static AuditEntry audit(AuditEvent e) {
        return new AuditEntry(e.id(), iso(e.at()), e.actor(), e.action(), e.subject(), e.details());
    }

    public static KeyRotationView keyRotation(KeyRotation.Result r) {
        return new KeyRotationView(r.newLabel(), r.previousLabel(), r.rewrapped(), r.units(), r.sessions());
    }

    /** A refused device import: the stable code, and every row at fault with its line and column. */
    public static ImportRefusal importRefusal(ErrorCode code, ImportException e) {
        return new ImportRefusal(new ImportRefusal.Detail(code.code(), e.rowSummary() + ", nothing imported", e.rejectedRows(),
                e.truncated(), e.errors().stream().map(x -> new ImportRefusal.Row(x.line(), x.column(), x.message())).toList()));
    }

    /** A radio event (HTTP and MQTT); its {@code details} embedded as the JSON they are, as text when they are not JSON. */
    public static RadioEventView event(RadioEvent e) {
        JsonNode details;
        try {
            details = e.details() == null ? null : JSON.readTree(e.details());
        } catch (JsonProcessingException ex) {
            details = JsonNodeFactory.instance.textNode(e.details());
        }
        return new RadioEventView(e.id(), iso(e.at()), e.devEui() == null ? null : e.devEui().toString(), e.kind(), e.code(),
                e.gatewayEui() == null ? null : e.gatewayEui().toString(), e.rssi(), e.snr(), e.frequencyHz(), e.datr(), details);
    }

    /**
     * A gateway as the UDP listener knows it, with the address it is pinned to and other addresses' claims on its EUI
     * (refused while it was active).
     */
    public static GatewayView gateway(GatewayState g) {
        return new GatewayView(g.eui().toString(), g.firstSeen().toString(), g.lastSeen().toString(),
                g.lastPull().map(Object::toString).orElse(null), g.hasDownlinkRoute(), g.pushData(), g.pullData(), g.rxOk(),
                g.rxDropped(), g.txSent(), g.txAck(), g.txErrors(), g.txTimeouts(), g.pin().address().getHostAddress(),
                g.pin().changes(), g.pin().refused(),
                g.pin().lastRefusedFrom().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).orElse(null),
                g.pin().lastRefusedAt().map(Object::toString).orElse(null), g.lastStat().map(ApiViews::stat).orElse(null),
                GatewayView.SEMTECH_UDP, null, null);
    }

    /** A Basics Station gateway: its connection, what its version message said, its uplink and downlink counts. */
    public static GatewayView gateway(io.lorafab.gateway.BasicsStationConnector.StationState s) {
        GatewayView.StationInfo info = new GatewayView.StationInfo(
                s.version().map(v -> v.station()).orElse(null), s.version().map(v -> v.model()).orElse(null),
                s.version().map(v -> v.protocol()).orElse(0), s.version().map(v -> v.features()).orElse(null),
                s.version().map(v -> v.firmware()).orElse(null), s.connectedAt().toString(),
                s.disconnectedAt().map(Object::toString).orElse(null));
        return new GatewayView(s.eui().toString(), s.connectedAt().toString(), s.lastSeen().toString(), null, s.connected(),
                0, 0, s.uplinks(), s.malformed(), s.downlinks(), s.transmitted(), 0, s.notTransmitted(), s.remoteAddress(),
                0, 0, null, null, null, GatewayView.BASICS_STATION, s.connected(), info);
    }

    /** The {@code stat} object under its wire names; fields the gateway did not send are left out. */
    public static GatewayStat stat(Stat s) {
        return new GatewayStat(iso(s.time()), s.latitude().orElse(null), s.longitude().orElse(null), s.altitude().orElse(null),
                s.rxnb().orElse(null), s.rxok().orElse(null), s.rxfw().orElse(null), s.ackr().orElse(null), s.dwnb().orElse(null),
                s.txnb().orElse(null));
    }
}
