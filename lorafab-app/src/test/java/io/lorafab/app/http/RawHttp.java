package io.lorafab.app.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 written and read by hand on a plain socket, for the attacks an ordinary client cannot make: half a
 * header, a body announced but not sent, headers of any size. Nothing here knows the server's internals.
 */
final class RawHttp implements AutoCloseable {
    /** A status line, its headers as text, and the body (empty when the connection closed before it). */
    record Answer(int status, String headers, String body) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port, int readTimeoutMs) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(readTimeoutMs);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawHttp write(String ascii) throws IOException {
        return write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one answer: status line, headers and a Content-Length body. */
    Answer read() throws IOException {
        String head = readHead();
        if (head == null) {
            throw new IOException("connection closed without an answer");
        }
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Answer(status, head, new String(body, StandardCharsets.UTF_8));
    }

    /** True when the server closed the connection (end of stream or reset) before the read timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // an answer is allowed (e.g. a 408); what matters is that the connection ends
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            int n = b.size();
            byte[] a = b.toByteArray();
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                return new String(a, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
