package io.lorafab.sim;

import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Joins N virtual devices through G virtual gateways (Semtech UDP or LoRa Basics Station, see {@link SimGateway}) to a
 * join server and measures joins per second and join latency; the engine of
 * {@code lorafab sim joins --devices N --gateways G}.
 * The devices must already be known to the server (same DevEUI, JoinEUI, keys and version). Device i goes through
 * gateway i mod G; {@code concurrency} devices join at a time. Each device keeps its NVM in
 * {@code nvmDir/<DevEUI>.json}, so a second run continues the DevNonces.
 */
public final class JoinLoadGenerator {

    /** Radio parameters of the simulated receptions. */
    public record Radio(long frequencyHz, int sf, int rssi, double snr) {
        public static final Radio EU868_SF7 = new Radio(868_100_000L, 7, -60, 9.0);
    }

    /** Makes the run's gateway number {@code index} (from 0), not yet connected. */
    @FunctionalInterface
    public interface Gateways {
        SimGateway open(int index) throws IOException;
    }

    /** The EUI of a load run's gateway number {@code index}. */
    public static Eui64 gatewayEui(int index) {
        return Eui64.of(0x00800000A0000000L + index);
    }

    private final Gateways factory;
    private final int gateways;
    private final int concurrency;
    private final Path nvmDir;
    private final LongSupplier nanoTime;
    private final Radio radio;

    /**
     * @param clock the gateways' concentrator clock
     * @param nanoTime the monotonic time source for latency and throughput (System::nanoTime in production)
     * @param timing when the gateways hand a downlink to its device: {@link VirtualGateway.Timing#COMPRESSED}
     *               measures the server (latency = until the gateway accepted the join-accept for its slot),
     *               {@link VirtualGateway.Timing#ON_AIR} the line (latency includes the 5 s to RX1)
     */
    public JoinLoadGenerator(InetSocketAddress server, int gateways, int concurrency, Path nvmDir, Clock clock,
            LongSupplier nanoTime, Duration replyTimeout, Radio radio, VirtualGateway.Timing timing) {
        this(i -> new VirtualGateway(gatewayEui(i), server, clock, replyTimeout, java.util.Objects.requireNonNull(timing, "timing")),
                gateways, concurrency, nvmDir, nanoTime, radio);
    }

    /**
     * @param factory  makes each gateway (any {@link SimGateway}: its timing decides what the latency measures)
     * @param nanoTime the monotonic time source for latency and throughput (System::nanoTime in production)
     */
    public JoinLoadGenerator(Gateways factory, int gateways, int concurrency, Path nvmDir, LongSupplier nanoTime, Radio radio) {
        if (gateways < 1 || concurrency < 1) {
            throw new SimException("join load: at least one gateway and one concurrent device");
        }
        this.factory = java.util.Objects.requireNonNull(factory, "factory");
        this.gateways = gateways;
        this.concurrency = concurrency;
        this.nvmDir = nvmDir;
        this.nanoTime = nanoTime;
        this.radio = radio;
    }

    /** Parses HOST:PORT. */
    public static InetSocketAddress parseServer(String hostPort) {
        int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new SimException("--server: expected HOST:PORT, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new SimException("--server: expected a port 1-65535 after the host, got '" + hostPort.substring(colon + 1) + "'");
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            // a datagram channel would refuse it later with no word of which host
            throw new SimException("--server: cannot resolve host '" + host + "'");
        }
        return a;
    }

    /** Joins every device once. */
    public JoinLoadReport run(List<DeviceIdentity> devices) throws IOException, InterruptedException {
        List<SimGateway> gws = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            for (int g = 0; g < gateways; g++) {
                SimGateway gw = factory.open(g);
                gws.add(gw);
                gw.connect(Duration.ofSeconds(5));
                gw.startKeepAlive();
            }
            List<Duration> latencies = Collections.synchronizedList(new ArrayList<>());
            Map<JoinRefusal, Integer> refused = Collections.synchronizedMap(new EnumMap<>(JoinRefusal.class));
            AtomicInteger joined = new AtomicInteger();
            AtomicInteger noAnswer = new AtomicInteger();
            SplittableRandom seeds = new SplittableRandom(devices.size());
            long start = nanoTime.getAsLong();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < devices.size(); i++) {
                DeviceIdentity id = devices.get(i);
                SimGateway gw = gws.get(i % gateways);
                VirtualDevice d = new VirtualDevice(id, DeviceNvm.open(nvmDir.resolve(id.devEui() + ".json")), seeds.split());
                done.add(pool.submit(() -> {
                    long t0 = nanoTime.getAsLong();
                    Optional<byte[]> down = gw.deliver(d, d.joinRequest(), radio.frequencyHz(), radio.sf(), radio.rssi(), radio.snr());
                    if (down.isEmpty()) {
                        noAnswer.incrementAndGet();
                        return null;
                    }
                    JoinOutcome out = d.acceptJoin(down.get());
                    if (out.joined()) {
                        latencies.add(Duration.ofNanos(nanoTime.getAsLong() - t0));
                        joined.incrementAndGet();
                    } else {
                        refused.merge(out.refusal().orElseThrow(), 1, Integer::sum);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException("join load: a device failed: " + e.getCause(), e.getCause());
                }
            }
            Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
            Map<io.lorafab.gateway.semtech.TxAckError, Long> downlinksRefused = new EnumMap<>(io.lorafab.gateway.semtech.TxAckError.class);
            for (io.lorafab.gateway.semtech.TxAckError e : io.lorafab.gateway.semtech.TxAckError.values()) {
                long n = gws.stream().mapToLong(g -> g.refusedDownlinks(e)).sum();
                if (n > 0) {
                    downlinksRefused.put(e, n);
                }
            }
            return new JoinLoadReport(devices.size(), gateways, joined.get(), noAnswer.get(), refused, elapsed,
                    LatencyStats.of(latencies), downlinksRefused);
        } finally {
            pool.shutdownNow();
            gws.forEach(SimGateway::close);
        }
    }
}
