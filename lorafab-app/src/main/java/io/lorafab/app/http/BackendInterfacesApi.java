package io.lorafab.app.http;

import io.lorafab.api.ApiRoutes;
import io.lorafab.app.wiring.ExportKeks;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.joinserver.JoinServer;
import io.lorafab.joinserver.bi.BackendInterfaces;
import io.lorafab.joinserver.bi.BiCodec;
import java.time.Clock;

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
        this.service = new BackendInterfaces(joinServer, lf.joinStore(), lf.vault(), lf.registry(),
                ExportKeks.forBackendInterfaces(lf.env(), lf.dataDir()), settings, Clock.systemUTC());
    }

    public void register(ApiServer s) {
        s.respond(ApiRoutes.BACKEND_INTERFACES, this::handle);
    }

    private HttpResponse handle(HttpRequest r) {
        BackendInterfaces.Answer answer = service.answer(r.body(), new BackendInterfaces.Token(r.token().id(), r.token().name()));
        if (answer instanceof BackendInterfaces.Answer.Refused f) {
            throw new ApiException(f.code(), f.message());
        }
        return HttpResponse.json(200, BiCodec.write(((BackendInterfaces.Answer.Message) answer).message()));
    }
}
