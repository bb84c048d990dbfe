package io.lorafab.app.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.joinserver.EventBus;
import io.lorafab.store.join.RadioEvent;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes radio events to an MQTT broker as JSON on {@code <prefix>/events/<devEui>/<kind>} (QoS 1), e.g.
 * {@code lorafab/events/0004a30b001c0530/join_accepted}. The client reconnects by itself; an event that cannot
 * be published while the broker is away is logged and dropped (the events stay in the database and the HTTP API).
 */
public final class MqttEventPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttEventPublisher.class);
    private final MqttClient client;
    private final String prefix;
    private final EventBus bus;
    private final ObjectMapper json = new ObjectMapper();
    private final Consumer<RadioEvent> subscriber = this::publish;

    public MqttEventPublisher(String brokerUri, String prefix, EventBus bus) throws MqttException {
        this.prefix = prefix;
        this.bus = bus;
        this.client = new MqttClient(brokerUri, "lorafab-" + ProcessHandle.current().pid(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setAutomaticReconnect(true);
        o.setCleanSession(true);
        o.setConnectionTimeout(5);
        client.connect(o);
        bus.subscribe(subscriber);
    }

    private void publish(RadioEvent e) {
        if (e.devEui() == null) {
            return;
        }
        try {
            MqttMessage m = new MqttMessage(json.writeValueAsBytes(EventViews.event(e, json)));
            m.setQos(1);
            client.publish(prefix + "/events/" + e.devEui() + "/" + e.kind(), m);
        } catch (Exception ex) {
            LOG.warn("MQTT publish of {} for {} failed: {}", e.kind(), e.devEui(), ex.toString());
        }
    }

    @Override
    public void close() {
        bus.unsubscribe(subscriber);
        try {
            client.disconnect(2000);
            client.close();
        } catch (MqttException e) {
            LOG.debug("MQTT close: {}", e.toString());
        }
    }
}
