package io.lorafab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void nearestRankPercentiles() {
        List<Duration> s = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            s.add(Duration.ofMillis(i));
        }
        Collections.shuffle(s, new java.util.Random(1));
        LatencyStats st = LatencyStats.of(s);
        assertThat(st.count()).isEqualTo(100);
        assertThat(st.p50()).isEqualTo(Duration.ofMillis(50));
        assertThat(st.p90()).isEqualTo(Duration.ofMillis(90));
        assertThat(st.p99()).isEqualTo(Duration.ofMillis(99));
        assertThat(st.max()).isEqualTo(Duration.ofMillis(100));
        assertThat(LatencyStats.of(List.of()).count()).isZero();
        assertThat(LatencyStats.of(List.of(Duration.ofMillis(7))).p99()).isEqualTo(Duration.ofMillis(7));
    }

    @Test
    void serverAddressParsing() {
        assertThat(JoinLoadGenerator.parseServer("127.0.0.1:1700").getPort()).isEqualTo(1700);
        assertThatThrownBy(() -> JoinLoadGenerator.parseServer("host")).isInstanceOf(SimException.class);
        assertThatThrownBy(() -> JoinLoadGenerator.parseServer("host:0")).isInstanceOf(SimException.class);
        assertThatThrownBy(() -> JoinLoadGenerator.parseServer("host:x")).isInstanceOf(SimException.class);
    }
}
