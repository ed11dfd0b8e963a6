package io.thingport.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.serialization.UdpDataParser;
import org.eclipse.californium.core.network.serialization.UdpDataSerializer;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.RawData;
import org.junit.jupiter.api.Test;

class CoapRequestsTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 5690);

    @Test
    void credentialsAreSignedOnce() {
        CoapRequests.Credentials c = CoapRequests.Credentials.sign(new Device("dev-1", "s3cr3t"), 1700000000000L);
        assertEquals(new CoapRequests.Credentials("dev-1", "dev-1|1700000000000",
                "b58a6ffc3f9c429b8848c7b65e1e82505035b9daa6686ea1d0baa2ea3da549ac"), c);
    }

    @Test
    void reportIsAConfirmablePostWithTheTokenOption() {
        Request r = CoapRequests.report(SERVER, "/p/d1/properties/report", "tok-1", "{\"messageId\":\"m\"}");
        assertEquals(CoAP.Code.POST, r.getCode());
        assertEquals(CoAP.Type.CON, r.getType());
        assertEquals(SERVER, r.getDestinationContext().getPeerAddress());
        assertEquals(List.of("p", "d1", "properties", "report"), r.getOptions().getUriPath());
        assertEquals(MediaTypeRegistry.APPLICATION_JSON, r.getOptions().getContentFormat());
        assertEquals("tok-1", r.getOptions().getOtherOption(2112).getStringValue());
        assertNull(r.getOptions().getOtherOption(2100));
        assertNull(r.getOptions().getOtherOption(2108));
        assertArrayEquals("{\"messageId\":\"m\"}".getBytes(StandardCharsets.UTF_8), r.getPayload());
    }

    @Test
    void theLoginCarriesTheCredentialOptionsAndItsAnswerTheToken() {
        CoapRequests.Credentials c = new CoapRequests.Credentials("d1", "d1|5", "abc");
        Request r = CoapRequests.login(SERVER, "/p/d1/properties/report", c);
        assertEquals(CoAP.Code.GET, r.getCode());
        assertEquals("d1", r.getOptions().getOtherOption(2100).getStringValue());
        assertEquals("d1|5", r.getOptions().getOtherOption(2104).getStringValue());
        assertEquals("abc", r.getOptions().getOtherOption(2108).getStringValue());
        assertNull(r.getOptions().getOtherOption(2112));
        assertEquals("AbC-_9", CoapRequests.token("{\"token\":\"AbC-_9\",\"downlinks\":[]}"));
        assertNull(CoapRequests.token("{\"downlinks\":[]}"));
        assertNull(CoapRequests.token(null));
    }

    @Test
    void optionsSurviveTheWire() {
        // serialize as Californium sends it and parse it back as a server would
        CoapRequests.Credentials c = new CoapRequests.Credentials("d1", "d1|5", "abc");
        Request r = CoapRequests.login(SERVER, "/p/d1/properties/report", c);
        r.setMID(7);
        r.setToken(new byte[] {1, 2});
        RawData raw = new UdpDataSerializer().serializeRequest(r);
        Request parsed = (Request) new UdpDataParser().parseMessage(RawData.inbound(raw.getBytes(),
                new AddressEndpointContext(SERVER), false, 0, SERVER));
        assertEquals(CoAP.Code.GET, parsed.getCode());
        assertEquals("p/d1/properties/report", parsed.getOptions().getUriPathString());
        assertEquals("d1", parsed.getOptions().getOtherOption(2100).getStringValue());
        assertEquals("d1|5", parsed.getOptions().getOtherOption(2104).getStringValue());
        assertEquals("abc", parsed.getOptions().getOtherOption(2108).getStringValue());
        assertEquals(7, parsed.getMID());
        Request poll = CoapRequests.poll(SERVER, "/p/d1/properties/report", "tok-1");
        poll.setMID(8);
        poll.setToken(new byte[] {3});
        Request parsedPoll = (Request) new UdpDataParser().parseMessage(RawData.inbound(new UdpDataSerializer()
                .serializeRequest(poll).getBytes(), new AddressEndpointContext(SERVER), false, 0, SERVER));
        assertEquals("tok-1", parsedPoll.getOptions().getOtherOption(2112).getStringValue());
    }

    @Test
    void downlinksOfAResponseBody() {
        assertEquals(List.of(), CoapRequests.downlinks("{\"downlinks\":[]}"));
        // as the coap-server writes a rejected report's answer: the /error payload is a JSON string inside the body
        String body = "{\"downlinks\":[{\"topic\":\"/p/d1/error\",\"payload\":\"{\\\"messageId\\\":\\\"r-1\\\","
                + "\\\"code\\\":\\\"invalid_value\\\",\\\"message\\\":\\\"hum: 500 \\u003e 100\\\"}\"},"
                + "{\"topic\":\"/p/d1/properties/read\",\"payload\":\"{}\"}]}";
        List<CoapRequests.Downlink> d = CoapRequests.downlinks(body);
        assertEquals(2, d.size());
        assertEquals("/p/d1/error", d.get(0).topic());
        assertEquals("{\"messageId\":\"r-1\",\"code\":\"invalid_value\",\"message\":\"hum: 500 > 100\"}", d.get(0).payload());
        assertEquals("invalid_value", TcpFrames.errorCode(" " + d.get(0).payload()));
        assertEquals(new CoapRequests.Downlink("/p/d1/properties/read", "{}"), d.get(1));
        assertEquals("a\\b\"c\n\t/", CoapRequests.unescape("a\\\\b\\\"c\\n\\t\\/"));
    }

    @Test
    void responseCodesAreWrittenTheCoapWay() {
        assertEquals("2.04 CHANGED", CoapRequests.describe(CoAP.ResponseCode.CHANGED));
        assertEquals("4.03 FORBIDDEN", CoapRequests.describe(CoAP.ResponseCode.FORBIDDEN));
        assertEquals("5.03 SERVICE_UNAVAILABLE", CoapRequests.describe(CoAP.ResponseCode.SERVICE_UNAVAILABLE));
        assertEquals("4.13 REQUEST_ENTITY_TOO_LARGE", CoapRequests.describe(CoAP.ResponseCode.REQUEST_ENTITY_TOO_LARGE));
    }
}
