package io.lorafab.provisioning.service;

import io.lorafab.provisioning.label.LabelData;
import io.lorafab.provisioning.qr.Tr005;
import io.lorafab.provisioning.qr.Tr005Code;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitState;
import java.util.ArrayList;
import java.util.List;

/** The printable label of a unit: TR005 QR (JoinEUI, DevEUI, ProfileID, serial, checksum), DevEUI, serial, product. */
public final class Labels {
    private final Registry registry;

    public Labels(Registry registry) {
        this.registry = registry;
    }

    /** The TR005 string of a unit of {@code product} (with checksum). */
    public static String tr005(Unit u, Product product) {
        Tr005Code code = Tr005Code.of(u.joinEui(), u.devEui(), product.profileId());
        if (u.serial() != null) {
            code = code.withSerialNumber(u.serial());
        }
        return Tr005.format(code, true);
    }

    public LabelData label(Unit u) {
        if (u.productId() == null) {
            throw new StoreException("no_product", "unit " + u.devEui() + " has no product, so no TR005 ProfileID");
        }
        Product p = registry.product(u.productId()).orElseThrow();
        return new LabelData(u.devEui(), u.joinEui(), u.serial() == null ? "" : u.serial(), p.name(), tr005(u, p));
    }

    /** Labels of a work order's units, optionally only PASSED ones, in reservation order. */
    public List<LabelData> forOrder(long workOrderId, boolean passedOnly) {
        List<LabelData> out = new ArrayList<>();
        for (Unit u : registry.units(UnitQuery.ofWorkOrder(workOrderId))) {
            if (u.state() != UnitState.VOID && (!passedOnly || u.state() == UnitState.PASSED)) {
                out.add(label(u));
            }
        }
        if (out.isEmpty()) {
            throw new StoreException("nothing_to_print", "no units to label in this work order");
        }
        return out;
    }
}
