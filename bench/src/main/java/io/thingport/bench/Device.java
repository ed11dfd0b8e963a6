package io.thingport.bench;

/** One simulated device: its id (also the MQTT clientId) and its secret. */
record Device(String id, String secret) {
}
