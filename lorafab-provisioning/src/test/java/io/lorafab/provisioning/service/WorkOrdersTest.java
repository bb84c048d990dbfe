package io.lorafab.provisioning.service;

import static io.lorafab.provisioning.service.ServiceFixture.ACTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.WorkOrder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The work-order service's rules, on a real SQLite registry: one reference scheme, one audit naming. */
class WorkOrdersTest {

    @TempDir
    Path dir;

    ServiceFixture f;
    Product sensor;

    @BeforeEach
    void open() {
        f = new ServiceFixture(dir, Instant.parse("2026-12-06T23:59:30Z"));
        sensor = f.sensor();
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void anOrderWithoutAReferenceIsNamedAfterTheClocksUtcDayAndTheNextFreeNumberOfThatDay() {
        assertThat(f.orders.create(null, sensor, 5, ACTOR).reference()).isEqualTo("WO-20261206-1");
        f.orders.create("WO-20261206-7", sensor, 5, ACTOR); // a reference given by hand counts for the day too
        f.orders.create("WO-20261206-x", sensor, 5, ACTOR); // not of the scheme: ignored
        assertThat(f.orders.create(null, sensor, 5, ACTOR).reference()).isEqualTo("WO-20261206-8");
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(f.orders.create(null, sensor, 5, ACTOR).reference()).isEqualTo("WO-20261207-1");
    }

    @Test
    void aGeneratedReferenceTakenByAnotherProcessMeanwhileIsReplacedByTheNextOne() {
        f.orders.create(null, sensor, 1, ACTOR); // WO-20261206-1, which the stale read below does not see
        AtomicInteger staleReads = new AtomicInteger();
        WorkOrders racing = new WorkOrders(staleFirstRead(f.registry, staleReads), f.clock);
        WorkOrder o = racing.create(null, sensor, 3, ACTOR);
        assertThat(staleReads).hasValue(1);
        assertThat(o.reference()).isEqualTo("WO-20261206-2");
        assertThat(f.registry.workOrders()).extracting(WorkOrder::reference).containsExactly("WO-20261206-1", "WO-20261206-2");
        assertThat(f.registry.auditLog(100)).filteredOn(e -> e.action().equals("work_order.create")).hasSize(2);
    }

    @Test
    void aReferenceGivenIsCheckedAndATakenOneIsRefusedNotReplaced() {
        assertThat(f.orders.create("WO-1", sensor, 1, ACTOR).reference()).isEqualTo("WO-1");
        assertThatThrownBy(() -> f.orders.create("WO-1", sensor, 1, ACTOR)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.code().code()).isEqualTo("duplicate"));
        assertThatThrownBy(() -> f.orders.create("../WO-2", sensor, 1, ACTOR)).isInstanceOf(LorawanFormatException.class)
                .hasMessageStartingWith("work order reference: expected");
        assertThatThrownBy(() -> f.orders.create("", sensor, 1, ACTOR)).hasMessage("work order reference: missing");
        assertThat(f.registry.workOrders()).hasSize(1);
    }

    @Test
    void anOrderHasAtLeastOneUnit() {
        assertThatThrownBy(() -> f.orders.create(null, sensor, 0, ACTOR)).isInstanceOf(LorawanFormatException.class)
                .hasMessage("quantity: must be positive");
        assertThat(WorkOrders.validQuantity(1)).isTrue();
        assertThat(WorkOrders.validQuantity(0)).isFalse();
        assertThat(f.registry.workOrders()).isEmpty();
    }

    @Test
    void creatingClosingAndReopeningAreAuditedUnderTheOrdersReference() {
        WorkOrder o = f.orders.create(null, sensor, 5, ACTOR);
        AuditEvent created = f.last("work_order.create");
        assertThat(created.subject()).isEqualTo("work_order:WO-20261206-1");
        assertThat(created.details()).isEqualTo("product=sensor quantity=5");
        assertThat(created.actor()).isEqualTo(ACTOR);
        f.orders.close(o, "batch done", ACTOR);
        assertThat(f.last("work_order.close").subject()).isEqualTo("work_order:WO-20261206-1");
        assertThat(f.last("work_order.close").details()).isEqualTo("reason=batch done");
        f.orders.reopen(f.orders.byReference("WO-20261206-1"), ACTOR);
        assertThat(f.last("work_order.reopen").subject()).isEqualTo("work_order:WO-20261206-1");
    }

    @Test
    void anUnknownReferenceIsNotFoundByItsQuotedName() {
        assertThatThrownBy(() -> f.orders.byReference(" WO-404 ")).isInstanceOfSatisfying(StoreException.class, e -> {
            assertThat(e.code().code()).isEqualTo("not_found");
            assertThat(e.getMessage()).isEqualTo("work order 'WO-404' not found");
        });
    }

    /** The registry, except that its first list of work orders is the one before the latest order was made. */
    private static Registry staleFirstRead(Registry real, AtomicInteger staleReads) {
        return (Registry) Proxy.newProxyInstance(Registry.class.getClassLoader(), new Class<?>[] {Registry.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("workOrders") && method.getParameterCount() == 0 && staleReads.get() == 0) {
                        staleReads.incrementAndGet();
                        List<WorkOrder> all = real.workOrders();
                        return all.subList(0, all.size() - 1);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
