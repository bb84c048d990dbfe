package io.lorafab.app.cli;

import io.lorafab.jose.Jwe;
import io.lorafab.jose.PrivateKeyPem;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lorafab decrypt}: the recipient's side of {@code devices export --encrypt-to} and of a station's
 * {@code --encrypt-to} identity files, on the machine that holds the private key (a fixture's PC, a network operator's).
 * Any JOSE tool does the same; this one is there wherever lorafab is.
 */
@Command(name = "decrypt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Open a JWE that lorafab encrypted to this machine's public key: an export (devices export --encrypt-to)",
                "or a unit's identity file from a station whose fixture runs here (station --encrypt-to).",
                "The file is written owner-only; the private key never leaves this machine."},
        footer = {"", "Example (a fixture machine, with the station's {hex} copied to unit.hex.jwe):",
                "  lorafab decrypt --key /etc/lorafab/fixture.key --out /run/user/1000/unit.hex unit.hex.jwe"})
public final class DecryptCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the JWE (compact serialization)")
    String file;

    @Option(names = "--key", required = true, paramLabel = "PEM",
            description = "this machine's private key: PKCS#8 PEM 'PRIVATE KEY', as openssl genpkey writes it")
    String key;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where the plaintext goes (created owner-only)")
    String out;

    @Override
    public Integer call() {
        PrivateKeyPem privateKey = PrivateKeyPem.fromPem(DevicesTransferCommands.readText(key));
        String compact = DevicesTransferCommands.readText(file);
        Jwe.Opened opened = Jwe.decrypt(compact, privateKey);
        try {
            DevicesTransferCommands.writePrivate(Path.of(out), opened.plaintext());
        } finally {
            Arrays.fill(opened.plaintext(), (byte) 0);
        }
        spec.commandLine().getErr().println("wrote " + out + " (" + (opened.contentType() == null ? "no cty" : opened.contentType())
                + ", " + opened.plaintext().length + " bytes, encrypted to key " + opened.keyId() + ")");
        return 0;
    }

}
