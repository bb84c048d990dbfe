package io.lorafab.joinserver.bi;

import io.lorafab.api.ErrorCode;

/**
 * The Result.ResultCode a Backend Interfaces answer carries for a refusal with an {@link ErrorCode}. Whatever refuses
 * a JoinReq or an AppSKeyReq — the join steps, the store, the key vault — is answered with a JoinAns or AppSKeyAns
 * (HTTP 200) carrying the code mapped here, never with an HTTP error: the specification puts the outcome in the
 * Result object. The switch has no {@code default}, so a new ErrorCode does not compile until it is mapped.
 *
 * <p>Read against the ResultCode table of Backend Interfaces 1.0: MICFailed for a MIC that does not verify;
 * UnknownDevEUI for a device the join server does not serve; ActivationDisallowed for a device that may not join;
 * JoinReqFailed where the join server refused this join-request by its rules (nonces, versions, rate, DevAddr);
 * MalformedRequest for content that does not parse; UnknownSender for a caller not allowed to ask; Other — "error
 * cases that are not standardized" — for faults of the join server itself (database, keys), which the request could
 * not have avoided. Deferred is not used: the specification gives it to passive roaming, not to a busy server.
 */
public final class BiErrors {

    private BiErrors() {
    }

    public static BiResultCode resultCode(ErrorCode code) {
        return switch (code) {
            case MIC_MISMATCH -> BiResultCode.MIC_FAILED;
            // Not ActivationDisallowed (as The Things Stack answers an unauthorised caller) for a device the NetID may
            // not join: that would tell a network server that the DevEUI exists. It gets what no device at all gets.
            case UNKNOWN_DEVICE, NET_ID_NOT_ALLOWED, NOT_FOUND -> BiResultCode.UNKNOWN_DEV_EUI;
            case DEVICE_DISABLED -> BiResultCode.ACTIVATION_DISALLOWED;
            // lorafab registered the device but does not hold its keys: its own (external) join server does, so for
            // this join server the device is not provisioned, as for a DevEUI it does not know
            case KEYS_ON_SECURE_ELEMENT -> BiResultCode.UNKNOWN_DEV_EUI;
            case DEV_NONCE_REUSED, DEV_NONCE_TOO_SMALL, JOIN_NONCE_EXHAUSTED, JOIN_RATE_LIMITED, MAC_VERSION_MISMATCH,
                    OPT_NEG_MISMATCH, DEV_ADDR_EXHAUSTED -> BiResultCode.JOIN_REQ_FAILED;
            case MALFORMED, MALFORMED_REQUEST, BAD_JSON, BAD_QUERY, INVALID_INPUT, PAYLOAD_TOO_LARGE, URI_TOO_LONG,
                    HEADERS_TOO_LARGE, REQUEST_TIMEOUT, BAD_REQUEST, METHOD_NOT_ALLOWED -> BiResultCode.MALFORMED_REQUEST;
            case UNAUTHENTICATED, FORBIDDEN, TOKEN_NOT_SCOPED -> BiResultCode.UNKNOWN_SENDER;
            // the join server's own faults
            case KEK_UNKNOWN, KEY_UNWRAP_FAILED, KEK_MISMATCH, KEK_NOT_ROTATABLE, KEY_FILE_NOT_PRIVATE, HSM_UNAVAILABLE, BUSY, DATABASE_ERROR,
                    DATABASE_UNAVAILABLE, REGISTRY_MISSING, SCHEMA_TOO_NEW, MIGRATION_CHECKSUM, MIGRATION_INVALID, MIGRATION_FAILED,
                    SCHEMA_NOT_EMPTY, UNSUPPORTED_DATABASE,
                    CONSTRAINT_VIOLATION, APPEND_ONLY, INTERNAL_ERROR -> BiResultCode.OTHER;
            // provisioning refusals, which no Backend Interfaces request can meet; were one to, it is not standardised
            case INVALID_CSV, MANIFEST_REFUSED, EXPORT_REFUSED, DUPLICATE, INVALID_QUANTITY, JOIN_EUI_IS_DEV_EUI, EUI_BLOCK_OVERLAP,
                    EUI_BLOCK_EXHAUSTED, EUI_OUT_OF_RANGE, LABEL_MISMATCH, WORK_ORDER_FULL, WORK_ORDER_CLOSED, ILLEGAL_TRANSITION,
                    RESERVED_BY_OTHER_STATION, RETEST_REQUIRED, UNIT_PASSED, UNIT_FAILED, UNIT_VOID, NO_PRODUCT,
                    NOTHING_TO_EXPORT, NOTHING_TO_PRINT -> BiResultCode.OTHER;
            // a client's own verdicts, never raised by the join server
            case UNREACHABLE, TLS_FAILED, INTERRUPTED, BAD_RESPONSE, UNKNOWN_ERROR -> BiResultCode.OTHER;
        };
    }

    /**
     * Whether the refusal is a fault of the join server rather than of the request: its Description then gives the
     * code's fixed text only, since the message may name the server's key labels or database, which are not the
     * caller's business (the operator finds them in the log).
     */
    public static boolean isServerFault(ErrorCode code) {
        return code.httpStatus() >= 500;
    }
}
