package io.thingport.rest.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PagesTest {
    record Item(String id, int version) {
    }

    private static final Function<Item, String> ID = Item::id;

    @Test
    void theLimitDefaultsAndIsBoundedToOneToTheMaximum() {
        // Verifies limit(): null gives the default, 1 and MAX_LIMIT are accepted, anything outside is refused with a
        // field error naming limit and the bounds.
        // GIVEN limits at and beyond the bounds
        // WHEN / THEN the default and the bounds pass, the rest is refused
        assertThat(Pages.limit(null)).isEqualTo(Pages.DEFAULT_LIMIT).isEqualTo(100);
        assertThat(Pages.limit(1)).isEqualTo(1);
        assertThat(Pages.limit(Pages.MAX_LIMIT)).isEqualTo(1000);
        for (int bad : new int[] {0, -1, Pages.MAX_LIMIT + 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> Pages.limit(bad)).isInstanceOfSatisfying(FieldException.class, e -> {
                assertThat(e.field()).isEqualTo("limit");
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                assertThat(e.getMessage()).isEqualTo("limit must be between 1 and 1000, not " + bad);
            });
        }
    }

    @Test
    void pagesFollowTheIdsOrderAndTheLastHasNoCursor() {
        // Verifies paging of an unsorted list: pages in id order, each cursor naming its last id, and no cursor on
        // the last page (also when the list ends exactly at a page's end).
        // GIVEN five items out of order
        List<Item> all = items("d", "b", "e", "a", "c");

        // WHEN read two at a time, following the cursors
        Page<Item> first = Pages.of(all, ID, null, 2);
        Page<Item> second = Pages.of(all, ID, first.next(), 2);
        Page<Item> third = Pages.of(all, ID, second.next(), 2);

        // THEN the pages are a-b, c-d, e, and only the last has no cursor
        assertThat(ids(first)).containsExactly("a", "b");
        assertThat(first.next()).isEqualTo(Pages.encode("b"));
        assertThat(ids(second)).containsExactly("c", "d");
        assertThat(ids(third)).containsExactly("e");
        assertThat(third.next()).isNull();
        assertThat(Pages.of(items("a", "b", "c", "d"), ID, Pages.encode("b"), 2).next()).isNull();
    }

    @Test
    void noCursorOrAnEmptyOneStartsAtTheBeginningAndTheDefaultLimitApplies() {
        // Verifies that a null or empty cursor means the first page and a null limit the default.
        // GIVEN 150 items
        List<Item> all = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            all.add(new Item(String.format("id-%03d", i), 1));
        }

        // WHEN read without a cursor and with an empty one, without a limit
        Page<Item> a = Pages.of(all, ID, null, null);
        Page<Item> b = Pages.of(all, ID, "", null);

        // THEN both are the first 100
        assertThat(a).isEqualTo(b);
        assertThat(a.items()).hasSize(Pages.DEFAULT_LIMIT);
        assertThat(a.items().get(0).id()).isEqualTo("id-000");
        assertThat(a.next()).isEqualTo(Pages.encode("id-099"));
        assertThat(Pages.of(List.<Item>of(), ID, null, null)).isEqualTo(new Page<>(List.of(), null));
    }

    @Test
    void aCursorRoundTripsAnyIdAndIsUrlSafe() {
        // Verifies encode()/decode(): any id (reserved characters, unicode, an emoji) comes back as it was, and the
        // cursor needs no escaping in a URL.
        // GIVEN ids with characters that matter in URLs and outside ASCII
        for (String id : List.of("a", "device/1?x=y&z", "名前-測定器", "\uD83D\uDE00 sensor", "+/=", "")) {
            // WHEN encoded and decoded
            String cursor = Pages.encode(id);

            // THEN the id is back and the cursor is URL-safe
            assertThat(Pages.decode(cursor)).isEqualTo(id);
            assertThat(cursor).matches("[A-Za-z0-9_-]*");
        }
    }

    @Test
    void pagingStaysStableWhileItemsAreAddedAndRemoved() {
        // Verifies the stability promise: items that stay in place are neither skipped nor repeated when others are
        // added before or after the cursor or removed, including the item the cursor names.
        // GIVEN a first page a-b of a, b, c, d, e
        List<Item> all = new ArrayList<>(items("a", "b", "c", "d", "e"));
        Page<Item> first = Pages.of(all, ID, null, 2);

        // WHEN, before the next page, "aa" is added before the cursor, "bb" after it, "b" (the cursor's) and "d"
        // removed
        all.add(new Item("aa", 1));
        all.add(new Item("bb", 1));
        all.removeIf(i -> i.id().equals("b") || i.id().equals("d"));
        Page<Item> second = Pages.of(all, ID, first.next(), 2);
        Page<Item> third = Pages.of(all, ID, second.next(), 2);

        // THEN the next pages go on after b: bb, c, then e; nothing kept in place is repeated or skipped
        assertThat(ids(second)).containsExactly("bb", "c");
        assertThat(ids(third)).containsExactly("e");
        assertThat(third.next()).isNull();
    }

    @Test
    void aCursorBeyondTheLastItemGivesAnEmptyLastPage() {
        // Verifies that a cursor naming an id after every item (its items were removed) gives an empty last page.
        // GIVEN a cursor after "z"
        // WHEN read
        Page<Item> page = Pages.of(items("a", "b"), ID, Pages.encode("z"), 10);

        // THEN the page is empty and last
        assertThat(page.items()).isEmpty();
        assertThat(page.next()).isNull();
    }

    @Test
    void aMalformedCursorIsRefusedNamingTheCursor() {
        // Verifies that a cursor that is not base64url is refused with a field error on cursor, not a 500.
        // GIVEN cursors with characters outside base64url and an impossible length
        for (String bad : List.of("!!!", "a", "abc/def", "ab+c", "a b")) {
            // WHEN decoded, and when used to page
            // THEN both are refused naming cursor
            assertThatThrownBy(() -> Pages.decode(bad)).isInstanceOfSatisfying(FieldException.class, e -> {
                assertThat(e.field()).isEqualTo("cursor");
                assertThat(e.getMessage()).isEqualTo("cursor " + bad + " is not one this API issued");
            });
            assertThatThrownBy(() -> Pages.of(items("a"), ID, bad, 10)).isInstanceOf(FieldException.class);
        }
    }

    @Test
    void aBadLimitIsRefusedBeforeTheListIsRead() {
        // Verifies that of() applies the same limit bounds as limit().
        // GIVEN a list
        // WHEN paged with limit 0
        // THEN it is refused on limit
        assertThatThrownBy(() -> Pages.of(items("a"), ID, null, 0)).isInstanceOfSatisfying(FieldException.class,
                e -> assertThat(e.field()).isEqualTo("limit"));
    }

    private static List<Item> items(String... ids) {
        List<Item> out = new ArrayList<>();
        for (String id : ids) {
            out.add(new Item(id, 1));
        }
        return out;
    }

    private static List<String> ids(Page<Item> page) {
        return page.items().stream().map(Item::id).toList();
    }
}
