package io.lorafab.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.api.model.AddDeviceRequest;
import io.lorafab.api.model.AuditEntry;
import io.lorafab.api.model.ChipIdentityRequest;
import io.lorafab.api.model.ChipIdentityView;
import io.lorafab.api.model.StationStepRequest;
import io.lorafab.api.model.StationStepView;
import io.lorafab.api.model.CloseOrderRequest;
import io.lorafab.api.model.CreateEuiBlockRequest;
import io.lorafab.api.model.CreateOrderRequest;
import io.lorafab.api.model.CreateProductRequest;
import io.lorafab.api.model.CreateTokenRequest;
import io.lorafab.api.model.CreatedToken;
import io.lorafab.api.model.CreatedWorkOrder;
import io.lorafab.api.model.DeviceView;
import io.lorafab.api.model.EuiBlockView;
import io.lorafab.api.model.EventPage;
import io.lorafab.api.model.FinishRequest;
import io.lorafab.api.model.GatewaysView;
import io.lorafab.api.model.Health;
import io.lorafab.api.model.ImportRefusal;
import io.lorafab.api.model.ImportResult;
import io.lorafab.api.model.KeyRotationView;
import io.lorafab.api.model.LineOverview;
import io.lorafab.api.model.NetIdsRequest;
import io.lorafab.api.model.NonceReset;
import io.lorafab.api.model.OrderRadioView;
import io.lorafab.api.model.OrderUnitsPage;
import io.lorafab.api.model.ProductView;
import io.lorafab.api.model.ProgrammedRequest;
import io.lorafab.api.model.ReassignRequest;
import io.lorafab.api.model.ReservationView;
import io.lorafab.api.model.ReserveRequest;
import io.lorafab.api.model.RetestRequest;
import io.lorafab.api.model.RotateKeysRequest;
import io.lorafab.api.model.StationActivity;
import io.lorafab.api.model.TokenRevoked;
import io.lorafab.api.model.TokenView;
import io.lorafab.api.model.UnitDetail;
import io.lorafab.api.model.UnitPage;
import io.lorafab.api.model.UnitTimeline;
import io.lorafab.api.model.UnitView;
import io.lorafab.api.model.VoidRequest;
import io.lorafab.api.model.WorkOrderReport;
import io.lorafab.api.model.WorkOrderView;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every route of the HTTP API, one constant each: the catalogue the station client builds its calls from, the
 * OpenAPI description is generated from, and a test holds the server's registered routes against. A route added
 * to the server and not here (or the other way round) fails that test.
 */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    public static final String OPERATOR = "operator";
    public static final String ENGINEER = "engineer";
    public static final String ADMIN = "admin";
    public static final String NETWORK_SERVER = "network-server";

    private static final String CSV = "text/csv";
    private static final String PDF_OR_ZPL = "application/pdf";

    // ---- server
    public static final Endpoint<Void, Health> HEALTH = Endpoint.of("GET", "/api/health", null, Void.class, Health.class,
            "Whether the server and its database answer");
    public static final Endpoint<Void, JsonNode> OPENAPI = Endpoint.of("GET", "/api/openapi.json", null, Void.class, JsonNode.class,
            "This description of the API (OpenAPI 3.0)");
    /** Any person's token will do (operator and up); Prometheus sends it with {@code authorization: credentials_file}. */
    public static final Endpoint<Void, byte[]> METRICS = Endpoint.of("GET", "/metrics", OPERATOR, Void.class, byte[].class,
            "The server's meters in the Prometheus text format 0.0.4").produces("text/plain");

    // ---- products and EUI blocks
    public static final Endpoint<CreateProductRequest, ProductView> CREATE_PRODUCT = Endpoint.of("POST", "/api/products", ENGINEER,
            CreateProductRequest.class, ProductView.class, "Define a product").created();
    public static final Endpoint<Void, ProductView> PRODUCTS = Endpoint.of("GET", "/api/products", OPERATOR, Void.class,
            ProductView.class, "List the products").list();
    public static final Endpoint<NetIdsRequest, ProductView> PRODUCT_NET_IDS = Endpoint.of("PUT", "/api/products/{name}/net-ids",
            ENGINEER, NetIdsRequest.class, ProductView.class, "Set the NetIDs whose network servers may join a product's devices");
    public static final Endpoint<CreateEuiBlockRequest, EuiBlockView> CREATE_EUI_BLOCK = Endpoint.of("POST", "/api/eui-blocks",
            ENGINEER, CreateEuiBlockRequest.class, EuiBlockView.class, "Add a block of DevEUIs").created();
    public static final Endpoint<Void, EuiBlockView> EUI_BLOCKS = Endpoint.of("GET", "/api/eui-blocks", OPERATOR, Void.class,
            EuiBlockView.class, "List the EUI blocks").list();

    // ---- work orders
    public static final Endpoint<CreateOrderRequest, CreatedWorkOrder> CREATE_ORDER = Endpoint.of("POST", "/api/orders", ENGINEER,
            CreateOrderRequest.class, CreatedWorkOrder.class, "Open a work order").created();
    public static final Endpoint<Void, WorkOrderView> ORDERS = Endpoint.of("GET", "/api/orders", OPERATOR, Void.class,
            WorkOrderView.class, "List the work orders").list();
    public static final Endpoint<Void, WorkOrderReport> ORDER = Endpoint.of("GET", "/api/orders/{ref}", OPERATOR, Void.class,
            WorkOrderReport.class, "A work order with its units per state and its yield");
    /** 201 for a new unit; 200 with {@code resumed} when a label scanned again finds the unit already reserved to it. */
    public static final Endpoint<ReserveRequest, ReservationView> RESERVE = Endpoint.of("POST", "/api/orders/{ref}/reserve", OPERATOR,
            ReserveRequest.class, ReservationView.class, "Reserve the next unit of a work order, with its keys").statuses(201, 200)
            .optionalBody();
    public static final Endpoint<CloseOrderRequest, WorkOrderView> CLOSE_ORDER = Endpoint.of("POST", "/api/orders/{ref}/close",
            ENGINEER, CloseOrderRequest.class, WorkOrderView.class, "Close a work order").optionalBody();
    public static final Endpoint<Void, WorkOrderView> REOPEN_ORDER = Endpoint.of("POST", "/api/orders/{ref}/reopen", ENGINEER,
            Void.class, WorkOrderView.class, "Reopen a closed work order");
    public static final Endpoint<Void, byte[]> ORDER_LABELS = Endpoint.of("GET", "/api/orders/{ref}/labels", OPERATOR, Void.class,
            byte[].class, "A work order's labels as a PDF sheet or ZPL").produces(PDF_OR_ZPL).query("format", "allStates");

    // ---- reports (the console's pages read the same service)
    public static final Endpoint<Void, LineOverview> LINE = Endpoint.of("GET", "/api/line", ENGINEER, Void.class, LineOverview.class,
            "The line: open orders, yields, failures by reason and station, active stations").query("activeMinutes");
    public static final Endpoint<Void, OrderUnitsPage> ORDER_UNITS = Endpoint.of("GET", "/api/orders/{ref}/units", OPERATOR,
            Void.class, OrderUnitsPage.class, "A page of a work order's units, filtered")
            .query("state", "reason", "station", "from", "to", "after", "limit");
    public static final Endpoint<Void, byte[]> ORDER_UNITS_CSV = Endpoint.of("GET", "/api/orders/{ref}/units.csv", OPERATOR,
            Void.class, byte[].class, "Every unit of a work order that matches the filters, as CSV").produces(CSV)
            .query("state", "reason", "station", "from", "to");
    public static final Endpoint<Void, OrderRadioView> ORDER_RADIO = Endpoint.of("GET", "/api/orders/{ref}/radio", OPERATOR,
            Void.class, OrderRadioView.class, "A work order's RSSI and SNR histograms, join latency and yield per hour");
    public static final Endpoint<Void, StationActivity> STATION = Endpoint.of("GET", "/api/stations/{id}", OPERATOR, Void.class,
            StationActivity.class, "A station's unit in progress, last units and counts since the shift began").query("since");
    public static final Endpoint<StationStepRequest, StationStepView> STATION_STEP = Endpoint.of("POST", "/api/stations/{id}/step",
            OPERATOR, StationStepRequest.class, StationStepView.class,
            "The step of a unit a station has just begun (reserve, program, read_back, join, uplink, downlink, certification, finish), for its screen");

    // ---- units
    public static final Endpoint<Void, UnitPage> UNITS = Endpoint.of("GET", "/api/units", OPERATOR, Void.class, UnitPage.class,
            "A page of units").query("order", "state", "station", "serial", "after", "limit");
    public static final Endpoint<Void, UnitDetail> UNIT = Endpoint.of("GET", "/api/units/{devEui}", OPERATOR, Void.class,
            UnitDetail.class, "A unit with its test runs");
    public static final Endpoint<ProgrammedRequest, UnitView> PROGRAMMED = Endpoint.of("POST", "/api/units/{devEui}/programmed",
            OPERATOR, ProgrammedRequest.class, UnitView.class, "Report a unit programmed");
    public static final Endpoint<FinishRequest, UnitView> FINISH = Endpoint.of("POST", "/api/units/{devEui}/finish", OPERATOR,
            FinishRequest.class, UnitView.class, "Record a unit's test run");
    public static final Endpoint<ChipIdentityRequest, ChipIdentityView> CHIP_IDENTITY = Endpoint.of("POST",
            "/api/units/{devEui}/chip-identity", OPERATOR, ChipIdentityRequest.class, ChipIdentityView.class,
            "Record the ChipEUI, Semtech JoinEUI and claim PIN an LR11xx-style part reported (the PIN is never returned)");
    public static final Endpoint<VoidRequest, UnitView> VOID = Endpoint.of("POST", "/api/units/{devEui}/void", OPERATOR,
            VoidRequest.class, UnitView.class, "Void a unit");
    public static final Endpoint<ReassignRequest, UnitView> REASSIGN = Endpoint.of("POST", "/api/units/{devEui}/reassign", ENGINEER,
            ReassignRequest.class, UnitView.class, "Hand an unfinished unit to another station");
    public static final Endpoint<RetestRequest, ReservationView> RETEST = Endpoint.of("POST", "/api/units/{devEui}/retest", OPERATOR,
            RetestRequest.class, ReservationView.class, "Test a finished unit again, with its keys");
    public static final Endpoint<Void, byte[]> UNIT_LABEL = Endpoint.of("GET", "/api/units/{devEui}/label", OPERATOR, Void.class,
            byte[].class, "A unit's label as PDF or ZPL").produces(PDF_OR_ZPL).query("format", "size", "anyState");
    public static final Endpoint<Void, UnitTimeline> UNIT_TIMELINE = Endpoint.of("GET", "/api/units/{devEui}/timeline", OPERATOR,
            Void.class, UnitTimeline.class, "Everything that happened to a unit, oldest first");
    public static final Endpoint<Void, NonceReset> RESET_NONCES = Endpoint.of("POST", "/api/units/{devEui}/reset-nonces", ENGINEER,
            Void.class, NonceReset.class, "Forget a device's DevNonces (it lost its memory)");

    // ---- devices made elsewhere, export
    public static final Endpoint<AddDeviceRequest, DeviceView> ADD_DEVICE = Endpoint.of("POST", "/api/devices", ENGINEER,
            AddDeviceRequest.class, DeviceView.class, "Add a device made elsewhere, with its keys").created();
    /** Refused as a whole with {@code ImportRefusal}: the rows at fault with their line and column. */
    public static final Endpoint<byte[], ImportResult> IMPORT_DEVICES = Endpoint.of("POST", "/api/devices/import", ENGINEER,
            byte[].class, ImportResult.class, "Import devices from a CSV file, all or none").consumes(CSV).created()
            .query("product", "macVersion", "region", "netIds", "dryRun").refusal(ImportRefusal.class);
    /**
     * A Microchip TNGLoRa manifest (its JSON list as the body), verified against the signers the server pins; its units
     * registered without keys, joining through {@code joinServer}. Refused whole ({@code manifest_refused}) naming the
     * first entry that does not verify.
     */
    public static final Endpoint<byte[], ImportResult> IMPORT_TNGLORA = Endpoint.of("POST", "/api/devices/import/tnglora",
            ENGINEER, byte[].class, ImportResult.class, "Import a secure-element (TNGLoRa) manifest, all or none")
            .consumes(Endpoint.JSON).created().query("joinServer", "joinEui", "product", "macVersion", "region", "dryRun");
    public static final Endpoint<Void, byte[]> EXPORT = Endpoint.of("GET", "/api/export", ADMIN, Void.class, byte[].class,
            "Export devices for a network server (NDJSON or CSV)").produces("application/x-ndjson")
            .query("format", "order", "allStates", "wrapKekLabel", "applicationId", "deviceProfileId", "frequencyPlan");
    /**
     * The export of {@link #EXPORT} encrypted to the public key (PEM "PUBLIC KEY" or X.509 certificate) in the body: a compact
     * JWE. A POST, since a certificate does not fit a query string; a body holding a private key is refused.
     */
    public static final Endpoint<byte[], byte[]> EXPORT_ENCRYPTED = Endpoint.of("POST", "/api/export/encrypted", ADMIN, byte[].class,
            byte[].class, "Export devices encrypted to a recipient's public key (JWE, RFC 7516)").consumes("application/x-pem-file")
            .produces("application/jose")
            .query("format", "order", "allStates", "wrapKekLabel", "applicationId", "deviceProfileId", "frequencyPlan");

    // ---- tokens, keys, audit
    public static final Endpoint<CreateTokenRequest, CreatedToken> CREATE_TOKEN = Endpoint.of("POST", "/api/tokens", ADMIN,
            CreateTokenRequest.class, CreatedToken.class, "Create an API token (its secret is shown this once)").created();
    public static final Endpoint<Void, TokenView> TOKENS = Endpoint.of("GET", "/api/tokens", ADMIN, Void.class, TokenView.class,
            "List the API tokens").list();
    public static final Endpoint<Void, TokenRevoked> REVOKE_TOKEN = Endpoint.of("DELETE", "/api/tokens/{id}", ADMIN, Void.class,
            TokenRevoked.class, "Revoke an API token");
    public static final Endpoint<RotateKeysRequest, KeyRotationView> ROTATE_KEYS = Endpoint.of("POST", "/api/keys/rotate", ADMIN,
            RotateKeysRequest.class, KeyRotationView.class, "Re-wrap every stored key under a new KEK").optionalBody();
    public static final Endpoint<Void, AuditEntry> AUDIT = Endpoint.of("GET", "/api/audit", ADMIN, Void.class, AuditEntry.class,
            "Read the audit log").list().query("actor", "action", "unit", "since", "until", "limit", "before");

    // ---- join server
    public static final Endpoint<Void, EventPage> EVENTS = Endpoint.of("GET", "/api/events", OPERATOR, Void.class, EventPage.class,
            "Radio events after an id, waiting for one with wait=SECONDS (long-poll)").query("devEui", "after", "limit", "wait");
    public static final Endpoint<Void, GatewaysView> GATEWAYS = Endpoint.of("GET", "/api/gateways", OPERATOR, Void.class,
            GatewaysView.class, "The gateways heard and the listener's counters");
    /**
     * LoRaWAN Backend Interfaces (TS002) JoinReq / AppSKeyReq: the messages are the specification's, not records of
     * this API, so both sides are free JSON objects here.
     */
    public static final Endpoint<JsonNode, JsonNode> BACKEND_INTERFACES = Endpoint.of("POST", "/api/backend-interfaces",
            NETWORK_SERVER, JsonNode.class, JsonNode.class, "LoRaWAN Backend Interfaces JoinReq and AppSKeyReq");

    private static final Map<String, Endpoint<?, ?>> BY_NAME = collect();

    /** Every route, in the order declared here. */
    public static List<Endpoint<?, ?>> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** Every route under its constant's name ({@code "RESERVE"}), in the order declared here. */
    public static Map<String, Endpoint<?, ?>> byName() {
        return BY_NAME;
    }

    private static Map<String, Endpoint<?, ?>> collect() {
        Map<String, Endpoint<?, ?>> out = new LinkedHashMap<>();
        for (Field f : ApiRoutes.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Endpoint.class) {
                try {
                    out.put(f.getName(), (Endpoint<?, ?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
