package io.thingport.shell.product;

import io.thingport.api.device.Product;
import io.thingport.api.device.ProductOptions;

/** A product's options on one line, as product-create and product-set print them. */
final class ProductOptionsText {
    private ProductOptionsText() {
    }

    static String summary(Product p) {
        ProductOptions o = p.options();
        return "category " + o.category() + ", " + o.communication().wireName() + ", power " + o.power().wireName() + ", downlink "
                + o.downlink().wireName() + (o.downlink().isSleepy() ? " (queues " + o.queue().maxLength() + " commands for "
                + o.queue().timeToLive().toSeconds() + " s)" : "") + (o.carrier() == null ? "" : ", carrier " + o.carrier())
                + ", data format " + p.dataFormat().wireName() + ", node type " + o.node().wireName();
    }
}
