/*
 * The annotation scanner of the record prefilter (prefilter.c), private to
 * src/vcf/: one pass over an INFO annotation value (VEP's CSQ) that finds its
 * ','-separated entries, counts each entry's '|'-separated fields and notes
 * where the first few fields end, 16 bytes at a time.
 */
#ifndef COHORTMATCH_VCF_SCAN_H
#define COHORTMATCH_VCF_SCAN_H

#include <stddef.h>

typedef struct cm_scan_entry {
    const char *s; // the entry's text (not NUL-terminated)
    int len;
    int n_fields; // '|'-separated fields (1 for an empty entry)
    // bars[k] (k < the smaller of n_fields - 1 and the max_bars given) is the offset in s of
    // the entry's k-th '|': field i spans [i ? bars[i - 1] + 1 : 0, i < n_fields - 1 ?
    // bars[i] : len).
    const int *bars;
} cm_scan_entry;

/// Called for each entry in order; a non-zero return stops the scan and is returned.
typedef int (*cm_scan_visit)(void *data, const cm_scan_entry *entry);

/// Scans text[0, len) up to its first NUL, if any: calls visit for every ','-separated entry
/// (an empty text is one empty entry), noting the offsets of each entry's first max_bars bars
/// in bars (max_bars long, reused from entry to entry). Sets *has_nul when the text held a
/// NUL (the entries end there). Returns visit's first non-zero value, or 0.
int cm_scan_entries(const char *text, size_t len, int *bars, int max_bars, cm_scan_visit visit,
                    void *data, int *has_nul);

#endif
