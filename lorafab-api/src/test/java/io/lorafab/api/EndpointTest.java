package io.lorafab.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void pathValuesAreFilledInOrderAndEncoded() {
        assertThat(ApiRoutes.RESERVE.resolve("WO 1/a")).isEqualTo("/api/orders/WO%201%2Fa/reserve");
        assertThat(ApiRoutes.FINISH.resolve("70B3D57ED0000001")).isEqualTo("/api/units/70B3D57ED0000001/finish");
        assertThat(ApiRoutes.HEALTH.resolve()).isEqualTo("/api/health");
    }

    @Test
    void aWrongCountOfPathValuesIsRefused() {
        assertThatThrownBy(() -> ApiRoutes.RESERVE.resolve()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiRoutes.HEALTH.resolve("x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyRouteIsUnderApiWithAKnownRoleAndMethod() {
        for (Endpoint<?, ?> e : ApiRoutes.all()) {
            if (e != ApiRoutes.METRICS) { // /metrics: where Prometheus looks unless told otherwise
                assertThat(e.path()).as(e.key()).startsWith("/api/");
            }
            assertThat(e.method()).as(e.key()).isIn("GET", "POST", "PUT", "DELETE");
            if (e.role() != null) {
                assertThat(e.role()).as(e.key()).isIn(ApiRoutes.OPERATOR, ApiRoutes.ENGINEER, ApiRoutes.ADMIN, ApiRoutes.NETWORK_SERVER);
            }
            // a GET or DELETE reads no body
            if (Set.of("GET", "DELETE").contains(e.method())) {
                assertThat(e.requestMediaType()).as(e.key()).isNull();
            }
        }
    }

    @Test
    void onlyHealthAndTheDescriptionNeedNoToken() {
        assertThat(ApiRoutes.all().stream().filter(e -> e.role() == null).map(Endpoint::key))
                .containsExactlyInAnyOrder("GET /api/health", "GET /api/openapi.json");
    }
}
