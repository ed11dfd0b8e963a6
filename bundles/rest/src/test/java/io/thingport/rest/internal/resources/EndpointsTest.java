package io.thingport.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.access.Role;
import io.thingport.rest.internal.auth.RoleFilter;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedMap;
import org.apache.cxf.endpoint.Endpoint;
import org.apache.cxf.jaxrs.impl.MetadataMap;
import org.apache.cxf.jaxrs.model.ClassResourceInfo;
import org.apache.cxf.jaxrs.model.OperationResourceInfo;
import org.apache.cxf.jaxrs.utils.JAXRSUtils;
import org.apache.cxf.jaxrs.utils.ResourceUtils;
import org.apache.cxf.message.Exchange;
import org.apache.cxf.message.ExchangeImpl;
import org.apache.cxf.message.Message;
import org.apache.cxf.message.MessageImpl;
import org.junit.jupiter.api.Test;

/**
 * The whole Open API in one table: every endpoint, the method that serves it and the least role it needs. Nothing may be
 * added without a row here (so nothing is public or admin-only by accident), and each row is checked against the
 * annotations as {@link RoleFilter} reads them and against CXF's own matching of a request to a method.
 */
class EndpointsTest {
    private static final Role V = Role.VIEWER;
    private static final Role O = Role.OPERATOR;
    private static final Role A = Role.ADMIN;
    private static final String JSON = MediaType.APPLICATION_JSON;
    /** A job id as DeviceImports makes them. */
    private static final String JOB = "0123456789abcdef0123456789abcdef";

    /** A request, the method that must serve it, and the role that method needs. */
    record Row(String http, String path, String contentType, String method, Role role) {
    }

    private static final List<Row> ENDPOINTS = new ArrayList<>();

    private static void row(String http, String path, String method, Role role) {
        ENDPOINTS.add(new Row(http, path, JSON, method, role));
    }

    private static void row(String http, String path, String contentType, String method, Role role) {
        ENDPOINTS.add(new Row(http, path, contentType, method, role));
    }

    static {
        row("GET", "/products", "ProductResource.list", V);
        row("POST", "/products", "ProductResource.create", O);
        row("GET", "/products/p1", "ProductResource.get", V);
        row("DELETE", "/products/p1", "ProductResource.delete", O);
        row("PUT", "/products/p1/settings", "ProductResource.settings", O);
        row("GET", "/products/p1/model", "ProductResource.model", V);
        row("PUT", "/products/p1/model", "ProductResource.updateModel", O);
        row("GET", "/products/p1/export", "ProductResource.export", V);
        row("POST", "/products/import", "ProductResource.importProduct", O);
        row("GET", "/product-categories", "ProductCategoryResource.list", V);

        row("GET", "/alarms", "AlarmResource.list", V);
        row("GET", "/alarms/7", "AlarmResource.get", V);
        row("POST", "/alarms/7/ack", "AlarmResource.acknowledge", O);

        row("GET", "/devices", "DeviceResource.list", V);
        row("POST", "/devices", "DeviceResource.create", O);
        row("POST", "/devices/import", "text/csv", "DeviceResource.importDevices", O);
        row("GET", "/devices/imports/" + JOB, "DeviceResource.importJob", O);
        row("GET", "/devices/counts", "DeviceResource.counts", V);
        row("GET", "/devices/d1", "DeviceResource.get", V);
        row("GET", "/devices/d1/tags", "DeviceResource.tags", V);
        row("PUT", "/devices/d1/tags", "DeviceResource.setTags", O);
        row("PUT", "/devices/d1/mac", "DeviceResource.setMac", O);
        row("DELETE", "/devices/d1", "DeviceResource.delete", O);
        row("POST", "/devices/d1/enable", "DeviceResource.enable", O);
        row("POST", "/devices/d1/disable", "DeviceResource.disable", O);
        row("POST", "/devices/d1/secret", "DeviceResource.resetSecret", O);
        row("GET", "/devices/d1/state", "DeviceResource.state", V);
        row("GET", "/devices/d1/properties", "DeviceResource.properties", V);
        row("GET", "/devices/d1/properties/temp/history", "DeviceResource.history", V);
        row("GET", "/devices/d1/properties/temp/series", "DeviceResource.series", V);
        row("GET", "/devices/d1/logs", "DeviceResource.logs", V);
        row("GET", "/devices/d1/certificates", "DeviceResource.certificates", V);
        row("POST", "/devices/d1/certificates", "DeviceResource.bindCertificate", O);
        row("DELETE", "/devices/d1/certificates/ab:cd", "DeviceResource.unbindCertificate", O);

        row("POST", "/devices/d1/commands", "CommandResource.send", O);
        row("GET", "/commands/c1", "CommandStatusResource.get", V);
        row("DELETE", "/commands/c1", "CommandStatusResource.cancel", O);
        row("GET", "/devices/d1/commands", "CommandResource.queue", V);

        row("GET", "/devices/d1/shadow", "ShadowResource.get", V);
        row("POST", "/devices/d1/shadow", "ShadowResource.update", O);
        row("DELETE", "/devices/d1/shadow", "ShadowResource.delete", O);
        row("GET", "/devices/d1/children", "SubDeviceResource.list", V);
        row("POST", "/devices/d1/children", "SubDeviceResource.bind", O);
        row("DELETE", "/devices/d1/children/c1", "SubDeviceResource.unbind", O);

        row("POST", "/auth/token", "AuthResource.issue", V);
        row("DELETE", "/auth/token", "AuthResource.revoke", V);
        row("GET", "/auth/me", "AuthResource.me", V);

        row("GET", "/rules", "RuleResource.list", V);
        row("POST", "/rules", "RuleResource.create", O);
        row("GET", "/rules/r1", "RuleResource.get", V);
        row("PUT", "/rules/r1", "RuleResource.update", O);
        row("DELETE", "/rules/r1", "RuleResource.delete", O);
        row("POST", "/rules/r1/enable", "RuleResource.enable", O);
        row("POST", "/rules/r1/disable", "RuleResource.disable", O);
        row("GET", "/rules/r1/history", "RuleResource.history", V);
        row("POST", "/rules/r1/rollback", "RuleResource.rollback", O);
        row("GET", "/rules/r1/metrics", "RuleResource.metrics", V);
        row("POST", "/rules/test", "RuleResource.test", O);
        row("POST", "/rules/r1/test-stored", "RuleResource.testStored", O);
        row("GET", "/rules/export", "RuleResource.export", V);
        row("POST", "/rules/import", "RuleResource.importRules", O);

        row("GET", "/rules/failed", "FailedMessageResource.list", V);
        row("GET", "/rules/failed/7", "FailedMessageResource.get", V);
        row("POST", "/rules/failed/7/replay", "FailedMessageResource.replayOne", O);
        row("POST", "/rules/failed/replay", "FailedMessageResource.replay", O);
        row("DELETE", "/rules/failed/7", "FailedMessageResource.discardOne", O);
        row("POST", "/rules/failed/discard", "FailedMessageResource.discard", O);

        row("GET", "/datasources", "DataSourceResource.list", A);
        row("POST", "/datasources", "DataSourceResource.add", A);
        row("GET", "/datasources/k1", "DataSourceResource.get", A);
        row("DELETE", "/datasources/k1", "DataSourceResource.delete", A);

        row("GET", "/networks", "NetworkResource.list", A);
        row("GET", "/networks/types", "NetworkResource.types", A);
        row("POST", "/networks", "NetworkResource.create", A);
        row("GET", "/networks/tcp1", "NetworkResource.get", A);
        row("PUT", "/networks/tcp1", "NetworkResource.update", A);
        row("POST", "/networks/tcp1/enable", "NetworkResource.enable", A);
        row("POST", "/networks/tcp1/disable", "NetworkResource.disable", A);
        row("DELETE", "/networks/tcp1", "NetworkResource.delete", A);

        row("GET", "/gateways", "GatewayResource.list", A);
        row("GET", "/gateways/types", "GatewayResource.types", A);
        row("POST", "/gateways", "GatewayResource.create", A);
        row("GET", "/gateways/g1", "GatewayResource.get", A);
        row("PUT", "/gateways/g1", "GatewayResource.update", A);
        row("POST", "/gateways/g1/enable", "GatewayResource.enable", A);
        row("POST", "/gateways/g1/disable", "GatewayResource.disable", A);
        row("DELETE", "/gateways/g1", "GatewayResource.delete", A);

        row("GET", "/protocols", "ProtocolResource.list", A);
        row("GET", "/protocols/compact", "ProtocolResource.get", A);
        row("POST", "/protocols", "multipart/form-data; boundary=b", "ProtocolResource.addForm", A);
        row("POST", "/protocols", "application/java-archive", "ProtocolResource.addJar", A);
        row("POST", "/protocols", JSON, "ProtocolResource.addUrl", A);
        row("PUT", "/protocols/compact", "multipart/form-data; boundary=b", "ProtocolResource.updateForm", A);
        row("PUT", "/protocols/compact", "application/octet-stream", "ProtocolResource.updateJar", A);
        row("PUT", "/protocols/compact", JSON, "ProtocolResource.updateUrl", A);
        row("DELETE", "/protocols/compact", "ProtocolResource.delete", A);

        row("GET", "/virtual-devices", "VirtualDeviceResource.list", V);
        row("GET", "/virtual-devices/d1", "VirtualDeviceResource.get", V);
        row("POST", "/virtual-devices/d1", "VirtualDeviceResource.start", O);
        row("DELETE", "/virtual-devices/d1", "VirtualDeviceResource.stop", O);
        row("POST", "/virtual-devices/d1/properties", "VirtualDeviceResource.set", O);
        row("POST", "/virtual-devices/d1/events/overheat", "VirtualDeviceResource.event", O);
        row("GET", "/simulations", "SimulationResource.list", V);
        row("POST", "/simulations", "SimulationResource.start", O);
        row("GET", "/simulations/s1", "SimulationResource.get", V);
        row("DELETE", "/simulations/s1", "SimulationResource.cancel", O);

        row("GET", "/certificates", "CertificateResource.list", A);
        row("POST", "/certificates", "CertificateResource.add", A);
        row("GET", "/certificates/server", "CertificateResource.get", A);
        row("DELETE", "/certificates/server", "CertificateResource.delete", A);

        row("GET", "/applications", "ApplicationResource.list", A);
        row("POST", "/applications", "ApplicationResource.create", A);
        row("GET", "/applications/app-1", "ApplicationResource.get", A);
        row("POST", "/applications/app-1/rotate", "ApplicationResource.rotate", A);
        row("POST", "/applications/app-1/revoke", "ApplicationResource.revoke", A);
        row("DELETE", "/applications/app-1", "ApplicationResource.delete", A);

        row("GET", "/access-log", "AccessLogResource.query", A);
        row("GET", "/system-log", "SystemLogResource.query", A);
        row("GET", "/openapi.json", "OpenApiResource.get", V);
    }

    private static Map<String, Method> resourceMethods() {
        Map<String, Method> out = new TreeMap<>();
        for (Class<?> c : ResourceClasses.all()) {
            for (Method m : ResourceClasses.publicMethods(c)) {
                out.put(ResourceClasses.key(m), m);
            }
        }
        return out;
    }

    private static ResourceInfo info(Method m) {
        return new ResourceInfo() {
            @Override
            public Method getResourceMethod() {
                return m;
            }

            @Override
            public Class<?> getResourceClass() {
                return m.getDeclaringClass();
            }
        };
    }

    // Verifies that every public method of a resource class is an endpoint (has an HTTP method) and is in the table once.
    @Test
    void everyResourceMethodIsAnEndpointInTheTable() {
        // GIVEN the resource classes as compiled
        Map<String, Method> methods = resourceMethods();

        // WHEN their public methods are compared with the table
        List<String> withoutHttpMethod = methods.values().stream().filter(m -> ResourceClasses.httpMethod(m) == null)
                .map(ResourceClasses::key).toList();
        List<String> inTable = ENDPOINTS.stream().map(Row::method).toList();

        // THEN each has an HTTP method, and the table names exactly them, each once
        assertThat(withoutHttpMethod).isEmpty();
        assertThat(new TreeSet<>(inTable)).isEqualTo(methods.keySet());
        assertThat(inTable).doesNotHaveDuplicates();
    }

    // Verifies that each endpoint needs the role in the table, as RoleFilter reads the annotations.
    @Test
    void everyEndpointNeedsItsRole() {
        // GIVEN the resource methods
        Map<String, Method> methods = resourceMethods();

        // WHEN the role each needs is read as RoleFilter reads it
        Map<String, Role> needed = new LinkedHashMap<>();
        Map<String, Role> expected = new LinkedHashMap<>();
        for (Row e : ENDPOINTS) {
            needed.put(e.method(), RoleFilter.needed(info(methods.get(e.method()))));
            expected.put(e.method(), e.role());
        }

        // THEN it is the table's, and each HTTP method in the table is the annotated one
        assertThat(needed).isEqualTo(expected);
        for (Row e : ENDPOINTS) {
            assertThat(ResourceClasses.httpMethod(methods.get(e.method()))).as(e.method()).isEqualTo(e.http());
        }
    }

    // Verifies that CXF matches each endpoint's request to its method, literal paths (/rules/export, /rules/failed,
    // /networks/types) before a {id}, and a content type to the upload, jar or URL form.
    @Test
    void cxfRoutesEveryRequestToItsMethod() {
        // GIVEN CXF's model of every resource class
        List<ClassResourceInfo> classes = ResourceClasses.all().stream()
                .map(c -> ResourceUtils.createClassResourceInfo(c, c, true, true)).toList();

        // WHEN each request is matched
        Map<String, String> routed = new LinkedHashMap<>();
        Map<String, String> expected = new LinkedHashMap<>();
        for (Row e : ENDPOINTS) {
            routed.put(e.http() + " " + e.path() + " " + e.contentType(), route(classes, e));
            expected.put(e.http() + " " + e.path() + " " + e.contentType(), e.method());
        }

        // THEN each reaches its method
        assertThat(routed).isEqualTo(expected);
    }

    // Verifies that the imports' path does not hide the sub-resources of a device named "imports" (only a job id, lower-case
    // hex, reaches an import job), and that a JSON file reaches the import too.
    @Test
    void aDeviceNamedImportsKeepsItsSubResources() {
        // GIVEN CXF's model of every resource class
        List<ClassResourceInfo> classes = ResourceClasses.all().stream()
                .map(c -> ResourceUtils.createClassResourceInfo(c, c, true, true)).toList();

        // WHEN requests for device "imports" and a JSON import are matched
        List<String> routed = new ArrayList<>();
        for (Row r : List.of(new Row("GET", "/devices/imports", JSON, null, V), new Row("GET", "/devices/imports/state", JSON, null, V),
                new Row("GET", "/devices/imports/logs", JSON, null, V), new Row("POST", "/devices/imports/secret", JSON, null, O),
                new Row("GET", "/devices/imports/" + JOB, JSON, null, O), new Row("POST", "/devices/import", JSON, null, O))) {
            routed.add(route(classes, r));
        }

        // THEN each reaches the device's method, and the job id and the JSON import theirs
        assertThat(routed).containsExactly("DeviceResource.get", "DeviceResource.state", "DeviceResource.logs",
                "DeviceResource.resetSecret", "DeviceResource.importJob", "DeviceResource.importDevices");
    }

    // Verifies that /devices/counts hides only GET of a device named "counts": its other methods and sub-resources reach it.
    @Test
    void aDeviceNamedCountsKeepsItsOtherMethodsAndSubResources() {
        // GIVEN CXF's model of every resource class
        List<ClassResourceInfo> classes = ResourceClasses.all().stream()
                .map(c -> ResourceUtils.createClassResourceInfo(c, c, true, true)).toList();

        // WHEN requests for device "counts" are matched
        List<String> routed = new ArrayList<>();
        for (Row r : List.of(new Row("GET", "/devices/counts", JSON, null, V), new Row("DELETE", "/devices/counts", JSON, null, O),
                new Row("GET", "/devices/counts/state", JSON, null, V), new Row("PUT", "/devices/counts/tags", JSON, null, O))) {
            routed.add(route(classes, r));
        }

        // THEN GET is the counts, the rest the device's
        assertThat(routed).containsExactly("DeviceResource.counts", "DeviceResource.delete", "DeviceResource.state",
                "DeviceResource.setTags");
    }

    // Verifies that every resource class of the package is one RestServer publishes.
    @Test
    void restServerPublishesEveryResource() throws IOException {
        // GIVEN RestServer's source
        String source = Files.readString(Path.of("src/main/java/io/thingport/rest/internal/RestServer.java"),
                StandardCharsets.UTF_8);

        // WHEN / THEN it constructs each resource class
        for (Class<?> c : ResourceClasses.all()) {
            assertThat(source).as(c.getSimpleName()).contains("resources.add(new " + c.getSimpleName() + "(");
        }
    }

    private static String route(List<ClassResourceInfo> classes, Row e) {
        Message message = new MessageImpl();
        Exchange exchange = new ExchangeImpl();
        message.setExchange(exchange);
        exchange.setInMessage(message);
        exchange.put(Endpoint.class, endpoint());
        message.put(Message.HTTP_REQUEST_METHOD, e.http());
        message.put(Message.CONTENT_TYPE, e.contentType());
        Map<ClassResourceInfo, MultivaluedMap<String, String>> candidates = JAXRSUtils.selectResourceClass(classes, e.path(),
                message);
        if (candidates == null) {
            return "none";
        }
        OperationResourceInfo ori = JAXRSUtils.findTargetMethod(candidates, message, e.http(), new MetadataMap<>(),
                e.contentType(), List.of(MediaType.APPLICATION_JSON_TYPE), false, false);
        return ori == null ? "none" : ResourceClasses.key(ori.getMethodToInvoke());
    }

    /** An endpoint without settings: what CXF's matching reads from the exchange. */
    private static Endpoint endpoint() {
        return (Endpoint) Proxy.newProxyInstance(EndpointsTest.class.getClassLoader(), new Class<?>[] { Endpoint.class },
                (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
    }
}
