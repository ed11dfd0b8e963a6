package io.thingport.shell.device;

import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceCertificate;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.TopologyService;
import io.thingport.shell.support.DeviceIdCompleter;
import io.thingport.shell.support.IotCommand;
import io.thingport.shell.support.Values;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "iot", name = "device-info", description = "Shows a device, its connection state and its bound client certificates")
@Service
public class DeviceInfoCommand extends IotCommand {
    @Reference
    DeviceService devices;

    @Reference
    TopologyService topology;

    @Argument(index = 0, name = "id", description = "Device id", required = true)
    @Completion(DeviceIdCompleter.class)
    String id;

    @Override
    protected Object run() {
        Device d = devices.getDevice(id);
        println("Id:           " + d.id());
        println("Product:      " + d.productId());
        println("Name:         " + d.name());
        println("Enabled:      " + (d.enabled() ? "yes" : "no"));
        println("Status:       " + d.status().label());
        println("MAC:          " + (d.mac() == null ? "-" : d.mac()));
        println("Tags:         " + DeviceListCommand.tags(d.tags()));
        println("State:        " + (d.state().online() ? "online" : "offline"));
        println("First online: " + Values.time(d.state().firstOnline()));
        println("Online count: " + d.state().onlineCount());
        println("Last online:  " + Values.time(d.state().lastOnline()));
        println("Last offline: " + Values.time(d.state().lastOffline()));
        println("Node:         " + (d.state().node() == null ? "-" : d.state().node()));
        println("Gateway:      " + topology.gatewayOf(id).orElse("-"));
        int children = topology.children(id).size();
        if (children > 0) {
            println("Sub-devices:  " + children + " (iot:device-children " + id + ")");
        }
        println("Created:      " + Values.time(d.createdAt()));
        List<DeviceCertificate> certificates = devices.listCertificates(id);
        if (certificates.isEmpty()) {
            println("Certificates: -");
        }
        String label = "Certificates: ";
        for (DeviceCertificate c : certificates) {
            println(label + c.fingerprint() + (c.subject() == null ? " (bound by fingerprint)" : " " + c.subject()));
            label = "              ";
        }
        return null;
    }
}
