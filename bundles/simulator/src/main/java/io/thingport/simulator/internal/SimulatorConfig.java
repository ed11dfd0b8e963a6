package io.thingport.simulator.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The simulator's bounds (configuration {@code io.thingport.simulator}, file {@code etc/io.thingport.simulator.cfg}). */
@ObjectClassDefinition(name = "Thingport simulator", description = "Virtual devices and load simulations")
public @interface SimulatorConfig {
    @AttributeDefinition(description = "Virtual devices running at once (iot:virtual-device-start)")
    int maxVirtualDevices() default Limits.DEFAULT_MAX_VIRTUAL_DEVICES;

    @AttributeDefinition(description = "The most devices of one simulation (iot:simulate --devices)")
    int maxSimulationDevices() default Limits.DEFAULT_MAX_SIMULATION_DEVICES;

    @AttributeDefinition(description = "The highest total report rate of a simulation, reports per second")
    double maxSimulationRate() default Limits.DEFAULT_MAX_SIMULATION_RATE;

    @AttributeDefinition(description = "The longest simulation, in seconds")
    int maxSimulationSeconds() default Limits.DEFAULT_MAX_SIMULATION_SECONDS;

    @AttributeDefinition(description = "Netty event-loop threads that all virtual and simulated devices share")
    int threads() default 2;

    @AttributeDefinition(description = "MQTT keep-alive of the simulated devices, in seconds")
    int keepAliveSeconds() default 60;
}
