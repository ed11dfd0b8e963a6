package io.thingport.core.internal.protocol;

import io.thingport.api.ThingportException;
import io.thingport.api.protocol.ProtocolPackageService;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
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
    private final ProtocolPackageServiceImpl packages;

    DeployedProtocols(ProtocolPackageServiceImpl packages) {
        this.packages = packages;
    }

    /** Offers itself to File Install, ahead of its own bundle installer. */
    ServiceRegistration<ArtifactInstaller> register(BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, 100);
        return context.registerService(ArtifactInstaller.class, this, props);
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
                // offered again after a restart or a touch, the same bytes are no update (ProtocolPackageServiceImpl checks)
                packages.update(existing.get(), source, null, null);
            } else {
                String id = packages.add(ProtocolPackageService.TYPE_JAR, source, null, "installed from deploy/" + file.getName()).id();
                LOG.info("deploy/{}: protocol {} installed", file.getName(), id);
            }
        } catch (RuntimeException e) {
            LOG.error("deploy/{} refused: {}", file.getName(), e.getMessage());
        }
    }

    /**
     * Takes over protocol jars that File Install installed as plain bundles before this installer was registered
     * (a jar already in deploy/ when the platform starts for the first time): their bundles are uninstalled, which
     * makes File Install forget them, and the files are touched a little later so that it offers them again, to this
     * installer.
     */
    void adoptEarlyBundles(BundleContext context, ScheduledExecutorService executor) {
        String base = System.getProperty("karaf.base");
        if (base == null) {
            return;
        }
        Path deploy = Path.of(base, "deploy").toAbsolutePath().normalize();
        List<File> taken = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            File file = fileOf(b.getLocation());
            if (file == null || !deploy.equals(file.toPath().toAbsolutePath().normalize().getParent()) || !canHandle(file)) {
                continue;
            }
            try {
                LOG.info("deploy/{} was installed as a plain bundle before the platform was ready: taking it over as a protocol"
                        + " package", file.getName());
                b.uninstall();
                taken.add(file);
            } catch (BundleException | IllegalStateException e) {
                LOG.warn("deploy/{}: cannot take over bundle {}: {}", file.getName(), b.getBundleId(), e.toString());
            }
        }
        if (!taken.isEmpty()) {
            executor.schedule(() -> taken.forEach(f -> {
                if (!f.setLastModified(System.currentTimeMillis())) {
                    LOG.warn("deploy/{}: cannot touch the file; copy it again to install it", f.getName());
                }
            }), 3, TimeUnit.SECONDS);
        }
    }

    private static File fileOf(String location) {
        try {
            URI uri = new URI(location);
            return "file".equals(uri.getScheme()) && uri.getPath() != null ? new File(uri.getPath()) : null;
        } catch (URISyntaxException e) {
            return null;
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
