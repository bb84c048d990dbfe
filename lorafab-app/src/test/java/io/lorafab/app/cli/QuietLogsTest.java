package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.LogManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** The quiet logging of the demo and the registry commands: notices off, warnings and errors on, in the one format. */
class QuietLogsTest {

    @AfterEach
    void restoreTheJdkDefaults() throws Exception {
        LogManager.getLogManager().readConfiguration();
    }

    @Test
    void systemLoggersOfTheModulesShowWarningsAndErrorsOnlyThroughSlf4j() {
        QuietLogs.apply();
        System.Logger gateway = System.getLogger("io.lorafab.gateway.SemtechUdpConnector");
        assertThat(gateway.isLoggable(System.Logger.Level.INFO)).isFalse();
        assertThat(gateway.isLoggable(System.Logger.Level.WARNING)).isTrue();
        assertThat(gateway.isLoggable(System.Logger.Level.ERROR)).isTrue();
        assertThat(java.util.logging.Logger.getLogger("").getHandlers()).hasSize(1)
                .allSatisfy(h -> assertThat(h).isInstanceOf(SLF4JBridgeHandler.class));
    }
}
