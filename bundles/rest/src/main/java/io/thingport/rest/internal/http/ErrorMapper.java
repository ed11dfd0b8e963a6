package io.thingport.rest.internal.http;

import io.thingport.api.ErrorCode;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure of a request as the API's one error shape. Faults of the platform are logged with their stack trace
 * and answered without it; refusals of bad input are not logged here (the access log has them).
 */
public final class ErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    @Override
    public Response toResponse(Throwable t) {
        ApiError error = ApiErrors.of(t);
        if (error.status() >= 500 && ErrorCode.INTERNAL.wireName().equals(error.code())) {
            LOG.error("An Open API request failed", t);
        }
        Response.ResponseBuilder r = Response.status(error.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(error);
        if (error.status() == 401) {
            r.header("WWW-Authenticate", "Basic realm=\"thingport\"");
        }
        if (error.status() == 429 || error.status() == 503) {
            r.header("Retry-After", "60");
        }
        return r.build();
    }
}
