package io.thingport.protocol.gizwits;

import io.thingport.api.device.Product;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device-side documents of a product, by file name: {@code <id>-protocol.md} ({@link GizwitsMarkdown}) and
 * {@code <id>_datapoints.h} ({@link GizwitsCHeader}).
 */
final class GizwitsDocuments {
    private GizwitsDocuments() {
    }

    static Map<String, String> generate(Product product, DataPointLayout layout, GizwitsBinaryCodec codec) {
        Map<String, String> docs = new LinkedHashMap<>();
        docs.put(GizwitsMarkdown.fileName(product.id()), new GizwitsMarkdown(product, layout, codec).render());
        docs.put(GizwitsCHeader.fileName(product.id()), new GizwitsCHeader(product, layout).render());
        return docs;
    }
}
