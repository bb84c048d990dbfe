package io.lorafab.app.wiring;

import io.lorafab.provisioning.secureelement.ManifestSigners;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The signer certificates a secure-element manifest must verify against, read from files the operator pinned: PEM (or
 * DER) files as given, and the {@code .pem}/{@code .crt}/{@code .cer} files of folders. The CLI takes them from
 * {@code --signers}; the server from {@link #SERVER_FOLDER} in its data folder, so that an API caller cannot pin its own.
 */
public final class ManifestSignerFiles {

    /** The server's pinned manifest signers: this folder under the data folder. */
    public static final String SERVER_FOLDER = "manifest-signers";

    private ManifestSignerFiles() {
    }

    /**
     * @throws IllegalArgumentException when no certificate is found or a file holds something else
     * @throws UncheckedIOException when a file or folder cannot be read
     */
    public static ManifestSigners load(List<Path> paths) {
        List<byte[]> texts = new ArrayList<>();
        for (Path s : paths) {
            try {
                if (Files.isDirectory(s)) {
                    try (var files = Files.list(s)) {
                        for (Path f : files.sorted().toList()) {
                            String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                            if (n.endsWith(".pem") || n.endsWith(".crt") || n.endsWith(".cer")) {
                                texts.add(Files.readAllBytes(f));
                            }
                        }
                    }
                } else {
                    texts.add(Files.readAllBytes(s));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the signer certificates " + s, e);
            }
        }
        return ManifestSigners.fromPem(texts);
    }
}
