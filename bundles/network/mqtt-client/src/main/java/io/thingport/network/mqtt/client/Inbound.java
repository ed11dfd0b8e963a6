package io.thingport.network.mqtt.client;

/**
 * One message as it came from the broker, copied off Paho's callback thread.
 *
 * @param id         the MQTT packet id (what an acknowledgement names)
 * @param connection the number of the broker connection it arrived on ({@link AckLedger#connection()})
 */
record Inbound(String topic, byte[] payload, int id, int qos, boolean retained, int connection) {
}
