package io.lorafab.api;

import java.util.Optional;

/**
 * Every refusal lorafab gives, by its stable snake_case {@link #code()}: the word written in
 * {@code {"error":{"code":...}}}, in the audit log and in a join's radio events, and read by the station and by scripts.
 * The wire word of a constant never changes; a new refusal is a new constant.
 *
 * <p>Each constant carries its HTTP status ({@link #httpStatus()}) and a one-line text for a person ({@link #text()}),
 * used where no more specific message is at hand; a message with specifics (which unit, which work order) stays on the
 * exception that carries the code. Every mapping of codes — the HTTP status here, the Backend Interfaces ResultCode in
 * the join server, what stops a station — is a {@code switch} over this enum without a {@code default}: a constant that
 * one of them does not name is a compile error, not an answer that falls through to HTTP 400.
 *
 * <p>A client reading a newer server meets codes it does not know: {@link #fromCode} says so (empty), and
 * {@link #read} makes them {@link #UNKNOWN_ERROR}, so that a client never fails on a word it does not know.
 */
public enum ErrorCode {

    // --- the request itself ---
    /** A field, query parameter or value is missing or not valid; the message names which. */
    INVALID_INPUT("invalid_input", "the request is not valid"),
    /** The body is not JSON, or not a JSON object. */
    BAD_JSON("bad_json", "the request body is not valid JSON"),
    BAD_QUERY("bad_query", "the query string is malformed"),
    /** JSON that is not a Backend Interfaces message at all (one that is gets a Backend Interfaces answer). */
    MALFORMED_REQUEST("malformed_request", "the body is not a Backend Interfaces message"),
    /** An uploaded CSV with faulty rows; the rows at fault are listed with the error. */
    INVALID_CSV("invalid_csv", "the CSV file has faulty rows; nothing was imported"),
    /** A secure-element manifest with an entry that does not verify; the entry is named with the error. */
    MANIFEST_REFUSED("manifest_refused", "the manifest does not verify; nothing was imported"),
    EXPORT_REFUSED("export_refused", "the export cannot be made"),
    UNAUTHENTICATED("unauthenticated", "a valid API token is required"),
    FORBIDDEN("forbidden", "the token's role does not allow this"),
    /** A network-server token that names neither a NetID nor an AS-ID. */
    TOKEN_NOT_SCOPED("token_not_scoped", "the token speaks for no NetID or application server"),
    NOT_FOUND("not_found", "not found"),
    METHOD_NOT_ALLOWED("method_not_allowed", "this method is not allowed here"),
    PAYLOAD_TOO_LARGE("payload_too_large", "the request body is too large"),
    URI_TOO_LONG("uri_too_long", "the request line is too long"),
    HEADERS_TOO_LARGE("headers_too_large", "the request headers are too large"),
    /** The request did not arrive in time (a client trickling its headers or body). */
    REQUEST_TIMEOUT("request_timeout", "the request was not received in time"),
    /** Not HTTP the server can read (refused by the HTTP server before any route). */
    BAD_REQUEST("bad_request", "malformed HTTP request"),

    // --- products, EUI blocks, work orders, units ---
    DUPLICATE("duplicate", "it already exists"),
    CONSTRAINT_VIOLATION("constraint_violation", "the database refused the change"),
    INVALID_QUANTITY("invalid_quantity", "the quantity must be positive"),
    JOIN_EUI_IS_DEV_EUI("join_eui_is_dev_eui", "a product's JoinEUI may not be one of its DevEUIs"),
    EUI_BLOCK_OVERLAP("eui_block_overlap", "the EUI block overlaps another"),
    EUI_BLOCK_EXHAUSTED("eui_block_exhausted", "no EUI block has a free DevEUI left"),
    EUI_OUT_OF_RANGE("eui_out_of_range", "the DevEUI is outside the product's EUI blocks"),
    LABEL_MISMATCH("label_mismatch", "the label belongs to another product"),
    WORK_ORDER_FULL("work_order_full", "the work order has all its units"),
    WORK_ORDER_CLOSED("work_order_closed", "the work order is closed"),
    ILLEGAL_TRANSITION("illegal_transition", "not allowed in the current state"),
    RESERVED_BY_OTHER_STATION("reserved_by_other_station", "the unit is held by another station"),
    RETEST_REQUIRED("retest_required", "the unit failed its test; ask for a retest first"),
    UNIT_PASSED("unit_passed", "the unit has already passed"),
    UNIT_FAILED("unit_failed", "the unit failed its test"),
    UNIT_VOID("unit_void", "the unit is void"),
    NO_PRODUCT("no_product", "the unit has no product"),
    NOTHING_TO_EXPORT("nothing_to_export", "there are no devices to export"),
    NOTHING_TO_PRINT("nothing_to_print", "there are no units to label"),
    APPEND_ONLY("append_only", "the audit log is append-only"),

    // --- joins ---
    /** Not a join-request, or bytes that do not parse. */
    MALFORMED("malformed", "not a valid join-request"),
    UNKNOWN_DEVICE("unknown_device", "no such device"),
    /**
     * The device's root keys are held by its secure element, not by lorafab: its joins are served by its external join
     * server, and no key can be handed out or exported.
     */
    KEYS_ON_SECURE_ELEMENT("keys_on_secure_element", "the device's keys are in its secure element; its own join server serves it"),
    /** A network server's JoinReq for a device that does not allow its NetID. */
    NET_ID_NOT_ALLOWED("net_id_not_allowed", "the device may not join this network"),
    DEVICE_DISABLED("device_disabled", "the device is disabled"),
    MIC_MISMATCH("mic_mismatch", "the join-request MIC does not verify"),
    DEV_NONCE_REUSED("dev_nonce_reused", "the DevNonce was used before"),
    DEV_NONCE_TOO_SMALL("dev_nonce_too_small", "the DevNonce is not above the last one"),
    JOIN_NONCE_EXHAUSTED("join_nonce_exhausted", "the device has used up its JoinNonces"),
    JOIN_RATE_LIMITED("join_rate_limited", "too many join attempts; try again later"),
    MAC_VERSION_MISMATCH("mac_version_mismatch", "the LoRaWAN version asked for is not the device's"),
    OPT_NEG_MISMATCH("opt_neg_mismatch", "OptNeg asked for a device that is not LoRaWAN 1.1"),
    DEV_ADDR_EXHAUSTED("dev_addr_exhausted", "no free DevAddr is left under the NetID"),

    // --- keys ---
    KEK_UNKNOWN("kek_unknown", "no KEK with that label is configured"),
    KEY_UNWRAP_FAILED("key_unwrap_failed", "a stored key does not unwrap under its KEK"),
    KEK_MISMATCH("kek_mismatch", "the KEK given is not the one the keys are wrapped with"),
    KEK_NOT_ROTATABLE("kek_not_rotatable", "this KEK cannot be rotated here"),
    KEY_FILE_NOT_PRIVATE("key_file_not_private", "a key file is readable by others"),
    HSM_UNAVAILABLE("hsm_unavailable", "the PKCS#11 token holding the KEKs cannot be used"),

    // --- the database ---
    BUSY("busy", "the server is busy; try again"),
    DATABASE_ERROR("database_error", "database error"),
    DATABASE_UNAVAILABLE("database_unavailable", "the database cannot be opened"),
    REGISTRY_MISSING("registry_missing", "there is no registry here yet"),
    SCHEMA_TOO_NEW("schema_too_new", "the database was written by a newer lorafab"),
    MIGRATION_CHECKSUM("migration_checksum", "a database migration was changed after it ran"),
    /** The migration history does not match this lorafab's scripts in another way than a changed checksum. */
    MIGRATION_INVALID("migration_invalid", "the database's migration history does not match this lorafab"),
    /** A migration script failed; the database's own first line says why. */
    MIGRATION_FAILED("migration_failed", "the database schema could not be migrated"),
    /** A new registry was pointed at a schema that already holds tables lorafab did not create. */
    SCHEMA_NOT_EMPTY("schema_not_empty", "the database schema holds tables lorafab did not create"),
    UNSUPPORTED_DATABASE("unsupported_database", "this kind of database is not supported"),
    INTERNAL_ERROR("internal_error", "internal error"),

    // --- a client's own verdicts: never sent by the server, named here so that a client has one vocabulary ---
    UNREACHABLE("unreachable", "the server cannot be reached"),
    TLS_FAILED("tls_failed", "the TLS handshake with the server failed"),
    INTERRUPTED("interrupted", "interrupted"),
    /** The server answered, but not with JSON where JSON was due. */
    BAD_RESPONSE("bad_response", "the server's answer cannot be read"),
    /** A code this client does not know (from a newer server), or an error answer without a code. */
    UNKNOWN_ERROR("unknown_error", "the server refused the request");

    private final String code;
    private final String text;

    ErrorCode(String code, String text) {
        this.code = code;
        this.text = text;
    }

    /** The snake_case word on the wire. */
    public String code() {
        return code;
    }

    /** One line for a person, without specifics; the message of the refusal, where there is one, says more. */
    public String text() {
        return text;
    }

    /**
     * The HTTP status of an API answer refusing with this code. A switch without {@code default}: a new constant
     * does not compile until it has a status.
     */
    public int httpStatus() {
        return switch (this) {
            case INVALID_INPUT, BAD_JSON, BAD_QUERY, BAD_REQUEST, MALFORMED_REQUEST, INVALID_CSV, MANIFEST_REFUSED, EXPORT_REFUSED,
                    CONSTRAINT_VIOLATION, INVALID_QUANTITY, JOIN_EUI_IS_DEV_EUI, EUI_OUT_OF_RANGE, LABEL_MISMATCH, NO_PRODUCT, NOTHING_TO_EXPORT,
                    NOTHING_TO_PRINT, MALFORMED, MIC_MISMATCH, MAC_VERSION_MISMATCH, OPT_NEG_MISMATCH, KEK_MISMATCH,
                    KEK_NOT_ROTATABLE -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN, TOKEN_NOT_SCOPED, DEVICE_DISABLED -> 403;
            // a device a network server may not join is answered as one that does not exist: no DevEUI is revealed
            case NOT_FOUND, UNKNOWN_DEVICE, NET_ID_NOT_ALLOWED -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case DUPLICATE, EUI_BLOCK_OVERLAP, EUI_BLOCK_EXHAUSTED, WORK_ORDER_FULL, WORK_ORDER_CLOSED, ILLEGAL_TRANSITION,
                    RESERVED_BY_OTHER_STATION, RETEST_REQUIRED, UNIT_PASSED, UNIT_FAILED, UNIT_VOID, DEV_NONCE_REUSED,
                    DEV_NONCE_TOO_SMALL, JOIN_NONCE_EXHAUSTED, KEYS_ON_SECURE_ELEMENT -> 409;
            case PAYLOAD_TOO_LARGE -> 413;
            case REQUEST_TIMEOUT -> 408;
            case URI_TOO_LONG -> 414;
            case JOIN_RATE_LIMITED -> 429;
            case HEADERS_TOO_LARGE -> 431;
            // the server's own state (its database, its keys, its address space), not the request, is at fault
            case APPEND_ONLY, DEV_ADDR_EXHAUSTED, KEK_UNKNOWN, KEY_UNWRAP_FAILED, KEY_FILE_NOT_PRIVATE, HSM_UNAVAILABLE, DATABASE_ERROR,
                    REGISTRY_MISSING, SCHEMA_TOO_NEW, MIGRATION_CHECKSUM, MIGRATION_INVALID,
                    MIGRATION_FAILED, SCHEMA_NOT_EMPTY, UNSUPPORTED_DATABASE, INTERNAL_ERROR -> 500;
            // a client's own verdicts and an unknown code: were the server ever to raise one, the fault is the server's
            case UNREACHABLE, TLS_FAILED, INTERRUPTED, BAD_RESPONSE, UNKNOWN_ERROR -> 500;
            case BUSY, DATABASE_UNAVAILABLE -> 503;
        };
    }

    /** The constant written as {@code code} (exact), or empty for a word this version does not know. */
    public static Optional<ErrorCode> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        for (ErrorCode c : values()) {
            if (c.code.equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** What a client makes of a code it read: the constant, or {@link #UNKNOWN_ERROR} for one it does not know. */
    public static ErrorCode read(String code) {
        return fromCode(code).orElse(UNKNOWN_ERROR);
    }

    /** The wire word, so that a code concatenated into a message or an audit record reads as on the wire. */
    @Override
    public String toString() {
        return code;
    }
}
