package io.lorafab.provisioning.service;

import static io.lorafab.provisioning.service.ServiceFixture.ACTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.Product;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Products and EUI blocks: one audit naming (subject by id) and one description of a block, on a real registry. */
class ProductsAndBlocksTest {

    @TempDir
    Path dir;

    ServiceFixture f;

    @BeforeEach
    void open() {
        f = new ServiceFixture(dir, Instant.parse("2026-12-06T10:00:00Z"));
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aProductIsAuditedUnderItsIdWithItsDefinitionAndItsNetIdsInTheSameTransaction() {
        Product p = f.products.create(new io.lorafab.store.model.NewProduct("tracker", Eui64.parse("70b3d57ed0000002"),
                io.lorafab.lorawan.types.MacVersion.V1_0_3, io.lorafab.lorawan.region.Region.byName("EU868"), io.lorafab.lorawan.types.ProfileId.parse("12340002"),
                null, null, null, null), AllowedNetIds.parse("000013"), ACTOR);
        AuditEvent created = f.last("product.create");
        assertThat(created.subject()).isEqualTo("product:" + p.id());
        assertThat(created.details()).isEqualTo("name=tracker joinEui=70b3d57ed0000002 macVersion=1.0.3 region=EU868 "
                + "profileId=12340002 serialTemplate=" + p.serialTemplate());
        assertThat(f.last("product.net_ids").details()).isEqualTo("net_ids=000013");
        assertThat(f.products.netIds(p)).isEqualTo(AllowedNetIds.parse("000013"));
    }

    @Test
    void anUnknownProductIsNotFoundByItsQuotedName() {
        assertThatThrownBy(() -> f.products.byName("nope ")).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.getMessage()).isEqualTo("product 'nope' not found"));
    }

    @Test
    void aBlockWithAFirstEuiAndNoSizeRunsToTheEndOfItsPrefixesSpace() {
        NewEuiBlock b = EuiBlocks.describe("b", Assignment.MA_S, "70b3d57ed", Eui64.parse("70b3d57ed0010000"), null);
        assertThat(b.first()).isEqualTo(Eui64.parse("70b3d57ed0010000"));
        assertThat(b.size()).isEqualTo(0x10000000L - 0x10000L);
        NewEuiBlock whole = EuiBlocks.describe("w", Assignment.MA_S, "70b3d57ee", null, null);
        assertThat(whole.size()).isEqualTo(0x10000000L);
        assertThat(EuiBlocks.describe("n", Assignment.MA_S, "70b3d57ef", null, 10L).size()).isEqualTo(10);
    }

    @Test
    void aBlockSizeGivenMustBePositive() {
        for (long size : new long[] {0, -1}) {
            assertThatThrownBy(() -> EuiBlocks.describe("b", Assignment.MA_S, "70b3d57ed", null, size))
                    .isInstanceOf(LorawanFormatException.class).hasMessage("EUI block: size must be positive");
        }
    }

    @Test
    void aBlockIsAuditedUnderItsIdAndBelongsToTheProductGiven() {
        Product sensor = f.sensor();
        EuiBlock b = f.blocks.create(EuiBlocks.describe("b1", Assignment.MA_S, "70b3d57ed", Eui64.parse("70b3d57ed0010000"), 100L),
                sensor, ACTOR);
        assertThat(b.productId()).isEqualTo(sensor.id());
        AuditEvent e = f.last("eui_block.create");
        assertThat(e.subject()).isEqualTo("eui_block:" + b.id());
        assertThat(e.details()).isEqualTo("name=b1 assignment=MA-S prefix=70b3d57ed first=70b3d57ed0010000 size=100 product=sensor");
    }

    @Test
    void aBlockHoldingAProductsJoinEuiNamesThatProduct() {
        Product sensor = f.sensor(); // JoinEUI 70b3d57ed0000001
        EuiBlock holding = f.blocks.create(EuiBlocks.describe("low", Assignment.MA_S, "70b3d57ed", null, 16L), null, ACTOR);
        EuiBlock clear = f.blocks.create(EuiBlocks.describe("high", Assignment.MA_S, "70b3d57ed", Eui64.parse("70b3d57ed0010000"),
                16L), null, ACTOR);
        assertThat(f.blocks.productsWithJoinEuiInside(holding)).extracting(Product::name).containsExactly(sensor.name());
        assertThat(f.blocks.productsWithJoinEuiInside(clear)).isEmpty();
    }
}
