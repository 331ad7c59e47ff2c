/*
 * VEP's CSQ annotation (under INFO/CSQ, or any tag whose header says
 * "Format: Allele|..."): field positions come from the header, never from
 * VEP's default order, so extra plugin fields and reordered lists read the
 * same. Each comma-separated entry is one transcript (or regulatory feature,
 * or intergenic region) of one ALT allele.
 *
 * Mapping an entry to its ALT is the subtle part: VEP writes the allele
 * without the first base when every allele of the record shares it and the
 * record holds an indel ("-" when nothing is left), so the same VCF ALT may
 * read "AG" in the VCF and "G" in CSQ. With ALLELE_NUM (VEP --allele_number)
 * the index is given and used as is. An entry that maps to no ALT is counted,
 * never silently dropped.
 *
 * This file tokenises in place: slices point into the record's INFO text,
 * which is rewritten only to decode %XX escapes in the HGVS fields.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "cohortmatch/hgvs.h"

typedef struct csq_format {
    // Positions of the fields this parser reads, -1 when the header lacks them.
    int allele, consequence, symbol, gene, feature_type, feature, exon, intron, hgvsc, hgvsp;
    int protein_position, amino_acids, canonical, mane_select, mane, pick, allele_num, strand;
} csq_format;

int cm_csq_init(cm_annotation_parser *parser, const char *file, cm_error *err)
{
    csq_format *format = malloc(sizeof *format);
    if (!format)
        return cm_error_set(err, file, 0, 0, "out of memory");
    parser->impl = format;
#define FIELD(member, name) format->member = cm_annotation_parser_field_index(parser, name);
    FIELD(allele, "Allele")
    FIELD(consequence, "Consequence")
    FIELD(symbol, "SYMBOL")
    FIELD(gene, "Gene")
    FIELD(feature_type, "Feature_type")
    FIELD(feature, "Feature")
    FIELD(exon, "EXON")
    FIELD(intron, "INTRON")
    FIELD(hgvsc, "HGVSc")
    FIELD(hgvsp, "HGVSp")
    FIELD(protein_position, "Protein_position")
    FIELD(amino_acids, "Amino_acids")
    FIELD(canonical, "CANONICAL")
    FIELD(mane_select, "MANE_SELECT")
    FIELD(mane, "MANE")
    FIELD(pick, "PICK")
    FIELD(allele_num, "ALLELE_NUM")
    FIELD(strand, "STRAND")
#undef FIELD
    const char *missing = format->allele < 0        ? "Allele"
                          : format->consequence < 0 ? "Consequence"
                          : format->symbol < 0      ? "SYMBOL"
                                                    : NULL;
    if (missing)
        return cm_error_set(err, file, 0, 0,
                            "INFO/%s: the VEP Format in the header has no %s field", parser->tag,
                            missing);
    return 0;
}

void cm_csq_free(cm_annotation_parser *parser)
{
    free(parser->impl);
    parser->impl = NULL;
}

// (annot.h) Shared with the record prefilter, which must match alleles exactly as this does.
void cm_annotation_vep_allele_forms(cm_slice *forms, char *const *alleles, int n_alleles)
{
    const char *ref = alleles[0];
    size_t ref_len = strlen(ref);
    int is_indel = 0, shares_first_base = 1;
    for (int i = 1; i < n_alleles; i++) {
        const char *alt = alleles[i];
        size_t alt_len = strlen(alt);
        if (strpbrk(alt, "[]")) // a breakend is written whole (below) and trims nothing
            continue;
        if (alt_len != ref_len || alt[0] == 'D' || alt[0] == 'I') // VCF 4.0 D/I forms
            is_indel = 1;
        if (!strchr(alt, '*') && alt[0] != ref[0])
            shares_first_base = 0;
    }
    int trim = is_indel && shares_first_base;
    for (int i = 1; i < n_alleles; i++) {
        const char *alt = alleles[i];
        int len = (int)strlen(alt);
        if (trim && !strchr(alt, '*') && !strpbrk(alt, "[]")) {
            alt++;
            len--;
        }
        if (len == 0) {
            alt = "-";
            len = 1;
        }
        forms[i].s = alt;
        forms[i].len = len;
    }
}

// "ENSP00000288602.7:p.Val600Glu" -> "p.Val600Glu" after "%3D" -> "=": the transcript is
// reported in its own field.
static cm_slice hgvs_field(cm_slice slice)
{
    if (slice.len == 0)
        return slice;
    slice.len = cm_annotation_url_decode((char *)slice.s, slice.len);
    const char *colon = memchr(slice.s, ':', (size_t)slice.len);
    if (colon) {
        slice.len -= (int)(colon + 1 - slice.s);
        slice.s = colon + 1;
    }
    return slice;
}

// The Allele VEP writes for a structural variant (its SO class).
static int is_sv_class(cm_slice allele)
{
    static const char *const classes[] = {"deletion",
                                          "duplication",
                                          "tandem_duplication",
                                          "insertion",
                                          "inversion",
                                          "copy_number_variation",
                                          "copy_number_gain",
                                          "copy_number_loss",
                                          "translocation",
                                          "complex_structural_alteration",
                                          "mobile_element_insertion",
                                          "short_tandem_repeat_variation",
                                          "sequence_alteration",
                                          "chromosome_breakpoint"};
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (cm_slice_equals(allele, classes[i]))
            return 1;
    return 0;
}

// Whether text is the reference breakend VEP >= 112 writes for the record's own position: REF
// then '.' (the record's breakends keep the bases left of it) or '.' then REF; "N." / ".N" too.
static int is_own_breakend(cm_slice text, const char *ref)
{
    int ref_len = (int)strlen(ref);
    if (text.len < 2 || (text.s[0] != '.' && text.s[text.len - 1] != '.'))
        return 0;
    cm_slice base = {text.s[0] == '.' ? text.s + 1 : text.s, text.len - 1};
    return (base.len == ref_len && memcmp(base.s, ref, (size_t)ref_len) == 0) ||
           cm_slice_equals(base, "N");
}

// The breakend ALT an entry whose Allele names no ALT as written belongs to: "BND" (VEP before
// 110 for any breakend) or the reference breakend "REF." / ".REF" (VEP >= 112; the first
// breakend ALT whose join keeps the same side, else the first breakend ALT). *is_own is set
// for the reference breakend. Returns 0 when the record has no such breakend ALT, or when
// "BND" could name several.
static int breakend_allele(cm_slice text, char *const *alleles, int n_alleles, int *is_own)
{
    *is_own = is_own_breakend(text, alleles[0]);
    if (!*is_own && !cm_slice_equals(text, "BND"))
        return 0;
    int first = 0, same_side = 0, n_breakends = 0;
    int keeps_left = text.s[text.len - 1] == '.';
    for (int i = 1; i < n_alleles; i++) {
        const char *alt = alleles[i];
        if (!strpbrk(alt, "[]") && strcmp(alt, "<BND>") != 0)
            continue;
        n_breakends++;
        if (!first)
            first = i;
        if (!same_side && (alt[0] != '[' && alt[0] != ']') == keeps_left)
            same_side = i;
    }
    if (!*is_own)
        return n_breakends == 1 ? first : 0;
    return same_side ? same_side : first;
}

int cm_csq_parse(cm_annotation_parser *parser, char *text, size_t len, char *const *alleles,
                 int n_alleles, const uint8_t *is_skipped, cm_annotation_counts *counts,
                 cm_error *err)
{
    const csq_format *format = parser->impl;
    if (cm_annotation_reserve_alleles(parser, n_alleles) != 0)
        return cm_error_set(err, NULL, 0, 0, "out of memory");
    cm_annotation_vep_allele_forms(parser->vep_alleles, alleles, n_alleles);
    int every_alt_skipped = cm_annotation_every_alt_skipped(is_skipped, n_alleles);

    cm_annotation_entries entries;
    cm_annotation_entries_init(&entries, text, len);
    char *entry;
    int entry_len;
    int saw_own_breakend = 0, has_breakend = 0;
    for (int i = 1; i < n_alleles && !has_breakend; i++)
        has_breakend = strpbrk(alleles[i], "[]") != NULL || strcmp(alleles[i], "<BND>") == 0;
    size_t first_entry = parser->n_entries;
    while (cm_annotation_entries_next(&entries, &entry, &entry_len)) {
        // VEP writes every field of its Format, empty or not (exact): an entry with fewer is
        // cut or hand-edited, and reading it by position would shift its fields.
        int n = cm_annotation_read_entry(parser, entry, entry_len, entries.number, 1, err);
        if (n < 0)
            return -1;
        if (n == 0)
            continue;

        // Which ALT: ALLELE_NUM when given, else the Allele text.
        int allele = 0, is_own = 0;
        cm_slice allele_num = cm_annotation_field(parser, format->allele_num);
        cm_slice text_allele = cm_annotation_field(parser, format->allele);
        if (allele_num.len > 0) {
            long value = cm_annotation_parse_count(allele_num.s, allele_num.len);
            if (value < 0)
                return cm_error_set(err, NULL, 0, 0,
                                    "INFO/%s entry %d: ALLELE_NUM '%.*s' is not a number",
                                    parser->tag, entries.number, allele_num.len, allele_num.s);
            allele = value >= 1 && value < n_alleles ? (int)value : 0;
            // VEP >= 113 numbers the reference breakend ("N.") 0: it is the record's own.
            if (value == 0 && has_breakend)
                allele = breakend_allele(text_allele, alleles, n_alleles, &is_own);
        } else {
            for (int i = 1; i < n_alleles && !allele; i++)
                if (text_allele.len == parser->vep_alleles[i].len &&
                    memcmp(text_allele.s, parser->vep_alleles[i].s, (size_t)text_allele.len) == 0)
                    allele = i;
            // VEP writes a structural variant's class instead of its ALT ("deletion" for
            // <DEL>, or for a sequence ALT under INFO/SVTYPE): unambiguous with one ALT.
            if (!allele && n_alleles == 2 && is_sv_class(text_allele))
                allele = 1;
            if (!allele && has_breakend)
                allele = breakend_allele(text_allele, alleles, n_alleles, &is_own);
        }
        saw_own_breakend |= is_own;
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
        out->allele = allele;
        // A breakend ALT's entry under the ALT string describes the mate's position when VEP
        // annotates each breakend apart (>= 112: decided after the last entry).
        out->is_mate_breakend = has_breakend && !is_own &&
                                cm_slice_equals(text_allele, alleles[allele]) &&
                                strpbrk(alleles[allele], "[]") != NULL;
        cm_slice feature_type = cm_annotation_field(parser, format->feature_type);
        int is_transcript = feature_type.len == 0 || cm_slice_equals(feature_type, "Transcript");
        if (is_transcript) {
            out->gene = cm_annotation_field(parser, format->symbol);
            *key = out->gene.len > 0 ? out->gene : cm_annotation_field(parser, format->gene);
        }
        out->transcript = cm_annotation_field(parser, format->feature);
        cm_slice consequence = cm_annotation_field(parser, format->consequence);
        int unknown = 0;
        out->consequence = cm_consequence_parse(consequence.s, (size_t)consequence.len, &unknown);
        counts->unknown_terms += (uint64_t)unknown;
        out->hgvsc = hgvs_field(cm_annotation_field(parser, format->hgvsc));
        out->hgvsp = hgvs_field(cm_annotation_field(parser, format->hgvsp));
        if (out->hgvsp.len > 0) {
            cm_protein_change_parse(out->hgvsp.s, (size_t)out->hgvsp.len, &out->protein);
        } else {
            // VEP without --hgvs: rebuild the change from Protein_position + Amino_acids.
            cm_slice position = cm_annotation_field(parser, format->protein_position);
            cm_slice amino_acids = cm_annotation_field(parser, format->amino_acids);
            if (position.len > 0 && amino_acids.len > 0)
                cm_protein_change_from_vep(position.s, (size_t)position.len, amino_acids.s,
                                           (size_t)amino_acids.len, &out->protein);
        }
        cm_annotation_parse_rank(cm_annotation_field(parser, format->exon), &out->exon,
                                 &out->exon_count);
        cm_annotation_parse_rank(cm_annotation_field(parser, format->intron), &out->intron,
                                 &out->intron_count);
        if (cm_slice_equals(cm_annotation_field(parser, format->canonical), "YES"))
            out->transcript_flags |= CM_TRANSCRIPT_CANONICAL;
        // MANE_SELECT (VEP >= 104) or MANE (VEP 103): any value (the RefSeq id) means Select.
        cm_slice mane = cm_annotation_field(parser, format->mane_select >= 0 ? format->mane_select
                                                                             : format->mane);
        if (mane.len > 0)
            out->transcript_flags |= CM_TRANSCRIPT_MANE_SELECT;
        if (cm_slice_equals(cm_annotation_field(parser, format->pick), "1"))
            out->transcript_flags |= CM_TRANSCRIPT_PICK;
        cm_slice strand = cm_annotation_field(parser, format->strand);
        out->strand = cm_slice_equals(strand, "1") ? 1 : cm_slice_equals(strand, "-1") ? -1 : 0;
    }
    // Before 112 (no reference breakend in the record, no release >= 112 in the header) the
    // ALT string names every feature of the record: they are its own.
    if (has_breakend && !saw_own_breakend && parser->release < 112)
        for (size_t i = first_entry; i < parser->n_entries; i++)
            parser->entries[i].is_mate_breakend = 0;
    return 0;
}
