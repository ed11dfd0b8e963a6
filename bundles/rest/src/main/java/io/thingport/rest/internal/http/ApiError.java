package io.thingport.rest.internal.http;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one error shape of the Open API: {@code {"code":"not_found","message":"device d9 does not exist"}}, with
 * {@code field} naming the part of the request at fault when there is one. {@code status} is the HTTP status.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(@JsonIgnore int status, String code, String message, String field) {
}
