package io.lorafab.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.UnaryOperator;

/**
 * A device's non-volatile memory in a small JSON file. Every change is written to a temporary file and renamed
 * over the old one, so a crash leaves either the old or the new state. Thread-safe.
 */
public final class DeviceNvm {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private NvmState state;

    private DeviceNvm(Path file, NvmState state) {
        this.file = file;
        this.state = state;
    }

    /** Opens the NVM file, or starts a fresh state (not yet written) when it does not exist. */
    public static DeviceNvm open(Path file) {
        if (!Files.exists(file)) {
            return new DeviceNvm(file, NvmState.fresh());
        }
        try {
            return new DeviceNvm(file, JSON.readValue(file.toFile(), NvmState.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SimException("NVM: cannot read " + file + ": not a device state (" + io.lorafab.api.json.JsonSyntax.problem(e)
                    + "); delete it to start the device afresh", e);
        } catch (IOException e) {
            throw new SimException("NVM: cannot read " + file + ": " + (e.getMessage() == null ? "input/output error" : e.getMessage()), e);
        }
    }

    public Path file() {
        return file;
    }

    public synchronized NvmState state() {
        return state;
    }

    /** Applies {@code change} and persists the result before returning it. */
    public synchronized NvmState update(UnaryOperator<NvmState> change) {
        NvmState next = change.apply(state);
        write(next);
        state = next;
        return next;
    }

    private void write(NvmState s) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.write(tmp, JSON.writeValueAsBytes(s));
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new SimException("NVM: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "DeviceNvm[" + file + ", " + state() + "]";
    }
}
