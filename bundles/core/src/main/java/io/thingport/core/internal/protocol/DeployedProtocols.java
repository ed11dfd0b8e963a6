package io.thingport.core.internal.protocol;

import io.thingport.api.ThingportException;
import io.thingport.api.protocol.ProtocolPackageService;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Optional;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protocol jars dropped into Karaf's {@code deploy/} folder: Felix File Install hands them here (before its own
 * bundle installer, by service ranking), and they become packages of type jar like {@code iot:protocol-add}'s, so
 * replacing the file is a hot update and deleting it deletes the package. Refusals are logged, not retried: File
 * Install offers the file again when it changes.
 */
final class DeployedProtocols implements ArtifactInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(DeployedProtocols.class);
    private final ProtocolPackages packages;

    DeployedProtocols(ProtocolPackages packages) {
        this.packages = packages;
    }

    @Override
    public boolean canHandle(File file) {
        String name = file.getName().toLowerCase(Locale.ROOT);
        if (!(name.endsWith(".jar") || name.endsWith(".zip")) || !file.isFile() || file.length() > PackageJars.MAX_SIZE) {
            return false;
        }
        try {
            PackageJars.inspect(Files.readAllBytes(file.toPath()), file.getPath());
            return true;
        } catch (IOException | ThingportException e) {
            return false; // not a protocol package: File Install's other handlers may take it
        }
    }

    @Override
    public void install(File file) {
        String source = file.getAbsolutePath();
        Optional<String> existing = packages.packageFrom(source);
        try {
            if (existing.isPresent()) {
                packages.update(existing.get(), source, null, null);
            } else {
                String id = packages.add(ProtocolPackageService.TYPE_JAR, source, null, "installed from deploy/" + file.getName()).id();
                LOG.info("deploy/{}: protocol {} installed", file.getName(), id);
            }
        } catch (RuntimeException e) {
            LOG.error("deploy/{} refused: {}", file.getName(), e.getMessage());
        }
    }

    @Override
    public void update(File file) {
        install(file);
    }

    @Override
    public void uninstall(File file) {
        packages.packageFrom(file.getAbsolutePath()).ifPresent(id -> {
            try {
                packages.delete(id);
                LOG.info("deploy/{} removed: protocol {} deleted", file.getName(), id);
            } catch (RuntimeException e) {
                LOG.error("deploy/{} removed, but protocol {} stays installed: {}", file.getName(), id, e.getMessage());
            }
        });
    }
}
