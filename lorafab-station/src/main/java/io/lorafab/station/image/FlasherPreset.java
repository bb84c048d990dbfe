package io.lorafab.station.image;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The common flashers' own command lines for identity-only flashing: "write this small file at this address and
 * verify" and, where the tool has one that writes a file, "read N bytes at this address into a file". The
 * interface options (probe, target config, serial port, speed) are the user's: they replace {@code {options}}.
 * Placeholders filled per unit: {@code {hex}} (the block's page as Intel HEX), {@code {bin}} (the block alone,
 * written at {@code {address}}), {@code {pagebin}} (the page as a binary, written at {@code {pageAddress}}),
 * {@code {length}} / {@code {lengthHex}} (the block's size), {@code {readback}} (the file the read command writes),
 * {@code {script}} (a command file made from the preset's script lines, for tools that take their commands from one).
 * Each preset names the documentation its command line was checked against.
 */
public enum FlasherPreset {
    // https://openocd.org/doc/html/Flash-Programming.html: program <file> [verify] [reset] [exit] (a HEX file carries its
    // addresses; flash write_image erase underneath erases every sector the file touches). dump_image <file> <address> <size>
    // is OpenOCD's general command for saving target memory to a file (seen in the manual's command list and in users' logs).
    OPENOCD("openocd", "openocd {options} -c \"program {hex} verify reset exit\"", List.of(),
            "openocd {options} -c init -c \"reset halt\" -c \"dump_image {readback} {address} {length}\" -c \"reset run\" -c shutdown",
            List.of(),
            "erases every flash sector the HEX touches: on parts with large sectors (STM32F4: 16-128 KiB) set --page-size to the sector size "
                    + "and keep that sector for the identity block"),
    // UM2237 (STM32CubeProgrammer software description, st.com; its CLI chapter, as quoted on community.st.com):
    // -w <file> [address] writes, -v verifies, -rst resets; -r <address> <size> <file> reads memory into a file
    // (the read syntax an ST community answer gives and its asker confirmed; the manual's own page was not reachable).
    STM32_PROGRAMMER("stm32cubeprogrammer", "STM32_Programmer_CLI {options} -w {hex} -v -rst", List.of(),
            "STM32_Programmer_CLI {options} -r {address} {length} {readback}", List.of(),
            "erases the pages the HEX touches before writing; give the connection in --flasher-options, e.g. -c port=SWD"),
    // https://kb.segger.com/J-Link_Commander: batch mode with -CommandFile, -AutoConnect; commands (case-insensitive)
    // ExitOnError, loadbin <file>,<addr>, verifybin <file>,<addr>, savebin <file>,<addr>,<numbytes>, r (reset),
    // h (halt), g (go), exit. savebin reads through the core, not the flash loader (SEGGER forum), fine for internal flash.
    JLINK("jlink", "JLinkExe {options} -AutoConnect 1 -CommandFile {script}",
            List.of("exitonerror 1", "r", "h", "loadbin {bin},{address}", "verifybin {bin},{address}", "r", "g", "exit"),
            "JLinkExe {options} -AutoConnect 1 -CommandFile {script}",
            List.of("exitonerror 1", "savebin {readback},{address},{length}", "exit"),
            "the J-Link flash loader keeps the rest of the sector (read-modify-write); give -device, -if and -speed in --flasher-options"),
    // https://docs.nordicsemi.com (nRF Command Line Tools, nrfjprog commands): --program <hex> with --sectorerase, --verify,
    // --reset. nrfjprog reads memory only to the console (--memrd), so the read-back is its --verify.
    NRFJPROG("nrfjprog", "nrfjprog {options} --program {hex} --sectorerase --verify --reset", List.of(), null, List.of(),
            "erases the 4 KiB pages the HEX touches (--sectorerase); the read-back is nrfjprog's own --verify; Nordic has "
                    + "replaced the nRF Command Line Tools with nrfutil"),
    // https://docs.espressif.com/projects/esptool (Basic Commands): write_flash <offset> <file> checks the written data
    // by its MD5; read_flash <address> <size> <file>.
    ESPTOOL("esptool", "esptool.py {options} write_flash {pageAddress} {pagebin}", List.of(),
            "esptool.py {options} read_flash {address} {length} {readback}", List.of(),
            "writes whole 4 KiB sectors: use --page-size 4096; addresses are offsets in the SPI flash, not CPU addresses; "
                    + "give --port (and --chip) in --flasher-options"),
    // https://pypi.org/project/pyocd (pyocd load: program files of various formats into flash). pyOCD's documentation for
    // reading memory into a file from the command line was not found, so the read-back relies on the load's own checks.
    PYOCD("pyocd", "pyocd load {options} {hex}", List.of(), null, List.of(),
            "erases the sectors the HEX touches; give --target (and --uid) in --flasher-options; no read-back command"),
    // st-flash(1) (stlink tools): write FILE ADDR; read FILE ADDR SIZE, ADDR and SIZE in hexadecimal; --reset.
    ST_FLASH("st-flash", "st-flash {options} --reset write {pagebin} {pageAddress}", List.of(),
            "st-flash {options} read {readback} {address} {lengthHex}", List.of(),
            "erases whole pages before writing: the page image carries the rest of the page as erased bytes");

    private final String name;
    private final String write;
    private final List<String> writeScript;
    private final String read;
    private final List<String> readScript;
    private final String caveat;

    FlasherPreset(String name, String write, List<String> writeScript, String read, List<String> readScript, String caveat) {
        this.name = name;
        this.write = write;
        this.writeScript = writeScript;
        this.read = read;
        this.readScript = readScript;
        this.caveat = caveat;
    }

    public String presetName() {
        return name;
    }

    public String caveat() {
        return caveat;
    }

    /** The flasher for this preset, {@code options} (the interface, the user's) put in for {@code {options}}. */
    public IdentityFlasher flasher(String options, java.time.Duration timeout) {
        String o = options == null ? "" : options.strip();
        return new IdentityFlasher(write.replace("{options}", o), writeScript,
                read == null ? null : read.replace("{options}", o), readScript, timeout);
    }

    public static Optional<FlasherPreset> byName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.name.equals(n)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(p -> p.name).collect(Collectors.joining(", "));
    }
}
