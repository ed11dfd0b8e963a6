package io.thingport.core.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.core.internal.log.RefusalTally.Note;
import io.thingport.core.internal.log.RefusalTally.Refusal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision which refused logins are written at once and which are counted, driven by a clock the test holds. */
class RefusalTallyTest {
    private static final long INTERVAL = 60_000;
    private static final int MAX_KEYS = 10_000;

    private final RefusalTally tally = new RefusalTally();

    private static Refusal refusal(String source, String who, String failure) {
        return new Refusal(source, "/" + source + ":40000", who, failure, "bad signature", "mqtt");
    }

    private List<Note> refused(Refusal r, long now) {
        return tally.refused(r, now, INTERVAL, MAX_KEYS);
    }

    @Test
    void theFirstRefusalIsWrittenAtOnceAndTheNextOnesAsOneCountWhenTheIntervalEnds() {
        // Verifies log now / count / flush: 10,000 refusals of one key within the interval give two entries whose
        // counts add up to 10,000.
        // GIVEN a peer looping on a bad signature
        Refusal r = refusal("192.0.2.7", "dev-1", "bad_signature");
        // WHEN
        List<Note> first = refused(r, 0);
        List<Note> counted = new ArrayList<>();
        for (int i = 1; i < 10_000; i++) {
            counted.addAll(refused(r, i * 5L));
        }
        List<Note> early = tally.due(INTERVAL - 1, INTERVAL, MAX_KEYS);
        List<Note> ended = tally.due(INTERVAL, INTERVAL, MAX_KEYS);
        // THEN
        assertThat(first).containsExactly(new Note("dev-1", "bad_signature: bad signature (from /192.0.2.7:40000 via mqtt)"));
        assertThat(counted).isEmpty();
        assertThat(early).isEmpty();
        assertThat(ended).containsExactly(new Note("dev-1",
                "9999 more refused logins from 192.0.2.7 in the last 60 s: bad_signature: bad signature (via mqtt)"));
    }

    @Test
    void aRefusalAfterAnIntervalEndedWritesItsCountFirstAndIsCountedInTheNextOne() {
        // Verifies that without a timer tick the next refusal flushes the ended interval, and that a peer that keeps
        // looping costs one entry per interval, not one at once each time.
        Refusal r = refusal("192.0.2.7", "dev-1", "bad_signature");
        refused(r, 0);
        refused(r, 10);
        // WHEN the next one comes 70 s later
        List<Note> late = refused(r, 70_000);
        // THEN the count of the first interval is written, and the new refusal is counted in the next one
        assertThat(late).extracting(Note::detail).containsExactly(
                "1 more refused login from 192.0.2.7 in the last 70 s: bad_signature: bad signature (via mqtt)");
        assertThat(tally.due(70_000 + INTERVAL, INTERVAL, MAX_KEYS)).extracting(Note::detail).containsExactly(
                "1 more refused login from 192.0.2.7 in the last 60 s: bad_signature: bad signature (via mqtt)");
    }

    @Test
    void aKeyQuietForAWholeIntervalIsForgottenAndItsNextRefusalShownAtOnce() {
        // Verifies that the map empties when peers stop, and that a refusal after a quiet interval is not hidden.
        Refusal r = refusal("192.0.2.7", "dev-1", "bad_signature");
        refused(r, 0);
        assertThat(tally.due(INTERVAL, INTERVAL, MAX_KEYS)).isEmpty();
        assertThat(tally.size()).isZero();
        assertThat(refused(r, INTERVAL + 1)).hasSize(1);
    }

    @Test
    void eachSourceDeviceAndReasonIsShownAtOnce() {
        // Verifies the key: another address, another device or another reason is a first refusal of its own.
        refused(refusal("192.0.2.7", "dev-1", "bad_signature"), 0);
        assertThat(refused(refusal("192.0.2.8", "dev-1", "bad_signature"), 1)).hasSize(1);
        assertThat(refused(refusal("192.0.2.7", "dev-2", "bad_signature"), 2)).hasSize(1);
        assertThat(refused(refusal("192.0.2.7", "dev-1", "stale_timestamp"), 3)).hasSize(1);
        assertThat(refused(refusal("192.0.2.7", "dev-1", "bad_signature"), 4)).isEmpty();
        assertThat(tally.size()).isEqualTo(4);
    }

    @Test
    void aSourceClaimingEverNewDevicesIsCountedPerSourceBeyondItsShare() {
        // Verifies the per-source bound: an address cycling client ids gets PER_SOURCE keys, then one key for the
        // rest, while another address is still itemized.
        // GIVEN one address trying 5,000 client ids
        int atOnce = 0;
        for (int i = 0; i < 5_000; i++) {
            atOnce += refused(refusal("198.51.100.1", "c" + i, "unknown_device"), i).size();
        }
        // THEN
        assertThat(atOnce).isEqualTo(RefusalTally.PER_SOURCE + 1);
        assertThat(tally.size()).isEqualTo(RefusalTally.PER_SOURCE + 1);
        assertThat(refused(refusal("192.0.2.7", "dev-1", "bad_signature"), 5_000)).hasSize(1);
        List<Note> ended = tally.due(5_000 + INTERVAL, INTERVAL, MAX_KEYS);
        assertThat(ended).extracting(Note::detail).containsExactly("4899 more refused logins from 198.51.100.1 in the last 65 s"
                + " for other devices or reasons (this address has 100 counted apart; latest: c4999: unknown_device: bad signature,"
                + " via mqtt)");
        assertThat(ended.get(0).deviceId()).isEmpty();
    }

    @Test
    void theMapNeverHoldsMoreThanItsBoundWhateverPeersClaim() {
        // Verifies the memory bound against spoofed sources: beyond maxKeys, refusals are counted under one key and
        // written as one entry per interval; every refusal is accounted for.
        // GIVEN 50,000 refusals, each from another address and device, with room for 1,000 keys
        int maxKeys = 1_000;
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            notes.addAll(tally.refused(refusal("10.0." + (i / 250) + "." + (i % 250), "d" + i, "unknown_device"), i, INTERVAL,
                    maxKeys));
            assertThat(tally.size()).isLessThanOrEqualTo(maxKeys + 1);
        }
        // WHEN the interval of the first ends (all have, but the last ones)
        notes.addAll(tally.due(50_000 + INTERVAL, INTERVAL, maxKeys));
        // THEN 1,000 were shown at once, one more opened the overflow count, and the overflow count holds the rest
        assertThat(notes).hasSize(maxKeys + 2);
        assertThat(notes.get(notes.size() - 1).detail())
                .startsWith("48999 more refused logins in the last 109 s, not itemized: 1000 sources");
    }

    @Test
    void aHugeClientIdIsKeptShort() {
        // Verifies that a client id of 64 KiB does not sit in memory (nor in the device id column) whole.
        List<Note> notes = refused(refusal("192.0.2.7", "x".repeat(65_535), "malformed_credentials"), 0);
        assertThat(notes.get(0).deviceId()).hasSize(RefusalTally.MAX_ID);
    }

    @Test
    void countsStillOpenAreWrittenWhenThePlatformStops() {
        // Verifies drain: nothing counted is lost on a stop.
        Refusal r = refusal("192.0.2.7", "dev-1", "bad_signature");
        refused(r, 0);
        refused(r, 1_000);
        refused(r, 2_000);
        assertThat(tally.drain(3_000, MAX_KEYS)).extracting(Note::detail).containsExactly(
                "2 more refused logins from 192.0.2.7 in the last 3 s: bad_signature: bad signature (via mqtt)");
        assertThat(tally.size()).isZero();
    }
}
