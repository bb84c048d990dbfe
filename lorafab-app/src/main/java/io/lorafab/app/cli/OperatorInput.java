package io.lorafab.app.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * What the operator types at the station — scanned labels, Enter, answers — read line by line on a thread of its
 * own, so that the station waiting for the next line also hears of the fixture's serial port going away
 * ({@link #stopWhen}) and need not wait for a scan to find out.
 */
final class OperatorInput {

    /** The serial port has gone: no unit should be started on it. */
    static final class PortGone extends Exception {
        private static final long serialVersionUID = 1L;

        PortGone() {
            super("port_unavailable: the serial line has closed");
        }
    }

    private static final Object END = new Object();
    private static final Object GONE = new Object();

    private final BlockingDeque<Object> next = new LinkedBlockingDeque<>();
    private volatile boolean gone;

    OperatorInput(InputStream in) {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    next.add(line);
                }
            } catch (IOException e) {
                // standard input is unreadable: as its end
            }
            next.add(END);
        }, "operator-input");
        t.setDaemon(true);
        t.start();
    }

    /**
     * From when {@code portGone} completes, {@link #readLine} throws {@link PortGone}, a wait in progress too. Called
     * again with a reopened port's signal, reading goes on (lines typed meanwhile kept) until that one completes.
     */
    void stopWhen(CompletionStage<?> portGone) {
        gone = false;
        next.remove(GONE);
        portGone.thenRun(() -> {
            gone = true;
            next.addFirst(GONE);
        });
    }

    /**
     * The next line the operator typed, or null once input has ended.
     *
     * @throws PortGone when the serial port has gone, even if a line is waiting: it would start a unit on a dead port
     */
    String readLine() throws PortGone, InterruptedException {
        Object o = next.takeFirst();
        if (o == END || o == GONE) {
            next.addFirst(o); // every later read gets the same
        }
        if (gone) {
            throw new PortGone();
        }
        return o == END ? null : (String) o;
    }
}
