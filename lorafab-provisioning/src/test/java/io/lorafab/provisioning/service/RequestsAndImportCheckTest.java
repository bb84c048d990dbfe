package io.lorafab.provisioning.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.api.ErrorCode;
import io.lorafab.api.model.CreateEuiBlockRequest;
import io.lorafab.api.model.CreateOrderRequest;
import io.lorafab.api.model.CreateProductRequest;
import io.lorafab.provisioning.io.ImportError;
import io.lorafab.provisioning.io.ImportException;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.UnitQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request records read by the services (one parsing rule for every adapter) and the import's dry run. */
class RequestsAndImportCheckTest {
    static final String KEY = "00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;
    ServiceFixture f;

    @BeforeEach
    void open() {
        f = new ServiceFixture(dir, Instant.parse("2026-06-01T07:00:00Z"));
    }

    @AfterEach
    void close() {
        f.close();
    }

    private static CreateProductRequest product(String name, String joinEui, String profileId, Integer vendorId) {
        return new CreateProductRequest(name, joinEui, "1.0.3", "EU868", profileId, vendorId, null, null, null, null, null, null);
    }

    @Test
    void aProductRequestIsReadByTheServiceAndABadEuiIsRefusedNamingItsField() {
        assertThatThrownBy(() -> f.products.create(product("p", "70b3d57ed00000zz", "0000ffff", null), "t"))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageStartingWith("field 'joinEui': EUI-64:");
        assertThatThrownBy(() -> f.products.create(product("p", "70b3d57ed0000001", null, 1), "t"))
                .hasMessage("missing field 'modelId'");
        assertThat(f.products.all()).isEmpty();
        assertThat(f.products.create(product("p", "70b3d57ed0000001", "0000ffff", null), "t").name()).isEqualTo("p");
    }

    @Test
    void blockAndOrderRequestsFindTheirProductByName() {
        f.products.create(product("p", "70b3d57ed0000001", "0000ffff", null), "t");
        assertThat(f.blocks.create(new CreateEuiBlockRequest("b", "p", "MA-L", "70b3d5", "70b3d57ed0001000", 10L), "t").size())
                .isEqualTo(10);
        assertThatThrownBy(() -> f.blocks.create(new CreateEuiBlockRequest("c", null, "MA-L", "70b3d5", "nope", null), "t"))
                .hasMessageStartingWith("field 'first': EUI-64:");
        assertThat(f.orders.create(new CreateOrderRequest("p", null, 5), "t").quantity()).isEqualTo(5);
        assertThatThrownBy(() -> f.orders.create(new CreateOrderRequest("q", null, 5), "t")).hasMessage("product 'q' not found");
    }

    @Test
    void theDryRunReportsEveryProblemOfTheFileAndItsClashesAndWritesNothing() {
        f.units.importRows(Provisioning.readImport(("dev_eui,join_eui,app_key\n0004a30b001c0530,70b3d57ed0000001," + KEY + "\n")
                .getBytes(StandardCharsets.UTF_8), null, null, null), null, "t");
        int audited = f.registry.auditLog(1000).size();
        byte[] csv = ("dev_eui,join_eui,app_key\n"
                + "0004a30b001c0530,70b3d57ed0000001," + KEY + "\n"       // 2: already registered
                + "0004a30b001c0531,zz," + KEY + "\n"                      // 3: JoinEUI
                + "0004a30b001c0532,70b3d57ed0000001," + KEY.substring(1) + "\n" // 4: key
                + "0004a30b001c0533,70b3d57ed0000001," + KEY + "\n").getBytes(StandardCharsets.UTF_8);
        var file = Provisioning.readImport(csv, null, null, null);
        assertThatThrownBy(() -> f.units.checkImport(file)).isInstanceOfSatisfying(ImportException.class, e -> {
            assertThat(e.errors()).extracting(ImportError::line).containsExactly(2, 3, 4);
            assertThat(e.errors()).extracting(ImportError::message).noneMatch(m -> m.contains(KEY.substring(1)));
        });
        assertThat(f.registry.units(new UnitQuery(null, null, null, null, 0, 100))).hasSize(1);
        assertThat(f.registry.auditLog(1000)).hasSize(audited);

        var good = Provisioning.readImport(("dev_eui,join_eui,app_key\n0004a30b001c0533,70b3d57ed0000001," + KEY + "\n")
                .getBytes(StandardCharsets.UTF_8), null, null, null);
        f.units.checkImport(good);
        assertThat(f.registry.units(new UnitQuery(null, null, null, null, 0, 100))).hasSize(1);
        assertThat(f.registry.auditLog(1000)).hasSize(audited);
    }
}
