package io.thingport.network.coap;

import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter;
import org.eclipse.californium.elements.EndpointContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the diagnostic text off the error responses Californium makes itself (4.02 for an unknown critical option or
 * a malformed option value, 4.08 and 4.13 for a block-wise upload it refuses) before they are sent. Those answer
 * requests that never reached {@link CoapRequestHandler}, so peers that have not logged in and whose source address
 * may be forged: like the handler's own refusals they get the response code only (with the options the protocol asks
 * for, such as Size1 on a 4.13), never an answer larger than their request. The text is logged at DEBUG instead.
 * Registered on the server endpoint; called on Californium's threads.
 */
final class BareInternalErrors extends MessageInterceptorAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(BareInternalErrors.class);

    private final String componentId;

    BareInternalErrors(String componentId) {
        this.componentId = componentId;
    }

    @Override
    public void sendResponse(Response response) {
        if (response.isInternal() && response.isError() && response.getPayloadSize() > 0) {
            EndpointContext to = response.getDestinationContext();
            LOG.debug("network component {}: answered {} to {} without its text: {}", componentId, response.getCode(),
                    to == null ? "?" : to.getPeerAddress(), response.getPayloadString());
            response.setPayload((byte[]) null);
        }
    }
}
