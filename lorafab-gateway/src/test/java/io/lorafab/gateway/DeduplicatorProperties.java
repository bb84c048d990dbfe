package io.lorafab.gateway;

import static io.lorafab.gateway.Fixtures.JOIN_REQUEST;
import static io.lorafab.gateway.Fixtures.T0;
import static io.lorafab.gateway.Fixtures.rx;
import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.Eui64;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class DeduplicatorProperties {
    private static final Duration WINDOW = Duration.ofMillis(200);

    /** Any receptions of one frame within the window: one uplink, one reception per gateway, best first. */
    @Property(tries = 200)
    void oneUplinkPerFrameWithOneReceptionPerGateway(
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 5) Integer> gateways,
            @ForAll @Size(min = 12, max = 12) List<@IntRange(min = -130, max = -30) Integer> rssi,
            @ForAll @Size(min = 12, max = 12) List<@IntRange(min = -20, max = 15) Integer> snr) {
        Deduplicator d = new Deduplicator(WINDOW, 10);
        Set<Eui64> distinct = new HashSet<>();
        for (int i = 0; i < gateways.size(); i++) {
            Eui64 gw = Eui64.of(gateways.get(i));
            distinct.add(gw);
            d.offer(JOIN_REQUEST, rx(gw, rssi.get(i), snr.get(i)), T0.plusMillis(i * 10L));
        }

        List<Uplink> out = d.flushDue(T0.plus(WINDOW));

        assertThat(out).hasSize(1);
        List<RxInfo> receptions = out.get(0).receptions();
        assertThat(receptions).hasSize(distinct.size());
        assertThat(receptions).isSortedAccordingTo(RxInfo.BEST_FIRST);
        assertThat(receptions).extracting(RxInfo::gatewayEui).doesNotHaveDuplicates();
        assertThat(d.pendingFrames()).isZero();
    }

}
