package io.thingport.rest.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.thingport.api.ErrorCode;
import io.thingport.api.access.RequestSignature;
import javax.ws.rs.core.EntityTag;

/**
 * Entity tags for optimistic updates: a resource's tag is a digest of its JSON form, sent as {@code ETag}; an update
 * with {@code If-Match} goes ahead only while the resource still has that tag, else 412 (the caller read a version
 * someone else has since changed).
 */
public final class ETags {
    private ETags() {
    }

    public static EntityTag of(Object representation) {
        try {
            byte[] json = RestJson.MAPPER.writeValueAsBytes(representation);
            return new EntityTag(RequestSignature.sha256(json).substring(0, 32));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + representation.getClass().getSimpleName(), e);
        }
    }

    /** Refuses with {@code PRECONDITION_FAILED} when {@code ifMatch} is given and the current tag is not in it. */
    public static void check(String ifMatch, Object current) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return;
        }
        String tag = "\"" + of(current).getValue() + "\"";
        for (String candidate : ifMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(tag)) {
                return;
            }
        }
        throw new FieldException(ErrorCode.PRECONDITION_FAILED, "If-Match",
                "the resource changed since it was read (its ETag is now " + tag + "): read it again");
    }
}
