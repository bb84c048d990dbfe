package io.lorafab.app.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import io.lorafab.joinserver.EventBus;
import io.lorafab.store.join.RadioEvent;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes radio events to an MQTT broker as JSON on {@code <prefix>/events/<devEui>/<kind>} (QoS 1), e.g.
 * {@code lorafab/events/0004a30b001c0530/join_accepted}, with the HiveMQ MQTT client (MQTT 3.1.1).
 *
 * <p>Back-pressure: the join path only puts an event into a bounded queue and goes on; one thread drains the queue
 * into the client's asynchronous API with at most {@link Settings#maxInFlight} publishes not yet acknowledged by the
 * broker, waiting for an acknowledgement when that many are out. Paho's v3 client had a fixed in-flight window and
 * refused a publish beyond it ("Too many publishes in progress"), which lost events under load. While the broker is
 * away the client reconnects by itself and sends what is pending once back; what cannot be published — the queue
 * full for longer than {@link Settings#offerWait}, or a publish the client gives up on — is counted in
 * {@link #unpublished()} and logged (the events stay in the database and the HTTP API).
 */
public final class MqttEventPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttEventPublisher.class);

    /** Queue and window sizes: events waiting, publishes awaiting the broker's PUBACK, how long the join path may wait. */
    public record Settings(int queueCapacity, int maxInFlight, Duration offerWait) {
        public static Settings defaults() {
            return new Settings(10_000, 256, Duration.ofMillis(50));
        }
    }

    /** The broker URI is not usable, or the broker did not accept the connection; the message is one line for the user. */
    public static final class BrokerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BrokerException(String message) {
            super(message);
        }
    }

    private record Outgoing(String topic, byte[] payload) {
    }

    private final Mqtt3AsyncClient client;
    private final String prefix;
    private final EventBus bus;
    private final Settings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final Consumer<RadioEvent> subscriber = this::enqueue;
    private final BlockingQueue<Outgoing> queue;
    private final Semaphore window;
    private final LongAdder published = new LongAdder();
    private final LongAdder unpublished = new LongAdder();
    private final Thread drainer;
    private volatile boolean closing;

    public MqttEventPublisher(String brokerUri, String prefix, EventBus bus) {
        this(brokerUri, prefix, bus, Settings.defaults());
    }

    /**
     * Connects to {@code brokerUri} ({@code tcp://host[:1883]} or {@code ssl://host[:8883]}) before it returns.
     *
     * @throws BrokerException for a URI of another form, or a broker that does not accept the connection within 5 s
     */
    public MqttEventPublisher(String brokerUri, String prefix, EventBus bus, Settings settings) {
        this.prefix = prefix;
        this.bus = bus;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.window = new Semaphore(settings.maxInFlight());
        this.client = builder(brokerUri).identifier("lorafab-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000)
                .automaticReconnectWithDefaultConfig()
                .buildAsync();
        try {
            client.connectWith().cleanSession(true).keepAlive(30).send().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while connecting to MQTT broker " + brokerUri);
        } catch (java.util.concurrent.TimeoutException e) {
            // the client keeps retrying a refused connection by itself (automatic reconnect): no answer means no broker
            client.disconnect();
            throw new BrokerException("--mqtt: broker " + brokerUri + " did not accept the connection within 5 s");
        } catch (Exception e) {
            client.disconnect();
            throw new BrokerException("--mqtt: broker " + brokerUri + " did not accept the connection: " + rootMessage(e));
        }
        this.drainer = new Thread(this::drain, "lorafab-mqtt-publisher");
        drainer.setDaemon(true);
        drainer.start();
        bus.subscribe(subscriber);
    }

    private static Mqtt3ClientBuilder builder(String brokerUri) {
        URI u;
        try {
            u = new URI(brokerUri);
        } catch (URISyntaxException e) {
            throw new BrokerException("--mqtt: expected tcp://HOST[:PORT] or ssl://HOST[:PORT], got " + brokerUri);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (u.getHost() == null || !scheme.equals("tcp") && !scheme.equals("ssl")) {
            throw new BrokerException("--mqtt: expected tcp://HOST[:PORT] or ssl://HOST[:PORT], got " + brokerUri);
        }
        Mqtt3ClientBuilder b = MqttClient.builder().useMqttVersion3().serverHost(u.getHost());
        boolean tls = scheme.equals("ssl");
        b = b.serverPort(u.getPort() > 0 ? u.getPort() : tls ? 8883 : 1883);
        return tls ? b.sslWithDefaultConfig() : b;
    }

    /** On the thread that recorded the event (the join path): a bounded wait at most, never a broker round trip. */
    private void enqueue(RadioEvent e) {
        if (e.devEui() == null || closing) {
            return;
        }
        try {
            Outgoing o = new Outgoing(prefix + "/events/" + e.devEui() + "/" + e.kind(), json.writeValueAsBytes(io.lorafab.app.views.ApiViews.event(e)));
            if (!queue.offer(o, settings.offerWait().toNanos(), TimeUnit.NANOSECONDS)) {
                lost("queue full", e.kind() + " for " + e.devEui());
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            lost("interrupted", e.kind() + " for " + e.devEui());
        } catch (Exception ex) {
            lost(ex.toString(), e.kind() + " for " + e.devEui());
        }
    }

    private void drain() {
        while (!closing || !queue.isEmpty()) {
            Outgoing o;
            try {
                o = queue.poll(200, TimeUnit.MILLISECONDS);
                if (o == null) {
                    continue;
                }
                window.acquire(); // back-pressure: wait until the broker acknowledged one of the publishes out
            } catch (InterruptedException e) {
                return;
            }
            client.publishWith().topic(o.topic()).qos(MqttQos.AT_LEAST_ONCE).payload(o.payload()).send()
                    .whenComplete((ack, failure) -> {
                        window.release();
                        if (failure != null) {
                            lost(rootMessage(failure), o.topic());
                        } else {
                            published.increment();
                        }
                    });
        }
    }

    private void lost(String why, String what) {
        unpublished.increment();
        LOG.warn("MQTT: event {} not published ({}); {} not published so far", what, why, unpublished.sum());
    }

    /** Events the broker acknowledged. */
    public long published() {
        return published.sum();
    }

    /** Events that could not be published (queue full, or the client gave up on them). */
    public long unpublished() {
        return unpublished.sum();
    }

    /** Events queued or awaiting the broker's acknowledgement. */
    public int pending() {
        return queue.size() + settings.maxInFlight() - window.availablePermits();
    }

    /** Stops taking events, sends what is queued (up to 5 s more), then disconnects. */
    @Override
    public void close() {
        bus.unsubscribe(subscriber);
        closing = true;
        try {
            drainer.join(5000);
            if (window.tryAcquire(settings.maxInFlight(), 5, TimeUnit.SECONDS)) {
                window.release(settings.maxInFlight());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainer.interrupt();
        long left = queue.size() + (long) settings.maxInFlight() - window.availablePermits();
        if (left > 0) {
            unpublished.add(left);
            LOG.warn("MQTT: {} event(s) not published before shutdown", left);
        }
        try {
            client.disconnect().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("MQTT close: {}", e.toString());
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }
}
