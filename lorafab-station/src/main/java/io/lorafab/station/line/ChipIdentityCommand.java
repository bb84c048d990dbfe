package io.lorafab.station.line;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.station.process.CommandTemplate;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The station's {@code --chip-identity} command: a program the station runs at end of line, for a fixture whose board
 * reports the identity its LR11xx-style chip was pre-provisioned with (the board's test firmware asks the chip and prints
 * it, or a fixture tool does); its standard output holds the {@link ChipIdentityReport}. The command line follows the
 * rules of {@code --flasher} and {@code --reader} ({@link CommandTemplate}: no shell, double quotes, {@code {name}}
 * placeholders): {@code {devEui}}, {@code {serial}} and, on a multi-up fixture, {@code {position}}; none is required.
 *
 * <p>The command's output is never kept in the measurements, unlike a flasher's: it holds the PIN. A command that fails,
 * times out or prints a malformed report is the test station's fault ({@link Reason#CHIP_IDENTITY_UNREADABLE}): the
 * fixture, its cable or the command is at fault, not a board that has passed its radio test. One board fault only:
 * {@link Reason#CHIP_EUI_MISMATCH}, when the product uses the chip's EUI as its DevEUI ({@code chipEuiIsDevEui}) and the
 * board reports another one than the unit's — the label and the chip disagree.
 */
public final class ChipIdentityCommand {

    private final CommandTemplate template;
    private final int position;
    private final boolean chipEuiIsDevEui;

    /**
     * @param position the fixture position (1..N) put in for {@code {position}}
     * @param chipEuiIsDevEui whether the unit's DevEUI must be the chip's EUI
     * @throws CommandTemplate.InvalidTemplateException for an empty template or an unbalanced quote
     */
    public ChipIdentityCommand(String template, Duration timeout, int position, boolean chipEuiIsDevEui) {
        this.template = new CommandTemplate(template, null, timeout);
        this.position = position;
        this.chipEuiIsDevEui = chipEuiIsDevEui;
        this.template.arguments(Map.of()); // a malformed template is refused before any unit
    }

    public boolean chipEuiIsDevEui() {
        return chipEuiIsDevEui;
    }

    /** Runs the command for the unit and reads its report; {@link ChipIdentityReport.MalformedException} with one line otherwise. */
    public ChipIdentityReport read(Eui64 devEui, String serial) {
        CommandTemplate.Result r;
        try {
            r = template.run(Map.of("devEui", devEui.toString(), "serial", serial == null ? "" : serial,
                    "position", Integer.toString(position)));
        } catch (IOException e) {
            throw new ChipIdentityReport.MalformedException("the chip-identity command could not be started: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChipIdentityReport.MalformedException("the chip-identity command was interrupted");
        }
        if (r.timedOut()) {
            throw new ChipIdentityReport.MalformedException("the chip-identity command did not finish in time");
        }
        if (r.exitCode() != 0) {
            throw new ChipIdentityReport.MalformedException("the chip-identity command exited with " + r.exitCode());
        }
        return ChipIdentityReport.parse(r.output());
    }
}
