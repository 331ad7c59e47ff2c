/*
 * TMB from the alteration stream (include/cohortmatch/tmb.h). It owns one
 * set of variant keys (sample, chrom, pos, ref, alt) of the variants it has
 * counted, so that transcripts and duplicate records count once; the set
 * grows with the number of qualifying variants, not with records.
 */
#include "cohortmatch/tmb.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/khash.h>
#include <htslib/kstring.h>

KHASH_SET_INIT_STR(variant_keys)

struct cm_tmb_counter {
    size_t n_samples;
    double min_vaf;
    int min_depth;
    uint64_t *counts;
    khash_t(variant_keys) * seen;
    kstring_t key;
};

cm_tmb_counter *cm_tmb_new(size_t n_samples, double min_vaf, int min_depth)
{
    cm_tmb_counter *counter = calloc(1, sizeof *counter);
    if (!counter)
        return NULL;
    counter->n_samples = n_samples;
    counter->min_vaf = min_vaf;
    counter->min_depth = min_depth;
    counter->counts = calloc(n_samples ? n_samples : 1, sizeof *counter->counts);
    counter->seen = kh_init(variant_keys);
    if (!counter->counts || !counter->seen) {
        cm_tmb_free(counter);
        return NULL;
    }
    return counter;
}

void cm_tmb_free(cm_tmb_counter *counter)
{
    if (!counter)
        return;
    if (counter->seen) {
        for (khint_t k = kh_begin(counter->seen); k != kh_end(counter->seen); k++)
            if (kh_exist(counter->seen, k))
                free((char *)kh_key(counter->seen, k));
        kh_destroy(variant_keys, counter->seen);
    }
    free(counter->counts);
    free(counter->key.s);
    free(counter);
}

int cm_tmb_qualifies(const cm_tmb_counter *counter, const cm_alteration *alteration)
{
    const cm_consequence counted =
        CM_SO_BIT(CM_SO_MISSENSE_VARIANT) | CM_SO_BIT(CM_SO_STOP_GAINED) |
        CM_SO_BIT(CM_SO_STOP_LOST) | CM_SO_BIT(CM_SO_START_LOST) |
        CM_SO_BIT(CM_SO_FRAMESHIFT_VARIANT) | CM_SO_BIT(CM_SO_INFRAME_INSERTION) |
        CM_SO_BIT(CM_SO_INFRAME_DELETION) | CM_SO_BIT(CM_SO_PROTEIN_ALTERING_VARIANT) |
        CM_SO_BIT(CM_SO_SPLICE_DONOR_VARIANT) | CM_SO_BIT(CM_SO_SPLICE_ACCEPTOR_VARIANT);
    if (alteration->kind != CM_ALTERATION_SMALL || !alteration->is_pass ||
        !alteration->is_preferred || !(alteration->consequence & counted))
        return 0;
    if (!isnan(counter->min_vaf) && !isnan(alteration->vaf) && alteration->vaf < counter->min_vaf)
        return 0;
    if (counter->min_depth >= 0 && alteration->depth >= 0 && alteration->depth < counter->min_depth)
        return 0;
    return 1;
}

int cm_tmb_add(cm_tmb_counter *counter, const cm_alteration *alteration)
{
    if (alteration->sample < 0 || !cm_tmb_qualifies(counter, alteration))
        return 0;
    if ((size_t)alteration->sample >= counter->n_samples) {
        // A sample an input named while streaming (a cohort file).
        size_t n = (size_t)alteration->sample + 1;
        uint64_t *counts = realloc(counter->counts, n * sizeof *counts);
        if (!counts)
            return -1;
        memset(counts + counter->n_samples, 0, (n - counter->n_samples) * sizeof *counts);
        counter->counts = counts;
        counter->n_samples = n;
    }
    kstring_t *key = &counter->key;
    key->l = 0;
    if (ksprintf(key, "%d\t%.*s\t%lld\t%.*s\t%.*s", alteration->sample, alteration->chrom.len,
                 alteration->chrom.s ? alteration->chrom.s : "", (long long)alteration->pos,
                 alteration->ref.len, alteration->ref.s ? alteration->ref.s : "",
                 alteration->alt.len, alteration->alt.s ? alteration->alt.s : "") < 0)
        return -1;
    if (kh_get(variant_keys, counter->seen, key->s) != kh_end(counter->seen))
        return 0;
    char *copy = strdup(key->s);
    if (!copy)
        return -1;
    int absent;
    kh_put(variant_keys, counter->seen, copy, &absent);
    if (absent < 0) {
        free(copy);
        return -1;
    }
    counter->counts[alteration->sample]++;
    return 0;
}

uint64_t cm_tmb_count(const cm_tmb_counter *counter, size_t sample)
{
    return sample < counter->n_samples ? counter->counts[sample] : 0;
}

double cm_tmb_value(const cm_tmb_counter *counter, size_t sample, double panel_megabases)
{
    if (!(panel_megabases > 0))
        return NAN;
    return (double)cm_tmb_count(counter, sample) / panel_megabases;
}
