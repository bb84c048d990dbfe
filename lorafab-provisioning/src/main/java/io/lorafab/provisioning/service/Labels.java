package io.lorafab.provisioning.service;

import io.lorafab.api.ErrorCode;
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
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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

    /** The label of {@code u}, whatever its state (for callers that have checked it, or a station's own unit). */
    public LabelData label(Unit u) {
        if (u.productId() == null) {
            throw new StoreException(ErrorCode.NO_PRODUCT, "unit " + u.devEui() + " has no product, so no TR005 ProfileID");
        }
        Product p = registry.product(u.productId()).orElseThrow();
        return new LabelData(u.devEui(), u.joinEui(), u.serial() == null ? "" : u.serial(), p.name(), tr005(u, p));
    }

    /**
     * Whether a label of a unit in state {@code s} may be printed only when asked for explicitly: a FAILED unit's
     * label on a board would pass it off as good, and a VOID unit's DevEUI must not reach a device again.
     */
    public static boolean needsExplicitRequest(UnitState s) {
        switch (s) {
            case FAILED:
            case VOID:
                return true;
            case RESERVED:
            case PROGRAMMED: // labels printed ahead of the test, as with pre-printed labels
            case PASSED:
                return false;
        }
        throw new IllegalStateException("unit state " + s);
    }

    /**
     * The label of one unit; a FAILED or VOID unit's only with {@code anyState} (code {@code unit_failed} or
     * {@code unit_void} otherwise).
     */
    public LabelData labelOf(Unit u, boolean anyState) {
        if (!anyState && needsExplicitRequest(u.state())) {
            throw new StoreException(u.state() == UnitState.VOID ? ErrorCode.UNIT_VOID : ErrorCode.UNIT_FAILED, "unit " + u.devEui() + " is "
                    + u.state() + ": its label is printed only when asked for explicitly");
        }
        return label(u);
    }

    /** A work order's label sheet and how many of its labels are of units that have not PASSED, by state. */
    public record Sheet(List<LabelData> labels, Map<UnitState, Integer> notPassed) {
        public Sheet {
            labels = List.copyOf(labels);
            notPassed = Collections.unmodifiableMap(new EnumMap<>(notPassed));
        }

        /** "2 FAILED, 1 VOID", or "" when every label is of a PASSED unit. */
        public String notPassedText() {
            StringBuilder sb = new StringBuilder();
            notPassed.forEach((s, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ').append(s));
            return sb.toString();
        }
    }

    /**
     * The labels of a work order's units in reservation order: the PASSED ones, or with {@code allStates} every
     * unit (also FAILED and VOID ones, counted in {@link Sheet#notPassed()} so that the caller can say so).
     */
    public Sheet forOrder(long workOrderId, boolean allStates) {
        List<LabelData> out = new ArrayList<>();
        Map<UnitState, Integer> notPassed = new EnumMap<>(UnitState.class);
        for (Unit u : registry.units(UnitQuery.ofWorkOrder(workOrderId))) {
            if (u.state() == UnitState.PASSED || allStates) {
                out.add(label(u));
                if (u.state() != UnitState.PASSED) {
                    notPassed.merge(u.state(), 1, Integer::sum);
                }
            }
        }
        if (out.isEmpty()) {
            throw new StoreException(ErrorCode.NOTHING_TO_PRINT, allStates ? "no units to label in this work order"
                    : "no PASSED units to label in this work order");
        }
        return new Sheet(out, notPassed);
    }
}
