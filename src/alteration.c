/*
 * The alteration record: initialisation and deep copies. Copies are made
 * only for alterations that matched a rule, never per record.
 */
#include "cohortmatch/alteration.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/kstring.h>

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

// A chromosome name without its "chr" prefix (chr7 and 7 are one chromosome; chrM is MT).
static cm_slice bare_chrom(cm_slice chrom)
{
    if (chrom.len >= 3 && strncmp(chrom.s, "chr", 3) == 0) {
        chrom.s += 3;
        chrom.len -= 3;
    }
    if (cm_slice_equals(chrom, "M"))
        chrom = (cm_slice){"MT", 2};
    return chrom;
}

void cm_alteration_identity(const cm_alteration *alteration, kstring_t *out)
{
    ksprintf(out, "%d\t%d", alteration->sample, (int)alteration->kind);
    if (alteration->kind == CM_ALTERATION_SMALL) {
        cm_slice chrom = bare_chrom(alteration->chrom);
        ksprintf(out, "\t%.*s\t%lld\t%.*s\t%.*s", chrom.len, chrom.s, (long long)alteration->pos,
                 alteration->ref.len, alteration->ref.s, alteration->alt.len, alteration->alt.s);
        if (alteration->chrom.len == 0) // no coordinates (rule tests): tell them by annotation
            ksprintf(out, "\t%.*s\t%.*s\t%.*s", alteration->gene.len, alteration->gene.s,
                     alteration->hgvsp.len, alteration->hgvsp.s, alteration->hgvsc.len,
                     alteration->hgvsc.s);
        // An exon deletion or duplication read without coordinates (LINX, ORANGE): its exons.
        if (alteration->chrom.len == 0 && alteration->exon_last > 0)
            ksprintf(out, "\t%d-%d", alteration->exon, alteration->exon_last);
    } else {
        // A fusion's genes in a fixed order: callers disagree on which they name first.
        cm_slice a = alteration->gene, b = alteration->partner;
        if (alteration->kind == CM_ALTERATION_FUSION) {
            int c = memcmp(a.s ? a.s : "", b.s ? b.s : "", (size_t)(a.len < b.len ? a.len : b.len));
            if (c > 0 || (c == 0 && a.len > b.len)) {
                cm_slice t = a;
                a = b;
                b = t;
            }
        }
        ksprintf(out, "\t%.*s\t%.*s", a.len, a.s, b.len, b.s);
        // An alteration without a gene is told apart by its position, as before.
        if (alteration->gene.len == 0) {
            cm_slice chrom = bare_chrom(alteration->chrom);
            ksprintf(out, "\t%.*s\t%lld\t%.*s", chrom.len, chrom.s, (long long)alteration->pos,
                     alteration->alt.len, alteration->alt.s);
        }
    }
}
