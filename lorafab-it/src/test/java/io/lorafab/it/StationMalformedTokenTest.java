package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A station started with a malformed LORAFAB_TOKEN stops with one line that does not show the value. */
class StationMalformedTokenTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lft_TypoSecretValue0123456789abcdefghijklmnopqrs!", "lft_SecretValue\"with-quote0123456789abcdefghijk",
            "SecretValueWithoutThePrefix0123456789abcdefghijklmn", "lft_TooShortSecretValue"})
    void aMalformedTokenIsRefusedWithoutEchoingIt(String token) throws Exception {
        try (StationProcess st = StationProcess.start(token, List.of("--server", "http://127.0.0.1:9", "--order", "WO-1",
                "--port", "/dev/null", "--dialect", "rak3172", "--allocate"))) {
            assertThat(st.waitFor(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(st.output()).isEqualTo("error: LORAFAB_TOKEN is not a lorafab API token (expected lft_ and 43 letters, digits, "
                    + "'-' or '_', as 'lorafab tokens create' prints it); the value is not shown\n");
            assertThat(st.output()).doesNotContain("SecretValue");
        }
    }
}
