/*
 * Fuzz target: the HGVS protein module (src/hgvs.c). The input goes to the
 * p. parser, the rule-pattern parser, the bcftools csq amino_acid_change
 * reader and, split at its first '\t', to the VEP Protein_position +
 * Amino_acids rebuild; whatever parses is formatted back and matched against
 * itself, so the formatters and the matcher see every value the parsers can
 * produce.
 */
#include <stdlib.h>
#include <string.h>

#include "cohortmatch/hgvs.h"
#include "fuzz.h"

static void exercise_change(const cm_protein_change *change, kstring_t *out)
{
    out->l = 0;
    cm_protein_change_format_short(change, out);
    out->l = 0;
    cm_protein_change_format_hgvs(change, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    kstring_t out = {0, 0, NULL};

    cm_protein_change change;
    if (cm_protein_change_parse(text, size, &change) == 0) {
        exercise_change(&change, &out);
        // What the short form prints must parse again.
        if (change.kind != CM_PROTEIN_NONE && out.l > 0) {
            out.l = 0;
            cm_protein_change_format_short(&change, &out);
            cm_protein_change reparsed;
            cm_protein_change_parse(out.s, out.l, &reparsed);
        }
    }

    cm_protein_pattern pattern;
    const char *why = NULL;
    if (cm_protein_pattern_parse(text, size, &pattern, &why) == 0) {
        out.l = 0;
        cm_protein_pattern_format(&pattern, &out);
        cm_protein_pattern_matches(&pattern, &change);
        cm_protein_pattern_matches(&pattern, &pattern.change);
    }

    // bcftools csq's amino_acid_change ("600V>600E"), as a frameshift and not.
    for (int is_frameshift = 0; is_frameshift < 2; is_frameshift++) {
        cm_protein_change from_bcsq;
        if (cm_protein_change_from_bcsq(text, size, is_frameshift, &from_bcsq) == 0)
            exercise_change(&from_bcsq, &out);
    }

    const char *tab = memchr(text, '\t', size);
    if (tab) {
        size_t position_len = (size_t)(tab - text);
        cm_protein_change rebuilt;
        if (cm_protein_change_from_vep(text, position_len, tab + 1, size - position_len - 1,
                                       &rebuilt) == 0)
            exercise_change(&rebuilt, &out);
    }
    free(out.s);
    return 0;
}
