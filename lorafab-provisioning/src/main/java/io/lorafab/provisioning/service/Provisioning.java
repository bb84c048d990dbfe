package io.lorafab.provisioning.service;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.provisioning.io.DeviceCsvImport;
import io.lorafab.provisioning.io.ImportError;
import io.lorafab.provisioning.io.ImportException;
import io.lorafab.provisioning.io.ImportFile;
import io.lorafab.provisioning.io.ImportProblems;
import io.lorafab.provisioning.io.ImportedRow;
import io.lorafab.provisioning.io.ImportedDevice;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitReservation;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.model.WorkOrderState;
import io.lorafab.store.model.WrappedKeys;
import io.lorafab.store.vault.KeyVault;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The factory-side operations on units: reserve an identity with fresh keys, record programming and test
 * results, void, add and import devices. Every change is committed, with its audit record, before the call
 * returns; keys leave only after the unit holding them is durable.
 */
public final class Provisioning {

    private final Registry registry;
    private final KeyVault vault;
    private final SecureRandom random;
    private final Function<String, ScannedLabel> labelParser;

    /**
     * @param labelParser reads what a scanner typed (a DevEUI or a TR005 string) into a {@link ScannedLabel}
     */
    public Provisioning(Registry registry, KeyVault vault, SecureRandom random, Function<String, ScannedLabel> labelParser) {
        this.registry = registry;
        this.vault = vault;
        this.random = random;
        this.labelParser = labelParser;
    }


    public Registry registry() {
        return registry;
    }

    public KeyVault vault() {
        return vault;
    }

    /** The identity read from a pre-printed label; JoinEUI and ProfileID are present when it was a TR005 code. */
    public record ScannedLabel(Eui64 devEui, Eui64 joinEui, io.lorafab.lorawan.types.ProfileId profileId, String serial) {
    }

    /** A scanned DevEUI in plain hex (the parser for labels without TR005). */
    public static ScannedLabel plainDevEui(String text) {
        return new ScannedLabel(Eui64.parse(text.strip()), null, null, null);
    }

    public AesKey newKey() {
        byte[] k = new byte[AesKey.SIZE];
        random.nextBytes(k);
        return AesKey.of(k);
    }

    /**
     * Allocates (or validates a scanned) DevEUI for the work order, generates the root keys with the CSPRNG
     * and commits the unit as RESERVED with its keys wrapped, then returns the keys. A label scanned again
     * for a unit of the same order that has not passed yet returns that unit and its keys (resume).
     */
    public Reservation reserve(ReserveRequest req, String actor) {
        WorkOrder order = registry.workOrderByReference(req.workOrder())
                .orElseThrow(() -> StoreException.notFound("work order " + req.workOrder()));
        if (order.state() != WorkOrderState.OPEN) {
            throw new StoreException("work_order_closed", "work order " + order.reference() + " is " + order.state());
        }
        Product product = registry.product(order.productId()).orElseThrow();
        ScannedLabel label = req.scanned() == null || req.scanned().isBlank() ? null : labelParser.apply(req.scanned());
        if (label != null) {
            checkLabel(label, product);
            Optional<Unit> existing = registry.unit(label.devEui());
            if (existing.isPresent()) {
                return resume(existing.get(), order, req, actor);
            }
        }
        String serial = req.serial() != null ? req.serial() : label != null ? label.serial() : null;
        AesKey appKey = newKey();
        AesKey nwkKey = product.macVersion().is11() ? newKey() : null;
        WrappedKeys wrapped = vault.wrap(appKey, nwkKey);
        // group-committed with concurrent reservations; returns (and the keys leave) only once committed
        Unit unit = registry.reserveUnit(new UnitReservation(order, product, label == null ? null : label.devEui(), serial,
                wrapped, req.stationId(), actor));
        return new Reservation(unit, appKey, nwkKey, false);
    }

    private Reservation resume(Unit u, WorkOrder order, ReserveRequest req, String actor) {
        if (u.workOrderId() == null || u.workOrderId() != order.id()) {
            throw new StoreException("duplicate", "DevEUI " + u.devEui() + " already belongs to another work order or device");
        }
        if (u.state() == UnitState.PASSED || u.state() == UnitState.VOID) {
            throw new StoreException("unit_" + u.state().name().toLowerCase(), "unit " + u.devEui() + " is " + u.state()
                    + "; its DevEUI cannot be reserved again");
        }
        registry.audit(actor, "unit.resume", u.devEui().toString(), "order=" + order.reference() + " station=" + req.stationId());
        return new Reservation(u, vault.unwrapAppKey(u.keys()), vault.unwrapNwkKey(u.keys()), true);
    }

    private void checkLabel(ScannedLabel label, Product product) {
        if (label.devEui().isAllZero() || label.devEui().isAllOnes()) {
            throw new LorawanFormatException("scanned DevEUI " + label.devEui() + " is reserved (all zeros or all ones)");
        }
        if (label.joinEui() != null && !label.joinEui().equals(product.joinEui())) {
            throw new StoreException("label_mismatch", "label JoinEUI " + label.joinEui() + " is not product "
                    + product.name() + "'s " + product.joinEui());
        }
        if (label.profileId() != null && !label.profileId().equals(product.profileId())) {
            throw new StoreException("label_mismatch", "label ProfileID " + label.profileId() + " is not product "
                    + product.name() + "'s " + product.profileId());
        }
        List<EuiBlock> blocks = registry.euiBlocks().stream()
                .filter(b -> b.productId() == null || b.productId() == product.id()).toList();
        boolean inRange = blocks.stream().anyMatch(b -> b.first().compareTo(label.devEui()) <= 0 && label.devEui().compareTo(b.last()) <= 0);
        if (!inRange) {
            throw new StoreException("eui_out_of_range", "scanned DevEUI " + label.devEui()
                    + " is outside every EUI block allowed for product " + product.name());
        }
    }

    /** RESERVED (or FAILED) → PROGRAMMED after the station has written and read back the identity. */
    public Unit markProgrammed(Eui64 devEui, String stationId, String actor) {
        return transition(devEui, UnitState.PROGRAMMED, stationId, actor, "unit.programmed", null);
    }

    /** Records a test run and moves the unit to PASSED or FAILED. */
    public Unit finish(Eui64 devEui, TestResult result, String reasonCode, String measurementsJson, String stationId, String actor) {
        if (result == TestResult.FAILED && (reasonCode == null || !reasonCode.matches("[a-z][a-z0-9_]{0,63}"))) {
            throw new LorawanFormatException("a failed test needs a snake_case reason code");
        }
        UnitState target = result == TestResult.PASSED ? UnitState.PASSED : UnitState.FAILED;
        return registry.transaction(r -> {
            Unit u = transition(devEui, target, stationId, actor, "unit.finish", "result=" + result
                    + (reasonCode == null ? "" : " reason=" + reasonCode));
            r.appendTestRun(u.id(), stationId, result, reasonCode, measurementsJson);
            return u;
        });
    }

    /** Voids a unit (scrapped, or abandoned after a station crash); its DevEUI is never reused. */
    public Unit voidUnit(Eui64 devEui, String reason, String actor) {
        return registry.transaction(r -> {
            Unit u = transition(devEui, UnitState.VOID, null, actor, "unit.void", reason == null ? null : "reason=" + reason);
            if (u.workOrderId() != null) {
                r.releaseWorkOrderSlot(u.workOrderId());
            }
            return u;
        });
    }

    private Unit transition(Eui64 devEui, UnitState target, String stationId, String actor, String action, String details) {
        return registry.transaction(r -> {
            Unit u = r.updateUnit(devEui, cur -> {
                if (!cur.state().canMoveTo(target)) {
                    throw new StoreException("illegal_transition", "unit " + devEui + " is " + cur.state()
                            + " and cannot become " + target);
                }
                return cur.withState(target, stationId, null);
            });
            r.audit(actor, action, devEui.toString(), details);
            return u;
        });
    }

    /** Adds one device with known keys (made elsewhere), as PROGRAMMED, optionally under a product. */
    public Unit addDevice(DeviceIdentity d, Long productId, String actor) {
        return importDevices(List.of(d), productId, UnitOrigin.ADDED, actor).get(0);
    }

    /** Imports devices all-or-nothing: one transaction; any duplicate rolls back the whole file. */
    public List<Unit> importDevices(List<DeviceIdentity> devices, Long productId, UnitOrigin origin, String actor) {
        return registry.transaction(r -> {
            for (DeviceIdentity d : devices) {
                if (r.unit(d.devEui()).isPresent()) {
                    throw new StoreException("duplicate", "DevEUI " + d.devEui() + " is already registered");
                }
            }
            return insertAll(r, devices, productId, origin, actor);
        });
    }

    /**
     * Imports a file all-or-nothing, in one transaction. The file's own problems and its clashes with the registry
     * (a DevEUI or a serial already registered, checked for every row whose cell could be read, also a row with other
     * problems) are reported together, by line, with the count of rejected rows. Then nothing of the file is committed.
     *
     * @throws ImportException listing the problems (the first {@link DeviceCsvImport#MAX_ERRORS} in line order)
     */
    public List<Unit> importRows(ImportFile file, Long productId, String actor) {
        return registry.transaction(r -> {
            ImportProblems problems = file.problems();
            for (ImportedRow row : file.rows()) {
                if (row.devEui() != null && r.unit(row.devEui()).isPresent()) {
                    problems.row(row.line(), "dev_eui", row.devEui() + " already registered");
                }
                if (row.serial() != null && r.unitBySerial(row.serial()).isPresent()) {
                    problems.row(row.line(), "serial", DeviceCsvImport.shown(row.serial()) + " already registered");
                }
            }
            problems.throwIfAny();
            return insertAll(r, file.devices().stream().map(ImportedDevice::device).toList(), productId, UnitOrigin.IMPORTED, actor);
        });
    }

    private List<Unit> insertAll(Registry r, List<DeviceIdentity> devices, Long productId, UnitOrigin origin, String actor) {
        List<Unit> out = new java.util.ArrayList<>();
        for (DeviceIdentity d : devices) {
            out.add(r.insertUnit(new NewUnit(d.devEui(), d.joinEui(), productId, null, d.serialNumber(), d.name(),
                    d.macVersion(), d.region(), vault.wrap(d.appKey(), d.nwkKey()), UnitState.PROGRAMMED, origin, null)));
        }
        r.audit(actor, origin == UnitOrigin.IMPORTED ? "devices.import" : "devices.add",
                devices.size() == 1 ? devices.get(0).devEui().toString() : devices.size() + " devices", null);
        return out;
    }

    /** The unit's identity with its keys unwrapped, for programming and export. */
    public DeviceIdentity identity(Unit u) {
        return new DeviceIdentity(u.devEui(), u.joinEui(), vault.unwrapAppKey(u.keys()), vault.unwrapNwkKey(u.keys()),
                u.macVersion(), u.region(), u.serial(), u.name());
    }
}
