package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The operator's lines, and the serial port going while the station waits for one. */
class OperatorInputTest {

    @Test
    void linesInOrderThenNullAtEveryReadAfterTheEnd() throws Exception {
        OperatorInput in = new OperatorInput(new ByteArrayInputStream("70b3d57ed0070010\n\nR\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(in.readLine()).isEqualTo("70b3d57ed0070010");
        assertThat(in.readLine()).isEmpty();
        assertThat(in.readLine()).isEqualTo("R");
        assertThat(in.readLine()).isNull();
        assertThat(in.readLine()).isNull();
    }

    @Test
    void aPortThatGoesEndsAWaitInProgress() throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        OperatorInput in = new OperatorInput(new PipedInputStream(keyboard));
        CompletableFuture<Void> port = new CompletableFuture<>();
        in.stopWhen(port);
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return in.readLine();
            } catch (OperatorInput.PortGone e) {
                return "gone: " + e.getMessage();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waiting).as("nothing typed, port up").isNotDone();
        port.complete(null);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("gone: port_unavailable: the serial line has closed");
        assertThatThrownBy(in::readLine).isInstanceOf(OperatorInput.PortGone.class);
        keyboard.close();
    }

    @Test
    void aLineTypedBeforeThePortWentStartsNoUnit() throws Exception {
        OperatorInput in = new OperatorInput(new ByteArrayInputStream("70b3d57ed0070010\n".getBytes(StandardCharsets.UTF_8)));
        CompletableFuture<Void> port = new CompletableFuture<>();
        in.stopWhen(port);
        port.complete(null);
        assertThatThrownBy(in::readLine).isInstanceOf(OperatorInput.PortGone.class);
    }
}
