package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The quiet logging of the demo and the registry commands: notices off, warnings and errors on. */
class QuietLogsTest {

    @AfterEach
    void restoreTheJdkDefaults() throws Exception {
        LogManager.getLogManager().readConfiguration();
    }

    @Test
    void systemLoggersOfTheModulesShowWarningsAndErrorsOnly() {
        QuietLogs.apply();
        System.Logger gateway = System.getLogger("io.lorafab.gateway.SemtechUdpConnector");
        assertThat(gateway.isLoggable(System.Logger.Level.INFO)).isFalse();
        assertThat(gateway.isLoggable(System.Logger.Level.WARNING)).isTrue();
        assertThat(gateway.isLoggable(System.Logger.Level.ERROR)).isTrue();
        assertThat(java.util.logging.Logger.getLogger("").getHandlers()).hasSize(1)
                .allSatisfy(h -> assertThat(h).isInstanceOf(java.util.logging.ConsoleHandler.class));
    }
}
