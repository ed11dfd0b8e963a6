package io.thingport.core.internal.network;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The factory configurations of one kind (network components or gateways) by name: find, create, change and delete,
 * each change returning an {@link Undo}. In Karaf a new configuration is written as its {@code etc/} file (the file
 * installer turns it into the configuration, so what an operator sees in {@code etc/} is what runs); a change goes
 * through ConfigurationAdmin and the file installer writes it back into the file, keeping its comments.
 */
final class FactoryConfigurations {
    private static final Logger LOG = LoggerFactory.getLogger(FactoryConfigurations.class);
    private static final long SETTLE_TIMEOUT_MS = 30_000;
    private static final long SETTLE_POLL_MS = 500;

    /** Takes a change back. */
    @FunctionalInterface
    interface Undo {
        void run();
    }

    private final ConfigurationAdmin configAdmin;
    private final String factoryPid;
    /** What users call one of these, e.g. "network component". */
    private final String noun;

    FactoryConfigurations(ConfigurationAdmin configAdmin, String factoryPid, String noun) {
        this.configAdmin = configAdmin;
        this.factoryPid = factoryPid;
        this.noun = noun;
    }

    /** The keys an operator wrote in the named configuration; {@code NOT_FOUND} when there is none. */
    Map<String, String> values(String name) {
        return new TreeMap<>(userKeys(toMap(require(name).getProperties())));
    }

    /** Writes a new configuration. */
    Undo create(String name, Map<String, String> values, String header) {
        Optional<Path> etc = ConfigFiles.etc();
        if (etc.isPresent()) {
            Path file = ConfigFiles.file(etc.get(), factoryPid, name);
            ConfigFiles.create(file, values, header);
            return () -> removeCreated(name, file);
        }
        try {
            Configuration c = configAdmin.getFactoryConfiguration(factoryPid, name, "?");
            c.update(new Hashtable<>(values));
            return () -> remove(c);
        } catch (IOException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "cannot create the configuration of " + name + ": " + e.getMessage());
        }
    }

    /** Replaces the named configuration's keys with {@code values}; the undo restores the previous keys. */
    Undo change(String name, Map<String, String> values) {
        Configuration c = require(name);
        Dictionary<String, Object> before = c.getProperties();
        Map<String, String> oldValues = userKeys(toMap(before));
        write(c, values, before);
        return () -> write(c, oldValues, before);
    }

    /** Deletes the named configuration and its {@code etc/} file. */
    void delete(String name) {
        remove(require(name));
    }

    private Configuration require(String name) {
        return find(name).orElseThrow(() -> ThingportException.notFound(noun, name));
    }

    /**
     * Takes back a configuration written as a new file: deletes the configuration and the file, and keeps deleting
     * them until both have stayed away for a moment. The file installer saves a configuration it has just read back
     * into its file, on its own thread; when that save comes after the deletion it puts the file back.
     */
    private void removeCreated(String name, Path file) {
        long deadline = System.currentTimeMillis() + SETTLE_TIMEOUT_MS;
        int quiet = 0;
        boolean first = true;
        while (quiet < 3 && System.currentTimeMillis() < deadline) {
            Optional<Configuration> c = find(name);
            if (c.isPresent() || Files.exists(file)) {
                if (!first) {
                    LOG.info("{} came back after it was deleted (the file installer saved it again); deleting it again",
                            file.getFileName());
                }
                first = false;
                c.ifPresent(FactoryConfigurations::remove);
                ConfigFiles.delete(file);
                quiet = 0;
            } else {
                quiet++;
            }
            try {
                Thread.sleep(SETTLE_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void remove(Configuration c) {
        Optional<Path> file = ConfigFiles.fileOf(c.getProperties() == null ? null : c.getProperties().get("felix.fileinstall.filename"));
        file.ifPresent(ConfigFiles::delete);
        try {
            c.delete();
        } catch (IOException | IllegalStateException e) {
            if (file.isEmpty()) {
                throw new ThingportException(ErrorCode.INTERNAL, "cannot delete configuration " + c.getPid() + ": " + e.getMessage());
            }
        }
    }

    private Optional<Configuration> find(String name) {
        try {
            Configuration[] all = configAdmin.listConfigurations("(service.factoryPid=" + factoryPid + ")");
            if (all != null) {
                for (Configuration c : all) {
                    if (c.getProperties() != null && name.equals(nameOf(factoryPid, toMap(c.getProperties())))) {
                        return Optional.of(c);
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | InvalidSyntaxException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "cannot read the configurations: " + e.getMessage());
        }
    }

    /** Writes {@code values}, keeping the bookkeeping keys (fileinstall's file name) of {@code previous}. */
    private static void write(Configuration c, Map<String, String> values, Dictionary<String, Object> previous) {
        Hashtable<String, Object> dict = new Hashtable<>();
        if (previous != null) {
            for (String key : Collections.list(previous.keys())) {
                if (key.startsWith("felix.")) {
                    dict.put(key, previous.get(key));
                }
            }
        }
        dict.putAll(values);
        try {
            c.update(dict);
        } catch (IOException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "cannot write configuration " + c.getPid() + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> toMap(Dictionary<String, Object> d) {
        Map<String, Object> m = new HashMap<>();
        if (d != null) {
            for (String key : Collections.list(d.keys())) {
                m.put(key, d.get(key));
            }
        }
        return m;
    }

    /** The keys an operator wrote, without the ones ConfigurationAdmin, DS and fileinstall add. */
    static Map<String, String> userKeys(Map<String, ?> properties) {
        Map<String, String> values = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (!k.startsWith("service.") && !k.startsWith("component.") && !k.startsWith("felix.") && !k.startsWith("osgi.")) {
                values.put(k, String.valueOf(v).trim());
            }
        });
        return values;
    }

    /**
     * {@code name} if set, else the configuration's name ({@code <factoryPid>~<name>}, or the {@code
     * <factoryPid>-<name>.cfg} file name).
     */
    static String nameOf(String factoryPid, Map<String, ?> properties) {
        Object name = properties.get("name");
        if (name != null && !name.toString().isBlank()) {
            return name.toString().trim();
        }
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            String f = file.toString();
            f = f.substring(f.lastIndexOf('/') + 1);
            int dot = f.lastIndexOf('.');
            if (f.startsWith(factoryPid + "-") && dot > factoryPid.length() + 1) {
                return f.substring(factoryPid.length() + 1, dot);
            }
        }
        String pid = String.valueOf(properties.get("service.pid"));
        int tilde = pid.indexOf('~');
        return tilde >= 0 ? pid.substring(tilde + 1) : pid;
    }
}
