/*
 * Unit tests of the prefilter's annotation scanner (src/vcf/scan.c): exact
 * entries, field counts and bar offsets for hand-written values (bars and
 * commas on both sides of every 16-byte chunk boundary, NULs, empty entries),
 * and agreement with a byte-by-byte reference on 20,000 pseudo-random values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <htslib/kstring.h>

#include "../../src/vcf/scan.h"

// Prints each entry as "<text>:<fields>:<bar offsets>;", stopping (returning 7) at the entry
// numbered stop_at.
typedef struct printer {
    kstring_t out;
    int max_bars, n_seen, stop_at;
} printer;

static int print_entry(void *data, const cm_scan_entry *entry)
{
    printer *pr = data;
    kputsn(entry->s, (size_t)entry->len, &pr->out);
    ksprintf(&pr->out, ":%d:", entry->n_fields);
    int noted = entry->n_fields - 1 < pr->max_bars ? entry->n_fields - 1 : pr->max_bars;
    for (int k = 0; k < noted; k++)
        ksprintf(&pr->out, "%s%d", k ? "," : "", entry->bars[k]);
    kputc(';', &pr->out);
    return ++pr->n_seen == pr->stop_at ? 7 : 0;
}

// The scanner's output for text[0, len).
static char *scan(const char *text, size_t len, int max_bars, int stop_at, int *ret, int *has_nul)
{
    printer pr = {{0, 0, NULL}, max_bars, 0, stop_at};
    int bars[64];
    *ret = cm_scan_entries(text, len, bars, max_bars, print_entry, &pr, has_nul);
    kputs("", &pr.out);
    return pr.out.s;
}

// The same, computed one byte at a time.
static char *reference(const char *text, size_t len, int max_bars, int stop_at, int *ret,
                       int *has_nul)
{
    kstring_t out = {0, 0, NULL};
    const char *nul = memchr(text, '\0', len);
    *has_nul = nul != NULL;
    size_t end = nul ? (size_t)(nul - text) : len, start = 0;
    int n_seen = 0;
    *ret = 0;
    for (size_t i = 0; i <= end; i++) {
        if (i < end && text[i] != ',')
            continue;
        int n_fields = 1;
        kputsn(text + start, i - start, &out);
        kputc(':', &out);
        kstring_t offsets = {0, 0, NULL};
        kputs("", &offsets);
        for (size_t j = start; j < i; j++)
            if (text[j] == '|' && n_fields++ <= max_bars)
                ksprintf(&offsets, "%s%zu", n_fields > 2 ? "," : "", j - start);
        ksprintf(&out, "%d:%s;", n_fields, offsets.s);
        free(offsets.s);
        if (++n_seen == stop_at) {
            *ret = 7;
            *has_nul = 0; // the scan stops before it reaches the NUL
            break;
        }
        start = i + 1;
    }
    kputs("", &out);
    return out.s;
}

static void expect(const char *text, size_t len, int max_bars, const char *want, int want_nul)
{
    int ret, has_nul;
    char *got = scan(text, len, max_bars, -1, &ret, &has_nul);
    assert_string_equal(got, want);
    assert_int_equal(ret, 0);
    assert_int_equal(has_nul, want_nul);
    free(got);
}

static void test_hand_written(void **state)
{
    (void)state;
    expect("", 0, 4, ":1:;", 0);
    expect("T", 1, 4, "T:1:;", 0);
    expect("T|a|b", 5, 4, "T|a|b:3:1,3;", 0);
    expect("T|a|b", 5, 1, "T|a|b:3:1;", 0);
    expect("T|a|b", 5, 0, "T|a|b:3:;", 0);
    expect("A|x,C|y|z", 9, 4, "A|x:2:1;C|y|z:3:1,3;", 0);
    expect(",", 1, 4, ":1:;:1:;", 0);
    expect("a|,|b,", 6, 4, "a|:2:1;|b:2:0;:1:;", 0);
    // A NUL ends the text; what follows is not read.
    expect("A|x\0,C|y", 8, 4, "A|x:2:1;", 1);
    expect("A|x,\0", 5, 4, "A|x:2:1;:1:;", 1);
    // Bars and commas at the last and first byte of 16-byte chunks.
    expect("0123456789abcde|f", 17, 4, "0123456789abcde|f:2:15;", 0);
    expect("0123456789abcdef|g", 18, 4, "0123456789abcdef|g:2:16;", 0);
    expect("0123456789abcde,f|g", 19, 4, "0123456789abcde:1:;f|g:2:1;", 0);
    expect("0123456789abcdef,g", 18, 4, "0123456789abcdef:1:;g:1:;", 0);
    expect("|||||||||||||||||||", 19, 4, "|||||||||||||||||||:20:0,1,2,3;", 0);
}

// An entry longer than 255 chunks (the byte lanes that count bars are added up before they
// overflow), then a short one.
static void test_long_entry(void **state)
{
    (void)state;
    size_t len = 5000;
    char *text = malloc(len);
    assert_non_null(text);
    for (size_t i = 0; i < len; i++)
        text[i] = i % 16 == 3 ? '|' : 'a'; // 313 bars, one in the same byte lane of every chunk
    text[4997] = ',';
    text[4998] = '|';
    int ret, has_nul, want_ret, want_nul;
    char *got = scan(text, len, 2, -1, &ret, &has_nul);
    char *want = reference(text, len, 2, -1, &want_ret, &want_nul);
    assert_string_equal(got, want);
    const char *tail = "a:314:3,19;|a:2:0;";
    assert_true(strlen(got) > strlen(tail));
    assert_string_equal(got + strlen(got) - strlen(tail), tail);
    free(got);
    free(want);
    free(text);
}

static void test_stops_when_told(void **state)
{
    (void)state;
    int ret, has_nul;
    char *got = scan("a,b|c,d\0", 8, 4, 2, &ret, &has_nul);
    assert_string_equal(got, "a:1:;b|c:2:1;");
    assert_int_equal(ret, 7);
    assert_int_equal(has_nul, 0);
    free(got);
}

static void test_against_reference(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15u;
    char text[700];
    for (int round = 0; round < 20000; round++) {
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        size_t len = (size_t)(seed >> 33) % sizeof text;
        int max_bars = (int)((seed >> 20) % 6), stop_at = (int)((seed >> 12) % 5) - 1;
        // Mostly letters with bars; commas and NULs rarer, as in real values.
        for (size_t i = 0; i < len; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            unsigned r = (unsigned)(seed >> 40) % 100;
            text[i] = r < 12 ? '|' : r < 15 ? ',' : r == 15 && round % 3 == 0 ? '\0' : 'a';
        }
        int ret, has_nul, want_ret, want_nul;
        char *got = scan(text, len, max_bars, stop_at, &ret, &has_nul);
        char *want = reference(text, len, max_bars, stop_at, &want_ret, &want_nul);
        assert_string_equal(got, want);
        assert_int_equal(ret, want_ret);
        assert_int_equal(has_nul, want_nul);
        free(got);
        free(want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_written),
        cmocka_unit_test(test_long_entry),
        cmocka_unit_test(test_stops_when_told),
        cmocka_unit_test(test_against_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
