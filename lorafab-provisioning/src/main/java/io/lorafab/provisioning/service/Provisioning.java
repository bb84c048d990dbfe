package io.lorafab.provisioning.service;

import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.io.DeviceCsvImport;
import io.lorafab.provisioning.io.ImportException;
import io.lorafab.provisioning.io.ImportFile;
import io.lorafab.provisioning.io.ImportProblems;
import io.lorafab.provisioning.io.ImportedRow;
import io.lorafab.provisioning.io.ImportedDevice;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.provisioning.model.Identifiers;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.Names;
import io.lorafab.lorawan.region.Region;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitReservation;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.model.WrappedKeys;
import io.lorafab.store.vault.KeyVault;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
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
    private final MeterRegistry meters;
    private final Counter reserved;
    private final Counter resumed;
    private final LineEvents lineEvents;

    /**
     * @param labelParser reads what a scanner typed (a DevEUI or a TR005 string) into a {@link ScannedLabel}
     */
    public Provisioning(Registry registry, KeyVault vault, SecureRandom random, Function<String, ScannedLabel> labelParser) {
        this(registry, vault, random, labelParser, new CompositeMeterRegistry());
    }

    /**
     * @param meters where reservations are counted: {@code lorafab_reservations_total{result="reserved"|"resumed"|"refused", code}},
     *        {@code reserved} being the units newly reserved
     */
    public Provisioning(Registry registry, KeyVault vault, SecureRandom random, Function<String, ScannedLabel> labelParser,
            MeterRegistry meters) {
        this(registry, vault, random, labelParser, meters, new LineEvents());
    }

    /** @param lineEvents told the station of every unit whose change this service has committed (live station screens) */
    public Provisioning(Registry registry, KeyVault vault, SecureRandom random, Function<String, ScannedLabel> labelParser,
            MeterRegistry meters, LineEvents lineEvents) {
        this.lineEvents = lineEvents;
        this.meters = meters;
        this.reserved = reservations("reserved", "none");
        this.resumed = reservations("resumed", "none");
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

    /** The unit with this DevEUI; {@code not_found} otherwise. */
    public Unit unit(Eui64 devEui) {
        return registry.unit(devEui).orElseThrow(() -> StoreException.notFound("unit " + devEui));
    }

    /** A page of units matching {@code query}, in reservation order. */
    public List<Unit> units(io.lorafab.store.model.UnitQuery query) {
        return registry.units(query);
    }

    /** A unit's test runs, oldest first. */
    public List<io.lorafab.store.model.TestRun> testRuns(Unit u) {
        return registry.testRuns(u.id());
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
        Reservation r;
        try {
            r = reserveOrResume(req, actor);
        } catch (StoreException e) {
            reservations("refused", e.code().code()).increment();
            throw e;
        } catch (LorawanFormatException e) {
            // a scanned label that does not read
            reservations("refused", ErrorCode.INVALID_INPUT.code()).increment();
            throw e;
        }
        (r.resumed() ? resumed : reserved).increment();
        return changed(r.unit(), r);
    }

    private Counter reservations(String result, String code) {
        return Counter.builder("lorafab.reservations").description("Reservations asked of the server, by outcome and refusal code")
                .tag("result", result).tag("code", code).register(meters);
    }

    private Reservation reserveOrResume(ReserveRequest req, String actor) {
        WorkOrder order = registry.workOrderByReference(req.workOrder())
                .orElseThrow(() -> StoreException.notFound("work order " + req.workOrder()));
        // checked again under the order's lock when the unit is inserted; here it spares the keys' generation
        if (!order.isOpen()) {
            throw order.notOpen();
        }
        Product product = registry.product(order.productId()).orElseThrow();
        ScannedLabel label = req.scanned() == null || req.scanned().isBlank() ? null : labelParser.apply(req.scanned());
        if (label != null) {
            Optional<Unit> onElement = registry.unit(label.devEui()).filter(Unit::keysHeldBySecureElement);
            if (onElement.isPresent()) {
                // identity and keys came with the part (its manifest): outside the maker's EUI blocks, nothing to generate
                return secureElementReservation(onElement.get(), order, product, req, actor);
            }
            checkLabel(label, product);
            Optional<Unit> existing = registry.unit(label.devEui());
            if (existing.isPresent()) {
                return resume(existing.get(), order, req, actor);
            }
        }
        String serial = Identifiers.serial(req.serial() != null ? req.serial() : label != null ? label.serial() : null);
        AesKey appKey = newKey();
        AesKey nwkKey = product.macVersion().is11() ? newKey() : null;
        WrappedKeys wrapped = vault.wrap(appKey, nwkKey);
        // group-committed with concurrent reservations; returns (and the keys leave) only once committed
        Unit unit = registry.reserveUnit(new UnitReservation(order, product, label == null ? null : label.devEui(), serial,
                wrapped, req.stationId(), actor));
        return new Reservation(unit, appKey, nwkKey, false, product, order.reference());
    }

    /**
     * A scanned label of a unit that exists already. Only the station that reserved (or last programmed) the unit
     * gets its keys again: that is the crash-resume of a station's own unfinished unit. A unit of another station
     * needs an engineer's {@link #reassign}; a FAILED unit is programmed again only through {@link #retest}, which
     * is audited as such; PASSED and VOID units never hand out their keys again.
     */
    private Reservation resume(Unit u, WorkOrder order, ReserveRequest req, String actor) {
        if (u.workOrderId() == null || u.workOrderId() != order.id()) {
            throw new StoreException(ErrorCode.DUPLICATE, "DevEUI " + u.devEui() + " already belongs to another work order or device");
        }
        // a switch expression, so that a new state does not compile until it is decided here
        boolean ownUnfinished = switch (u.state()) {
            case RESERVED, PROGRAMMED -> java.util.Objects.equals(u.stationId(), req.stationId());
            case FAILED -> throw new StoreException(ErrorCode.RETEST_REQUIRED, "unit " + u.devEui() + " FAILED its test; to program it "
                    + "again, re-test it (POST /api/units/" + u.devEui() + "/retest with the station and a reason)");
            case PASSED, VOID -> throw new StoreException(u.state() == UnitState.PASSED ? ErrorCode.UNIT_PASSED : ErrorCode.UNIT_VOID, "unit "
                    + u.devEui() + " is " + u.state() + "; its DevEUI cannot be reserved again");
        };
        if (!ownUnfinished) {
            throw otherStation(u);
        }
        registry.audit(actor, "unit.resume", u.devEui().toString(), "order=" + order.reference() + " station=" + req.stationId());
        return reservation(u);
    }

    /**
     * A resumed or re-tested unit with its keys for the station; a unit whose secure element holds them comes without
     * (the station programs nothing and checks the identity the part reports).
     */
    private Reservation reservation(Unit u) {
        if (u.keysHeldBySecureElement()) {
            return new Reservation(u, null, null, true);
        }
        return new Reservation(u, vault.unwrapAppKey(u.keys()), vault.unwrapNwkKey(u.keys()), true);
    }

    /**
     * The scanned label of a unit imported from a secure-element manifest: on its first scan it joins the work order
     * (of that product, or of none) at this station, RESERVED, without keys; scanned again it is resumed like any unit.
     * Audited {@code unit.reserve} with {@code secure_element=<id>}.
     */
    private Reservation secureElementReservation(Unit u, WorkOrder order, Product product, ReserveRequest req, String actor) {
        if (u.workOrderId() != null) {
            return resume(u, order, req, actor);
        }
        if (u.productId() != null && u.productId() != product.id()) {
            throw new StoreException(ErrorCode.LABEL_MISMATCH, "unit " + u.devEui() + " was imported as another product's, not "
                    + product.name() + "'s");
        }
        if (u.state() != UnitState.PROGRAMMED) {
            throw new StoreException(u.state() == UnitState.VOID ? ErrorCode.UNIT_VOID : ErrorCode.ILLEGAL_TRANSITION, "unit "
                    + u.devEui() + " is " + u.state() + " and is not taken into a work order");
        }
        return registry.transaction(r -> {
            Unit adopted = r.adoptSecureElementUnit(u.devEui(), order, req.stationId());
            r.audit(actor, "unit.reserve", u.devEui().toString(), "order=" + order.reference() + " station=" + req.stationId()
                    + " secure_element=" + u.secureElement().elementId());
            return new Reservation(adopted, null, null, false);
        });
    }

    /** The refusal of every act that needs a key of a unit whose secure element holds them. */
    public static StoreException keysOnSecureElement(Unit u) {
        return new StoreException(ErrorCode.KEYS_ON_SECURE_ELEMENT, "unit " + u.devEui() + ": its keys are held by its secure "
                + "element (" + u.secureElement().elementId() + "); lorafab has none to hand out, and its joins are served by "
                + u.secureElement().joinServer());
    }

    /** A unit in another station's hands: the refusal names that station, never the keys. */
    private static StoreException otherStation(Unit u) {
        return new StoreException(ErrorCode.RESERVED_BY_OTHER_STATION, "unit " + u.devEui() + " is " + u.state() + " at station "
                + (u.stationId() == null ? "(none named)" : u.stationId()) + "; only that station resumes it, or an engineer "
                + "re-assigns it (lorafab devices reassign " + u.devEui() + " --station-id ...)");
    }

    /**
     * An engineer hands an unfinished (RESERVED or PROGRAMMED) unit to another station, e.g. when its fixture broke:
     * afterwards only {@code stationId} resumes it. Audited {@code unit.reassign} with both stations.
     */
    public Unit reassign(Eui64 devEui, String stationId, String actor) {
        String to = Names.require(stationId, "station id");
        return registry.transaction(r -> {
            String[] from = new String[1];
            Unit u = r.updateUnit(devEui, cur -> switch (cur.state()) {
                    case RESERVED, PROGRAMMED -> {
                        from[0] = cur.stationId();
                        yield cur.withState(cur.state(), to, null);
                    }
                    case FAILED -> throw new StoreException(ErrorCode.RETEST_REQUIRED, "unit " + devEui
                            + " FAILED its test: a station takes it over by re-testing it, not by re-assignment");
                    case PASSED, VOID -> throw new StoreException(cur.state() == UnitState.PASSED ? ErrorCode.UNIT_PASSED : ErrorCode.UNIT_VOID,
                            "unit " + devEui + " is " + cur.state() + " and is not re-assigned");
            });
            r.audit(actor, "unit.reassign", devEui.toString(), "from=" + from[0] + " to=" + to);
            lineEvents.stationChanged(from[0]); // the old station's screen loses the unit (fired early: harmless, it re-reads)
            return u;
        });
    }

    /**
     * A FAILED unit back on a station's fixture to be programmed and tested again (the operator re-seated the
     * antenna, swapped a cable): hands out its keys to {@code stationId}, which from now on holds the unit, and
     * audits {@code unit.retest} with the reason. Only FAILED units: an unfinished one is resumed by its own
     * station, a PASSED or VOID one never gets its keys out again.
     */
    public Reservation retest(Eui64 devEui, String stationId, String reason, String actor) {
        String station = Names.require(stationId, "station id");
        String why = Names.require(reason, "re-test reason");
        Reservation done = registry.transaction(r -> {
            String[] from = new String[1];
            Unit u = r.updateUnit(devEui, cur -> switch (cur.state()) {
                    case FAILED -> {
                        from[0] = cur.stationId();
                        yield cur.withState(UnitState.FAILED, station, null);
                    }
                    case RESERVED, PROGRAMMED -> throw new StoreException(ErrorCode.ILLEGAL_TRANSITION, "unit " + devEui + " is "
                            + cur.state() + ", not FAILED: only a failed unit is re-tested (its own station resumes an unfinished one)");
                    case PASSED, VOID -> throw new StoreException(cur.state() == UnitState.PASSED ? ErrorCode.UNIT_PASSED : ErrorCode.UNIT_VOID,
                            "unit " + devEui + " is " + cur.state() + "; its keys are not handed out again");
            });
            r.audit(actor, "unit.retest", devEui.toString(), "station=" + station + " previous_station=" + from[0] + " reason=" + why);
            return reservation(u);
        });
        return changed(done.unit(), done);
    }

    private void checkLabel(ScannedLabel label, Product product) {
        if (label.devEui().isAllZero() || label.devEui().isAllOnes()) {
            throw new LorawanFormatException("scanned DevEUI " + label.devEui() + " is reserved (all zeros or all ones)");
        }
        if (label.joinEui() != null && !label.joinEui().equals(product.joinEui())) {
            throw new StoreException(ErrorCode.LABEL_MISMATCH, "label JoinEUI " + label.joinEui() + " is not product "
                    + product.name() + "'s " + product.joinEui());
        }
        if (label.profileId() != null && !label.profileId().equals(product.profileId())) {
            throw new StoreException(ErrorCode.LABEL_MISMATCH, "label ProfileID " + label.profileId() + " is not product "
                    + product.name() + "'s " + product.profileId());
        }
        List<EuiBlock> blocks = registry.euiBlocks().stream()
                .filter(b -> b.productId() == null || b.productId() == product.id()).toList();
        boolean inRange = blocks.stream().anyMatch(b -> b.first().compareTo(label.devEui()) <= 0 && label.devEui().compareTo(b.last()) <= 0);
        if (!inRange) {
            throw new StoreException(ErrorCode.EUI_OUT_OF_RANGE, "scanned DevEUI " + label.devEui()
                    + " is outside every EUI block allowed for product " + product.name());
        }
    }

    /** RESERVED (or FAILED) → PROGRAMMED after the station has written and read back the identity. */
    public Unit markProgrammed(Eui64 devEui, String stationId, String actor) {
        return changed(transition(devEui, UnitState.PROGRAMMED, stationId, actor, "unit.programmed", null));
    }

    /**
     * Records a test run and moves the unit to PASSED or FAILED; a {@link TestResult#STATION_FAULT} run (the test
     * station failed, not the unit) is recorded and audited too, but leaves the unit RESERVED or PROGRAMMED, as it was,
     * for the same keys to be tested again.
     */
    public Unit finish(Eui64 devEui, TestResult result, String reasonCode, String measurementsJson, String stationId, String actor) {
        if (result != TestResult.PASSED && (reasonCode == null || !reasonCode.matches("[a-z][a-z0-9_]{0,63}"))) {
            throw new LorawanFormatException(result == TestResult.FAILED ? "a failed test needs a snake_case reason code"
                    : "a station fault needs a snake_case reason code");
        }
        String details = "result=" + result + (reasonCode == null ? "" : " reason=" + reasonCode);
        return changed(registry.transaction(r -> {
            Unit u = switch (result) {
                case PASSED -> transition(devEui, UnitState.PASSED, stationId, actor, "unit.finish", details);
                case FAILED -> transition(devEui, UnitState.FAILED, stationId, actor, "unit.finish", details);
                case STATION_FAULT -> stationFault(devEui, stationId, actor, details);
            };
            r.appendTestRun(u.id(), stationId, result, reasonCode, measurementsJson);
            return u;
        }));
    }

    /** A station fault changes nothing but the record: only a unit whose test is under way (RESERVED or PROGRAMMED) can have one. */
    private Unit stationFault(Eui64 devEui, String stationId, String actor, String details) {
        return registry.transaction(r -> {
            Unit u = r.updateUnit(devEui, cur -> {
                if (cur.state() != UnitState.RESERVED && cur.state() != UnitState.PROGRAMMED) {
                    throw new StoreException(ErrorCode.ILLEGAL_TRANSITION, "unit " + devEui + " is " + cur.state()
                            + ": a station fault is recorded only for a unit under test (RESERVED or PROGRAMMED)");
                }
                return cur.withState(cur.state(), stationId, null);
            });
            r.audit(actor, "unit.station_fault", devEui.toString(), details);
            return u;
        });
    }

    /** Voids a unit (scrapped, or abandoned after a station crash); its DevEUI is never reused. */
    public Unit voidUnit(Eui64 devEui, String reason, String actor) {
        Unit voided = registry.transaction(r -> {
            Unit u = transition(devEui, UnitState.VOID, null, actor, "unit.void", reason == null ? null : "reason=" + reason);
            if (u.workOrderId() != null) {
                r.releaseWorkOrderSlot(u.workOrderId());
            }
            return u;
        });
        return changed(voided); // the unit keeps the station that held it
    }

    /**
     * Tells the unit's station that it changed, once the change is committed: the one place {@link LineEvents} hears
     * of units (called by the public operations on their way out, never inside a transaction).
     */
    private Unit changed(Unit u) {
        lineEvents.stationChanged(u.stationId());
        return u;
    }

    private <T> T changed(Unit u, T result) {
        changed(u);
        return result;
    }

    private Unit transition(Eui64 devEui, UnitState target, String stationId, String actor, String action, String details) {
        return registry.transaction(r -> {
            Unit u = r.updateUnit(devEui, cur -> {
                if (!cur.state().canMoveTo(target)) {
                    throw new StoreException(ErrorCode.ILLEGAL_TRANSITION, "unit " + devEui + " is " + cur.state()
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
        checkDevEui(d.devEui());
        checkRootKeys(d.macVersion(), d.nwkKey() != null);
        return importDevices(List.of(d), productId, UnitOrigin.ADDED, actor).get(0);
    }

    /**
     * Adds one device with known keys, as {@link #addDevice(DeviceIdentity, Long, String)} does, with its own Backend
     * Interfaces NetIDs ({@code netIds}, replacing its product's; null: its product's), in one transaction.
     */
    public Unit addDevice(DeviceIdentity d, Long productId, AllowedNetIds netIds, String actor) {
        return registry.transaction(r -> {
            Unit u = addDevice(d, productId, actor);
            if (netIds != null) {
                setDeviceNetIds(u.devEui(), netIds, actor);
            }
            return u;
        });
    }

    /**
     * Adds one device as described, of {@code product} (null: none): its MAC version and region default to the
     * product's (without a product: 1.0.3, EU868); a DevEUI of all zeros or all ones is refused, and so is a NwkKey
     * for a 1.0.x device (which has only an AppKey) and a 1.1 device without one. With {@code netIds} (null: its
     * product's) it gets its own Backend Interfaces NetIDs, in the same transaction. Audited {@code devices.add}.
     */
    public Unit addDevice(NewDevice d, Product product, AllowedNetIds netIds, String actor) {
        DeviceIdentity identity = new DeviceIdentity(checkDevEui(d.devEui()), d.joinEui(), d.appKey(), d.nwkKey(),
                checkRootKeys(macVersionOf(d.macVersion(), product), d.nwkKey() != null), regionOf(d.region(), product),
                d.serial(), d.name());
        return registry.transaction(r -> {
            Unit u = addDevice(identity, product == null ? null : product.id(), actor);
            if (netIds != null) {
                setDeviceNetIds(u.devEui(), netIds, actor);
            }
            return u;
        });
    }

    /** The MAC version of a device added or imported without one: its product's, else 1.0.3. */
    public static MacVersion macVersionOf(MacVersion given, Product product) {
        return given != null ? given : product != null ? product.macVersion() : MacVersion.V1_0_3;
    }

    /** The region of a device added or imported without one: its product's, else EU868. */
    public static Region regionOf(Region given, Product product) {
        return given != null ? given : product != null ? product.region() : Unit.DEFAULT_REGION;
    }

    /** Refuses the all-zero and all-ones DevEUIs, which LoRaWAN reserves. */
    public static Eui64 checkDevEui(Eui64 devEui) {
        if (devEui != null && (devEui.isAllZero() || devEui.isAllOnes())) {
            throw new LorawanFormatException("the all-zero and all-ones EUIs are reserved");
        }
        return devEui;
    }

    /** A 1.1 device has a NwkKey beside its AppKey; a 1.0.x device has the AppKey alone. */
    public static MacVersion checkRootKeys(MacVersion v, boolean hasNwkKey) {
        if (v.is11() && !hasNwkKey) {
            throw new LorawanFormatException("a LoRaWAN 1.1 device needs a NwkKey");
        }
        if (!v.is11() && hasNwkKey) {
            throw new LorawanFormatException("only LoRaWAN 1.1 devices have a NwkKey (" + v.text() + " uses the AppKey alone)");
        }
        return v;
    }

    /**
     * Gives a device its own Backend Interfaces NetIDs, replacing its product's, or (null) returns it to its
     * product's; audited ({@code device.net_ids}).
     */
    public void setDeviceNetIds(Eui64 devEui, AllowedNetIds netIds, String actor) {
        registry.transaction(r -> {
            r.setDeviceNetIds(devEui, netIds);
            r.audit(actor, "device.net_ids", devEui.toString(), netIds == null ? "net_ids=the product's" : "net_ids=" + netIds);
            return null;
        });
    }

    /** Imports devices all-or-nothing: one transaction; any duplicate rolls back the whole file. */
    public List<Unit> importDevices(List<DeviceIdentity> devices, Long productId, UnitOrigin origin, String actor) {
        return registry.transaction(r -> {
            for (DeviceIdentity d : devices) {
                Identifiers.serial(d.serialNumber());
                if (r.unit(d.devEui()).isPresent()) {
                    throw new StoreException(ErrorCode.DUPLICATE, "DevEUI " + d.devEui() + " is already registered");
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
        return importRows(file, productId, null, actor);
    }

    /**
     * As {@link #importRows(ImportFile, Long, String)}, every device with these own NetIDs (null: its product's). Every
     * problem of the file is reported in one pass: the file's own (syntax, duplicates within it), serials that break
     * the identifier rule, and clashes with the registry; nothing is committed while there is one.
     */
    public List<Unit> importRows(ImportFile file, Long productId, AllowedNetIds netIds, String actor) {
        return registry.transaction(r -> {
            problems(r, file).throwIfAny();
            List<Unit> units = insertAll(r, file.devices().stream().map(ImportedDevice::device).toList(), productId,
                    UnitOrigin.IMPORTED, actor);
            if (netIds != null) {
                for (Unit u : units) {
                    r.setDeviceNetIds(u.devEui(), netIds);
                }
                r.audit(actor, "device.net_ids", units.size() + " devices", "net_ids=" + netIds);
            }
            return units;
        });
    }

    /**
     * The import's dry run: every problem {@link #importRows} would refuse the file for (its own, then its clashes with
     * the registry as it is now), thrown as the same {@link ImportException}; nothing is written or audited. A file
     * that passes may still meet a clash at the import itself, if another import takes a DevEUI in between.
     */
    public void checkImport(ImportFile file) {
        registry.transaction(r -> {
            problems(r, file).throwIfAny();
            return null;
        });
    }

    /** Every problem of the file: its own (syntax, duplicates within it), serials that break the identifier rule, clashes. */
    private static ImportProblems problems(Registry r, ImportFile file) {
        ImportProblems problems = file.problems();
        for (ImportedRow row : file.rows()) {
            if (row.serial() != null && !Identifiers.valid(row.serial())) {
                try {
                    Identifiers.serial(row.serial());
                } catch (LorawanFormatException e) {
                    problems.row(row.line(), "serial", e.getMessage());
                }
            }
            if (row.devEui() != null && r.unit(row.devEui()).isPresent()) {
                problems.row(row.line(), "dev_eui", row.devEui() + " already registered");
            }
            if (row.serial() != null && r.unitBySerial(row.serial()).isPresent()) {
                problems.row(row.line(), "serial", DeviceCsvImport.shown(row.serial()) + " already registered");
            }
        }
        return problems;
    }

    /**
     * An import file read with the defaults its request names: the MAC version and region of rows without one are
     * {@code macVersion} and {@code region} (texts, null: the product's, else 1.0.3 and EU868). A problem of the
     * file as a whole (encoding, header) is thrown as an {@link ImportException}; the rows' own come in the file.
     */
    public static ImportFile readImport(byte[] csv, Product product, String macVersion, String region) {
        MacVersion v = macVersionOf(macVersion == null ? null : MacVersion.parse(macVersion), product);
        Region rg = regionOf(region == null ? null : Region.byName(region), product);
        return new DeviceCsvImport(v, rg).readFile(csv);
    }

    private List<Unit> insertAll(Registry r, List<DeviceIdentity> devices, Long productId, UnitOrigin origin, String actor) {
        List<Unit> out = new java.util.ArrayList<>();
        for (DeviceIdentity d : devices) {
            out.add(r.insertUnit(new NewUnit(d.devEui(), d.joinEui(), productId, null, d.serialNumber(), d.name(),
                    d.macVersion(), d.region(), d.keysHeldBySecureElement() ? null : vault.wrap(d.appKey(), d.nwkKey()),
                    UnitState.PROGRAMMED, origin, null, d.secureElement())));
        }
        r.audit(actor, origin == UnitOrigin.IMPORTED ? "devices.import" : "devices.add",
                devices.size() == 1 ? devices.get(0).devEui().toString() : devices.size() + " devices", null);
        return out;
    }

    /**
     * Removes the simulated devices of a {@code lorafab sim joins} run that failed, so that a failed run leaves
     * nothing behind; only units of origin SIMULATED are removed. Audited {@code sim.remove}.
     *
     * @return how many were removed
     */
    public int removeSimulated(List<Eui64> devEuis, String actor) {
        return registry.transaction(r -> {
            int removed = r.removeSimulatedUnits(devEuis);
            r.audit(actor, "sim.remove", null, "removed=" + removed + " (failed run)");
            return removed;
        });
    }

    /**
     * The unit's identity with its keys unwrapped, for programming and export; a unit whose secure element holds its
     * keys comes without keys, naming the element and its external join server.
     */
    public DeviceIdentity identity(Unit u) {
        if (u.keysHeldBySecureElement()) {
            return new DeviceIdentity(u.devEui(), u.joinEui(), null, null, u.macVersion(), u.region(), u.serial(), u.name(),
                    u.secureElement());
        }
        return new DeviceIdentity(u.devEui(), u.joinEui(), vault.unwrapAppKey(u.keys()), vault.unwrapNwkKey(u.keys()),
                u.macVersion(), u.region(), u.serial(), u.name());
    }
}
