package io.lorafab.app.http;

/** A response: status, content type, body, and an optional download file name. */
public record HttpResponse(int status, String contentType, byte[] body, String fileName) {

    public static HttpResponse json(int status, byte[] body) {
        return new HttpResponse(status, "application/json", body, null);
    }

    public static HttpResponse file(String contentType, byte[] body, String fileName) {
        return new HttpResponse(200, contentType, body, fileName);
    }
}
