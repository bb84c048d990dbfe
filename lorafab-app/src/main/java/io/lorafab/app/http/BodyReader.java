package io.lorafab.app.http;

import io.lorafab.api.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Reads request bodies into memory, never more than the route allows, never faster than a deadline, and never
 * more in total than a memory budget shared by all requests in flight.
 *
 * <p>The JDK server offers no read timeout for bodies (its {@code maxReqTime} ends with the headers), and its
 * connections are blocking {@code SocketChannel}s: interrupting the thread that waits in a read closes the
 * channel. The deadline therefore interrupts the reading thread, which drops that one connection.
 */
final class BodyReader {
    private static final int CHUNK = 64 << 10;

    /** The client went away or did not send its body in time: the connection is closed, there is nobody to answer. */
    static final class ClientGone extends IOException {
        private static final long serialVersionUID = 1L;

        ClientGone(String message) {
            super(message);
        }
    }

    /** A body read into memory; {@link #release()} returns its bytes to the budget once the request is done. */
    final class Body {
        private final byte[] bytes;
        private int held;

        private Body(byte[] bytes, int held) {
            this.bytes = bytes;
            this.held = held;
        }

        byte[] bytes() {
            return bytes;
        }

        void release() {
            budget.release(held);
            held = 0;
        }
    }

    private final Semaphore budget;
    private final int budgetBytes;
    private final ScheduledExecutorService alarms;

    /** @param budgetBytes the bytes of request bodies held in memory at once, over all requests */
    BodyReader(int budgetBytes, ScheduledExecutorService alarms) {
        this.budget = new Semaphore(budgetBytes);
        this.budgetBytes = budgetBytes;
        this.alarms = alarms;
    }

    int budgetBytes() {
        return budgetBytes;
    }

    /**
     * Reads a body of {@code declared} bytes (-1: chunked, length unknown) of at most {@code limit} bytes.
     *
     * @throws ApiException 413 {@code payload_too_large} once the body is known to exceed {@code limit}, 503
     *                      {@code busy} when the budget cannot hold it now
     * @throws ClientGone   when the client closed the connection or missed the deadline
     */
    Body read(InputStream in, long declared, int limit, Duration deadline, String what) throws IOException {
        if (declared > limit) {
            throw tooLarge(limit, what);
        }
        Thread reader = Thread.currentThread();
        boolean[] state = {true, false}; // reading, timed out: guarded by the array's monitor
        ScheduledFuture<?> alarm = alarms.schedule(() -> {
            synchronized (state) {
                if (state[0]) {
                    state[1] = true;
                    reader.interrupt();
                }
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        int held = 0;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared >= 0 ? (int) declared : CHUNK);
            byte[] chunk = new byte[(int) Math.min(CHUNK, declared >= 0 ? Math.max(declared, 1) : CHUNK)];
            while (true) {
                // take the budget before the bytes arrive, so that many large bodies at once cannot exhaust the heap
                int want = Math.min(chunk.length, limit + 1 - out.size());
                if (!budget.tryAcquire(want)) {
                    throw new ApiException(ErrorCode.BUSY, "too many large request bodies at once; retry later");
                }
                held += want;
                int n = in.read(chunk, 0, want);
                int unused = n < 0 ? want : want - n;
                budget.release(unused);
                held -= unused;
                if (n < 0) {
                    break;
                }
                out.write(chunk, 0, n);
                if (out.size() > limit) {
                    throw tooLarge(limit, what);
                }
            }
            if (declared >= 0 && out.size() < declared) {
                throw new ClientGone("request body ended early");
            }
            Body body = new Body(out.toByteArray(), held);
            held = 0;
            return body;
        } catch (IOException e) {
            boolean late;
            synchronized (state) {
                late = state[1];
            }
            throw new ClientGone(late ? "request body not received within " + deadline.toSeconds() + " s" : "client went away");
        } finally {
            synchronized (state) {
                state[0] = false;
            }
            alarm.cancel(false);
            Thread.interrupted(); // an alarm that fired just as the read ended must not hit later work
            budget.release(held);
        }
    }

    private static ApiException tooLarge(int limit, String what) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, limit == 0 ? what + " takes no request body"
                : "the request body of " + what + " is limited to " + size(limit));
    }

    static String size(int bytes) {
        return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }
}
