/*
 * bcftools csq's BCSQ annotation ("Consequence|gene|transcript|biotype|
 * strand|amino_acid_change|dna_change", positions read from the header).
 * bcftools csq is haplotype-aware, which shapes three things here:
 *
 * - An entry may be "@POS": the record is part of a compound variant whose
 *   consequence is written once, on the record at POS. The reader streams
 *   and never goes back, so such entries are counted (references) and give
 *   no alteration of their own; the record at POS carries the joint change,
 *   which is what the protein really shows.
 * - A consequence prefixed with '*' lies downstream of a stop or frameshift
 *   on the same haplotype: the reading frame it describes does not exist, so
 *   it is counted (references) and skipped; the upstream frameshift carries
 *   the real consequence.
 * - FORMAT/BCSQ is a per-sample bitmask over the INFO entries (two bits per
 *   entry, one per haplotype); the reader applies it per sample, using
 *   cm_annotation_entry_ordinal().
 *
 * There is no Allele field: a biallelic record's entries belong to its ALT;
 * for a multi-allelic one the ALT is read from dna_change ("69428T>G",
 * "121028CTA>C", joined with '+' for compound variants). BCSQ has no exon
 * or intron numbers and no transcript flags (every transcript is preferred).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "cohortmatch/hgvs.h"

typedef struct bcsq_format {
    int consequence, gene, transcript, strand, amino_acid_change, dna_change;
} bcsq_format;

int cm_bcsq_init(cm_annotation_parser *parser, const char *file, cm_error *err)
{
    bcsq_format *format = malloc(sizeof *format);
    if (!format)
        return cm_error_set(err, file, 0, 0, "out of memory");
    parser->impl = format;
    format->consequence = cm_annotation_parser_field_index(parser, "Consequence");
    if (format->consequence < 0)
        format->consequence = cm_annotation_parser_field_index(parser, "consequence");
    format->gene = cm_annotation_parser_field_index(parser, "gene");
    format->transcript = cm_annotation_parser_field_index(parser, "transcript");
    format->strand = cm_annotation_parser_field_index(parser, "strand");
    format->amino_acid_change = cm_annotation_parser_field_index(parser, "amino_acid_change");
    format->dna_change = cm_annotation_parser_field_index(parser, "dna_change");
    const char *missing = format->consequence < 0 ? "Consequence"
                          : format->gene < 0      ? "gene"
                                                  : NULL;
    if (missing)
        return cm_error_set(err, file, 0, 0,
                            "INFO/%s: the bcftools csq Format in the header has no %s field",
                            parser->tag, missing);
    return 0;
}

void cm_bcsq_free(cm_annotation_parser *parser)
{
    free(parser->impl);
    parser->impl = NULL;
}

// The ALT a dna_change names: one of its '+'-joined parts reads "<pos><REF>><ALT>" with this
// record's REF and one of its ALTs. Returns the allele index, or 0.
static int allele_from_dna_change(cm_slice change, char *const *alleles, int n_alleles)
{
    // A short entry (non_coding|GENE||lincRNA) has no dna_change: its slice is NULL, and
    // NULL + 0 is undefined behaviour (UBSan, found by fuzzing: issue 7).
    if (change.len <= 0)
        return 0;
    const char *p = change.s, *end = change.s + change.len;
    while (p < end) {
        const char *plus = memchr(p, '+', (size_t)(end - p));
        const char *part_end = plus ? plus : end;
        const char *q = p;
        while (q < part_end && *q >= '0' && *q <= '9')
            q++;
        const char *arrow = memchr(q, '>', (size_t)(part_end - q));
        if (arrow) {
            size_t ref_len = (size_t)(arrow - q), alt_len = (size_t)(part_end - arrow - 1);
            if (strlen(alleles[0]) == ref_len && memcmp(alleles[0], q, ref_len) == 0)
                for (int i = 1; i < n_alleles; i++)
                    if (strlen(alleles[i]) == alt_len &&
                        memcmp(alleles[i], arrow + 1, alt_len) == 0)
                        return i;
        }
        p = plus ? plus + 1 : end;
    }
    return 0;
}

int cm_bcsq_parse(cm_annotation_parser *parser, char *text, size_t len, char *const *alleles,
                  int n_alleles, const uint8_t *is_skipped, cm_annotation_counts *counts,
                  cm_error *err)
{
    const bcsq_format *format = parser->impl;
    int every_alt_skipped = cm_annotation_every_alt_skipped(is_skipped, n_alleles);

    cm_annotation_entries entries;
    cm_annotation_entries_init(&entries, text, len);
    char *entry;
    int entry_len;
    while (cm_annotation_entries_next(&entries, &entry, &entry_len)) {
        if (entry_len > 0 && (entry[0] == '@' || entry[0] == '*')) {
            counts->references++;
            continue;
        }
        int n = cm_annotation_read_entry(parser, entry, entry_len, entries.number, 0, err);
        if (n < 0)
            return -1;
        if (n == 0)
            continue;

        int allele = n_alleles == 2
                         ? 1
                         : allele_from_dna_change(cm_annotation_field(parser, format->dna_change),
                                                  alleles, n_alleles);
        if (allele == 0) {
            if (!every_alt_skipped)
                counts->allele_unmatched++;
            continue;
        }
        if (is_skipped && is_skipped[allele])
            continue;

        cm_slice *key;
        cm_alteration *out = cm_annotation_push_entry(parser, &key);
        if (!out)
            return cm_error_set(err, NULL, 0, 0, "out of memory");
        parser->ordinals[parser->n_entries - 1] = entries.number - 1;
        out->allele = allele;
        cm_slice consequence = cm_annotation_field(parser, format->consequence);
        int unknown = 0;
        out->consequence = cm_consequence_parse(consequence.s, (size_t)consequence.len, &unknown);
        counts->unknown_terms += (uint64_t)unknown;
        out->gene = cm_annotation_field(parser, format->gene);
        *key = out->gene;
        out->transcript = cm_annotation_field(parser, format->transcript);
        cm_slice strand = cm_annotation_field(parser, format->strand);
        out->strand = strand.len == 1 ? (strand.s[0] == '+' ? 1 : strand.s[0] == '-' ? -1 : 0) : 0;
        out->hgvsp = cm_annotation_field(parser, format->amino_acid_change);
        out->hgvsc = cm_annotation_field(parser, format->dna_change);
        if (out->hgvsp.len > 0)
            cm_protein_change_from_bcsq(
                out->hgvsp.s, (size_t)out->hgvsp.len,
                (out->consequence & CM_SO_BIT(CM_SO_FRAMESHIFT_VARIANT)) != 0, &out->protein);
    }
    return 0;
}
