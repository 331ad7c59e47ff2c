/*
 * SnpEff's ANN annotation ("Functional annotations: 'Allele | Annotation |
 * ...'"): field positions come from the header's quoted list, so a reordered
 * or extended list reads the same. Each comma-separated entry is one effect
 * of one ALT allele on one feature (transcript, intergenic region, protein
 * interaction...).
 *
 * What differs from VEP: the Allele field holds the ALT as the VCF writes it
 * (symbolic and breakend ALTs included), except that a complex indel loses
 * the leading bases it shares with REF (GCGCC.../GTTTGAT is TTTGAT); in -cancer
 * mode SnpEff adds entries whose Allele is "ALT-REF" (the somatic ALT
 * compared with another allele of the record), which are counted and
 * skipped: the plain entry of the same ALT says what it does to the
 * reference. Rank is one number for exon or intron: it is the intron's when
 * the effect lies in an intron (intron_variant, splice_donor/acceptor without
 * a coding effect), the exon's otherwise. HGVS.p is 3-letter. There are no
 * MANE/canonical flags: every transcript is preferred (runs with -canon list
 * only the canonical ones anyway). Gene fusions (gene_fusion,
 * bidirectional_gene_fusion) name both genes as "GENE1&GENE2" in Gene_Name:
 * the entry carries them as gene and partner.
 *
 * This file tokenises in place; only the HGVS fields are rewritten (%3B and
 * friends decoded).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "cohortmatch/hgvs.h"

typedef struct ann_format {
    int allele, annotation, gene_name, gene_id, feature_type, feature_id, rank, hgvsc, hgvsp;
    int messages;
} ann_format;

int cm_ann_init(cm_annotation_parser *parser, const char *file, cm_error *err)
{
    ann_format *format = malloc(sizeof *format);
    if (!format)
        return cm_error_set(err, file, 0, 0, "out of memory");
    parser->impl = format;
#define FIELD(member, name) format->member = cm_annotation_parser_field_index(parser, name);
    FIELD(allele, "Allele")
    FIELD(annotation, "Annotation")
    FIELD(gene_name, "Gene_Name")
    FIELD(gene_id, "Gene_ID")
    FIELD(feature_type, "Feature_Type")
    FIELD(feature_id, "Feature_ID")
    FIELD(rank, "Rank")
    FIELD(hgvsc, "HGVS.c")
    FIELD(hgvsp, "HGVS.p")
    FIELD(messages, "ERRORS / WARNINGS / INFO")
#undef FIELD
    if (format->messages < 0)
        format->messages = cm_annotation_parser_field_index(parser, "ERRORS / WARNINGS");
    const char *missing = format->allele < 0       ? "Allele"
                          : format->annotation < 0 ? "Annotation"
                          : format->gene_name < 0  ? "Gene_Name"
                                                   : NULL;
    if (missing)
        return cm_error_set(err, file, 0, 0,
                            "INFO/%s: the SnpEff field list in the header has no %s field",
                            parser->tag, missing);
    return 0;
}

void cm_ann_free(cm_annotation_parser *parser)
{
    free(parser->impl);
    parser->impl = NULL;
}

// Effects whose Rank counts introns: the variant lies in an intron and changes no codon.
static int rank_is_intron(cm_consequence consequence)
{
    const cm_consequence intronic = CM_SO_BIT(CM_SO_INTRON_VARIANT) |
                                    CM_SO_BIT(CM_SO_SPLICE_DONOR_VARIANT) |
                                    CM_SO_BIT(CM_SO_SPLICE_ACCEPTOR_VARIANT);
    const cm_consequence exonic =
        CM_SO_BIT(CM_SO_MISSENSE_VARIANT) | CM_SO_BIT(CM_SO_SYNONYMOUS_VARIANT) |
        CM_SO_BIT(CM_SO_STOP_GAINED) | CM_SO_BIT(CM_SO_STOP_LOST) | CM_SO_BIT(CM_SO_START_LOST) |
        CM_SO_BIT(CM_SO_FRAMESHIFT_VARIANT) | CM_SO_BIT(CM_SO_INFRAME_DELETION) |
        CM_SO_BIT(CM_SO_INFRAME_INSERTION) | CM_SO_BIT(CM_SO_PROTEIN_ALTERING_VARIANT) |
        CM_SO_BIT(CM_SO_CODING_SEQUENCE_VARIANT) | CM_SO_BIT(CM_SO_FIVE_PRIME_UTR_VARIANT) |
        CM_SO_BIT(CM_SO_THREE_PRIME_UTR_VARIANT) | CM_SO_BIT(CM_SO_EXON_LOSS_VARIANT) |
        CM_SO_BIT(CM_SO_NON_CODING_TRANSCRIPT_EXON_VARIANT);
    return (consequence & intronic) && !(consequence & exonic);
}

// "ALT-REF" (SnpEff -cancer): the text before '-' is an ALT and the text after it another
// allele of the record.
static int is_cancer_comparison(cm_slice allele, char *const *alleles, int n_alleles)
{
    const char *dash = memchr(allele.s, '-', (size_t)allele.len);
    if (!dash)
        return 0;
    cm_slice other = {dash + 1, allele.len - (int)(dash + 1 - allele.s)};
    for (int i = 0; i < n_alleles; i++)
        if (cm_slice_equals(other, alleles[i]))
            return 1;
    return 0;
}

int cm_ann_parse(cm_annotation_parser *parser, char *text, size_t len, char *const *alleles,
                 int n_alleles, const uint8_t *is_skipped, cm_annotation_counts *counts,
                 cm_error *err)
{
    const ann_format *format = parser->impl;
    int every_alt_skipped = cm_annotation_every_alt_skipped(is_skipped, n_alleles);

    cm_annotation_entries entries;
    cm_annotation_entries_init(&entries, text, len);
    char *entry;
    int entry_len;
    while (cm_annotation_entries_next(&entries, &entry, &entry_len)) {
        int n = cm_annotation_read_entry(parser, entry, entry_len, entries.number, 0, err);
        if (n < 0)
            return -1;
        if (n == 0)
            continue;

        cm_slice text_allele = cm_annotation_field(parser, format->allele);
        int allele = 0;
        for (int i = 1; i < n_alleles && !allele; i++)
            if (cm_slice_equals(text_allele, alleles[i]))
                allele = i;
        // A complex indel (delins) is written without the bases it shares with REF at its start
        // (REF GCGCC..., ALT GTTTGAT: Allele TTTGAT).
        for (int i = 1; i < n_alleles && !allele && text_allele.len > 0; i++) {
            size_t shared = 0;
            while (alleles[0][shared] && alleles[i][shared] == alleles[0][shared])
                shared++;
            if (shared > 0 && alleles[i][shared] &&
                cm_slice_equals(text_allele, alleles[i] + shared))
                allele = i;
        }
        if (allele == 0) {
            if (text_allele.len > 0 && is_cancer_comparison(text_allele, alleles, n_alleles))
                counts->references++;
            else if (!every_alt_skipped)
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
        cm_slice consequence = cm_annotation_field(parser, format->annotation);
        int unknown = 0;
        out->consequence = cm_consequence_parse(consequence.s, (size_t)consequence.len, &unknown);
        counts->unknown_terms += (uint64_t)unknown;

        // Intergenic regions are named after both neighbours ("TFAP2B-PKHD1") and
        // protein-interaction entries after PDB structures: neither is the gene hit.
        cm_slice feature_type = cm_annotation_field(parser, format->feature_type);
        int names_gene = !cm_slice_equals(feature_type, "intergenic_region") &&
                         !cm_slice_equals(feature_type, "interaction") &&
                         !(out->consequence & CM_SO_BIT(CM_SO_INTERGENIC_VARIANT));
        if (names_gene) {
            out->gene = cm_annotation_field(parser, format->gene_name);
            const cm_consequence fusion =
                CM_SO_BIT(CM_SO_GENE_FUSION) | CM_SO_BIT(CM_SO_BIDIRECTIONAL_GENE_FUSION);
            const char *amp =
                out->gene.len ? memchr(out->gene.s, '&', (size_t)out->gene.len) : NULL;
            if ((out->consequence & fusion) && amp) {
                const char *partner = amp + 1;
                const char *gene_end = out->gene.s + out->gene.len;
                const char *next_amp = memchr(partner, '&', (size_t)(gene_end - partner));
                out->partner.s = partner;
                out->partner.len = (int)((next_amp ? next_amp : gene_end) - partner);
                out->gene.len = (int)(amp - out->gene.s);
            }
            *key = out->gene.len > 0 ? out->gene : cm_annotation_field(parser, format->gene_id);
        }
        out->transcript = cm_annotation_field(parser, format->feature_id);
        if (cm_slice_equals(feature_type, "intergenic_region") ||
            cm_slice_equals(feature_type, "interaction"))
            out->transcript.len = 0;
        cm_slice hgvsc = cm_annotation_field(parser, format->hgvsc);
        if (hgvsc.len > 0)
            hgvsc.len = cm_annotation_url_decode((char *)hgvsc.s, hgvsc.len);
        out->hgvsc = hgvsc;
        cm_slice hgvsp = cm_annotation_field(parser, format->hgvsp);
        if (hgvsp.len > 0)
            hgvsp.len = cm_annotation_url_decode((char *)hgvsp.s, hgvsp.len);
        out->hgvsp = hgvsp;
        if (hgvsp.len > 0)
            cm_protein_change_parse(hgvsp.s, (size_t)hgvsp.len, &out->protein);
        int number, count;
        cm_annotation_parse_rank(cm_annotation_field(parser, format->rank), &number, &count);
        if (rank_is_intron(out->consequence)) {
            out->intron = number;
            out->intron_count = count;
        } else {
            out->exon = number;
            out->exon_count = count;
        }
        out->messages = cm_annotation_field(parser, format->messages);
    }
    return 0;
}
