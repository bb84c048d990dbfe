package io.lorafab.provisioning.service;

import io.lorafab.api.ErrorCode;
import io.lorafab.provisioning.io.DeviceExportFormat;
import io.lorafab.provisioning.io.ExportOptions;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitState;
import java.util.ArrayList;
import java.util.List;

/**
 * Exports devices with their keys for a network server (The Things Stack, ChirpStack) or lorafab itself.
 * Revealing keys is an administrator's act: every export is audited with its format, scope, count and
 * whether keys left in the clear or wrapped under a named KEK.
 */
public final class DeviceExports {

    private final Provisioning provisioning;

    public DeviceExports(Provisioning provisioning) {
        this.provisioning = provisioning;
    }

    /**
     * @param workOrderId only this order's units, or null for all
     * @param allStates false: only units ready for the field (PROGRAMMED or PASSED); true: all but VOID
     */
    public byte[] export(DeviceExportFormat format, ExportOptions options, Long workOrderId, boolean allStates, String actor) {
        Registry registry = provisioning.registry();
        List<DeviceIdentity> devices = new ArrayList<>();
        for (Unit u : candidates(workOrderId, allStates)) {
            devices.add(provisioning.identity(u));
        }
        if (devices.isEmpty()) {
            throw new StoreException(ErrorCode.NOTHING_TO_EXPORT, "no devices to export"
                    + (allStates ? "" : " (only PROGRAMMED and PASSED units are exported unless all states are asked for)"));
        }
        byte[] out = format.export(devices, options);
        registry.audit(actor, "keys.export", workOrderId == null ? "all" : "order:" + workOrderId,
                "format=" + format.id() + " devices=" + devices.size() + " keys="
                        + options.wrapKek().map(k -> "wrapped:" + k.label()).orElse("clear"));
        return out;
    }

    /**
     * How many devices {@link #export} would write now with these arguments, keys unread: what a person confirms
     * before the keys leave.
     */
    public int count(Long workOrderId, boolean allStates) {
        return candidates(workOrderId, allStates).size();
    }

    private List<Unit> candidates(Long workOrderId, boolean allStates) {
        List<Unit> out = new ArrayList<>();
        for (Unit u : provisioning.registry().units(new UnitQuery(workOrderId, null, null, null, 0, Integer.MAX_VALUE))) {
            boolean ready = u.state() == UnitState.PASSED || u.state() == UnitState.PROGRAMMED;
            if (u.state() != UnitState.VOID && (allStates || ready)) {
                out.add(u);
            }
        }
        return out;
    }
}
