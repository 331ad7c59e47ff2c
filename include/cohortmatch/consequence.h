/*
 * Sequence Ontology consequence terms as a bit set.
 *
 * VEP, SnpEff and bcftools csq name the same effects differently
 * (conservative_inframe_deletion, inframe_deletion, "missense"): this module
 * maps every spelling onto one canonical SO term, so that rules and reports
 * see one vocabulary whatever annotated the VCF. Rule-only classes
 * (truncating, inframe, protein_altering, ...) are unions of terms; their
 * members are listed in docs/rules.md.
 */
#ifndef COHORTMATCH_CONSEQUENCE_H
#define COHORTMATCH_CONSEQUENCE_H

#include <stddef.h>
#include <stdint.h>

#include <htslib/kstring.h>

/// A set of consequence terms, one bit per enum cm_so_term.
typedef uint64_t cm_consequence;

// X(enum suffix, canonical SO name), in VEP's order of severity, then the
// terms only SnpEff writes, then CM_SO_OTHER for anything unknown.
#define CM_SO_TERMS(X)                                                                             \
    X(TRANSCRIPT_ABLATION, "transcript_ablation")                                                  \
    X(SPLICE_ACCEPTOR_VARIANT, "splice_acceptor_variant")                                          \
    X(SPLICE_DONOR_VARIANT, "splice_donor_variant")                                                \
    X(STOP_GAINED, "stop_gained")                                                                  \
    X(FRAMESHIFT_VARIANT, "frameshift_variant")                                                    \
    X(STOP_LOST, "stop_lost")                                                                      \
    X(START_LOST, "start_lost")                                                                    \
    X(TRANSCRIPT_AMPLIFICATION, "transcript_amplification")                                        \
    X(FEATURE_ELONGATION, "feature_elongation")                                                    \
    X(FEATURE_TRUNCATION, "feature_truncation")                                                    \
    X(INFRAME_INSERTION, "inframe_insertion")                                                      \
    X(INFRAME_DELETION, "inframe_deletion")                                                        \
    X(MISSENSE_VARIANT, "missense_variant")                                                        \
    X(PROTEIN_ALTERING_VARIANT, "protein_altering_variant")                                        \
    X(SPLICE_DONOR_5TH_BASE_VARIANT, "splice_donor_5th_base_variant")                              \
    X(SPLICE_REGION_VARIANT, "splice_region_variant")                                              \
    X(SPLICE_DONOR_REGION_VARIANT, "splice_donor_region_variant")                                  \
    X(SPLICE_POLYPYRIMIDINE_TRACT_VARIANT, "splice_polypyrimidine_tract_variant")                  \
    X(INCOMPLETE_TERMINAL_CODON_VARIANT, "incomplete_terminal_codon_variant")                      \
    X(START_RETAINED_VARIANT, "start_retained_variant")                                            \
    X(STOP_RETAINED_VARIANT, "stop_retained_variant")                                              \
    X(SYNONYMOUS_VARIANT, "synonymous_variant")                                                    \
    X(CODING_SEQUENCE_VARIANT, "coding_sequence_variant")                                          \
    X(MATURE_MIRNA_VARIANT, "mature_miRNA_variant")                                                \
    X(FIVE_PRIME_UTR_VARIANT, "5_prime_UTR_variant")                                               \
    X(THREE_PRIME_UTR_VARIANT, "3_prime_UTR_variant")                                              \
    X(NON_CODING_TRANSCRIPT_EXON_VARIANT, "non_coding_transcript_exon_variant")                    \
    X(INTRON_VARIANT, "intron_variant")                                                            \
    X(NMD_TRANSCRIPT_VARIANT, "NMD_transcript_variant")                                            \
    X(NON_CODING_TRANSCRIPT_VARIANT, "non_coding_transcript_variant")                              \
    X(CODING_TRANSCRIPT_VARIANT, "coding_transcript_variant")                                      \
    X(UPSTREAM_GENE_VARIANT, "upstream_gene_variant")                                              \
    X(DOWNSTREAM_GENE_VARIANT, "downstream_gene_variant")                                          \
    X(TFBS_ABLATION, "TFBS_ablation")                                                              \
    X(TFBS_AMPLIFICATION, "TFBS_amplification")                                                    \
    X(TF_BINDING_SITE_VARIANT, "TF_binding_site_variant")                                          \
    X(REGULATORY_REGION_ABLATION, "regulatory_region_ablation")                                    \
    X(REGULATORY_REGION_AMPLIFICATION, "regulatory_region_amplification")                          \
    X(REGULATORY_REGION_VARIANT, "regulatory_region_variant")                                      \
    X(INTERGENIC_VARIANT, "intergenic_variant")                                                    \
    X(SEQUENCE_VARIANT, "sequence_variant")                                                        \
    X(EXON_LOSS_VARIANT, "exon_loss_variant")                                                      \
    X(GENE_FUSION, "gene_fusion")                                                                  \
    X(BIDIRECTIONAL_GENE_FUSION, "bidirectional_gene_fusion")                                      \
    X(FEATURE_ABLATION, "feature_ablation")                                                        \
    X(STRUCTURAL_INTERACTION_VARIANT, "structural_interaction_variant")                            \
    X(PROTEIN_PROTEIN_CONTACT, "protein_protein_contact")                                          \
    X(FIVE_PRIME_UTR_PREMATURE_START_CODON_GAIN_VARIANT,                                           \
      "5_prime_UTR_premature_start_codon_gain_variant")                                            \
    X(RARE_AMINO_ACID_VARIANT, "rare_amino_acid_variant")                                          \
    X(CHROMOSOME_NUMBER_VARIATION, "chromosome_number_variation")                                  \
    X(DUPLICATION, "duplication")                                                                  \
    X(INVERSION, "inversion")                                                                      \
    X(INTRAGENIC_VARIANT, "intragenic_variant")                                                    \
    X(SEQUENCE_FEATURE, "sequence_feature")                                                        \
    X(OTHER, "other")

#define CM_SO_ENUM_ITEM(name, text) CM_SO_##name,
enum cm_so_term { CM_SO_TERMS(CM_SO_ENUM_ITEM) CM_SO_COUNT };
#undef CM_SO_ENUM_ITEM

#define CM_SO_BIT(term) ((cm_consequence)1 << (term))

/// Returns the term for a name or alias as VEP, SnpEff or bcftools csq write it
/// (case-sensitive, len bytes), or -1 if unknown.
int cm_so_term_lookup(const char *name, size_t len);

/// Returns the canonical SO name of a term (static storage).
const char *cm_so_term_name(int term);

/// Parses terms joined by '&' (or ',' for bcftools csq's combined forms) into a set.
/// Unknown terms set CM_SO_OTHER; their number is added to *n_unknown when not NULL.
cm_consequence cm_consequence_parse(const char *text, size_t len, int *n_unknown);

/// Rule vocabulary: a SO term, an alias or a class (truncating, inframe, protein_altering,
/// missense, frameshift, splice, ...). Returns the set of terms it means, or 0 if unknown.
cm_consequence cm_consequence_rule_lookup(const char *name, size_t len);

/// Appends the canonical names of the set, joined by '&', in severity order.
void cm_consequence_format(cm_consequence set, kstring_t *out);

/// The names a rule may use for consequence (terms, aliases, classes), for suggestions;
/// sets *n. Static storage.
const char *const *cm_consequence_rule_names(size_t *n);

#endif
