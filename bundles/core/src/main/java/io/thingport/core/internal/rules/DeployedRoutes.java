package io.thingport.core.internal.rules;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RoutesDefinition;
import org.apache.camel.xml.in.ModelParser;
import org.apache.camel.xml.io.XmlPullParserException;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hand-written Camel routes dropped into {@code deploy/} as {@code <name>.camel.xml} (a {@code <routes>} document of the
 * XML DSL): File Install hands them here and they run in the platform's CamelContext, where they can read the platform's
 * stream ({@code thingport-stream:}). Replacing the file replaces its routes, deleting it removes them. A file that does
 * not parse, or whose route ids clash with a rule's ({@code rule-*}), the platform's or another file's, is refused whole
 * and logged; the routes it had before stay.
 */
final class DeployedRoutes implements ArtifactInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(DeployedRoutes.class);
    static final String SUFFIX = ".camel.xml";
    static final long MAX_SIZE = 1_000_000;
    static final String NAMESPACE = "http://camel.apache.org/schema/spring";

    private final CamelContext camel;
    private final Map<String, List<String>> routesByFile = new HashMap<>();

    DeployedRoutes(CamelContext camel) {
        this.camel = camel;
    }

    ServiceRegistration<ArtifactInstaller> register(BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, 100);
        return context.registerService(ArtifactInstaller.class, this, props);
    }

    @Override
    public boolean canHandle(File file) {
        return file.getName().toLowerCase(Locale.ROOT).endsWith(SUFFIX);
    }

    /**
     * The routes of a file, each with an id (the file's name and its position when it has none). The document may use
     * the namespace of Camel's XML DSL ({@value #NAMESPACE}) or none.
     */
    static RoutesDefinition parse(byte[] content, String fileName) throws IOException {
        Optional<RoutesDefinition> parsed = Optional.empty();
        try {
            for (String namespace : List.of(NAMESPACE, "")) {
                parsed = new ModelParser(new ByteArrayInputStream(content), namespace).parseRoutesDefinition();
                if (parsed.isPresent()) {
                    break;
                }
            }
        } catch (XmlPullParserException e) {
            throw new IOException("not a Camel XML routes document: " + e.getMessage(), e);
        }
        RoutesDefinition routes = parsed.orElseThrow(() -> new IOException("no <routes> element"));
        if (routes.getRoutes().isEmpty()) {
            throw new IOException("no <route> in <routes>");
        }
        String base = fileName.substring(0, fileName.length() - SUFFIX.length());
        for (int i = 0; i < routes.getRoutes().size(); i++) {
            RouteDefinition r = routes.getRoutes().get(i);
            if (r.getRouteId() == null || r.getRouteId().isBlank()) {
                r.setId(base + "-" + (i + 1));
            }
        }
        return routes;
    }

    /** The ids that a file may not take: those of rules, of the platform's routes and of other files. */
    static Optional<String> clash(List<String> ids, List<String> running, List<String> mine) {
        for (String id : ids) {
            if (id.startsWith("rule-")) {
                return Optional.of("route id " + id + ": ids starting with rule- belong to the rule engine");
            }
            if (running.contains(id) && !mine.contains(id)) {
                return Optional.of("route id " + id + " is already used by another route");
            }
        }
        return ids.stream().distinct().count() == ids.size() ? Optional.empty() : Optional.of("two routes with the same id");
    }

    @Override
    public synchronized void install(File file) {
        String name = file.getName();
        try {
            if (file.length() > MAX_SIZE) {
                throw new IOException("larger than " + MAX_SIZE + " bytes");
            }
            RoutesDefinition routes = parse(Files.readAllBytes(file.toPath()), name);
            List<String> ids = routes.getRoutes().stream().map(RouteDefinition::getRouteId).toList();
            List<String> mine = routesByFile.getOrDefault(name, List.of());
            List<String> running = camel.getRoutes().stream().map(r -> r.getRouteId()).toList();
            Optional<String> clash = clash(ids, running, mine);
            if (clash.isPresent()) {
                throw new IOException(clash.get());
            }
            remove(name);
            camel.adapt(ModelCamelContext.class).addRouteDefinitions(routes.getRoutes());
            routesByFile.put(name, new ArrayList<>(ids));
            LOG.info("deploy/{}: routes {} started", name, ids);
        } catch (Exception e) {
            LOG.error("deploy/{} refused: {}", name, e.getMessage());
        }
    }

    @Override
    public void update(File file) {
        install(file);
    }

    @Override
    public synchronized void uninstall(File file) {
        remove(file.getName());
    }

    private void remove(String name) {
        for (String id : routesByFile.getOrDefault(name, List.of())) {
            try {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("deploy/{}: removing route {} failed: {}", name, id, e.getMessage());
            }
        }
        if (routesByFile.remove(name) != null) {
            LOG.info("deploy/{}: its routes removed", name);
        }
    }

    synchronized void close() {
        new ArrayList<>(routesByFile.keySet()).forEach(this::remove);
    }
}
