package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.thingport.network.testkit.TestPki;
import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Network components, gateways and certificates in the running distribution, each transport driven by a real client
 * over a real socket: created, used, changed, disabled and deleted from the shell and from etc/ files.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NetworkIT extends ThingportTestSupport {
    static final String PRODUCT = "meter";
    static final String MODEL = """
            {"properties":[{"id":"humidity","type":{"type":"int","min":0,"max":100}},
                           {"id":"led","type":"bool","access":"read-write"}]}
            """;

    @Before
    public void product() throws Exception {
        if (!executeCommand("iot:product-list --no-format").contains(PRODUCT + "\t")) {
            Path model = Files.createTempFile("meter", ".json");
            Files.writeString(model, MODEL, StandardCharsets.UTF_8);
            executeCommand("iot:product-create --model " + model + " " + PRODUCT);
        }
    }

    private String device(String product, String id) {
        String secret = createDevice(product, id);
        DeviceSecrets.put(id, secret);
        return secret;
    }

    /** The body of every login refused for bad credentials, on HTTP and CoAP alike. */
    private static final String BAD_CREDENTIALS = "{\"code\":\"bad_credentials\",\"message\":\"bad user name or password\"}";

    /** The session token in the answer to an HTTP or CoAP login. */
    private static String token(String answer) {
        Matcher m = Pattern.compile("\"token\":\"([A-Za-z0-9_-]{43})\"").matcher(answer);
        assertThat(m.find()).as("a login's answer: %s", answer).isTrue();
        return m.group(1);
    }

    private static String report(int humidity) {
        return "{\"messageId\":\"h" + humidity + "\",\"properties\":{\"humidity\":" + humidity + "}}";
    }

    private void awaitHumidity(String deviceId, int value) {
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(props(deviceId)).contains("humidity\t" + value + "\t"));
    }

    private static File etc(String name) {
        return new File(System.getProperty("karaf.etc"), name);
    }

    private static boolean refusesConnections(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    public void componentsAndGatewaysAreManagedFromTheShellUnderTheSeedRules() throws Exception {
        // Verifies network-create/-update/-disable/-enable/-delete and gateway-* on a TCP server with a real TCP
        // device, the refusals with their reasons (nothing left behind), and the JetLinks rules: only an MQTT server
        // may be shared, a used component cannot be deleted, a product's gateway keeps its protocol and is not deleted.
        String types = executeCommand("iot:network-types --no-format");
        for (String type : List.of("mqtt-server", "mqtt-client", "tcp-server", "udp", "http-server", "websocket-server", "coap-server")) {
            assertThat(types).contains(type + "\t");
        }
        int port = freePort();
        assertThat(executeCommand("iot:network-create tcp1 tcp-server host=127.0.0.1 port=" + port))
                .contains("Network component tcp1 (tcp-server) is running");
        await().atMost(30, TimeUnit.SECONDS).until(() -> etc("io.thingport.network-tcp1.cfg").isFile());

        assertThat(failure(() -> executeCommand("iot:network-create bad1 tcp-server host=127.0.0.1 port=70000")))
                .contains("port 70000 is out of range");
        assertThat(failure(() -> executeCommand("iot:network-create dup tcp-server host=127.0.0.1 port=" + mqttPort)))
                .contains("in use");
        assertThat(failure(() -> executeCommand("iot:network-create odd tcp-server host=127.0.0.1 port=" + freePort() + " colour=red")))
                .contains("unknown key 'colour'");
        assertThat(failure(() -> executeCommand("iot:network-create odd2 nosuch-server"))).contains("unknown type 'nosuch-server'");
        assertThat(failure(() -> executeCommand("iot:network-create tcp1 tcp-server port=" + freePort()))).contains("already exists");
        assertThat(failure(() -> executeCommand("iot:network-create tls1 tcp-server port=" + freePort() + " certificate=nope")))
                .contains("certificate nope, which does not exist");
        assertThat(executeCommand("iot:network-list --no-format")).doesNotContain("bad1\t").doesNotContain("dup\t")
                .doesNotContain("odd\t").doesNotContain("tls1\t");
        assertThat(etc("io.thingport.network-bad1.cfg")).doesNotExist();

        assertThat(executeCommand("iot:gateway-create tcp-gw official tcp1")).contains("is running");
        assertThat(failure(() -> executeCommand("iot:gateway-create tcp-gw2 official tcp1")))
                .contains("only an mqtt-server may be used by several gateways");
        assertThat(executeCommand("iot:gateway-create mqtt-gw2 official mqtt")).contains("is running");
        assertThat(failure(() -> executeCommand("iot:network-delete tcp1"))).contains("is used by gateway(s) tcp-gw");
        // two gateways share the MQTT server: a product bound to the second is served by it
        executeCommand("iot:product-create --gateway mqtt-gw2 shared");
        String sharedSecret = device("shared", "shared-1");
        try (DeviceClient d = DeviceClient.connect(mqttPort, "shared", "shared-1", sharedSecret)) {
            assertThat(executeCommand("iot:gateway-list --no-format")).contains("mqtt-gw2\tofficial\tmqtt\tofficial\trunning\t1\tshared\t");
        }
        executeCommand("iot:product-gateway shared any");

        device(PRODUCT, "tcp-1");
        try (FrameDevice d = FrameDevice.connect(port, PRODUCT, "tcp-1")) {
            assertThat(d.loginReply).isEqualTo("/auth/reply {\"success\":true,\"deviceId\":\"tcp-1\",\"productId\":\"meter\"}");
            d.publish("properties/report", report(41));
            awaitHumidity("tcp-1", 41);
            // an invalid value is answered with /error on the same connection
            d.publish("properties/report", report(900));
            assertThat(d.readLine()).startsWith("/meter/tcp-1/error ").contains("invalid_value")
                    .contains("\"topic\":\"/meter/tcp-1/properties/report\"");

            // a refused change is rolled back: the component keeps (or goes back to) its previous configuration
            assertThat(failure(() -> executeCommand("iot:network-update tcp1 port=70000"))).contains("out of range")
                    .contains("previous configuration was kept");
            assertThat(executeCommand("iot:network-info tcp1")).contains("port = " + port).contains("running");
        }
        int port2 = freePort();
        assertThat(executeCommand("iot:network-update tcp1 port=" + port2)).contains("running");
        assertThat(refusesConnections(port)).isTrue();
        try (FrameDevice d = FrameDevice.connect(port2, PRODUCT, "tcp-1")) {
            d.publish("properties/report", report(42));
            awaitHumidity("tcp-1", 42);
            assertThat(executeCommand("iot:network-disable tcp1")).contains("is disabled");
            assertThat(d.readLine()).isNull();
        }
        assertThat(refusesConnections(port2)).isTrue();
        assertThat(executeCommand("iot:gateway-info tcp-gw")).contains("waiting");
        assertThat(executeCommand("iot:network-enable tcp1")).contains("is running");

        // a gateway disabled disconnects its devices and refuses logins
        try (FrameDevice d = FrameDevice.connect(port2, PRODUCT, "tcp-1")) {
            assertThat(d.loginReply).contains("\"success\":true");
            assertThat(executeCommand("iot:gateway-disable tcp-gw")).contains("is disabled");
            assertThat(d.readLine()).isNull();
        }
        try (FrameDevice d = FrameDevice.connect(port2, PRODUCT, "tcp-1")) {
            assertThat(d.readLine()).isNull();
        }
        // without a gateway nothing can read the login frame, so the refusal is logged without a device id
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(executeCommand("iot:device-log --limit 20 --no-format"))
                .contains("no enabled device access gateway uses network component tcp1"));
        executeCommand("iot:gateway-enable tcp-gw");

        // products bound to a gateway: devices only through it, protocol frozen, gateway not deletable
        int port3 = freePort();
        executeCommand("iot:network-create tcp2 tcp-server host=127.0.0.1 port=" + port3);
        executeCommand("iot:gateway-create --description Bound bound-gw custom tcp2 official");
        executeCommand("iot:product-create --gateway bound-gw bound");
        device("bound", "bound-1");
        try (FrameDevice d = FrameDevice.connect(port2, "bound", "bound-1")) {
            // the device is told "not authorized"; the operator reads why in its log
            assertThat(d.loginReply)
                    .isEqualTo("/auth/reply {\"success\":false,\"code\":\"not_authorized\",\"message\":\"not authorized\"}");
        }
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(log("bound-1"))
                .contains("not_authorized: product bound accepts devices only through gateway bound-gw"));
        try (FrameDevice d = FrameDevice.connect(port3, "bound", "bound-1")) {
            assertThat(d.loginReply).contains("\"success\":true");
        }
        assertThat(failure(() -> executeCommand("iot:gateway-update --protocol other bound-gw")))
                .contains("its protocol cannot change once a product references it");
        assertThat(failure(() -> executeCommand("iot:gateway-delete bound-gw"))).contains("referenced by product(s) bound");
        assertThat(executeCommand("iot:gateway-list --no-format")).contains("bound-gw\tcustom\ttcp2\tofficial\trunning\t");
        executeCommand("iot:product-gateway bound any");
        executeCommand("iot:gateway-delete bound-gw");
        executeCommand("iot:network-delete tcp2");

        executeCommand("iot:gateway-delete tcp-gw");
        executeCommand("iot:gateway-delete mqtt-gw2");
        assertThat(executeCommand("iot:network-delete tcp1")).contains("deleted");
        await().atMost(30, TimeUnit.SECONDS).until(() -> !etc("io.thingport.network-tcp1.cfg").exists());
        assertThat(refusesConnections(port2)).isTrue();
    }

    @Test
    public void etcFilesCreateChangeAndRemoveComponentsAndGateways() throws Exception {
        // Verifies hot reload of etc/io.thingport.network-*.cfg and etc/io.thingport.gateway-*.cfg: a dropped-in
        // pair serves devices, an edit moves the port, deleting the files stops the component and closes its devices.
        int port = freePort();
        Files.writeString(etc("io.thingport.network-filetcp.cfg").toPath(), "type = tcp-server\nhost = 127.0.0.1\nport = " + port + "\n");
        Files.writeString(etc("io.thingport.gateway-filetcp.cfg").toPath(), "type = official\nnetwork = filetcp\n");
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(executeCommand("iot:gateway-list --no-format")).contains("filetcp\tofficial\tfiletcp\tofficial\trunning\t"));
        device(PRODUCT, "file-1");
        try (FrameDevice d = FrameDevice.connect(port, PRODUCT, "file-1")) {
            d.publish("properties/report", report(7));
            awaitHumidity("file-1", 7);
        }
        int moved = freePort();
        Files.writeString(etc("io.thingport.network-filetcp.cfg").toPath(), "type = tcp-server\nhost = 127.0.0.1\nport = " + moved + "\n");
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(executeCommand("iot:network-info filetcp")).contains("port = " + moved).contains("State:       running"));
        try (FrameDevice d = FrameDevice.connect(moved, PRODUCT, "file-1")) {
            d.publish("properties/report", report(8));
            awaitHumidity("file-1", 8);
            Files.delete(etc("io.thingport.gateway-filetcp.cfg").toPath());
            Files.delete(etc("io.thingport.network-filetcp.cfg").toPath());
            assertThat(d.readLine()).isNull();
        }
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(executeCommand("iot:network-list --no-format")).doesNotContain("filetcp\t"));
        assertThat(refusesConnections(moved)).isTrue();
    }

    @Test
    public void udpHttpWebSocketAndCoapCarryTheOfficialProtocol() throws Exception {
        // Verifies each remaining server transport with a real client: UDP datagrams, HTTP POST (java.net.http),
        // WebSocket frames (java.net.http), CoAP (libcoap's coap-client); each report reaches the device's properties;
        // HTTP and CoAP log in once and send the session token after, and refuse a replayed login like an unknown device.
        int udp = freePort();
        int http = freePort();
        int ws = freePort();
        int coap = freePort();
        executeCommand("iot:network-create udp1 udp host=127.0.0.1 port=" + udp);
        executeCommand("iot:gateway-create udp-gw official udp1");
        executeCommand("iot:network-create http1 http-server host=127.0.0.1 port=" + http);
        executeCommand("iot:gateway-create http-gw official http1");
        executeCommand("iot:network-create ws1 websocket-server host=127.0.0.1 port=" + ws + " path=/iot");
        executeCommand("iot:gateway-create ws-gw official ws1");
        executeCommand("iot:network-create coap1 coap-server host=127.0.0.1 port=" + coap);
        executeCommand("iot:gateway-create coap-gw official coap1");

        // UDP: the login datagram, its reply, then a report
        String udpSecret = device(PRODUCT, "udp-1");
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(15_000);
            InetAddress loopback = InetAddress.getLoopbackAddress();
            byte[] login = FrameDevice.login("udp-1", udpSecret)[0].getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(login, login.length, loopback, udp));
            DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
            socket.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).contains("\"success\":true");
            byte[] frame = ("/meter/udp-1/properties/report " + report(21)).getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(frame, frame.length, loopback, udp));
        }
        awaitHumidity("udp-1", 21);

        // HTTP: a login with signed headers returns a session token, later requests present it; the path is the
        // topic; an invalid value comes back as an /error downlink; the same signed login sent again is refused, with
        // the answer an unknown device gets; the device log keeps the real reasons
        String httpSecret = device(PRODUCT, "http-1");
        String[] creds = FrameDevice.credentials("http-1", httpSecret);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String httpReport = "http://127.0.0.1:" + http + "/meter/http-1/properties/report";
        HttpRequest.Builder login = HttpRequest.newBuilder(URI.create(httpReport))
                .header("X-Client-Id", "http-1").header("X-Username", creds[0]).header("X-Password", creds[1])
                .timeout(Duration.ofSeconds(15));
        HttpResponse<String> ok = client.send(login.POST(HttpRequest.BodyPublishers.ofString(report(22))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        String token = token(ok.body());
        awaitHumidity("http-1", 22);
        HttpRequest.Builder withToken = HttpRequest.newBuilder(URI.create(httpReport)).header("X-Session-Token", token)
                .timeout(Duration.ofSeconds(15));
        HttpResponse<String> invalid = client.send(withToken.POST(HttpRequest.BodyPublishers.ofString(report(500))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(invalid.statusCode()).isEqualTo(200);
        assertThat(invalid.body()).contains("/meter/http-1/error").contains("invalid_value").doesNotContain("token");
        HttpResponse<String> replay = client.send(login.POST(HttpRequest.BodyPublishers.ofString(report(23))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).isEqualTo(BAD_CREDENTIALS);
        HttpResponse<String> badSignature = client.send(HttpRequest.newBuilder(URI.create(httpReport))
                .header("X-Client-Id", "http-1").header("X-Username", "http-1|" + System.currentTimeMillis()).header("X-Password", "00")
                .POST(HttpRequest.BodyPublishers.ofString(report(23))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badSignature.statusCode()).isEqualTo(401);
        assertThat(badSignature.body()).isEqualTo(BAD_CREDENTIALS);
        String[] ghost = FrameDevice.credentials("ghost-1", "no-secret");
        HttpResponse<String> unknown = client.send(HttpRequest.newBuilder(URI.create(httpReport))
                .header("X-Client-Id", "ghost-1").header("X-Username", ghost[0]).header("X-Password", ghost[1])
                .POST(HttpRequest.BodyPublishers.ofString(report(23))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(BAD_CREDENTIALS);
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(log("http-1"))
                .contains("stale_timestamp: replayed login").contains("bad_signature"));
        assertThat(log("ghost-1")).contains("unknown_device");
        HttpResponse<String> stillValid = client.send(withToken.POST(HttpRequest.BodyPublishers.ofString(report(24))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stillValid.statusCode()).isEqualTo(200);
        awaitHumidity("http-1", 24);
        HttpResponse<String> guessed = client.send(HttpRequest.newBuilder(URI.create(httpReport)).header("X-Session-Token", "x" + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(guessed.statusCode()).isEqualTo(401);
        assertThat(guessed.body()).contains("\"code\":\"invalid_session\"");

        // WebSocket: the login frame, its reply, then a report
        String wsSecret = device(PRODUCT, "ws-1");
        List<String> frames = new CopyOnWriteArrayList<>();
        WebSocket socket = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + ws + "/iot"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                frames.add(data.toString());
                webSocket.request(1);
                return null;
            }
        }).get(15, TimeUnit.SECONDS);
        socket.sendText(FrameDevice.login("ws-1", wsSecret)[0], true).get(10, TimeUnit.SECONDS);
        await().atMost(15, TimeUnit.SECONDS).until(() -> frames.stream().anyMatch(f -> f.contains("\"success\":true")));
        socket.sendText("/meter/ws-1/properties/report " + report(24), true).get(10, TimeUnit.SECONDS);
        awaitHumidity("ws-1", 24);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);

        // CoAP: libcoap's command-line client logs in with the credential options, then sends the token (option 2112);
        // the same login sent again is refused with a bare 4.01 (nothing larger than the request before a login), the
        // device log keeps the reason
        String coapSecret = device(PRODUCT, "coap-1");
        String[] coapCreds = FrameDevice.credentials("coap-1", coapSecret);
        String coapReport = "coap://127.0.0.1:" + coap + "/meter/coap-1/properties/report";
        String out = run("coap-client-notls", "-m", "post", "-O", "2100,coap-1", "-O", "2104," + coapCreds[0],
                "-O", "2108," + coapCreds[1], "-e", report(25), coapReport);
        assertThat(out).contains("downlinks");
        awaitHumidity("coap-1", 25);
        String withCoapToken = run("coap-client-notls", "-m", "post", "-O", "2112," + token(out), "-e", report(26), coapReport);
        assertThat(withCoapToken).contains("{\"downlinks\":[]}");
        awaitHumidity("coap-1", 26);
        String coapReplay = run("coap-client-notls", "-m", "post", "-O", "2100,coap-1", "-O", "2104," + coapCreds[0],
                "-O", "2108," + coapCreds[1], "-e", report(27), coapReport);
        assertThat(coapReplay.strip()).isEqualTo("4.01");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(log("coap-1")).contains("stale_timestamp: replayed login"));

        for (String name : List.of("udp", "http", "ws", "coap")) {
            editDisableEnable(name + "1");
            executeCommand("iot:gateway-delete " + name + "-gw");
            executeCommand("iot:network-delete " + name + "1");
        }
    }

    @Test
    public void tlsAndDtlsUseManagedCertificates() throws Exception {
        // Verifies certificate management and its use: an MQTT server with TLS from a managed certificate, signed and
        // X.509 (client certificate CN = device id, bound to the device) logins, a trusted but unbound client certificate
        // and an untrusted one refused, HTTPS with curl,
        // CoAP over DTLS with a pre-shared key and with the managed certificate and a device certificate
        // (coap-client-openssl), and the refusal to delete a certificate in use.
        TestPki pki = TestPki.get();
        assertThat(executeCommand("iot:cert-add --key " + pki.file("server.key") + " --ca " + pki.file("ca.crt")
                + " --description TLS server " + pki.file("server.crt"))).contains("Certificate server added: CN=localhost");
        assertThat(failure(() -> executeCommand("iot:cert-add --key " + pki.file("client.key") + " mismatch " + pki.file("server.crt"))))
                .contains("the private key does not belong to the certificate");
        String info = executeCommand("iot:cert-info server");
        assertThat(info).contains("CN=Thingport-Test-CA").contains("Fingerprint:  SHA-256 ").doesNotContain("PRIVATE KEY");

        int mqtts = freePort();
        executeCommand("iot:network-create mqtts mqtt-server host=127.0.0.1 port=" + mqtts + " certificate=server clientAuth=optional");
        executeCommand("iot:gateway-create mqtts-gw official mqtts");
        String secret = device(PRODUCT, "tls-1");
        MqttClient signed = tlsClient(mqtts, "tls-1", pki.clientContext(null));
        MqttConnectOptions options = tlsOptions(pki.clientContext(null));
        String[] creds = FrameDevice.credentials("tls-1", secret);
        options.setUserName(creds[0]);
        options.setPassword(creds[1].toCharArray());
        signed.connect(options);
        signed.publish("/meter/tls-1/properties/report", new MqttMessage(report(31).getBytes(StandardCharsets.UTF_8)));
        awaitHumidity("tls-1", 31);
        signed.disconnect();
        signed.close();

        device(PRODUCT, "dev-1");
        // The CA's signature and CN=dev-1 are not enough: until an operator binds the certificate to dev-1 it is refused
        // after the handshake with the answer an unknown device gets (CONNACK 0x04).
        assertThat(refusedConnect(mqtts, "dev-1", pki.clientContext("client"))).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThat(executeCommand("iot:device-cert-bind dev-1 " + pki.file("client.crt")))
                .contains("bound to device dev-1: CN=dev-1, issued by CN=Thingport-Test-CA");
        assertThat(executeCommand("iot:device-cert-list --no-format dev-1")).contains("\tCN=dev-1\tCN=Thingport-Test-CA\t");
        MqttClient x509 = tlsClient(mqtts, "dev-1", pki.clientContext("client"));
        x509.connect(tlsOptions(pki.clientContext("client")));
        x509.publish("/meter/dev-1/properties/report", new MqttMessage(report(32).getBytes(StandardCharsets.UTF_8)));
        awaitHumidity("dev-1", 32);
        x509.disconnect();
        x509.close();
        // Another certificate of the same CA with CN=dev-1, not bound: refused as an unknown device is, the reason for
        // the operator in the device log.
        copyOfDeviceCertificate(pki);
        assertThat(refusedConnect(mqtts, "dev-1", pki.clientContext("copy"))).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThat(refusedConnect(mqtts, "nobody", pki.clientContext(null), "nobody|" + System.currentTimeMillis(), "00"))
                .as("an unknown device").isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(executeCommand("iot:device-log --limit 10 --no-format dev-1"))
                .contains("unbound_certificate: certificate ").contains("is not bound to device dev-1"));
        MqttClient rogue = tlsClient(mqtts, "dev-1", pki.clientContext("rogue"));
        assertThatThrownBy(() -> rogue.connect(tlsOptions(pki.clientContext("rogue")))).isInstanceOf(MqttException.class);
        rogue.close();

        int https = freePort();
        executeCommand("iot:network-create https1 http-server host=127.0.0.1 port=" + https + " certificate=server");
        executeCommand("iot:gateway-create https-gw official https1");
        String[] h = FrameDevice.credentials("tls-1", secret);
        String curl = run("curl", "-sS", "--max-time", "15", "--cacert", pki.file("ca.crt").toString(), "-H", "X-Client-Id: tls-1",
                "-H", "X-Username: " + h[0], "-H", "X-Password: " + h[1], "-d", report(33),
                "https://127.0.0.1:" + https + "/meter/tls-1/properties/report");
        assertThat(curl).contains("downlinks");
        awaitHumidity("tls-1", 33);

        int coaps = freePort();
        executeCommand("iot:network-create coaps1 coap-server host=127.0.0.1 port=" + coaps
                + " pskIdentity=meter-psk pskKey=0x73656372657431");
        executeCommand("iot:gateway-create coaps-gw official coaps1");
        String[] c = FrameDevice.credentials("tls-1", secret);
        String coap = run("coap-client-openssl", "-u", "meter-psk", "-k", "secret1", "-m", "post", "-O", "2100,tls-1", "-O", "2104," + c[0],
                "-O", "2108," + c[1], "-e", report(34), "coaps://127.0.0.1:" + coaps + "/meter/tls-1/properties/report");
        assertThat(coap).contains("downlinks");
        awaitHumidity("tls-1", 34);

        // CoAP over DTLS with the managed certificate, the device proving itself with its client certificate only
        int coapsCert = freePort();
        executeCommand("iot:network-create coapsc coap-server host=127.0.0.1 port=" + coapsCert + " certificate=server clientAuth=require");
        executeCommand("iot:gateway-create coapsc-gw official coapsc");
        String dtls = run("coap-client-openssl", "-c", pki.file("client.crt").toString(), "-j", pki.file("client.key").toString(),
                "-C", pki.file("ca.crt").toString(), "-m", "post", "-e", report(35),
                "coaps://127.0.0.1:" + coapsCert + "/meter/dev-1/properties/report");
        assertThat(dtls).contains("downlinks");
        awaitHumidity("dev-1", 35);

        assertThat(failure(() -> executeCommand("iot:cert-delete server"))).contains("used by network component(s) coapsc, https1, mqtts");
        executeCommand("iot:gateway-delete coapsc-gw");
        executeCommand("iot:network-delete coapsc");
        for (String name : List.of("mqtts", "https", "coaps")) {
            executeCommand("iot:gateway-delete " + name + "-gw");
        }
        executeCommand("iot:network-delete mqtts");
        executeCommand("iot:network-delete https1");
        executeCommand("iot:network-delete coaps1");
        assertThat(executeCommand("iot:cert-delete server")).contains("deleted");
    }

    @Test
    public void anMqttClientComponentServesDevicesBehindAnExternalBroker() throws Exception {
        // Verifies the mqtt-client type against a real Mosquitto broker: a device publishing to the broker is served
        // by the platform (identity from the topic, checked against the registry), and an unknown device is not.
        int brokerPort = freePort();
        Path conf = Files.createTempFile("mosquitto", ".conf");
        Files.writeString(conf, "listener " + brokerPort + " 127.0.0.1\nallow_anonymous true\n");
        String mosquitto = new File("/usr/sbin/mosquitto").canExecute() ? "/usr/sbin/mosquitto" : "mosquitto";
        Process broker = new ProcessBuilder(mosquitto, "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("mosquitto", ".log").toFile()).start();
        try {
            await().atMost(15, TimeUnit.SECONDS).until(() -> !refusesConnections(brokerPort));
            executeCommand("iot:network-create broker mqtt-client remoteHost=127.0.0.1 remotePort=" + brokerPort
                    + " 'subscriptionPrefix=$share/thingport/'");
            executeCommand("iot:gateway-create broker-gw official broker");
            assertThat(executeCommand("iot:network-info broker")).contains("subscriptionPrefix = $share/thingport/");
            device(PRODUCT, "brk-1");
            MqttClient device = new MqttClient("tcp://127.0.0.1:" + brokerPort, "brk-1", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setAutomaticReconnect(false);
            device.connect(o);
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
                device.publish("/meter/brk-1/properties/report", new MqttMessage(report(51).getBytes(StandardCharsets.UTF_8)));
                assertThat(props("brk-1")).contains("humidity\t51\t");
            });
            device.publish("/meter/ghost/properties/report", new MqttMessage(report(52).getBytes(StandardCharsets.UTF_8)));
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(log("ghost")).contains("does not exist"));

            // The platform's own /error and commands come back from the broker to no one: one /error, then silence.
            List<String> seen = new CopyOnWriteArrayList<>();
            device.subscribe("/meter/brk-1/#", 1, (topic, m) -> seen.add(topic));
            device.publish("/meter/brk-1/properties/report", new MqttMessage(report(500).getBytes(StandardCharsets.UTF_8)));
            await().atMost(30, TimeUnit.SECONDS).until(() -> seen.contains("/meter/brk-1/error"));
            assertThat(failure(() -> executeCommand("iot:device-write --timeout 2 brk-1 led=true"))).contains("brk-1");
            await().during(3, TimeUnit.SECONDS).atMost(10, TimeUnit.SECONDS).until(() -> List.of("/meter/brk-1/properties/report",
                    "/meter/brk-1/error", "/meter/brk-1/properties/write").equals(seen));
            assertThat(log("brk-1").split("\n")).filteredOn(line -> line.contains("REJECTED") || line.contains("rejected"))
                    .as("one refusal: the report, not the platform's own /error or command").hasSize(1);
            device.disconnect();
            device.close();
            editDisableEnable("broker");
            executeCommand("iot:gateway-delete broker-gw");
            executeCommand("iot:network-delete broker");
        } finally {
            broker.destroy();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Edits a component's description, disables and enables it, checking the state each time. */
    private void editDisableEnable(String component) {
        assertThat(executeCommand("iot:network-update " + component + " description=edited")).contains("is running");
        assertThat(executeCommand("iot:network-info " + component)).contains("description = edited");
        assertThat(executeCommand("iot:network-disable " + component)).contains("is disabled");
        assertThat(executeCommand("iot:network-list --no-format")).contains(component + "\t")
                .containsPattern(component + "\t[a-z-]+\tdisabled\t");
        assertThat(executeCommand("iot:network-enable " + component)).contains("is running");
    }

    private static MqttClient tlsClient(int port, String clientId, javax.net.ssl.SSLContext context) throws MqttException {
        return new MqttClient("ssl://127.0.0.1:" + port, clientId, new MemoryPersistence());
    }

    /**
     * Has the test CA sign {@code copy.crt} (key {@code copy.key}) in the PKI's folder: CN=dev-1 like {@code client.crt},
     * with a key of its own. (Made here, not by {@link TestPki}, so that the test does not depend on the version of the
     * testkit bundle the container installs from the local repository.)
     */
    private static void copyOfDeviceCertificate(TestPki pki) throws Exception {
        String key = pki.file("copy.key").toString();
        String csr = pki.file("copy.csr").toString();
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr,
                "-subj", "/CN=dev-1");
        run("openssl", "x509", "-req", "-in", csr, "-CA", pki.file("ca.crt").toString(), "-CAkey", pki.file("ca.key").toString(),
                "-set_serial", Long.toString(System.nanoTime()), "-out", pki.file("copy.crt").toString(), "-days", "30");
    }

    /** Connects over TLS with a client certificate (and a user name and password, when given), and returns the refusal's code. */
    private static int refusedConnect(int port, String clientId, javax.net.ssl.SSLContext context, String... credentials)
            throws MqttException {
        MqttClient client = tlsClient(port, clientId, context);
        try {
            MqttConnectOptions options = tlsOptions(context);
            if (credentials.length == 2) {
                options.setUserName(credentials[0]);
                options.setPassword(credentials[1].toCharArray());
            }
            client.connect(options);
            client.disconnect();
            throw new AssertionError(clientId + " was accepted");
        } catch (MqttException e) {
            return e.getReasonCode();
        } finally {
            client.close();
        }
    }

    private static MqttConnectOptions tlsOptions(javax.net.ssl.SSLContext context) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(context.getSocketFactory());
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        options.setHttpsHostnameVerificationEnabled(false);
        return options;
    }

    /** Runs a command-line peer and returns its output; fails on a non-zero exit. */
    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 30 s");
        }
        String text = out.get(5, TimeUnit.SECONDS);
        assertThat(p.exitValue()).as(String.join(" ", command) + " printed: " + text).isZero();
        return text;
    }
}
