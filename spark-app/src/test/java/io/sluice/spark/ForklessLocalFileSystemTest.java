package io.sluice.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class ForklessLocalFileSystemTest
{
    @Test
    void permissionBitsMapBothWays()
    {
        for (int bits = 0; bits < 512; bits++) {
            assertThat(ForklessRawLocalFileSystem.bits(ForklessRawLocalFileSystem.posix((short) bits))).isEqualTo((short) bits);
        }
        assertThat(PosixFilePermissions.toString(ForklessRawLocalFileSystem.posix((short) 0640))).isEqualTo("rw-r-----");
    }

    @Test
    void createdFilesGetTheUmaskedPermissionWithoutAChildProcess(@TempDir java.nio.file.Path directory)
            throws IOException
    {
        try (FileSystem fs = fileSystem()) {
            Path file = new Path(directory.resolve("part-0.json").toUri());
            try (FSDataOutputStream out = fs.create(file, FsPermission.createImmutable((short) 0640), false, 4096, (short) 1, 1 << 20, null)) {
                out.write("{}".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("part-0.json")))).isEqualTo("rw-r-----");
            fs.setPermission(file, FsPermission.createImmutable((short) 0604));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("part-0.json")))).isEqualTo("rw----r--");
        }
    }

    @Test
    void linkStatusDescribesFilesDirectoriesAndLinksThemselves(@TempDir java.nio.file.Path directory)
            throws IOException
    {
        java.nio.file.Path file = Files.writeString(directory.resolve("00000.json"), "0123456789");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        java.nio.file.Path link = Files.createSymbolicLink(directory.resolve("latest"), file);
        ForklessRawLocalFileSystem fs = new ForklessRawLocalFileSystem();
        fs.initialize(directory.toUri(), new Configuration(false));

        FileStatus fileStatus = fs.getFileLinkStatus(new Path(file.toUri()));
        assertThat(fileStatus.getLen()).isEqualTo(10);
        assertThat(fileStatus.isFile()).isTrue();
        assertThat(fileStatus.isSymlink()).isFalse();
        assertThat(fileStatus.getPermission()).isEqualTo(FsPermission.createImmutable((short) 0644));
        assertThat(fileStatus.getOwner()).isEqualTo(Files.getOwner(file).getName());
        assertThat(fileStatus.getPath()).isEqualTo(new Path(file.toUri()));
        assertThat(fileStatus.getModificationTime()).isEqualTo(Files.getLastModifiedTime(file).toMillis());

        assertThat(fs.getFileLinkStatus(new Path(directory.toUri())).isDirectory()).isTrue();

        FileStatus linkStatus = fs.getFileLinkStatus(new Path(link.toUri()));
        assertThat(linkStatus.isSymlink()).isTrue();
        assertThat(linkStatus.getSymlink()).isEqualTo(new Path(file.toUri()));

        assertThatThrownBy(() -> fs.getFileLinkStatus(new Path(directory.resolve("missing").toUri())))
                .isInstanceOf(FileNotFoundException.class);
    }

    @Test
    void fileContextRenamesAsHadoopsLocalFsDoes(@TempDir java.nio.file.Path directory)
            throws IOException
    {
        Configuration conf = configuration();
        FileContext context = FileContext.getFileContext(directory.toUri(), conf);
        assertThat(context.getDefaultFileSystem()).isInstanceOf(ForklessLocalFs.class);
        Path temp = new Path(directory.resolve(".00001.json.tmp").toUri());
        Path commit = new Path(directory.resolve("00001.json").toUri());
        try (FSDataOutputStream out = context.create(temp, EnumSet.of(CreateFlag.CREATE))) {
            out.write("first".getBytes(StandardCharsets.UTF_8));
        }
        context.rename(temp, commit, Options.Rename.NONE);
        assertThat(Files.readString(directory.resolve("00001.json"))).isEqualTo("first");
        assertThat(Files.exists(directory.resolve(".00001.json.tmp"))).isFalse();

        // A second writer of the same version loses: the rename refuses to replace the committed file.
        Path rival = new Path(directory.resolve(".00001.json.rival").toUri());
        try (FSDataOutputStream out = context.create(rival, EnumSet.of(CreateFlag.CREATE))) {
            out.write("second".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> context.rename(rival, commit, Options.Rename.NONE)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(directory.resolve("00001.json"))).isEqualTo("first");
    }

    private static FileSystem fileSystem()
            throws IOException
    {
        Configuration conf = configuration();
        conf.setBoolean("fs.file.impl.disable.cache", true);
        FileSystem fs = FileSystem.get(URI.create("file:///"), conf);
        assertThat(fs).isInstanceOf(ForklessLocalFileSystem.class);
        return fs;
    }

    private static Configuration configuration()
    {
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", ForklessLocalFileSystem.class.getName());
        conf.set("fs.AbstractFileSystem.file.impl", ForklessLocalFs.class.getName());
        return conf;
    }
}
