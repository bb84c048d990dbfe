package io.lorafab.provisioning.service;

import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.provisioning.secureelement.ManifestEntry;
import io.lorafab.provisioning.secureelement.ManifestException;
import io.lorafab.provisioning.secureelement.ManifestSigners;
import io.lorafab.provisioning.secureelement.TngLoraManifest;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.SecureElement;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitOrigin;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Registers the units of a Microchip ATECC608 TNGLoRa manifest: devices whose root keys their secure element holds and
 * whose joins an external join server serves. The manifest is verified whole first ({@link TngLoraManifest}); then every
 * unit is registered keyless with the JoinEUI and the external join server's address, all or none, in one transaction.
 * Audited {@code devices.import} (as every import) and {@code devices.import_secure_elements} with the signers and the
 * join server.
 */
public final class SecureElementImport {

    /**
     * The JoinEUI TNGLoRa parts are provisioned with, The Things Join Server's, as The Things Stack's
     * {@code microchip-atecc608a-tnglora} template sets it; also what such a part holds in slot 9.
     */
    public static final Eui64 TNGLORA_JOIN_EUI = Eui64.parse("70B3D57ED0000000");

    private final Provisioning provisioning;
    private final Clock clock;

    public SecureElementImport(Provisioning provisioning, Clock clock) {
        this.provisioning = provisioning;
        this.clock = clock;
    }

    /**
     * What to register a manifest's units as.
     *
     * @param joinEui null: {@link #TNGLORA_JOIN_EUI}
     * @param joinServer the external join server's address (required): what network servers are told serves these joins
     * @param product null: none; then MAC version 1.0.3 and EU868 unless given
     */
    public record Request(byte[] manifest, ManifestSigners signers, Eui64 joinEui, String joinServer, Product product,
            MacVersion macVersion, Region region) {

        public Request {
            Objects.requireNonNull(manifest, "manifest");
            Objects.requireNonNull(signers, "signers");
        }
    }

    /** Verifies the manifest and registers its units; nothing is registered if any entry fails or any DevEUI is taken. */
    public List<Unit> importTngLora(Request req, String actor) {
        List<DeviceIdentity> devices = check(req);
        Registry registry = provisioning.registry();
        return registry.transaction(r -> {
            for (int i = 0; i < devices.size(); i++) {
                if (r.unit(devices.get(i).devEui()).isPresent()) {
                    throw new StoreException(ErrorCode.DUPLICATE, "manifest refused, nothing imported: entry [" + i + "]: DevEUI "
                            + devices.get(i).devEui() + " is already registered");
                }
            }
            List<Unit> units = provisioning.importDevices(devices, req.product() == null ? null : req.product().id(),
                    UnitOrigin.IMPORTED, actor);
            r.audit(actor, "devices.import_secure_elements", units.size() + " devices", "format=tnglora join_eui="
                    + devices.get(0).joinEui() + " join_server=" + devices.get(0).secureElement().joinServer());
            return units;
        });
    }

    /**
     * The devices a manifest would register, verified, nothing written: the dry run of {@link #importTngLora}.
     *
     * @throws StoreException {@code manifest_refused} naming the first entry that does not verify
     */
    public List<DeviceIdentity> check(Request req) {
        SecureElement probe = new SecureElement("00", req.joinServer()); // the address is checked before the manifest
        Eui64 joinEui = req.joinEui() != null ? req.joinEui() : TNGLORA_JOIN_EUI;
        MacVersion v = Provisioning.macVersionOf(req.macVersion(), req.product());
        Region region = Provisioning.regionOf(req.region(), req.product());
        List<ManifestEntry> entries;
        try {
            entries = TngLoraManifest.verify(req.manifest(), req.signers(), clock.instant());
        } catch (ManifestException e) {
            throw new StoreException(ErrorCode.MANIFEST_REFUSED, e.getMessage());
        }
        List<DeviceIdentity> out = new ArrayList<>();
        for (ManifestEntry e : entries) {
            // a part whose slot 9 names another JoinEUI would send join-requests no join server of ours expects
            if (e.slotJoinEui().isPresent() && !e.slotJoinEui().get().equals(joinEui)) {
                throw new StoreException(ErrorCode.MANIFEST_REFUSED, "manifest refused, nothing imported: entry [" + e.index()
                        + "]: its secure element holds JoinEUI " + e.slotJoinEui().get() + " (slot 9), not " + joinEui);
            }
            out.add(new DeviceIdentity(Provisioning.checkDevEui(e.devEui()), joinEui, null, null, v, region, null, null,
                    new SecureElement(e.uniqueId(), probe.joinServer())));
        }
        return out;
    }
}
