/*
 * Rule sets: trial protocols loaded from YAML (libyaml) and compiled for the
 * matcher.
 *
 * A rule set holds one or more protocols. Loading parses every construct of
 * the rule language (docs/rules.md), reports every problem of a file with
 * file:line:column, resolves named alterations, parses protein patterns once
 * and interns gene symbols. Compiling builds the index the matcher uses: gene
 * symbol -> the leaves that name it, so that an alteration costs one hash
 * look-up whatever the number of rules. The rule set never sees a VCF.
 */
#ifndef COHORTMATCH_RULES_H
#define COHORTMATCH_RULES_H

#include <stddef.h>

#include "cohortmatch/alteration.h"
#include "cohortmatch/error.h"
#include "cohortmatch/hgvs.h"
#include "cohortmatch/oncotree.h"

/// The rule-language version this build reads (the `cohortmatch:` key).
#define CM_RULE_LANGUAGE_VERSION 1

typedef enum cm_transcript_policy {
    CM_TRANSCRIPTS_UNSET = 0,
    CM_TRANSCRIPTS_PREFERRED, // MANE Select, else canonical, else picked, else all
    CM_TRANSCRIPTS_ANY
} cm_transcript_policy;

/// Quality gates. Unset fields (NAN / -1 / CM_TRANSCRIPTS_UNSET) fall through to the
/// next level: command line > arm > protocol defaults > built-in defaults.
typedef struct cm_gates {
    double min_vaf; // NAN = unset
    int min_depth;  // -1 = unset
    int pass_only;  // -1 = unset, 0/1
    cm_transcript_policy transcripts;
} cm_gates;

/// Sets every field unset.
void cm_gates_unset(cm_gates *gates);

/// The built-in defaults under every protocol: min_vaf 0.05, min_depth 30, pass_only,
/// preferred transcripts (docs/rules.md).
void cm_gates_builtin(cm_gates *gates);

/// Fills unset fields of gates from fallback.
void cm_gates_inherit(cm_gates *gates, const cm_gates *fallback);

/// Thresholds that turn copy numbers into cnv classes (protocol `defaults`).
typedef struct cm_cnv_thresholds {
    double amplification_min; // copies >= this: amplification (default 6)
    double gain_min;          // copies >= this: gain (default 3)
    double deletion_max;      // copies <= this: deletion (default 1)
    double homozygous_max;    // copies <= this: homozygous deletion (default 0.5)
} cm_cnv_thresholds;

typedef enum cm_msi_status { CM_MSI_UNSET = 0, CM_MSI_HIGH, CM_MSI_STABLE } cm_msi_status;
typedef enum cm_mmr_status { CM_MMR_UNSET = 0, CM_MMR_DEFICIENT, CM_MMR_PROFICIENT } cm_mmr_status;
typedef enum cm_sex { CM_SEX_UNSET = 0, CM_SEX_FEMALE, CM_SEX_MALE } cm_sex;

/// A closed range of numbers, e.g. exons 18-21 (min == max for one number).
typedef struct cm_range {
    int min, max;
} cm_range;

// cm_genome_build is in alteration.h (the VCF reader guesses it from the contigs).

/// A genomic variant key written in a rule (`variant: chr7:140753336:A:T`, with `build:`).
typedef struct cm_variant_key {
    cm_genome_build build; // the leaf's `build`, else the protocol's
    char *chrom;           // as written; matched with or without a "chr" prefix
    long long pos;
    char *ref;
    char *alt;
} cm_variant_key;

typedef enum cm_leaf_scope {
    CM_LEAF_ALTERATION, // holds if enough alterations of the sample satisfy every key
    CM_LEAF_SAMPLE      // tmb / msi / mmr / age / sex: a fact about the sample
} cm_leaf_scope;

/// One leaf of a rule. Every key that is set must hold; lists mean "any of".
typedef struct cm_leaf {
    int id;           // index in cm_ruleset.leaves
    const char *file; // borrowed from the protocol
    int line, column;
    cm_leaf_scope scope;

    // Alteration keys (scope CM_LEAF_ALTERATION)
    int *genes; // interned gene ids (cm_ruleset_gene_name), n_genes == 0: any gene
    int n_genes;
    cm_protein_pattern *proteins;
    int n_proteins;
    cm_consequence consequences; // 0 = not constrained
    int exon_loss_if_truncated;  // exon_loss_variant is in consequences only through the
                                 // `truncating` class: an exon loss known to keep the frame
                                 // (in_frame 1) does not satisfy it (docs/rules.md)
    cm_range *exons;             // any of; n_exons == 0: not constrained
    int n_exons;
    cm_range *introns;
    int n_introns;
    char **hgvsc; // c. text compared without the transcript prefix
    int n_hgvsc;
    cm_variant_key *variants;
    int n_variants;
    double min_vaf;                          // NAN = the arm's gate
    int min_depth;                           // -1 = the arm's gate
    double copy_number_min, copy_number_max; // NAN = not constrained
    unsigned cnv;                            // CM_CNV_* set, 0 = not constrained
    int is_fusion;                           // a `fusion:` key was given
    int *fusion_genes;                       // interned; either side of the fusion
    int n_fusion_genes;
    int *fusion_partners; // interned; the other side (CM_INTERGENIC for no gene); none = any
    int n_fusion_partners;
    int fusion_any_gene; // `partner: any_gene`: the other side is a gene (not intergenic)
    int fusion_in_frame; // -1 any, 0 out of frame, 1 in frame
    int min_count;       // at least this many distinct alterations (default 1)
    int biallelic;       // both copies hit (docs/rules.md)

    // Sample keys (scope CM_LEAF_SAMPLE)
    double tmb_min, tmb_max; // NAN = not constrained
    cm_msi_status msi;
    cm_mmr_status mmr;
    double age_min, age_max; // NAN = not constrained
    cm_sex sex;
    // `biomarker: {name, is | min | max}`: a named sample biomarker (docs/rules.md)
    char *biomarker;      // its name, lower case; NULL: the leaf tests no named biomarker
    char **biomarker_is;  // any of these values (compared without case; signatures by alias)
    int n_biomarker_is;   // 0: the value is not constrained by words
    double biomarker_min; // inclusive; NAN = not constrained
    double biomarker_max; // inclusive; NAN = not constrained
} cm_leaf;

/// The partner of a fusion whose other side lies in no gene (cm_alteration.partner and
/// `partner: intergenic` in a rule).
#define CM_INTERGENIC "intergenic"

/// Named biomarkers the rule language knows (lint suggests them for a misspelt name):
/// "hrd", "signatures", "purity", "ploidy", "pdl1_tps"; sets *n (static storage).
const char *const *cm_known_biomarkers(size_t *n);

/// Whether a sample's biomarker value satisfies a rule's `is` word: equal without case ('_',
/// '-' and ' ' alike); hrd by CHORD's words too (HR_deficient = deficient); `signatures`
/// also without a "_signature" suffix and through the signature's other names (uva = uv,
/// smoking = tobacco, SBS2/SBS13 = apobec ... docs/rules.md "Mutational signatures").
int cm_biomarker_value_is(const char *name, const char *value, const char *word);

typedef enum cm_expr_kind {
    CM_EXPR_LEAF,
    CM_EXPR_ALL,
    CM_EXPR_ANY,
    CM_EXPR_NOT,
    CM_EXPR_REF // a named alteration: evaluate `target`
} cm_expr_kind;

typedef struct cm_expr {
    cm_expr_kind kind;
    int leaf;                  // CM_EXPR_LEAF: index in cm_ruleset.leaves
    struct cm_expr **children; // ALL / ANY: n_children >= 1; NOT: exactly 1
    int n_children;
    const struct cm_named_alteration *target; // CM_EXPR_REF (borrowed)
    int line, column;
} cm_expr;

/// A named, reusable definition from the protocol's `alterations:` block.
typedef struct cm_named_alteration {
    char *name;
    cm_expr *expr;
    int line, column;
    int is_used;
} cm_named_alteration;

typedef enum cm_cohort_status {
    CM_COHORT_NEW = 0, // not listed in the rules: opens on the first eligible patient
    CM_COHORT_OPEN,
    CM_COHORT_CLOSED,
    CM_COHORT_SUSPENDED
} cm_cohort_status;

typedef struct cm_cohort {
    char *tumour_type; // OncoTree code as written
    int node;          // its OncoTree node
    cm_cohort_status status;
    int stage, enrolled, target; // 0 = not given (enrolled: see is_enrolled_known)
    int is_enrolled_known;       // enrolled was given, even as 0
    char *note;
    char *updated; // ISO date of the state, from a --cohorts file; NULL for the rule file's
    const char *state_file; // the --cohorts file this state came from (borrowed), or NULL
    int line, column;       // in the rule file, or the --cohorts file's line (column 0)
} cm_cohort;

/// Most stages a protocol's cohort design may have.
#define CM_MAX_STAGES 4

/// How a protocol's cohorts fill (`protocol: design:`): a staged design gives the total
/// patients at the end of each stage (DRUP-like Simon two-stage: 8, then 24); a fixed
/// design gives one cohort size (DETERMINE: 30). Neither set: not stated.
typedef struct cm_design {
    int n_stages;              // 0 = not a staged design
    int stages[CM_MAX_STAGES]; // cumulative patients per stage, strictly ascending
    int cohort_size;           // 0 = not a fixed-size design
} cm_design;

/// Whether an arm's biomarker is stated by the trial or inferred (`criteria:`).
typedef enum cm_criteria { CM_CRITERIA_STATED = 0, CM_CRITERIA_INFERRED } cm_criteria;

typedef struct cm_protocol cm_protocol;

typedef struct cm_arm {
    char *id;
    const cm_protocol *protocol; // borrowed
    char **drugs;
    int n_drugs;
    cm_expr *match;
    cm_expr *exclude;   // NULL, or an ANY of the listed expressions
    int *include_nodes; // OncoTree nodes (meta nodes allowed); n_include == 0: every type
    int n_include;
    int *exclude_nodes;
    int n_exclude;
    char *escat;  // normalised, e.g. "IIIA"; NULL if not given
    char *oncokb; // "1", "2", "3A", "3B", "4", "R1", "R2"; NULL if not given
    char *source;
    cm_cohort *cohorts;
    int n_cohorts;
    cm_gates gates; // the arm's overrides (unset fields inherit the protocol's)
    cm_criteria criteria;
    char *note;              // `note:` for the board (why a biomarker is inferred); NULL if none
    int has_age_limit;       // the arm's `age`, else the protocol's, was given
    double age_min, age_max; // eligible ages in years, inclusive; NAN = open-ended
    int line, column;
} cm_arm;

/// An alteration written inline in a rule test.
typedef struct cm_test_alteration {
    cm_owned_alteration owned;
    int line, column;
} cm_test_alteration;

/// One value of a named biomarker stated in a rule test (`biomarkers: {hrd: deficient}`).
typedef struct cm_test_biomarker {
    char *name;  // lower case
    char *value; // as written
    int line, column;
} cm_test_biomarker;

typedef struct cm_expected_ruled_out {
    char *arm;
    char *reason; // one of the JSON result's reasons
} cm_expected_ruled_out;

/// One case of the protocol's `tests:` block.
typedef struct cm_rule_test {
    char *name;
    int line, column;
    char *tumour_type;
    int tumour_node;
    double tmb; // NAN = not given
    cm_msi_status msi;
    cm_mmr_status mmr;
    double age; // NAN = not given
    cm_sex sex;
    cm_test_biomarker *biomarkers; // `biomarkers:` (a list value gives one entry per value)
    int n_biomarkers;
    cm_test_alteration *alterations;
    int n_alterations;
    char **expect_candidates; // the exact set of candidate arm ids
    int n_expect_candidates;
    cm_expected_ruled_out *expect_ruled_out; // each must appear among the ruled-out arms
    int n_expect_ruled_out;
    char **expect_absent; // arms that must have no verdict at all (not a candidate, not ruled out)
    int n_expect_absent;
} cm_rule_test;

struct cm_protocol {
    char *path; // the file it was loaded from
    char *sha256;
    char *id, *name, *version, *source;
    cm_genome_build build; // `protocol: build:` for variant keys, CM_BUILD_UNKNOWN if not given
    int is_closed;         // `protocol: status: closed`: the trial enrols no one any more
    char *country;         // ISO 3166-1 alpha-2 (`country: NL`), NULL if not given
    char *network;         // e.g. "PRIME-ROSE", NULL if not given
    cm_design design;
    int has_age_limit;       // `protocol: age:` was given; every arm without its own inherits it
    double age_min, age_max; // years, inclusive; NAN = open-ended
    char **registry;
    int n_registry;
    cm_gates defaults;
    cm_cnv_thresholds cnv_thresholds;
    cm_named_alteration *named;
    int n_named;
    cm_arm *arms;
    int n_arms;
    cm_rule_test *tests;
    int n_tests;
};

typedef struct cm_ruleset cm_ruleset;

/// Creates an empty rule set that checks tumour types against tree (borrowed; it must
/// outlive the rule set). Returns NULL when out of memory; free with cm_ruleset_free().
cm_ruleset *cm_ruleset_new(const cm_oncotree *tree);

/// Frees the rule set; accepts NULL.
void cm_ruleset_free(cm_ruleset *rules);

/// Loads one YAML protocol file, or every *.yaml / *.yml file of a folder (in name
/// order), adding each protocol. Every problem found is appended to diag (errors and
/// warnings, file:line:column). Returns the number of errors added (0 = loaded).
/// A file with errors adds no protocol.
int cm_ruleset_load(cm_ruleset *rules, const char *path, cm_diagnostics *diag);

/// Loads a protocol from a YAML text in memory (name is used in messages). Same
/// contract as cm_ruleset_load(); for tests and fuzzing.
int cm_ruleset_load_string(cm_ruleset *rules, const char *name, const char *text, size_t len,
                           cm_diagnostics *diag);

/// Number of files cm_ruleset_load() has read (with or without errors), for lint's summary.
size_t cm_ruleset_n_files(const cm_ruleset *rules);

/// Builds the gene index once every file is loaded. Returns 0, or -1 when out of memory.
int cm_ruleset_compile(cm_ruleset *rules);

/// Protocols in load order (borrowed).
size_t cm_ruleset_n_protocols(const cm_ruleset *rules);
const cm_protocol *cm_ruleset_protocol(const cm_ruleset *rules, size_t i);

/// Leaves (borrowed), indexed by cm_leaf.id.
size_t cm_ruleset_n_leaves(const cm_ruleset *rules);
const cm_leaf *cm_ruleset_leaf(const cm_ruleset *rules, int id);

/// Interned gene symbols: id -> name (borrowed); id 0 is reserved for "none".
const char *cm_ruleset_gene_name(const cm_ruleset *rules, int gene_id);
size_t cm_ruleset_n_genes(const cm_ruleset *rules);

/// After compile: the gene id of a symbol (len bytes), or 0 when no rule names it.
int cm_ruleset_gene_lookup(const cm_ruleset *rules, const char *symbol, size_t len);

/// After compile: ids of the alteration leaves that name gene_id (in `gene` or `fusion`);
/// sets *n. Borrowed.
const int *cm_ruleset_gene_leaves(const cm_ruleset *rules, int gene_id, size_t *n);

/// After compile: ids of alteration leaves that name no gene (e.g. `variant:` alone),
/// to be tried on every alteration; sets *n. Borrowed.
const int *cm_ruleset_geneless_leaves(const cm_ruleset *rules, size_t *n);

/// The OncoTree the rule set checks against (borrowed).
const cm_oncotree *cm_ruleset_oncotree(const cm_ruleset *rules);

/// The gates in force for an arm, every field set: overrides (the command line's; NULL for
/// none), then the arm's own, then its protocol's defaults, then the built-in defaults.
void cm_arm_gates(const cm_arm *arm, const cm_gates *overrides, cm_gates *gates);

/// Returns the rank used to order candidates by evidence (lower = stronger):
/// ESCAT tier first, then OncoKB level, then none.
int cm_arm_evidence_rank(const cm_arm *arm);

/// Appends an expression in words ("BRAF V600", "EGFR L858R and EGFR T790M", "TMB >= 10");
/// named alterations are written by name, or expanded when expand_names is 1.
void cm_expr_describe(const cm_ruleset *rules, const cm_expr *expr, int expand_names,
                      kstring_t *out);

#endif
