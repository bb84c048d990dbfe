package io.lorafab.provisioning.secureelement;

/**
 * Why a secure-element manifest was refused. Each names one rule of {@link TngLoraManifest}; the text is for a person
 * and never holds key material (a manifest holds none: only public certificates and identifiers).
 */
public enum ManifestProblem {
    NOT_A_MANIFEST("not a manifest: expected a JSON list of signed entries"),
    EMPTY_MANIFEST("the manifest has no entries"),
    MALFORMED_ENTRY("not a readable signed entry"),
    UNSUPPORTED_ALGORITHM("signature algorithm not accepted (only ES256)"),
    UNKNOWN_SIGNER("signed by a certificate that is not among the pinned signers"),
    SIGNER_CHAIN_UNTRUSTED("the signer's certificate chain does not lead to a pinned certificate"),
    SIGNER_NOT_VALID("the signer's certificate was not valid when the entry was made"),
    SIGNATURE_INVALID("the signature does not verify"),
    NO_DEVICE_CERTIFICATE("no device certificate (publicKeySet.keys[0].x5c[0])"),
    DEVICE_CHAIN_INVALID("the device certificate is not signed by the certificate beside it in x5c"),
    DEVICE_KEY_MISMATCH("the public key listed for the device is not the one in its certificate"),
    NO_DEV_EUI("the device certificate names no DevEUI"),
    DUPLICATE_DEV_EUI("the DevEUI appears twice in the manifest");

    private final String text;

    ManifestProblem(String text) {
        this.text = text;
    }

    /** One line for a person, without the entry index. */
    public String text() {
        return text;
    }
}
