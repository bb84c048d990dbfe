package io.lorafab.provisioning.service;

import io.lorafab.api.ErrorCode;
import io.lorafab.jose.Jwe;
import io.lorafab.jose.RecipientKey;
import io.lorafab.provisioning.io.DeviceExportFormat;
import io.lorafab.provisioning.io.ExportOptions;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exports devices with their keys for a network server (The Things Stack, ChirpStack) or lorafab itself.
 * Revealing keys is an administrator's act: every export is audited with its format, scope, count and
 * whether keys left in the clear or wrapped under a named KEK, and the recipient key's thumbprint when the file is
 * encrypted to one.
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
        return export(format, options, workOrderId, allStates, null, actor);
    }

    /**
     * The same export encrypted to {@code recipient} as a compact JWE (RFC 7516; {@code cty} the format ID, {@code kid}
     * the key's RFC 7638 thumbprint, which the audit record names too), for a network operator to open with any JOSE
     * tool. The plaintext exists only in memory and is wiped once encrypted.
     *
     * @return the compact serialization, ASCII
     */
    public byte[] exportEncrypted(DeviceExportFormat format, ExportOptions options, Long workOrderId, boolean allStates,
            RecipientKey recipient, String actor) {
        return export(format, options, workOrderId, allStates, java.util.Objects.requireNonNull(recipient, "recipient"), actor);
    }

    private byte[] export(DeviceExportFormat format, ExportOptions options, Long workOrderId, boolean allStates,
            RecipientKey recipient, String actor) {
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
        if (recipient != null) {
            byte[] plain = out;
            try {
                out = Jwe.encrypt(plain, recipient, format.id()).getBytes(StandardCharsets.US_ASCII);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
        registry.audit(actor, "keys.export", workOrderId == null ? "all" : "order:" + workOrderId,
                "format=" + format.id() + " devices=" + devices.size() + " keys="
                        + options.wrapKek().map(k -> "wrapped:" + k.label()).orElse("clear")
                        + (recipient == null ? "" : " encrypted_to=" + recipient.thumbprint() + " (" + recipient.algorithm() + ")"));
        return out;
    }

    /**
     * The units' chip identities for claiming them on the vendor's join service ({@link io.lorafab.provisioning.io.LoraCloudClaimCsv},
     * format {@code loracloud-claim}): the units that reported one at end of line, in the same scope as the key exports
     * (the order's, or all; by default only PROGRAMMED and PASSED units). The PINs are claim credentials, so this is an
     * administrator's act like a key export, audited as {@code claims.export} with scope and count (never a PIN); encrypted
     * to {@code recipient} as a JWE when one is given (null: the CSV as it is).
     */
    public byte[] exportClaims(Long workOrderId, boolean allStates, RecipientKey recipient, String actor) {
        Registry registry = provisioning.registry();
        java.util.Map<Long, io.lorafab.store.model.ChipIdentity> chips = registry.chipIdentities(workOrderId);
        List<io.lorafab.provisioning.io.LoraCloudClaimCsv.Claim> claims = new ArrayList<>();
        for (Unit u : candidates(workOrderId, allStates)) {
            io.lorafab.store.model.ChipIdentity chip = chips.get(u.id());
            if (chip != null) {
                claims.add(new io.lorafab.provisioning.io.LoraCloudClaimCsv.Claim(u.devEui(), chip));
            }
        }
        if (claims.isEmpty()) {
            throw new StoreException(ErrorCode.NOTHING_TO_EXPORT, "no unit has reported a chip identity"
                    + (allStates ? "" : " (only PROGRAMMED and PASSED units are exported unless all states are asked for)"));
        }
        byte[] out = io.lorafab.provisioning.io.LoraCloudClaimCsv.export(claims);
        if (recipient != null) {
            byte[] plain = out;
            try {
                out = Jwe.encrypt(plain, recipient, io.lorafab.provisioning.io.LoraCloudClaimCsv.FORMAT).getBytes(StandardCharsets.US_ASCII);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        }
        registry.audit(actor, "claims.export", workOrderId == null ? "all" : "order:" + workOrderId,
                "format=" + io.lorafab.provisioning.io.LoraCloudClaimCsv.FORMAT + " devices=" + claims.size() + " pins=clear"
                        + (recipient == null ? "" : " encrypted_to=" + recipient.thumbprint() + " (" + recipient.algorithm() + ")"));
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
