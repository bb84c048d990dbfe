package io.lorafab.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files and folders that only their owner may read: the data folder (0700) and everything lorafab writes into
 * it or that holds keys (0600). The mode is given when the file is created, never set after the content is
 * written, so there is no moment in which another user could open it. On file systems without POSIX
 * permissions the files are created plainly.
 */
public final class OwnerOnlyFiles {

    public static final String FOLDER_MODE = "rwx------";
    public static final String FILE_MODE = "rw-------";

    private OwnerOnlyFiles() {
    }

    /** Creates {@code dir} and any missing parents with mode 0700; folders that exist are left as they are. */
    public static Path createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return dir;
        }
        Files.createDirectories(abs, attribute(FOLDER_MODE));
        return dir;
    }

    /** Creates an empty file with mode 0600; false when it exists already (then it is left as it is). */
    public static boolean createFile(Path file) throws IOException {
        try {
            Files.createFile(file, attribute(FILE_MODE));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * Writes {@code bytes} to {@code file} (replacing it) through a new 0600 file beside it that is then moved into
     * place: also a file that existed with a looser mode ends up 0600. Missing folders are created 0700.
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path abs = file.toAbsolutePath();
        createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp", attribute(FILE_MODE));
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static FileAttribute<?>[] attribute(String mode) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))};
    }
}
