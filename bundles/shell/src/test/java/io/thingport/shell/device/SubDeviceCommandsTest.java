package io.thingport.shell.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.Device;
import io.thingport.api.device.DeviceService;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.TopologyService;
import io.thingport.shell.support.Fakes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubDeviceCommandsTest {
    @Test
    void bindUnbindAndListCallTheTopologyServiceAndStopAtTheFirstRefusal() throws Exception {
        // Verifies device-bind (each child in turn, stopping at a refusal with its message), device-unbind naming the
        // former gateway, and device-children's table of the children's state.
        // GIVEN a topology that refuses c-3
        List<String> calls = new ArrayList<>();
        TopologyService topology = Fakes.service(TopologyService.class, Map.of(
                "bind", args -> {
                    if (args[1].equals("c-3")) {
                        throw new ThingportException(ErrorCode.CONFLICT, "device c-3 is a sub-device of gateway gw-2 already");
                    }
                    calls.add("bind " + args[0] + " " + args[1]);
                    return null;
                },
                "unbind", args -> calls.add("unbind " + args[0]),
                "gatewayOf", args -> Optional.of("gw-1"),
                "children", args -> List.of("c-1")));
        DeviceBindCommand bind = new DeviceBindCommand();
        bind.topology = topology;
        bind.gatewayId = "gw-1";
        bind.children = List.of("c-1", "c-3", "c-4");
        // WHEN / THEN
        assertThatThrownBy(() -> Fakes.output(bind::execute)).hasMessageContaining("c-3 is a sub-device of gateway gw-2");
        assertThat(calls).containsExactly("bind gw-1 c-1");
        DeviceUnbindCommand unbind = new DeviceUnbindCommand();
        unbind.topology = topology;
        unbind.children = List.of("c-1");
        assertThat(Fakes.output(unbind::execute)).contains("Device c-1 is no longer a sub-device of gateway gw-1");
        DeviceChildrenCommand children = new DeviceChildrenCommand();
        children.topology = topology;
        children.devices = Fakes.service(DeviceService.class, Map.of("findDevice", args -> Optional.of(
                new Device("c-1", "thermo", "c-1", true, DeviceState.NEVER_ONLINE, Instant.EPOCH))));
        children.gatewayId = "gw-1";
        children.noFormat = true;
        assertThat(Fakes.output(children::execute)).startsWith("c-1\tthermo\tyes\toffline\t");
    }
}
