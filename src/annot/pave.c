/*
 * Hartwig PAVE's INFO/IMPACT in PURPLE somatic VCFs (docs/alterations.md,
 * "PAVE IMPACT"): ten comma-separated values in a fixed order, the impact on
 * the gene's canonical transcript, then the other reportable transcripts:
 *
 *   Gene, Transcript, CanonicalEffect (SO terms joined by '&'),
 *   CanonicalCodingEffect, SpliceRegion, HgvsCodingImpact, HgvsProteinImpact
 *   (3-letter, p.Thr790Met), OtherReportableEffects, WorstCodingEffect,
 *   GenesAffected
 *
 * OtherReportableEffects holds '--'-separated items
 * Gene|Transcript|HGVSc|HGVSp|Effects|CodingEffect (PAVE before 1.4: the same
 * without Gene, which is then the canonical one's). As Hartwig's own reader
 * does, a value with other than ten parts is no impact: the allele is left
 * unannotated (and counted so). A record has one IMPACT for its one ALT (SAGE
 * writes biallelic records); a multi-allelic record's IMPACT names no ALT and
 * is counted as unmatched. PAVE_TI (every transcript) is not read: IMPACT is
 * what PURPLE and ORANGE report.
 */
#include "internal.h"

#include <string.h>

#include "cohortmatch/hgvs.h"

enum { PAVE_VALUES = 10 };
enum {
    PAVE_GENE,
    PAVE_TRANSCRIPT,
    PAVE_EFFECTS,
    PAVE_CODING_EFFECT,
    PAVE_SPLICE_REGION,
    PAVE_HGVSC,
    PAVE_HGVSP,
    PAVE_OTHER,
};

int cm_pave_init(cm_annotation_parser *parser, const char *file, cm_error *err)
{
    (void)parser;
    (void)file;
    (void)err;
    return 0;
}

// One entry from its parts; NULL when out of memory.
static cm_alteration *push(cm_annotation_parser *parser, cm_slice gene, cm_slice transcript,
                           cm_slice effects, cm_slice hgvsc, cm_slice hgvsp,
                           cm_annotation_counts *counts)
{
    cm_slice *key;
    cm_alteration *out = cm_annotation_push_entry(parser, &key);
    if (!out)
        return NULL;
    out->allele = 1;
    out->gene = gene;
    *key = gene;
    out->transcript = transcript;
    int unknown = 0;
    out->consequence = cm_consequence_parse(effects.s, (size_t)effects.len, &unknown);
    counts->unknown_terms += (uint64_t)unknown;
    out->hgvsc = hgvsc;
    out->hgvsp = hgvsp;
    if (hgvsp.len > 0)
        cm_protein_change_parse(hgvsp.s, (size_t)hgvsp.len, &out->protein);
    return out;
}

// The items of OtherReportableEffects (len bytes at text): each gives a non-canonical entry.
static int other_effects(cm_annotation_parser *parser, char *text, int len, cm_slice gene,
                         cm_annotation_counts *counts, cm_error *err)
{
    char *p = text, *end = text + len;
    while (p < end) {
        char *stop = p;
        while (stop < end && !(stop[0] == '-' && stop + 1 < end && stop[1] == '-'))
            stop++;
        // Split one item on '|': six parts (with Gene) or five (without).
        cm_slice parts[6];
        int n = 0;
        char *start = p;
        for (char *q = p;; q++) {
            if (q == stop || *q == '|') {
                if (n < 6)
                    parts[n] = (cm_slice){start, (int)(q - start)};
                n++;
                if (q == stop)
                    break;
                start = q + 1;
            }
        }
        if (n == 5 || n == 6) {
            int at = n == 6 ? 1 : 0;
            cm_slice item_gene = n == 6 ? parts[0] : gene;
            if (!push(parser, item_gene, parts[at], parts[at + 3], parts[at + 1], parts[at + 2],
                      counts))
                return cm_error_set(err, NULL, 0, 0, "out of memory");
        } else if (stop > p) {
            return cm_error_set(err, NULL, 0, 0,
                                "INFO/%s: OtherReportableEffects item '%.*s' has %d parts, not "
                                "Gene|Transcript|HGVSc|HGVSp|Effects|CodingEffect",
                                parser->tag, (int)(stop - p), p, n);
        }
        p = stop + 2;
    }
    return 0;
}

int cm_pave_parse(cm_annotation_parser *parser, char *text, size_t len, char *const *alleles,
                  int n_alleles, const uint8_t *is_skipped, cm_annotation_counts *counts,
                  cm_error *err)
{
    (void)alleles;
    cm_slice values[PAVE_VALUES];
    int n = 0;
    char *start = text, *end = text + len;
    for (char *p = text;; p++) {
        if (p == end || *p == ',') {
            if (n < PAVE_VALUES)
                values[n] = (cm_slice){start, (int)(p - start)};
            n++;
            if (p == end)
                break;
            start = p + 1;
        }
    }
    // Not PAVE's ten values: no impact (the allele stays unannotated).
    if (n != PAVE_VALUES)
        return 0;
    if (n_alleles != 2) {
        if (!cm_annotation_every_alt_skipped(is_skipped, n_alleles))
            counts->allele_unmatched++;
        return 0;
    }
    if (is_skipped && is_skipped[1])
        return 0;
    // An intergenic variant (IMPACT=,,,NONE,false,,,,NONE,1) names no gene: unannotated.
    cm_slice gene = values[PAVE_GENE];
    if (gene.len == 0)
        return 0;
    cm_alteration *canonical = push(parser, gene, values[PAVE_TRANSCRIPT], values[PAVE_EFFECTS],
                                    values[PAVE_HGVSC], values[PAVE_HGVSP], counts);
    if (!canonical)
        return cm_error_set(err, NULL, 0, 0, "out of memory");
    canonical->transcript_flags = CM_TRANSCRIPT_CANONICAL;
    if (cm_slice_equals(values[PAVE_SPLICE_REGION], "true"))
        canonical->consequence |= CM_SO_BIT(CM_SO_SPLICE_REGION_VARIANT);
    cm_slice other = values[PAVE_OTHER];
    if (other.len > 0 && other_effects(parser, (char *)other.s, other.len, gene, counts, err) != 0)
        return -1;
    return 0;
}
