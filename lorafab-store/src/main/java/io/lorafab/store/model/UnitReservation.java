package io.lorafab.store.model;

import io.lorafab.lorawan.types.Eui64;
import java.util.Objects;

/**
 * One station's request for a unit of {@code order} (of {@code product}), with its root keys already
 * wrapped: the DevEUI comes from the product's EUI blocks, or is {@code scanned} from a pre-printed label.
 * {@code actor} is who asked, for the audit record.
 */
public record UnitReservation(WorkOrder order, Product product, Eui64 scanned, String serial, WrappedKeys keys,
        String stationId, String actor) {

    public UnitReservation {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(actor, "actor");
        if (order.productId() != product.id()) {
            throw new IllegalArgumentException("work order " + order.reference() + " is not of product " + product.name());
        }
        serial = Names.optional(serial, "serial number");
    }

    /** True when the DevEUI comes from a label rather than from the product's EUI blocks. */
    public boolean isScanned() {
        return scanned != null;
    }
}
