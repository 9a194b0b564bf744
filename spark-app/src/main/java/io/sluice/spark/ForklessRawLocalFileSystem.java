package io.sluice.spark;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Hadoop's local file system with the two operations it runs as child processes done through {@code java.nio}
 * instead. Without Hadoop's native library, {@link RawLocalFileSystem} runs {@code chmod} for every file it creates
 * and {@code readlink} for every file a rename touches: a local micro-batch made about 170 such processes (each
 * Delta commit, its checksum file, the query's offset and commit logs, every data file). Files and renames are the
 * same as Hadoop's own; only these two calls change.
 */
final class ForklessRawLocalFileSystem
        extends RawLocalFileSystem
{
    /** Hadoop's permission bits, owner to other, in the order {@link FsPermission#toShort()} lays them out. */
    private static final PosixFilePermission[] BITS = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};

    @Override
    public void setPermission(Path path, FsPermission permission)
            throws IOException
    {
        requireNonNull(permission, "permission is null");
        Files.setPosixFilePermissions(pathToFile(path).toPath(), posix(permission.toShort()));
    }

    /** The file's own status, not its target's: what Hadoop's renames check before they move a file. */
    @Override
    public FileStatus getFileLinkStatus(Path path)
            throws IOException
    {
        java.nio.file.Path file = pathToFile(path).toPath();
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        catch (NoSuchFileException e) {
            FileNotFoundException notFound = new FileNotFoundException("File " + path + " does not exist");
            notFound.initCause(e);
            throw notFound;
        }
        Path qualified = path.makeQualified(getUri(), getWorkingDirectory());
        Path symlink = null;
        if (attributes.isSymbolicLink()) {
            java.nio.file.Path target = Files.readSymbolicLink(file);
            symlink = new Path(target.isAbsolute() ? target.toUri().toString() : target.toString());
        }
        return new FileStatus(attributes.size(), attributes.isDirectory(), 1, getDefaultBlockSize(path), attributes.lastModifiedTime().toMillis(),
                attributes.lastAccessTime().toMillis(), new FsPermission(bits(attributes.permissions())), attributes.owner().getName(),
                attributes.group().getName(), symlink, qualified);
    }

    static Set<PosixFilePermission> posix(short bits)
    {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((bits & (1 << i)) != 0) {
                permissions.add(BITS[i]);
            }
        }
        return permissions;
    }

    static short bits(Set<PosixFilePermission> permissions)
    {
        short bits = 0;
        for (int i = 0; i < BITS.length; i++) {
            if (permissions.contains(BITS[i])) {
                bits |= (short) (1 << i);
            }
        }
        return bits;
    }
}
