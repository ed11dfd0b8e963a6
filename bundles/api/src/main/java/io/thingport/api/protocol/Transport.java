package io.thingport.api.protocol;

/** The ways bytes reach the platform. A protocol states which of them it supports. */
public enum Transport {
    MQTT, TCP, UDP, HTTP, WEBSOCKET, COAP
}
