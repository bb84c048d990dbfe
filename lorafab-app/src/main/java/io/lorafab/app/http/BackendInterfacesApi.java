package io.lorafab.app.http;

import io.lorafab.api.ApiRoutes;
import io.lorafab.app.wiring.ExportKeks;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.joinserver.JoinServer;
import io.lorafab.joinserver.bi.BackendInterfaces;
import io.lorafab.joinserver.bi.BiCodec;
import io.lorafab.joinserver.bi.JoinHandling;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /api/backend-interfaces}: the LoRaWAN Backend Interfaces over HTTP. Only carries bytes: the token's
 * name and the body go to {@link BackendInterfaces}, which holds every rule and audit record; its answer is sent
 * as HTTP 200 (the result inside, as the specification has it), a refusal without an answer with its code's status.
 */
public final class BackendInterfacesApi {

    private final BackendInterfaces service;

    public BackendInterfacesApi(Lorafab lf, JoinServer joinServer) {
        this(lf, joinServer, BackendInterfaces.Settings.defaults());
    }

    public BackendInterfacesApi(Lorafab lf, JoinServer joinServer, BackendInterfaces.Settings settings) {
        this(lf, JoinHandling.blocking(joinServer), settings);
    }

    /** @param joins how JoinReqs' joins are handled: with a future the join server completes, no HTTP thread waits for a commit */
    public BackendInterfacesApi(Lorafab lf, JoinHandling joins, BackendInterfaces.Settings settings) {
        this.service = new BackendInterfaces(joins, lf.joinStore(), lf.vault(), lf.registry(),
                ExportKeks.forBackendInterfaces(lf.env(), lf.dataDir()), settings, Clock.systemUTC());
    }

    public void register(ApiServer s) {
        s.respond(ApiRoutes.BACKEND_INTERFACES, this::handle);
    }

    /**
     * A JoinReq's answer may complete after its join's commit: then the HTTP thread (and its handler permit) is free
     * meanwhile, and the answer is sent by whoever completes it. Every other answer is complete at once and sent
     * from this thread, without the hand-off.
     */
    private HttpResponse handle(HttpRequest r) {
        CompletableFuture<BackendInterfaces.Answer> answer = service.answerAsync(r.body(),
                new BackendInterfaces.Token(r.token().id(), r.token().name()));
        if (answer.isDone()) {
            return response(answer.join()); // a failure is answered as the API answers a handler's exception
        }
        return HttpResponse.later(answer.thenApply(BackendInterfacesApi::response));
    }

    private static HttpResponse response(BackendInterfaces.Answer answer) {
        if (answer instanceof BackendInterfaces.Answer.Refused f) {
            throw new ApiException(f.code(), f.message());
        }
        return HttpResponse.json(200, BiCodec.write(((BackendInterfaces.Answer.Message) answer).message()));
    }
}
