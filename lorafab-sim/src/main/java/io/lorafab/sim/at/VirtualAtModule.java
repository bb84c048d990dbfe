package io.lorafab.sim.at;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.sim.DeviceIdentity;
import io.lorafab.sim.DeviceNvm;
import io.lorafab.sim.JoinOutcome;
import io.lorafab.sim.NvmSession;
import io.lorafab.sim.VirtualDevice;
import io.lorafab.sim.SimGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What every virtual AT module on a serial line has in common; a subclass only parses its dialect's commands and
 * words its answers. The base reads command lines until the line closes, writes answers and asynchronous lines
 * whole (one lock, so an event never splits an answer), keeps the identity the station programmed, and owns the
 * radio: a single thread on which the module joins (a {@link VirtualDevice} of LoRaWAN 1.0.2 in EU868, its NVM
 * a file per DevEUI, heard by a {@link SimGateway}) and sends uplinks, so the serial side keeps answering
 * while the radio waits for a downlink. Nothing here logs a key.
 */
public abstract class VirtualAtModule implements Runnable {
    private static final System.Logger LOG = System.getLogger(VirtualAtModule.class.getName());

    /**
     * EU868 channel 0 for the join-request, channel 2 for uplinks; the join at SF7BW125 (DR5), uplinks at the data rate
     * the station set ({@link #DEFAULT_DATA_RATE} until it sets one).
     */
    static final long JOIN_FREQUENCY_HZ = 868_100_000L;
    static final long UPLINK_FREQUENCY_HZ = 868_300_000L;
    static final int SPREADING_FACTOR = 7;
    /** The uplink data rate of a new board: EU868 DR5 (SF7BW125). */
    public static final int DEFAULT_DATA_RATE = 5;
    /**
     * The highest uplink data rate the virtual radio sends: EU868 DR0..DR5 are LoRa at 125 kHz, all a virtual gateway's
     * receptions carry; DR6 (250 kHz) and DR7 (FSK) a module refuses, as one whose band lacks them would.
     */
    public static final int MAX_DATA_RATE = 5;

    private static final Eui64 NO_EUI = Eui64.of(0);
    private static final Region EU868 = Region.byName("EU868");

    /**
     * How the simulated board behaves: the signal the gateway reports (and, the path being the same both ways, the
     * module reports for a downlink), a module that refuses its AppKey, a board out of radio range (its frames never
     * reach the gateway), and a board deaf to data downlinks (its receive path fails after the join: it hears the
     * join-accept, never the test downlink).
     */
    public record Behaviour(int rssi, double snr, boolean rejectsAppKey, boolean outOfRange, boolean deafToDownlinks) {
        public static final Behaviour GOOD = new Behaviour(-62, 8.5, false, false);

        public Behaviour(int rssi, double snr, boolean rejectsAppKey, boolean outOfRange) {
            this(rssi, snr, rejectsAppKey, outOfRange, false);
        }

        /** This behaviour, deaf to data downlinks. */
        public Behaviour deaf() {
            return new Behaviour(rssi, snr, rejectsAppKey, outOfRange, true);
        }
    }

    /**
     * A module whose firmware implements the LoRaWAN certification protocol (TS009) on FPort 224: the versions it reports
     * and whether its echo forgets to add one to each byte (a faulty firmware).
     */
    public record Certification(io.lorafab.lorawan.cert.Ts009.Version firmware, io.lorafab.lorawan.cert.Ts009.Version regionalParameters,
            boolean echoWithoutIncrement) {
        public Certification {
            Objects.requireNonNull(firmware, "firmware");
            Objects.requireNonNull(regionalParameters, "regionalParameters");
        }
    }

    /**
     * Makes the module's firmware implement TS009 from its next join (null: not): a command on FPort 224 heard in an
     * uplink's receive windows is answered on FPort 224 in place of the next uplink the station asks for, as a firmware's
     * certification package takes the next transmit opportunity.
     */
    public final void implementCertification(Certification c) {
        this.certification = c;
    }

    /** A data downlink the module received and decrypted, with the signal it reports for it, and its window. */
    protected record Received(int port, byte[] payload, int rssi, double snr, int window) {
    }

    private final String model;
    private final InputStream in;
    private final OutputStream out;
    private final SimGateway gateway;
    private final Path nvmDir;
    private final Object writeLock = new Object();
    private final ScheduledExecutorService radio;
    private final RadioTime time;
    private volatile Behaviour behaviour;
    private volatile Certification certification;

    // the programmed identity and the radio's device; guarded by this
    private Eui64 devEui = NO_EUI;
    private Eui64 appEui = NO_EUI;
    private AesKey appKey = AesKey.of(new byte[16]);
    private VirtualDevice device;
    /** A secure element's identity: fixed from construction, kept across boards, never written (null: none). */
    private DeviceIdentity secureElement;
    private int refusedWrites;
    private int joinRequests;
    private int dataRate = DEFAULT_DATA_RATE;
    private boolean adr = true;
    private volatile boolean stuckAtDefaultDataRate;

    /**
     * @param model   names the module in thread names and log lines, e.g. {@code rak3172}
     * @param gateway the gateway that hears the radio
     * @param nvmDir  where each DevEUI's NVM file lives (kept across boards, as flash would be)
     */
    protected VirtualAtModule(String model, InputStream in, OutputStream out, SimGateway gateway, Path nvmDir,
            Behaviour behaviour) {
        this(model, in, out, gateway, nvmDir, behaviour, null);
    }

    /**
     * What the radio waits on: the time of an attempt nobody answers, and the period between join attempts. Real
     * time on the radio thread, or a test's hand-moved time, so that tests need not sleep.
     */
    public interface RadioTime {
        /** Now, in nanoseconds from an arbitrary origin. */
        long nanoTime();

        /** Runs {@code task} once {@code delay} has passed. */
        void after(Duration delay, Runnable task);
    }

    /**
     * @param time the radio's time; null for real time
     */
    protected VirtualAtModule(String model, InputStream in, OutputStream out, SimGateway gateway, Path nvmDir,
            Behaviour behaviour, RadioTime time) {
        this.model = Objects.requireNonNull(model, "model");
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.gateway = gateway;
        this.nvmDir = nvmDir;
        this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
        this.radio = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "virtual-" + model + "-radio");
            t.setDaemon(true);
            return t;
        });
        this.time = time != null ? time : new RadioTime() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void after(Duration delay, Runnable task) {
                radio.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            }
        };
    }

    /**
     * The next board in the fixture: forgets the previous unit's identity and session (its NVM file stays, as a
     * real board's flash would) and behaves as {@code next}.
     */
    public final synchronized void insertBoard(Behaviour next) {
        this.behaviour = Objects.requireNonNull(next, "behaviour");
        this.devEui = secureElement != null ? secureElement.devEui() : NO_EUI;
        this.appEui = secureElement != null ? secureElement.joinEui() : NO_EUI;
        this.appKey = secureElement != null ? secureElement.appKey() : AesKey.of(new byte[16]);
        this.device = null;
        this.dataRate = DEFAULT_DATA_RATE;
        this.adr = true;
        boardInserted();
    }

    /**
     * Makes this a part whose secure element (a Microchip ATECC608 TNGLoRa, say) holds its identity: DevEUI and JoinEUI
     * as its manifest names them, and an AppKey of its own, random, that the station never sees. The dialect refuses
     * every write of them and every read of the key (see {@link #secureElement()}); the module joins with its own key.
     * Called once, by a dialect's factory, before the module runs.
     */
    protected final synchronized void holdIdentityInSecureElement(Eui64 devEui, Eui64 joinEui) {
        byte[] k = new byte[16];
        new java.security.SecureRandom().nextBytes(k);
        this.secureElement = new DeviceIdentity(Objects.requireNonNull(devEui, "devEui"), Objects.requireNonNull(joinEui, "joinEui"),
                AesKey.of(k), null, MacVersion.V1_0_2, EU868);
        this.devEui = devEui;
        this.appEui = joinEui;
        this.appKey = secureElement.appKey();
    }

    /** Whether a secure element holds the identity: the dialect then refuses writes of it and reads of the key. */
    protected final synchronized boolean secureElement() {
        return secureElement != null;
    }

    /** Counts a write of DevEUI, JoinEUI or AppKey that the secure element refused. */
    protected final synchronized void refusedWrite() {
        refusedWrites++;
    }

    /**
     * How many writes of DevEUI, JoinEUI or AppKey the module's secure element refused: a station that tested such a
     * part without trying to program it leaves this at zero. For tests.
     */
    public final synchronized int refusedWrites() {
        return refusedWrites;
    }

    /** How many join-requests the radio has sent (heard or not). For tests. */
    public final synchronized int joinRequestsSent() {
        return joinRequests;
    }

    /** Called (holding this module's lock) when a new board is inserted: reset dialect-specific settings. */
    protected void boardInserted() {
    }

    /**
     * The identity as the station last programmed it (all zeros before), as the radio will use it: LoRaWAN
     * 1.0.2 in EU868. For tests; its {@code toString()} hides the key.
     */
    public final synchronized DeviceIdentity programmedIdentity() {
        return new DeviceIdentity(devEui, appEui, appKey, null, MacVersion.V1_0_2, EU868);
    }

    public final Behaviour behaviour() {
        return behaviour;
    }

    /** Answers commands until the line closes. */
    @Override
    public final void run() {
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = r.readLine()) != null) {
                String cmd = line.strip();
                if (!cmd.isEmpty()) {
                    handle(cmd);
                }
            }
        } catch (IOException closed) {
            // the station closed the port
        } finally {
            radio.shutdownNow();
        }
    }

    /** Answers one command line (stripped, not empty). */
    protected abstract void handle(String cmd) throws IOException;

    protected final synchronized Eui64 devEui() {
        return devEui;
    }

    protected final synchronized void devEui(Eui64 value) {
        this.devEui = Objects.requireNonNull(value);
    }

    protected final synchronized Eui64 appEui() {
        return appEui;
    }

    protected final synchronized void appEui(Eui64 value) {
        this.appEui = Objects.requireNonNull(value);
    }

    protected final synchronized AesKey appKey() {
        return appKey;
    }

    protected final synchronized void appKey(AesKey value) {
        this.appKey = Objects.requireNonNull(value);
    }

    /**
     * Sets the uplink data rate (EU868 index) of the next uplinks; false, changing nothing, for one the virtual radio
     * does not send ({@link #MAX_DATA_RATE}). With ADR on, an uplink goes out at the data rate set all the same: the
     * server sends no LinkADRReq that would change it (the drivers turn ADR off first, as real stacks need).
     */
    protected final synchronized boolean dataRate(int dr) {
        if (dr < 0 || dr > MAX_DATA_RATE) {
            return false;
        }
        this.dataRate = dr;
        return true;
    }

    /**
     * A faulty module firmware: it answers every data-rate command as done and keeps sending at
     * {@link #DEFAULT_DATA_RATE} (what the TS009 profile's echo on each data rate must catch, as the board's fault).
     */
    public final void sendOnlyAtTheDefaultDataRate() {
        this.stuckAtDefaultDataRate = true;
    }

    /** The uplink data rate of the next uplinks (EU868 index). */
    public final synchronized int dataRate() {
        return dataRate;
    }

    protected final synchronized void adr(boolean on) {
        this.adr = on;
    }

    public final synchronized boolean adr() {
        return adr;
    }

    /** The session of the last successful join, if the radio has one. */
    protected final synchronized Optional<NvmSession> session() {
        return device == null ? Optional.empty() : device.session();
    }

    /** Drops the radio's session (the next uplink needs a new join). */
    protected final synchronized void forgetSession() {
        device = null;
    }

    /** Runs {@code task} on the radio thread, after any join or uplink still in progress. */
    protected final void onRadio(Runnable task) {
        try {
            radio.execute(task);
        } catch (RejectedExecutionException closed) {
            // the line has closed: the radio is off
        }
    }

    /** Runs {@code task} on the radio thread once {@code delay} has passed on the radio's time. */
    protected final void onRadioAfter(Duration delay, Runnable task) {
        time.after(delay, () -> onRadio(task));
    }

    /** The radio's time now, in nanoseconds. */
    protected final long radioNanos() {
        return time.nanoTime();
    }

    /**
     * On the radio thread: one join attempt, its outcome handed to {@code done} (on the radio thread) when the
     * attempt is over. A join-accept ends it when it arrives; a board out of range hears nothing, so its attempt
     * ends after the second receive window, {@code JOIN_ACCEPT_DELAY2} after the join-request.
     */
    protected final void joinAttempt(Consumer<Optional<JoinOutcome>> done) {
        boolean heardByNobody = behaviour.outOfRange();
        Optional<JoinOutcome> o = joinOverTheAir();
        if (heardByNobody) {
            onRadioAfter(EU868.joinAcceptDelay2(), () -> done.accept(Optional.empty()));
        } else {
            done.accept(o);
        }
    }

    /**
     * On the radio thread: a fresh device with the programmed identity sends a join-request and takes the
     * answer. Empty when no join-accept came (out of range, the server refused or did not answer, or the
     * attempt failed; the last is logged without keys).
     */
    protected final Optional<JoinOutcome> joinOverTheAir() {
        DeviceIdentity id = programmedIdentity();
        try {
            VirtualDevice d = new VirtualDevice(id, DeviceNvm.open(nvmDir.resolve(id.devEui() + ".json")), new SplittableRandom());
            Certification c = certification;
            if (c != null) {
                d.implementCertification(c.firmware(), c.regionalParameters());
                if (c.echoWithoutIncrement()) {
                    d.echoWithoutIncrement();
                }
            }
            synchronized (this) {
                device = d;
            }
            byte[] joinRequest = d.joinRequest();
            synchronized (this) {
                joinRequests++;
            }
            Behaviour b = behaviour;
            Optional<byte[]> accept = b.outOfRange() ? Optional.empty()
                    : gateway.deliver(d, joinRequest, JOIN_FREQUENCY_HZ, SPREADING_FACTOR, b.rssi(), b.snr());
            return accept.map(d::acceptJoin);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "virtual " + model + " " + id.devEui() + ": join failed: " + e);
            return Optional.empty();
        }
    }

    /**
     * On the radio thread: sends a data uplink on the current session (heard by the gateway unless out of
     * range). False when there is no session or the frame could not be sent.
     */
    protected final boolean uplinkOverTheAir(int port, byte[] payload, boolean confirmed) {
        return uplinkOverTheAir(port, payload, confirmed, r -> { });
    }

    /**
     * As {@link #uplinkOverTheAir(int, byte[], boolean)}, then listening in the uplink's RX1 and RX2 as a class-A device
     * does: a data downlink for the session that the device decrypts is handed to {@code received} (on the radio
     * thread, before this returns), with the signal the module reports for it. A board deaf to downlinks hears the
     * gateway's transmission and makes nothing of it.
     */
    protected final boolean uplinkOverTheAir(int port, byte[] payload, boolean confirmed, Consumer<Received> received) {
        VirtualDevice d;
        int dr;
        synchronized (this) {
            d = device;
            dr = stuckAtDefaultDataRate ? DEFAULT_DATA_RATE : dataRate;
        }
        if (d == null || d.session().isEmpty()) {
            return false;
        }
        try {
            // at the data rate set (EU868 DR0..DR5: SF12..SF7 at 125 kHz) on the second default channel (868.3 MHz): the
            // gateway reports that SF, the server answers in RX1 at the data rate the uplink's derives
            int sf = EU868.dataRate(dr).spreadingFactor();
            byte[] up = d.certificationUplink(dr, 1).orElseGet(() -> d.uplink(port, payload, confirmed, dr, 1));
            Behaviour b = behaviour;
            if (b.outOfRange()) {
                return true;
            }
            Optional<byte[]> down = gateway.deliver(d, up, UPLINK_FREQUENCY_HZ, sf, b.rssi(), b.snr());
            if (down.isPresent() && !behaviour.deafToDownlinks()) {
                d.receive(down.get()).filter(r -> r.fPort().isPresent()).ifPresent(r -> received.accept(
                        new Received(r.fPort().getAsInt(), r.payload(), b.rssi(), b.snr(), 1)));
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Writes the answer lines of a command, each ended by CR LF. */
    protected final void reply(String... lines) throws IOException {
        synchronized (writeLock) {
            for (String l : lines) {
                out.write((l + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        }
    }

    /** Writes asynchronous lines; a closed line is ignored (nobody is listening any more). */
    protected final void event(String... lines) {
        try {
            reply(lines);
        } catch (IOException closed) {
            // nobody listening any more
        }
    }

    @Override
    public String toString() {
        return "virtual " + model + " " + devEui();
    }
}
