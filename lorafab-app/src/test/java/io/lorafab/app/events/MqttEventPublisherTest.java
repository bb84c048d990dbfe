package io.lorafab.app.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import io.lorafab.app.http.ApiServer;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.sim.JoinLoadGenerator;
import io.lorafab.sim.JoinLoadReport;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.testkit.TestPostgres;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's MQTT point, through the local Mosquitto (127.0.0.1:1883): a join load of the size that made Paho's v3
 * client log "Too many publishes in progress" loses no event, and what cannot be published is counted.
 */
class MqttEventPublisherTest {

    private static final String BROKER = "tcp://127.0.0.1:1883";

    @TempDir
    Path dir;

    /** A subscriber on {@code topicFilter} that keeps every message's topic and payload. */
    private static Mqtt3AsyncClient subscriber(String topicFilter, Set<String> got) throws Exception {
        Mqtt3AsyncClient sub = MqttClient.builder().useMqttVersion3().identifier("lorafab-test-sub-" + System.nanoTime())
                .serverHost("127.0.0.1").serverPort(1883).buildAsync();
        sub.connectWith().cleanSession(true).send().get(5, TimeUnit.SECONDS);
        sub.subscribeWith().topicFilter(topicFilter).qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> got.add(p.getTopic() + " " + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send()
                .get(5, TimeUnit.SECONDS);
        return sub;
    }

    @Test
    void twoHundredFiftyJoinsThroughTheJoinServerPublishEveryEventOnce() throws Exception {
        int devices = 250;
        String url = TestPostgres.freshSchema();
        String prefix = "lorafab-load-" + System.nanoTime();
        Set<String> got = ConcurrentHashMap.newKeySet();
        Mqtt3AsyncClient sub = subscriber(prefix + "/events/#", got);
        try (Lorafab lf = Lorafab.open(url, dir.resolve("data"), Map.of(), Clock.systemUTC());
                ApiServer api = new ApiServer(lf, "127.0.0.1", 0, 2);
                JoinServerRuntime js = new JoinServerRuntime(lf, JoinServerConfig.defaults().withNetId(NetId.parse("000013"))
                        .withRateLimits(0, 0).withDownlinkPlanning(false), new InetSocketAddress("127.0.0.1", 0), null, api);
                MqttEventPublisher pub = new MqttEventPublisher(BROKER, prefix, lf.events())) {
            js.start();
            List<DeviceIdentity> registered = new ArrayList<>();
            List<io.lorafab.sim.DeviceIdentity> simulated = new ArrayList<>();
            Eui64 join = Eui64.parse("70b3d57ed0000001");
            for (int i = 0; i < devices; i++) {
                Eui64 dev = Eui64.of(0x0080000000a00000L + i);
                AesKey app = lf.provisioning().newKey();
                registered.add(new DeviceIdentity(dev, join, app, null, MacVersion.V1_0_4, Region.byName("EU868"), null, null));
                simulated.add(new io.lorafab.sim.DeviceIdentity(dev, join, app, null, MacVersion.V1_0_4, Region.byName("EU868")));
            }
            lf.provisioning().importDevices(registered, null, UnitOrigin.IMPORTED, "test");

            JoinLoadReport r = new JoinLoadGenerator(new InetSocketAddress("127.0.0.1", js.udpPort()), 4, 32, dir.resolve("nvm"),
                    Clock.systemUTC(), System::nanoTime, Duration.ofSeconds(8), JoinLoadGenerator.Radio.EU868_SF7,
                    VirtualGateway.Timing.COMPRESSED).run(simulated);
            assertThat(r.joined()).isEqualTo(devices);

            // two events a join: join_accepted, and join_accept_sent once the gateway took the downlink
            int events = 2 * devices;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < events && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(got).hasSize(events);
            assertThat(got.stream().filter(m -> m.contains("/join_accepted {"))).hasSize(devices);
            assertThat(got.stream().filter(m -> m.contains("/join_accept_sent {"))).hasSize(devices);
            assertThat(pub.published()).isEqualTo(events);
            assertThat(pub.unpublished()).isZero();
        } finally {
            sub.disconnect().get(5, TimeUnit.SECONDS);
            TestPostgres.drop(url);
        }
    }

    @Test
    void eventsThatCannotBePublishedAreCountedNotLostSilently() throws Exception {
        String url = TestPostgres.freshSchema();
        try (Lorafab lf = Lorafab.open(url, dir.resolve("data"), Map.of(), Clock.systemUTC())) {
            // one publish at a time and room for two more: a burst of 50 recorded at once cannot all wait
            MqttEventPublisher pub = new MqttEventPublisher(BROKER, "lorafab-burst-" + System.nanoTime(), lf.events(),
                    new MqttEventPublisher.Settings(2, 1, Duration.ZERO));
            for (int i = 0; i < 50; i++) {
                lf.events().publish(new io.lorafab.store.join.RadioEvent(i + 1, java.time.Instant.now(), Eui64.of(0x0080000000b00000L + i),
                        "join_accepted", null, null, -60, 9.0, 868_100_000L, "SF7BW125", null));
            }
            pub.close();
            assertThat(pub.published() + pub.unpublished()).isEqualTo(50);
            assertThat(pub.unpublished()).isPositive();
        } finally {
            TestPostgres.drop(url);
        }
    }

    @Test
    void aBrokerThatIsNotThereOrAUriOfAnotherKindIsOneClearLine() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MqttEventPublisher("tcp://127.0.0.1:1", "x", new io.lorafab.joinserver.EventBus()))
                .isInstanceOf(MqttEventPublisher.BrokerException.class)
                .hasMessageStartingWith("--mqtt: broker tcp://127.0.0.1:1 did not accept the connection").hasMessageNotContaining("Exception");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MqttEventPublisher("http://127.0.0.1:1883", "x", new io.lorafab.joinserver.EventBus()))
                .isInstanceOf(MqttEventPublisher.BrokerException.class)
                .hasMessage("--mqtt: expected tcp://HOST[:PORT] or ssl://HOST[:PORT], got http://127.0.0.1:1883");
    }
}
