package io.lorafab.store.jdbc;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.Registry;
import io.lorafab.store.ReportStore;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.AuditQuery;
import io.lorafab.store.model.ConsoleSession;
import io.lorafab.store.model.SignInCode;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.OrderYield;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.ReservationOutcome;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.TestRun;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitReservation;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.model.WorkOrderState;
import io.lorafab.store.model.WrappedKeySet;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * {@link Registry} on SQLite or PostgreSQL through plain JDBC: one JDBC store per aggregate
 * ({@link JdbcProductStore}, {@link JdbcUnitStore}, ...), all on one {@link JdbcContext}, so that a
 * {@link #transaction} spans them. The methods below only hand each call to its aggregate's store.
 */
public final class JdbcRegistry implements Registry {

    private final JdbcContext jdbc;
    private final JdbcProductStore products;
    private final JdbcEuiBlockStore euiBlocks;
    private final JdbcWorkOrderStore workOrders;
    private final JdbcUnitStore units;
    private final JdbcTestRunStore testRuns;
    private final JdbcAuditLog audit;
    private final JdbcTokenStore tokens;
    private final JdbcKekStore keks;
    private final JdbcConsoleSessionStore consoleSessions;
    private final JdbcReportStore reports;
    private final JdbcChipIdentityStore chipIdentities;

    public JdbcRegistry(Database db, Clock clock) {
        this.jdbc = new JdbcContext(db, clock);
        this.products = new JdbcProductStore(jdbc);
        this.euiBlocks = new JdbcEuiBlockStore(jdbc);
        this.workOrders = new JdbcWorkOrderStore(jdbc);
        this.units = new JdbcUnitStore(jdbc);
        this.testRuns = new JdbcTestRunStore(jdbc);
        this.audit = new JdbcAuditLog(jdbc);
        this.tokens = new JdbcTokenStore(jdbc);
        this.keks = new JdbcKekStore(jdbc);
        this.consoleSessions = new JdbcConsoleSessionStore(jdbc);
        this.reports = new JdbcReportStore(jdbc);
        this.chipIdentities = new JdbcChipIdentityStore(jdbc);
    }

    public Database database() {
        return jdbc.db;
    }

    @Override
    public <T> T transaction(Function<Registry, T> work) {
        return jdbc.transaction(() -> work.apply(this));
    }

    @Override
    public long[] groupCommitStats() {
        return units.groupCommitStats();
    }

    @Override
    public void close() {
        units.close();
        jdbc.db.close();
    }

    // ---- ProductStore -----------------------------------------------------------------------------------

    @Override
    public Product createProduct(NewProduct p) {
        return products.createProduct(p);
    }

    @Override
    public Optional<Product> product(long id) {
        return products.product(id);
    }

    @Override
    public Optional<Product> productByName(String name) {
        return products.productByName(name);
    }

    @Override
    public List<Product> products() {
        return products.products();
    }

    @Override
    public void setProductNetIds(long productId, AllowedNetIds netIds) {
        products.setProductNetIds(productId, netIds);
    }

    @Override
    public AllowedNetIds productNetIds(long productId) {
        return products.productNetIds(productId);
    }

    // ---- EuiBlockStore ----------------------------------------------------------------------------------

    @Override
    public EuiBlock createEuiBlock(NewEuiBlock b) {
        return euiBlocks.createEuiBlock(b);
    }

    @Override
    public Optional<EuiBlock> euiBlock(long id) {
        return euiBlocks.euiBlock(id);
    }

    @Override
    public List<EuiBlock> euiBlocks() {
        return euiBlocks.euiBlocks();
    }

    @Override
    public Optional<EuiBlock> openEuiBlockFor(long productId) {
        return euiBlocks.openEuiBlockFor(productId);
    }

    // ---- WorkOrderStore ---------------------------------------------------------------------------------

    @Override
    public WorkOrder createWorkOrder(String reference, long productId, int quantity) {
        return workOrders.createWorkOrder(reference, productId, quantity);
    }

    @Override
    public Optional<WorkOrder> workOrder(long id) {
        return workOrders.workOrder(id);
    }

    @Override
    public Optional<WorkOrder> workOrderByReference(String reference) {
        return workOrders.workOrderByReference(reference);
    }

    @Override
    public List<WorkOrder> workOrders() {
        return workOrders.workOrders();
    }

    @Override
    public WorkOrder setWorkOrderState(long id, WorkOrderState state) {
        return workOrders.setWorkOrderState(id, state);
    }

    @Override
    public WorkOrder updateWorkOrder(long id, UnaryOperator<WorkOrder> change) {
        return workOrders.updateWorkOrder(id, change);
    }

    @Override
    public WorkOrder closeWorkOrder(long id, String by, String reason) {
        return workOrders.closeWorkOrder(id, by, reason);
    }

    @Override
    public WorkOrder reopenWorkOrder(long id) {
        return workOrders.reopenWorkOrder(id);
    }

    @Override
    public OrderYield orderYield(long workOrderId) {
        return workOrders.orderYield(workOrderId);
    }

    @Override
    public void releaseWorkOrderSlot(long workOrderId) {
        workOrders.releaseWorkOrderSlot(workOrderId);
    }

    // ---- UnitStore --------------------------------------------------------------------------------------

    @Override
    public List<ReservationOutcome> reserveUnits(List<UnitReservation> requests) {
        return units.reserveUnits(requests);
    }

    @Override
    public Unit reserveUnit(UnitReservation request) {
        return units.reserveUnit(request);
    }

    @Override
    public Unit insertUnit(NewUnit u) {
        return units.insertUnit(u);
    }

    @Override
    public int removeSimulatedUnits(Collection<Eui64> devEuis) {
        return units.removeSimulatedUnits(devEuis);
    }

    @Override
    public Optional<Unit> unit(Eui64 devEui) {
        return units.unit(devEui);
    }

    @Override
    public Optional<Unit> unitBySerial(String serial) {
        return units.unitBySerial(serial);
    }

    @Override
    public List<Unit> units(UnitQuery q) {
        return units.units(q);
    }

    @Override
    public Map<UnitState, Long> unitCounts(Long workOrderId) {
        return units.unitCounts(workOrderId);
    }

    @Override
    public Unit updateUnit(Eui64 devEui, UnaryOperator<Unit> change) {
        return units.updateUnit(devEui, change);
    }

    @Override
    public Unit adoptSecureElementUnit(Eui64 devEui, io.lorafab.store.model.WorkOrder order, String stationId) {
        return units.adoptSecureElementUnit(devEui, order, stationId);
    }

    @Override
    public void setDeviceNetIds(Eui64 devEui, AllowedNetIds netIds) {
        units.setDeviceNetIds(devEui, netIds);
    }

    @Override
    public AllowedNetIds allowedNetIds(Eui64 devEui) {
        return units.allowedNetIds(devEui);
    }

    // ---- TestRunStore -----------------------------------------------------------------------------------

    @Override
    public TestRun appendTestRun(long unitId, String stationId, TestResult result, String reasonCode, String measurementsJson) {
        return testRuns.appendTestRun(unitId, stationId, result, reasonCode, measurementsJson);
    }

    @Override
    public List<TestRun> testRuns(long unitId) {
        return testRuns.testRuns(unitId);
    }

    // ---- AuditLog ---------------------------------------------------------------------------------------

    @Override
    public AuditEvent audit(String actor, String action, String subject, String details) {
        return audit.audit(actor, action, subject, details);
    }

    @Override
    public List<AuditEvent> auditLog(AuditQuery q) {
        return audit.auditLog(q);
    }

    // ---- TokenStore -------------------------------------------------------------------------------------

    @Override
    public ApiToken insertToken(String name, Role role, String tokenHash) {
        return tokens.insertToken(name, role, tokenHash);
    }

    @Override
    public Optional<ApiToken> tokenByHash(String tokenHash) {
        return tokens.tokenByHash(tokenHash);
    }

    @Override
    public Optional<ApiToken> token(long id) {
        return tokens.token(id);
    }

    @Override
    public List<ApiToken> tokens() {
        return tokens.tokens();
    }

    @Override
    public void revokeToken(long id) {
        tokens.revokeToken(id);
    }

    // ---- ConsoleSessionStore ----------------------------------------------------------------------------

    @Override
    public void insertConsoleSession(ConsoleSession session) {
        consoleSessions.insertConsoleSession(session);
    }

    @Override
    public Optional<ConsoleSession> consoleSession(String idHash) {
        return consoleSessions.consoleSession(idHash);
    }

    @Override
    public boolean touchConsoleSession(String idHash, Instant lastSeen) {
        return consoleSessions.touchConsoleSession(idHash, lastSeen);
    }

    @Override
    public boolean deleteConsoleSession(String idHash) {
        return consoleSessions.deleteConsoleSession(idHash);
    }

    @Override
    public int deleteConsoleSessionsOfToken(long tokenId) {
        return consoleSessions.deleteConsoleSessionsOfToken(tokenId);
    }

    @Override
    public int purgeConsoleSessions(Instant now, Instant idleBefore) {
        return consoleSessions.purgeConsoleSessions(now, idleBefore);
    }

    @Override
    public void insertSignInCode(SignInCode code) {
        consoleSessions.insertSignInCode(code);
    }

    @Override
    public Optional<SignInCode> signInCode(String codeHash) {
        return consoleSessions.signInCode(codeHash);
    }

    @Override
    public boolean useSignInCode(String codeHash, Instant at) {
        return consoleSessions.useSignInCode(codeHash, at);
    }

    // ---- KekStore ---------------------------------------------------------------------------------------

    @Override
    public void registerKek(String label, String checkValue) {
        keks.registerKek(label, checkValue);
    }

    @Override
    public Map<String, String> keks() {
        return keks.keks();
    }

    @Override
    public Set<String> kekLabelsInUse() {
        return keks.kekLabelsInUse();
    }

    // ---- WrappedKeyStore --------------------------------------------------------------------------------

    @Override
    public Map<String, Long> wrappedKeyCounts(WrappedKeySet.Kind kind) {
        return keks.wrappedKeyCounts(kind);
    }

    @Override
    public List<WrappedKeySet> wrappedKeysNotUnder(WrappedKeySet.Kind kind, String label, long afterId, int limit) {
        return keks.wrappedKeysNotUnder(kind, label, afterId, limit);
    }

    @Override
    public boolean replaceWrappedKeys(WrappedKeySet before, WrappedKeySet after) {
        return keks.replaceWrappedKeys(before, after);
    }

    // ---- ReportStore --------------------------------------------------------------------------------

    @Override
    public List<ReportStore.UnitRow> orderUnits(long workOrderId, ReportStore.UnitFilter filter, long afterId, int limit) {
        return reports.orderUnits(workOrderId, filter, afterId, limit);
    }

    @Override
    public long countOrderUnits(long workOrderId, ReportStore.UnitFilter filter) {
        return reports.countOrderUnits(workOrderId, filter);
    }

    @Override
    public List<ReportStore.ValueCount> joinMetric(long workOrderId, ReportStore.JoinMetric metric) {
        return reports.joinMetric(workOrderId, metric);
    }

    @Override
    public List<ReportStore.ValueCount> joinLatencyMs(long workOrderId, int resolutionMs) {
        return reports.joinLatencyMs(workOrderId, resolutionMs);
    }

    @Override
    public List<ReportStore.HourCounts> verdictsByHour(long workOrderId) {
        return reports.verdictsByHour(workOrderId);
    }

    @Override
    public List<ReportStore.StationRun> stationRuns(String stationId, int limit) {
        return reports.stationRuns(stationId, limit);
    }

    @Override
    public Map<TestResult, Long> stationRunCounts(String stationId, Instant since) {
        return reports.stationRunCounts(stationId, since);
    }

    @Override
    public long verdictsSince(Instant since) {
        return reports.verdictsSince(since);
    }

    @Override
    public List<ReportStore.StationLast> stationsActiveSince(Instant since) {
        return reports.stationsActiveSince(since);
    }

    @Override
    public io.lorafab.store.model.ChipIdentity recordChipIdentity(long unitId, io.lorafab.store.model.ChipIdentity identity) {
        return chipIdentities.recordChipIdentity(unitId, identity);
    }

    @Override
    public Optional<io.lorafab.store.model.ChipIdentity> chipIdentity(long unitId) {
        return chipIdentities.chipIdentity(unitId);
    }

    @Override
    public Map<Long, io.lorafab.store.model.ChipIdentity> chipIdentities(Long workOrderId) {
        return chipIdentities.chipIdentities(workOrderId);
    }

    @Override
    public Optional<Long> unitOfChip(Eui64 chipEui) {
        return chipIdentities.unitOfChip(chipEui);
    }
}
