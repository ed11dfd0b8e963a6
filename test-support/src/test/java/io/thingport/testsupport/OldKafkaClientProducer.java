package io.thingport.testsupport;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * KafkaBrokerTest's old client, run in a JVM of its own with the platform's kafka-clients 3.0.0 (compiled against the
 * broker's newer kafka-clients, using only what 3.0.0 has too): sends one record and prints the client's version and the
 * record's offset. Arguments: bootstrap servers, topic, key, value.
 */
public final class OldKafkaClientProducer {
    private OldKafkaClientProducer() {}

    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(args[1], args[2], args[3])).get();
            System.out.println("client " + AppInfoParser.getVersion() + " offset " + sent.offset());
        }
    }
}
