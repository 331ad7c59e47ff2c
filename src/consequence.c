/*
 * Consequence vocabulary: canonical SO terms, the spellings other annotators
 * use for them, and the classes rules may name. This module owns only tables;
 * it never allocates.
 */
#include "cohortmatch/consequence.h"

#include <string.h>

#define CM_SO_NAME_ITEM(name, text) text,
static const char *const term_names[CM_SO_COUNT] = {CM_SO_TERMS(CM_SO_NAME_ITEM)};
#undef CM_SO_NAME_ITEM

typedef struct alias {
    const char *name;
    int term;
} alias;

// Spellings of SnpEff (older and newer releases) and bcftools csq.
static const alias aliases[] = {
    {"conservative_inframe_insertion", CM_SO_INFRAME_INSERTION},
    {"disruptive_inframe_insertion", CM_SO_INFRAME_INSERTION},
    {"conservative_inframe_deletion", CM_SO_INFRAME_DELETION},
    {"disruptive_inframe_deletion", CM_SO_INFRAME_DELETION},
    {"initiator_codon_variant", CM_SO_START_RETAINED_VARIANT},
    {"non_coding_exon_variant", CM_SO_NON_CODING_TRANSCRIPT_EXON_VARIANT},
    {"non_coding_transcript_exon_variant", CM_SO_NON_CODING_TRANSCRIPT_EXON_VARIANT},
    {"nc_transcript_variant", CM_SO_NON_CODING_TRANSCRIPT_VARIANT},
    {"intergenic_region", CM_SO_INTERGENIC_VARIANT},
    {"conserved_intergenic_variant", CM_SO_INTERGENIC_VARIANT},
    {"conserved_intron_variant", CM_SO_INTRON_VARIANT},
    {"5_prime_UTR_truncation", CM_SO_FEATURE_TRUNCATION},
    {"3_prime_UTR_truncation", CM_SO_FEATURE_TRUNCATION},
    {"miRNA", CM_SO_MATURE_MIRNA_VARIANT},
    {"gene_variant", CM_SO_SEQUENCE_VARIANT},
    {"transcript_variant", CM_SO_SEQUENCE_VARIANT},
    {"exon_variant", CM_SO_CODING_SEQUENCE_VARIANT},
    // bcftools csq
    {"intergenic", CM_SO_INTERGENIC_VARIANT},
    {"intron", CM_SO_INTRON_VARIANT},
    {"synonymous", CM_SO_SYNONYMOUS_VARIANT},
    {"splice_region", CM_SO_SPLICE_REGION_VARIANT},
    {"stop_retained", CM_SO_STOP_RETAINED_VARIANT},
    {"start_retained", CM_SO_START_RETAINED_VARIANT},
    {"5_prime_utr", CM_SO_FIVE_PRIME_UTR_VARIANT},
    {"3_prime_utr", CM_SO_THREE_PRIME_UTR_VARIANT},
    {"non_coding", CM_SO_NON_CODING_TRANSCRIPT_VARIANT},
    {"coding_sequence", CM_SO_CODING_SEQUENCE_VARIANT},
    {"missense", CM_SO_MISSENSE_VARIANT},
    {"frameshift", CM_SO_FRAMESHIFT_VARIANT},
    {"splice_acceptor", CM_SO_SPLICE_ACCEPTOR_VARIANT},
    {"splice_donor", CM_SO_SPLICE_DONOR_VARIANT},
    {"inframe_altering", CM_SO_PROTEIN_ALTERING_VARIANT},
};

int cm_so_term_lookup(const char *name, size_t len)
{
    for (int term = 0; term < CM_SO_COUNT; term++)
        if (strlen(term_names[term]) == len && memcmp(term_names[term], name, len) == 0)
            return term;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strlen(aliases[i].name) == len && memcmp(aliases[i].name, name, len) == 0)
            return aliases[i].term;
    return -1;
}

const char *cm_so_term_name(int term)
{
    return term >= 0 && term < CM_SO_COUNT ? term_names[term] : "other";
}

cm_consequence cm_consequence_parse(const char *text, size_t len, int *n_unknown)
{
    cm_consequence set = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '&' && text[i] != ',')
            continue;
        if (i > start) {
            const char *term_text = text + start;
            size_t term_len = i - start;
            // bcftools csq marks consequences downstream of an earlier frameshift with '*'.
            if (*term_text == '*') {
                term_text++;
                term_len--;
            }
            int term = cm_so_term_lookup(term_text, term_len);
            if (term < 0) {
                term = CM_SO_OTHER;
                if (n_unknown)
                    (*n_unknown)++;
            }
            set |= CM_SO_BIT(term);
        }
        start = i + 1;
    }
    return set;
}

#define BIT(name) CM_SO_BIT(CM_SO_##name)
#define TRUNCATING                                                                                 \
    (BIT(STOP_GAINED) | BIT(FRAMESHIFT_VARIANT) | BIT(SPLICE_ACCEPTOR_VARIANT) |                   \
     BIT(SPLICE_DONOR_VARIANT) | BIT(START_LOST) | BIT(TRANSCRIPT_ABLATION) |                      \
     BIT(EXON_LOSS_VARIANT) | BIT(FEATURE_ABLATION))
#define INFRAME (BIT(INFRAME_INSERTION) | BIT(INFRAME_DELETION) | BIT(PROTEIN_ALTERING_VARIANT))

typedef struct rule_class {
    const char *name;
    cm_consequence set;
} rule_class;

// Classes and short names a rule may write besides the SO terms themselves.
static const rule_class classes[] = {
    {"truncating", TRUNCATING},
    {"inframe", INFRAME},
    {"protein_altering", TRUNCATING | INFRAME | BIT(MISSENSE_VARIANT) | BIT(STOP_LOST) |
                             BIT(FEATURE_ELONGATION) | BIT(FEATURE_TRUNCATION)},
    {"missense", BIT(MISSENSE_VARIANT)},
    {"synonymous", BIT(SYNONYMOUS_VARIANT)},
    {"frameshift", BIT(FRAMESHIFT_VARIANT)},
    {"nonsense", BIT(STOP_GAINED)},
    {"splice", BIT(SPLICE_ACCEPTOR_VARIANT) | BIT(SPLICE_DONOR_VARIANT)},
    {"splice_donor", BIT(SPLICE_DONOR_VARIANT)},
    {"splice_acceptor", BIT(SPLICE_ACCEPTOR_VARIANT)},
    {"splice_region", BIT(SPLICE_REGION_VARIANT)},
    {"fusion", BIT(GENE_FUSION) | BIT(BIDIRECTIONAL_GENE_FUSION)},
};

cm_consequence cm_consequence_rule_lookup(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (strlen(classes[i].name) == len && memcmp(classes[i].name, name, len) == 0)
            return classes[i].set;
    int term = cm_so_term_lookup(name, len);
    if (term < 0 || term == CM_SO_OTHER)
        return 0;
    return CM_SO_BIT(term);
}

void cm_consequence_format(cm_consequence set, kstring_t *out)
{
    int first = 1;
    for (int term = 0; term < CM_SO_COUNT; term++) {
        if (!(set & CM_SO_BIT(term)))
            continue;
        if (!first)
            kputc('&', out);
        kputs(term_names[term], out);
        first = 0;
    }
}

#define N_RULE_NAMES                                                                               \
    (sizeof classes / sizeof classes[0] + (CM_SO_COUNT - 1) + sizeof aliases / sizeof aliases[0])
static const char *rule_names[N_RULE_NAMES];

const char *const *cm_consequence_rule_names(size_t *n)
{
    // Filled on first use; the contents never change, so a race writes the same values.
    if (!rule_names[0]) {
        size_t k = 0;
        for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
            rule_names[k++] = classes[i].name;
        for (int term = 0; term < CM_SO_COUNT; term++)
            if (term != CM_SO_OTHER)
                rule_names[k++] = term_names[term];
        for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
            rule_names[k++] = aliases[i].name;
    }
    *n = N_RULE_NAMES;
    return rule_names;
}
