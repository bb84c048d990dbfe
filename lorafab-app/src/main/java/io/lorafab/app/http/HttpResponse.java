package io.lorafab.app.http;

import java.util.concurrent.CompletableFuture;

/**
 * A response: status, content type, body, and an optional download file name — or, from {@link #later}, a
 * response that another thread completes (a long-poll), so that no HTTP worker waits for it.
 */
public record HttpResponse(int status, String contentType, byte[] body, String fileName, CompletableFuture<HttpResponse> deferred) {

    public static HttpResponse json(int status, byte[] body) {
        return new HttpResponse(status, "application/json", body, null, null);
    }

    public static HttpResponse file(String contentType, byte[] body, String fileName) {
        return new HttpResponse(200, contentType, body, fileName, null);
    }

    /** The response will be {@code future}'s; the request's worker thread is free meanwhile. */
    public static HttpResponse later(CompletableFuture<HttpResponse> future) {
        return new HttpResponse(0, null, new byte[0], null, future);
    }
}
