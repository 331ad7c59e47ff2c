/*
 * The alteration record: initialisation and deep copies. Copies are made
 * only for alterations that matched a rule, never per record.
 */
#include "cohortmatch/alteration.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *cm_vaf_source_name(cm_vaf_source source)
{
    switch (source) {
    case CM_VAF_ALLELE_FRACTION:
        return "AF";
    case CM_VAF_READ_COUNTS:
        return "AD";
    default:
        return NULL;
    }
}

void cm_alteration_init(cm_alteration *alteration)
{
    memset(alteration, 0, sizeof *alteration);
    alteration->vaf = NAN;
    alteration->vaf_ad = NAN;
    alteration->depth = -1;
    alteration->is_pass = 1;
    alteration->is_preferred = 1; // readers that know transcript flags clear it
    alteration->copy_number = NAN;
    alteration->is_five_prime = -1;
    alteration->in_frame = -1;
}

#define ALTERATION_SLICES(X)                                                                       \
    X(chrom) X(ref) X(alt) X(gene) X(transcript) X(hgvsc) X(hgvsp) X(messages) X(partner) X(key)

int cm_alteration_copy(const cm_alteration *src, cm_owned_alteration *dst)
{
    size_t total = 0;
#define ADD_LENGTH(field) total += (size_t)src->field.len + 1;
    ALTERATION_SLICES(ADD_LENGTH)
#undef ADD_LENGTH
    char *storage = malloc(total);
    if (!storage)
        return -1;
    dst->alteration = *src;
    dst->storage = storage;
    char *next = storage;
#define COPY_SLICE(field)                                                                          \
    if (src->field.len > 0)                                                                        \
        memcpy(next, src->field.s, (size_t)src->field.len);                                        \
    next[src->field.len] = '\0';                                                                   \
    dst->alteration.field.s = next;                                                                \
    next += src->field.len + 1;
    ALTERATION_SLICES(COPY_SLICE)
#undef COPY_SLICE
    return 0;
}

void cm_owned_alteration_free(cm_owned_alteration *owned)
{
    if (!owned)
        return;
    free(owned->storage);
    owned->storage = NULL;
}

int cm_slice_equals(cm_slice a, const char *text)
{
    size_t len = strlen(text);
    return (size_t)a.len == len && (len == 0 || memcmp(a.s, text, len) == 0);
}
