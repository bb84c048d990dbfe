package io.lorafab.provisioning.secureelement;

import static io.lorafab.provisioning.secureelement.TestManifests.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lorafab.lorawan.types.Eui64;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TngLoraManifestTest {

    private static final Eui64 DEV_B = Eui64.parse("0004A31000ABCD01");
    private static final Eui64 DEV_C = Eui64.parse("0004A31000ABCD02");
    private static final Eui64 TTI_JOIN_EUI = Eui64.parse("70B3D57ED0000000");

    private static List<ManifestEntry> verify(byte[] manifest, ManifestSigners signers) {
        return TngLoraManifest.verify(manifest, signers, during());
    }

    private static void refused(byte[] manifest, ManifestSigners signers, int entry, ManifestProblem problem) {
        assertThatThrownBy(() -> verify(manifest, signers))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.entry()).isEqualTo(entry);
                    assertThat(e.getMessage()).startsWith("manifest refused, nothing imported: "
                            + (entry < 0 ? "" : "entry [" + entry + "]: ") + problem.text());
                });
    }

    @Test
    void entriesSignedByAPinnedLogSignerVerifyAndNameTheirDevEuiAsTheCertificateDoes() {
        List<ManifestEntry> units = verify(goodManifest(), pinned("log-signer"));

        assertThat(units).extracting(ManifestEntry::index).containsExactly(0, 1);
        assertThat(units).extracting(ManifestEntry::devEui).containsExactly(DEV_B, DEV_C); // CN word 2; SAN eui64_
        assertThat(units).extracting(ManifestEntry::uniqueId).containsExactly("0123a1b2c3d4e5f627", "0123a1b2c3d4e5f628");
        assertThat(units).extracting(ManifestEntry::slotJoinEui).containsOnly(java.util.Optional.of(TTI_JOIN_EUI));
        assertThat(units.get(0).signer()).contains("CN=Test Log Signer");
    }

    @Test
    void aLogSignerCarriedInTheHeaderIsAcceptedWhenItChainsToAPinnedCa() {
        byte[] m = manifest(signWithChain(payload("0123a1b2c3d4e5f627", during(), "device-b", "device-signer"),
                "log-signer", "log-signer"));

        assertThat(verify(m, pinned("test-ca"))).extracting(ManifestEntry::devEui).containsExactly(DEV_B);
    }

    @Test
    void aTamperedEntryRefusesTheWholeManifestNamingTheEntry() throws Exception {
        ObjectNode good = sign(payload("0123a1b2c3d4e5f627", during(), "device-b", "device-signer"), "log-signer", "log-signer");
        ObjectNode tampered = sign(payload("0123a1b2c3d4e5f628", during(), "device-c", "device-signer"), "log-signer", "log-signer");
        // The payload now names another serial number; the signature is the original's.
        String body = new String(java.util.Base64.getUrlDecoder().decode(tampered.get("payload").asText()), StandardCharsets.UTF_8)
                .replace("0123a1b2c3d4e5f628", "0123a1b2c3d4e5f699");
        tampered.put("payload", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(body.getBytes(StandardCharsets.UTF_8)));

        refused(manifest(good, tampered), pinned("log-signer"), 1, ManifestProblem.SIGNATURE_INVALID);
    }

    @Test
    void anEntrySignedByAnotherKeyUnderAPinnedSignersNameDoesNotVerify() {
        byte[] m = manifest(sign(payload("0123a1b2c3d4e5f627", during(), "device-b", "device-signer"), "rogue-signer", "log-signer"));

        refused(m, pinned("log-signer"), 0, ManifestProblem.SIGNATURE_INVALID);
    }

    @Test
    void aSignerThatIsNotPinnedIsUnknown() {
        byte[] m = manifest(
                sign(payload("0123a1b2c3d4e5f627", during(), "device-b", "device-signer"), "log-signer", "log-signer"),
                sign(payload("0123a1b2c3d4e5f628", during(), "device-c", "device-signer"), "rogue-signer", "rogue-signer"));

        refused(m, pinned("log-signer"), 1, ManifestProblem.UNKNOWN_SIGNER);
    }

    @Test
    void aSignerChainThatDoesNotLeadToThePinnedCaIsUntrusted() {
        byte[] m = manifest(signWithChain(payload("0123a1b2c3d4e5f627", during(), "device-b", "device-signer"),
                "rogue-signer", "rogue-signer", "rogue-ca"));

        refused(m, pinned("test-ca"), 0, ManifestProblem.SIGNER_CHAIN_UNTRUSTED);
    }

    @Test
    void anEntryMadeAfterItsSignerExpiredIsRefused() {
        Instant afterExpiry = cert("log-signer").getNotAfter().toInstant().plusSeconds(1);
        byte[] m = manifest(sign(payload("0123a1b2c3d4e5f627", afterExpiry, "device-b", "device-signer"), "log-signer", "log-signer"));

        refused(m, pinned("log-signer"), 0, ManifestProblem.SIGNER_NOT_VALID);
    }

    @Test
    void anEntryMadeBeforeItsSignerWasIssuedIsRefusedAlsoThroughTheCaChain() {
        Instant before = cert("log-signer").getNotBefore().toInstant().minusSeconds(1);
        byte[] m = manifest(signWithChain(payload("0123a1b2c3d4e5f627", before, "device-b", "device-signer"), "log-signer", "log-signer"));

        refused(m, pinned("test-ca"), 0, ManifestProblem.SIGNER_NOT_VALID);
    }

    @Test
    void aDeviceCertificateNotSignedByTheCertificateBesideItIsRefused() {
        byte[] m = manifest(sign(payload("0123a1b2c3d4e5f629", during(), "device-rogue", "device-signer"), "log-signer", "log-signer"));

        refused(m, pinned("log-signer"), 0, ManifestProblem.DEVICE_CHAIN_INVALID);
    }

    @Test
    void aListedKeyThatIsNotTheCertificatesIsRefused() {
        ObjectNode p = payload("0123a1b2c3d4e5f627", during(), "device-b", "device-signer");
        ObjectNode other = payload("x", during(), "device-c");
        ((ObjectNode) p.path("publicKeySet").path("keys").path(0)).put("x", other.path("publicKeySet").path("keys").path(0).path("x").asText());

        refused(manifest(sign(p, "log-signer", "log-signer")), pinned("log-signer"), 0, ManifestProblem.DEVICE_KEY_MISMATCH);
    }

    @Test
    void aDevEuiListedTwiceIsRefusedAtItsSecondEntry() {
        byte[] m = manifest(
                sign(payload("0123a1b2c3d4e5f627", during(), "device-b", "device-signer"), "log-signer", "log-signer"),
                sign(payload("0123a1b2c3d4e5f62a", during(), "device-b", "device-signer"), "log-signer", "log-signer"));

        refused(m, pinned("log-signer"), 1, ManifestProblem.DUPLICATE_DEV_EUI);
    }

    @Test
    void onlyEs256IsAccepted() {
        for (String alg : List.of("none", "HS256", "ES384", "RS256")) {
            ObjectNode h = JSON.createObjectNode();
            h.put("alg", alg);
            h.put("kid", ManifestSigners.keyId(cert("log-signer")).orElseThrow());
            byte[] m = manifest(signWithHeader(payload("0123a1b2c3d4e5f627", during(), "device-b", "device-signer"), "log-signer", h));

            refused(m, pinned("log-signer"), 0, ManifestProblem.UNSUPPORTED_ALGORITHM);
        }
    }

    @Test
    void theCompactFormIsReadLikeTheFlattenedOne() {
        ObjectNode e = sign(payload("0123a1b2c3d4e5f627", during(), "device-b", "device-signer"), "log-signer", "log-signer");
        String compact = "[\"" + e.get("protected").asText() + "." + e.get("payload").asText() + "." + e.get("signature").asText() + "\"]";

        assertThat(verify(compact.getBytes(StandardCharsets.US_ASCII), pinned("log-signer")))
                .extracting(ManifestEntry::devEui).containsExactly(DEV_B);
    }

    @Test
    void whatIsNotAListOfEntriesIsRefusedAsAFile() {
        refused("garbage".getBytes(StandardCharsets.US_ASCII), pinned("log-signer"), -1, ManifestProblem.NOT_A_MANIFEST);
        refused("{}".getBytes(StandardCharsets.US_ASCII), pinned("log-signer"), -1, ManifestProblem.NOT_A_MANIFEST);
        refused("[]".getBytes(StandardCharsets.US_ASCII), pinned("log-signer"), -1, ManifestProblem.EMPTY_MANIFEST);
        refused("[42]".getBytes(StandardCharsets.US_ASCII), pinned("log-signer"), 0, ManifestProblem.MALFORMED_ENTRY);
    }

    /** The public sample (see resources/tnglora/README.md): Microchip's own entries and log signers. */
    @Test
    void microchipsPublicSampleVerifiesAgainstItsLogSignersAndGivesTheDevEuisTheThingsStackGives() {
        ManifestSigners microchip = ManifestSigners.fromPem(List.of(resource("microchip-log-signers.pem")));

        List<ManifestEntry> units = TngLoraManifest.verify(resource("microchip-sample.json"), microchip, Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(units).extracting(ManifestEntry::devEui)
                .containsExactly(Eui64.parse("0004A310001FF9DA"), Eui64.parse("0004A310001AA90A"));
        assertThat(units).extracting(ManifestEntry::uniqueId).containsExactly("01238ebe20080bd527", "0123114e171b98b427");
        assertThat(units).extracting(ManifestEntry::slotJoinEui).containsOnly(java.util.Optional.of(TTI_JOIN_EUI));
        assertThat(units.get(0).signer()).contains("CN=Log Signer 002");
    }

    @Test
    void microchipsPublicSampleIsRefusedWhenOnlyTheTestSignersArePinned() {
        refused(resource("microchip-sample.json"), pinned("log-signer", "test-ca"), 0, ManifestProblem.UNKNOWN_SIGNER);
    }
}
