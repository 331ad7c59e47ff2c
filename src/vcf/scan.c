/*
 * The annotation scanner (scan.h). A VEP entry is ~200 bytes of 35 or more
 * fields of which the prefilter reads two or three near its start, but it
 * must check every entry's field count as the parser does. Finding the
 * commas, counting the bars and walking to the fields read took three passes
 * (memchr, a byte count, memchr per field) and were the largest cost of a
 * prefiltered BCF run; here one pass makes, for each 16-byte chunk, a bit
 * mask of its bars and one of its commas and NULs (SSE2, which every x86-64
 * has; a byte loop elsewhere), and walks the bits.
 */
#include "scan.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define CHUNK 16

// Set bits of every byte value, for 16-bit masks: __builtin_popcount() is a libgcc call
// unless the target has POPCNT, which x86-64's baseline does not.
#define B2(n) n, n + 1, n + 1, n + 2
#define B4(n) B2(n), B2(n + 1), B2(n + 1), B2(n + 2)
#define B6(n) B4(n), B4(n + 1), B4(n + 1), B4(n + 2)
static const unsigned char bits_set[256] = {B6(0), B6(1), B6(1), B6(2)};

static inline int count_bits(unsigned mask)
{
    return bits_set[mask & 0xff] + bits_set[mask >> 8];
}

// The masks of one 16-byte chunk: bit i of *bar_mask when chunk[i] is '|', of *stop_mask
// when it is ',' or NUL.
static inline void chunk_masks(const char *chunk, unsigned *bar_mask, unsigned *stop_mask)
{
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)chunk);
    *bar_mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('|')));
    __m128i stops =
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), _mm_cmpeq_epi8(v, _mm_setzero_si128()));
    *stop_mask = (unsigned)_mm_movemask_epi8(stops);
#else
    unsigned bars = 0, stops = 0;
    for (int i = 0; i < CHUNK; i++) {
        bars |= (unsigned)(chunk[i] == '|') << i;
        stops |= (unsigned)(chunk[i] == ',' || chunk[i] == '\0') << i;
    }
    *bar_mask = bars;
    *stop_mask = stops;
#endif
}

typedef struct scan_state {
    cm_scan_entry entry;
    int *bars, max_bars, n_noted;
} scan_state;

// Adds the bars of mask (bits of the chunk at base) to the current entry.
static inline void take_bars(scan_state *st, const char *base, unsigned mask)
{
    while (mask && st->n_noted < st->max_bars) {
        st->bars[st->n_noted++] = (int)(base + __builtin_ctz(mask) - st->entry.s);
        st->entry.n_fields++;
        mask &= mask - 1;
    }
    st->entry.n_fields += count_bits(mask);
}

// Ends entries at the stops of a chunk (bit masks of the chunk at base), adding the bars
// before each stop to its entry and the rest to the next. Returns 0 to go on, 1 when a NUL
// ended the text, or visit's non-zero return (as -1, with *ret set).
static inline int take_chunk(scan_state *st, const char *base, unsigned bar_mask,
                             unsigned stop_mask, cm_scan_visit visit, void *data, int *ret)
{
    while (stop_mask) {
        int i = __builtin_ctz(stop_mask);
        take_bars(st, base, bar_mask & ((1u << i) - 1));
        st->entry.len = (int)(base + i - st->entry.s);
        if ((*ret = visit(data, &st->entry)) != 0)
            return -1;
        if (base[i] == '\0')
            return 1;
        bar_mask &= ~((2u << i) - 1);
        stop_mask &= stop_mask - 1;
        st->entry = (cm_scan_entry){base + i + 1, 0, 1, st->bars};
        st->n_noted = 0;
    }
    take_bars(st, base, bar_mask);
    return 0;
}

int cm_scan_entries(const char *text, size_t len, int *bars, int max_bars, cm_scan_visit visit,
                    void *data, int *has_nul)
{
    scan_state st = {{text, 0, 1, bars}, bars, max_bars, 0};
    *has_nul = 0;
    const char *s = text, *end = text + len;
    int ret = 0, status = 0;
#if defined(__SSE2__)
    // Most chunks hold neither a stop nor a bar still to note: their bars are only counted,
    // in byte lanes (at most 255 chunks before the lanes are added up).
    const __m128i bar = _mm_set1_epi8('|'), comma = _mm_set1_epi8(','), zero = _mm_setzero_si128();
    __m128i lanes = zero;
    int n_in_lanes = 0;
    for (; end - s >= CHUNK && status == 0; s += CHUNK) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
        __m128i bars_here = _mm_cmpeq_epi8(v, bar);
        unsigned stop_mask = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, zero)));
        if (stop_mask == 0 && st.n_noted == max_bars && n_in_lanes < 255) {
            lanes = _mm_sub_epi8(lanes, bars_here); // a match is -1
            n_in_lanes++;
            continue;
        }
        if (n_in_lanes > 0) {
            __m128i sums = _mm_sad_epu8(lanes, zero);
            st.entry.n_fields +=
                _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
            lanes = zero;
            n_in_lanes = 0;
        }
        status = take_chunk(&st, s, (unsigned)_mm_movemask_epi8(bars_here), stop_mask, visit, data,
                            &ret);
    }
    if (n_in_lanes > 0) {
        __m128i sums = _mm_sad_epu8(lanes, zero);
        st.entry.n_fields += _mm_cvtsi128_si32(sums) + _mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    }
#endif
    // What is left (the last bytes, or all of the text without SSE2), a chunk at a time.
    for (; s < end && status == 0; s += CHUNK) {
        unsigned bar_mask, stop_mask;
        char padded[CHUNK];
        size_t n = (size_t)(end - s) < CHUNK ? (size_t)(end - s) : CHUNK;
        // Padded with a byte that is neither a bar nor a stop.
        memset(padded, 'x', sizeof padded);
        memcpy(padded, s, n);
        chunk_masks(padded, &bar_mask, &stop_mask);
        status = take_chunk(&st, s, bar_mask, stop_mask, visit, data, &ret);
    }
    if (status < 0)
        return ret;
    if (status > 0) {
        *has_nul = 1;
        return 0;
    }
    st.entry.len = (int)(end - st.entry.s);
    return visit(data, &st.entry);
}
