package io.newswire.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads newswire's story events from the stories topic and prints one line per new story version:
 * language, headline, uri and version.
 *
 * <p>The contract as any consumer sees it: the CloudEvents attributes are {@code ce_*} headers
 * (Kafka binary mode), the value is the ninjs 2.2 story as JSON, the key its {@code uri}. Events of
 * other types are skipped. Delivery is at-least-once, so repeats are dropped by {@code ce_id}; a kill
 * ({@code pubstatus: canceled}) is printed as such. {@code read_committed}: with an exactly-once
 * service, stories of aborted transactions are never seen.
 *
 * <p>Options: {@code --bootstrap HOST:PORT} (default localhost:9092), {@code --topic T} (default
 * news.stories), {@code --max N} stories, {@code --timeout S} seconds (default 30).
 */
public final class StoryConsumer {
  static final String STORY_EVENT_TYPE = "io.newswire.story.v1";

  private StoryConsumer() {}

  static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> found = new HashMap<>();
    for (Header header : record.headers()) {
      found.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return found;
  }

  static String describe(Map<String, String> ce, JsonNode story) {
    JsonNode headlines = story.path("headlines");
    String headline = headlines.size() > 0 ? headlines.get(0).path("value").asText() : "(no headline)";
    String change = "canceled".equals(story.path("pubstatus").asText()) ? "KILL" : "STORY";
    return String.format(
        "%s [%s] %s  <%s> v%s id=%s",
        change,
        story.path("language").asText("?"),
        headline,
        story.path("uri").asText(),
        story.path("version").asText("1"),
        ce.get("ce_id"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>(Map.of(
        "--bootstrap", "localhost:9092", "--topic", "news.stories", "--max", "0", "--timeout", "30"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!options.containsKey(args[i])) {
        System.err.println("unknown option " + args[i]);
        System.exit(2);
      }
      options.put(args[i], args[i + 1]);
    }
    String topic = options.get("--topic");
    int max = Integer.parseInt(options.get("--max"));
    long deadline = System.currentTimeMillis() + (long) (Double.parseDouble(options.get("--timeout")) * 1000);

    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.get("--bootstrap"));
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "newswire-example-java");

    ObjectMapper json = new ObjectMapper();
    Set<String> seen = new HashSet<>();
    int printed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      if (partitions.isEmpty()) {
        System.err.println("topic " + topic + " does not exist");
        System.exit(1);
      }
      consumer.assign(partitions); // no group: read the whole topic, commit nothing
      consumer.seekToBeginning(partitions);
      while (System.currentTimeMillis() < deadline && (max == 0 || printed < max)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          Map<String, String> ce = headers(record);
          if (!"1.0".equals(ce.get("ce_specversion")) || !STORY_EVENT_TYPE.equals(ce.get("ce_type"))) {
            continue; // not a newswire story event
          }
          if (!seen.add(ce.get("ce_id"))) {
            continue; // a repeat (at-least-once delivery)
          }
          System.out.println(describe(ce, json.readTree(record.value())));
          System.out.flush();
          if (max != 0 && ++printed >= max) {
            break;
          }
        }
      }
    }
  }
}
