package io.thingport.rest.internal.resources;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductService;
import io.thingport.rest.internal.auth.Caller;

/**
 * Product-scoped grants: what a caller limited to some products may see. An object outside the caller's products is
 * answered exactly as one that does not exist (404), so that a grant does not reveal what else the platform holds.
 */
public final class Access {
    private Access() {
    }

    public static Product product(ProductService products, Caller caller, String productId) {
        Product p = products.findProduct(productId).orElse(null);
        if (p == null || !caller.mayAccessProduct(p.id())) {
            throw ThingportException.notFound("product", productId);
        }
        return p;
    }

    public static Device device(DeviceService devices, Caller caller, String deviceId) {
        Device d = devices.findDevice(deviceId).orElse(null);
        if (d == null || !caller.mayAccessProduct(d.productId())) {
            throw ThingportException.notFound("device", deviceId);
        }
        return d;
    }

    /** Refuses a caller limited to some products when the product is not one of them. */
    public static void productGranted(Caller caller, String productId) {
        if (!caller.mayAccessProduct(productId)) {
            throw ThingportException.notFound("product", productId);
        }
    }

    /** Refuses what only a caller granted every product may do (create products, see platform-wide lists). */
    public static void allProducts(Caller caller, String what) {
        if (!caller.products().isEmpty()) {
            throw new ThingportException(ErrorCode.FORBIDDEN, caller.kind() + " " + caller.name()
                    + " is limited to some products and may not " + what);
        }
    }
}
