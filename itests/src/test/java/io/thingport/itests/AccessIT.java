package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.access.ApplicationInfo;
import io.thingport.api.access.ApplicationService;
import io.thingport.api.access.RequestSignature;
import io.thingport.api.access.SignedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Applications, the access log and the system log in the assembled distribution: the services are wired (the system
 * log has no cycle with the storage configuration), Karaf's shell calls the access recorder, the key file is made.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AccessIT extends ThingportTestSupport {
    private static final Pattern CREATED = Pattern.compile("application id: +(app-[a-z0-9]{12})\\s+application secret: (\\S+)");

    @Test
    public void anApplicationCreatedInTheShellSignsRequestsAndTheLogsSayWhatHappened() throws Exception {
        // Verifies the whole path: iot:app-create prints id and secret once, the secret (sealed under the key file)
        // verifies a request signed with RequestSignature, every shell command is in the access log with its secret
        // masked, and the system log holds the MQTT component's start and the application's creation.
        // GIVEN / WHEN
        String out = executeCommand("iot:app-create --role operator --source 127.0.0.1 Billing");
        Matcher m = CREATED.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        String id = m.group(1);
        String secret = m.group(2);
        executeCommand("iot:product-create --secret Sup3rSecretProductKey pacc");
        // THEN the secret signs requests
        ApplicationService applications = waitForService(ApplicationService.class, null);
        String ts = Long.toString(System.currentTimeMillis());
        String nonce = "it-nonce-0000000001";
        String signature = RequestSignature.sign(secret, "GET", "/api/v1/devices", "", null, ts, nonce);
        ApplicationInfo who = applications.verify(new SignedRequest(id, "GET", "/api/v1/devices", "", RequestSignature.sha256(null), ts,
                nonce, signature, "127.0.0.1"), Instant.now());
        assertThat(who.id()).isEqualTo(id);
        assertThat(Files.size(Path.of(System.getProperty("karaf.etc"), "thingport-access.key"))).isEqualTo(32);
        // THEN the access log holds the shell lines, the product secret masked
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                executeCommand("iot:access-log --channel shell --no-format --limit 100"))
                .contains("iot:app-create --role operator --source 127.0.0.1 Billing")
                .contains("iot:product-create --secret **** pacc"));
        assertThat(executeCommand("iot:access-log --no-format --limit 1000")).doesNotContain("Sup3rSecretProductKey")
                .doesNotContain(secret);
        // THEN the system log holds what the platform did
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                executeCommand("iot:system-log --no-format --limit 1000"))
                .contains("network component started (mqtt-server)")
                .contains("application created: name Billing, role operator"));
        assertThat(executeCommand("iot:app-list --no-format")).contains(id + "\tBilling\toperator\tall\t127.0.0.1\tnever\tactive");
    }
}
