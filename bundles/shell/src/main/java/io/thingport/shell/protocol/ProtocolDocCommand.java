package io.thingport.shell.protocol;

import io.thingport.api.ThingportException;
import io.thingport.api.device.Product;
import io.thingport.api.device.ProductService;
import io.thingport.api.protocol.ProtocolRegistry;
import io.thingport.api.protocol.ProtocolSupport;
import io.thingport.api.protocol.ThingModelCodec;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.ProductIdCompleter;
import io.thingport.shell.support.ProtocolIdCompleter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

@Command(scope = "iot", name = "protocol-doc", description = "Prints a protocol's device-side documentation; with --product, the"
        + " documents its thing-model codec generates for that product (e.g. the binary data-point layout as markdown and a C header)")
@Service
public class ProtocolDocCommand extends IotCommand {
    @Reference
    ProtocolRegistry protocols;

    @Reference
    ProductService products;

    @Argument(index = 0, name = "id", description = "Protocol id", required = true)
    @Completion(ProtocolIdCompleter.class)
    String id;

    @Option(name = "--product", description = "Generate the documents for this product's thing model")
    @Completion(ProductIdCompleter.class)
    String productId;

    @Option(name = "--output", description = "Folder to write the documents into (created if missing) instead of printing them")
    @Completion(FileCompleter.class)
    String output;

    @Override
    protected Object run() throws IOException {
        ProtocolSupport protocol = protocols.find(id).orElseThrow(() -> ThingportException.notFound("protocol", id));
        if (productId == null) {
            write(Map.of(id + ".md", protocol.documentation()));
            return null;
        }
        Product product = products.getProduct(productId);
        ThingModelCodec codec = protocol.thingModelCodec().orElseThrow(() -> ThingportException.invalidArgument("protocol " + id
                + " has no thing-model codec: it has no per-product documents (iot:protocol-doc " + id + " prints its documentation)"));
        codec.check(product.thingModel());
        write(codec.documents(product));
        return null;
    }

    private void write(Map<String, String> documents) throws IOException {
        if (output == null) {
            documents.forEach((name, text) -> {
                if (documents.size() > 1) {
                    println("==> " + name + " <==");
                }
                printText(text);
            });
            return;
        }
        Path dir = Path.of(output).toAbsolutePath();
        Files.createDirectories(dir);
        for (Map.Entry<String, String> d : new TreeMap<>(documents).entrySet()) {
            Path file = dir.resolve(d.getKey());
            Files.writeString(file, d.getValue(), StandardCharsets.UTF_8);
            println("Wrote " + file + " (" + Files.size(file) + " bytes)");
        }
    }
}
