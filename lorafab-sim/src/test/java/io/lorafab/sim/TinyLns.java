package io.lorafab.sim;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A test-only LNS on a plain socket: just enough of RFC 6455 (upgrade, unfragmented text frames, close) to script
 * what a server says to the virtual station and in which order, which the real server never gets wrong. Discovery
 * answers with {@code ws://127.0.0.1:<port>/traffic/<id>}; every text the station sends on the traffic socket goes to
 * {@link #fromStation}, and {@code onText} may answer at once (on the reading thread, so in order).
 */
final class TinyLns implements AutoCloseable {

    final LinkedBlockingQueue<String> fromStation = new LinkedBlockingQueue<>();
    private final ServerSocket server;
    private final BiConsumer<TinyLns, String> onText;
    private volatile OutputStream traffic;

    TinyLns(BiConsumer<TinyLns, String> onText) throws IOException {
        this.onText = onText;
        this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tiny-lns");
        t.setDaemon(true);
        t.start();
    }

    String uri() {
        return "ws://127.0.0.1:" + server.getLocalPort();
    }

    /** The next text the station sent on its traffic socket. */
    String next() throws InterruptedException {
        String s = fromStation.poll(5, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("nothing from the station within 5 s");
        }
        return s;
    }

    /** Sends a text frame on the traffic socket. */
    synchronized void send(String text) {
        try {
            writeFrame(traffic, 0x1, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "tiny-lns-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            String path = null;
            String key = null;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                if (path == null) {
                    path = line.split(" ")[1];
                } else if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                    key = line.substring(line.indexOf(':') + 1).strip();
                }
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            boolean info = path.endsWith("/router-info");
            if (!info) {
                traffic = out;
            }
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long len = b1 & 0x7F;
                if (len == 126) {
                    len = in.readUnsignedShort();
                } else if (len == 127) {
                    len = in.readLong();
                }
                byte[] mask = new byte[4];
                if ((b1 & 0x80) != 0) {
                    in.readFully(mask);
                }
                byte[] payload = new byte[(int) len];
                in.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                int opcode = b0 & 0x0F;
                if (opcode == 0x8) {
                    synchronized (this) {
                        writeFrame(out, 0x8, new byte[0]);
                    }
                    return;
                }
                if (opcode != 0x1) {
                    continue;
                }
                String text = new String(payload, StandardCharsets.UTF_8);
                if (info) {
                    synchronized (this) {
                        writeFrame(out, 0x1, ("{\"router\":\"b827:ebff:fe61:f47d\",\"muxs\":\"tiny\",\"uri\":\"" + uri()
                                + "/traffic/B827EBFFFE61F47D\"}").getBytes(StandardCharsets.UTF_8));
                    }
                } else {
                    fromStation.add(text);
                    onText.accept(this, text);
                }
            }
        } catch (Exception e) {
            // the peer went away
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static void writeFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
        out.write(0x80 | opcode);
        if (payload.length < 126) {
            out.write(payload.length);
        } else {
            out.write(126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xFF);
        }
        out.write(payload);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
