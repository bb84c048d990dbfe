package io.lorafab.joinserver.bi;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.api.ErrorCode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every error code, the HTTP status the API answers it with and the Result.ResultCode a Backend Interfaces answer
 * carries for it: one row per code, to be read (and reviewed) like the specification's tables.
 */
class ErrorCodeTableTest {

    static final String TABLE = """
            # code                     | HTTP | Backend Interfaces ResultCode
            invalid_input              | 400 | MalformedRequest
            bad_json                   | 400 | MalformedRequest
            bad_query                  | 400 | MalformedRequest
            malformed_request          | 400 | MalformedRequest
            invalid_csv                | 400 | Other
            manifest_refused           | 400 | Other
            export_refused             | 400 | Other
            unauthenticated            | 401 | UnknownSender
            forbidden                  | 403 | UnknownSender
            token_not_scoped           | 403 | UnknownSender
            not_found                  | 404 | UnknownDevEUI
            method_not_allowed         | 405 | MalformedRequest
            payload_too_large          | 413 | MalformedRequest
            uri_too_long               | 414 | MalformedRequest
            headers_too_large          | 431 | MalformedRequest
            request_timeout            | 408 | MalformedRequest
            bad_request                | 400 | MalformedRequest
            duplicate                  | 409 | Other
            constraint_violation       | 400 | Other
            invalid_quantity           | 400 | Other
            join_eui_is_dev_eui        | 400 | Other
            eui_block_overlap          | 409 | Other
            eui_block_exhausted        | 409 | Other
            eui_out_of_range           | 400 | Other
            label_mismatch             | 400 | Other
            work_order_full            | 409 | Other
            work_order_closed          | 409 | Other
            illegal_transition         | 409 | Other
            reserved_by_other_station  | 409 | Other
            retest_required            | 409 | Other
            unit_passed                | 409 | Other
            unit_failed                | 409 | Other
            unit_void                  | 409 | Other
            no_product                 | 400 | Other
            nothing_to_export          | 400 | Other
            nothing_to_print           | 400 | Other
            append_only                | 500 | Other
            malformed                  | 400 | MalformedRequest
            unknown_device             | 404 | UnknownDevEUI
            net_id_not_allowed         | 404 | UnknownDevEUI
            device_disabled            | 403 | ActivationDisallowed
            keys_on_secure_element     | 409 | UnknownDevEUI
            mic_mismatch               | 400 | MICFailed
            dev_nonce_reused           | 409 | JoinReqFailed
            dev_nonce_too_small        | 409 | JoinReqFailed
            join_nonce_exhausted       | 409 | JoinReqFailed
            join_rate_limited          | 429 | JoinReqFailed
            mac_version_mismatch       | 400 | JoinReqFailed
            opt_neg_mismatch           | 400 | JoinReqFailed
            dev_addr_exhausted         | 500 | JoinReqFailed
            kek_unknown                | 500 | Other
            key_unwrap_failed          | 500 | Other
            kek_mismatch               | 400 | Other
            kek_not_rotatable          | 400 | Other
            key_file_not_private       | 500 | Other
            hsm_unavailable            | 500 | Other
            busy                       | 503 | Other
            database_error             | 500 | Other
            database_unavailable       | 503 | Other
            registry_missing           | 500 | Other
            schema_too_new             | 500 | Other
            migration_checksum         | 500 | Other
            migration_invalid          | 500 | Other
            migration_failed           | 500 | Other
            schema_not_empty           | 500 | Other
            unsupported_database       | 500 | Other
            internal_error             | 500 | Other
            unreachable                | 500 | Other
            tls_failed                 | 500 | Other
            interrupted                | 500 | Other
            bad_response               | 500 | Other
            unknown_error              | 500 | Other
            """;

    @ParameterizedTest(name = "{0} -> HTTP {1}, {2}")
    @CsvSource(delimiter = '|', textBlock = TABLE)
    void codeHttpStatusAndResultCode(String code, int httpStatus, String resultCode) {
        ErrorCode c = ErrorCode.fromCode(code).orElseThrow(() -> new AssertionError("no ErrorCode '" + code + "'"));
        assertThat(c.httpStatus()).as("HTTP status of " + code).isEqualTo(httpStatus);
        assertThat(BiErrors.resultCode(c).wire()).as("ResultCode of " + code).isEqualTo(resultCode);
    }

    @Test
    void theTableHasEveryCodeOnce() {
        var listed = TABLE.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> l.substring(0, l.indexOf('|')).strip()).toList();
        assertThat(listed).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
    }

    @Test
    void everyResultCodeIsOneOfBackendInterfaces10() {
        // the codes added in 1.1 (NoAction, FrameReplayed, MalformedMessage) would not be understood by a 1.0 network server
        assertThat(ErrorCode.values()).extracting(BiErrors::resultCode).doesNotContain(BiResultCode.SUCCESS, BiResultCode.NO_ACTION,
                BiResultCode.FRAME_REPLAYED, BiResultCode.MALFORMED_MESSAGE);
    }
}
