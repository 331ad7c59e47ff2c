/*
 * The matcher: alterations + sample facts + a compiled rule set -> per-sample
 * candidate arms (with cohort and the alterations that triggered them) and
 * the arms ruled out, with the reason.
 *
 * Streaming: cm_matcher_add() is called once per alteration as the reader
 * yields them; it looks the gene up in the rule set's index and keeps a copy
 * only of alterations that satisfy some leaf's selectors (gates are applied
 * later, per arm, so that an alteration below a gate can be reported as the
 * reason an arm was ruled out), and, when asked (cm_matcher_list_alterations),
 * of one transcript per variant in a gene some rule names, for the HTML
 * report's alteration table (at most CM_MATCH_MAX_SAMPLE_ALTERATIONS per sample).
 * cm_matcher_finish() evaluates every arm. The matcher never sees a bcf1_t and never prints.
 */
#ifndef COHORTMATCH_MATCH_H
#define COHORTMATCH_MATCH_H

#include <stddef.h>

#include "cohortmatch/alteration.h"
#include "cohortmatch/error.h"
#include "cohortmatch/rules.h"

/// Where a sample fact came from. A higher origin wins when two sources give the same fact:
/// command line > sample sheet > input file > computed (docs/cli.md, "Facts and sources").
typedef enum cm_fact_origin {
    CM_ORIGIN_NONE = 0,     // not given
    CM_ORIGIN_COMPUTED,     // computed by cohortmatch (TMB with --panel-size)
    CM_ORIGIN_FILE,         // read from an input file (PURPLE, ORANGE, TSO500, ...)
    CM_ORIGIN_SAMPLE_SHEET, // a row of --sample-sheet
    CM_ORIGIN_COMMAND_LINE, // an option (--tmb, -t, --biomarker, ...)
} cm_fact_origin;

/// The sample facts that have fields of their own in cm_sample_profile.
typedef enum cm_fact_key {
    CM_FACT_TUMOUR_TYPE = 0,
    CM_FACT_TMB,
    CM_FACT_MSI,
    CM_FACT_MMR,
    CM_FACT_AGE,
    CM_FACT_SEX,
    CM_FACT_KEY_COUNT
} cm_fact_key;

/// Where one fact's value was read.
typedef struct cm_fact_source {
    cm_fact_origin origin; // CM_ORIGIN_NONE: the fact is not given
    char *where; // "command line", "sheet.tsv:3", "x.purple.purity.tsv:tmbPerMb"; NULL if none
} cm_fact_source;

/// A named sample biomarker beside the built-in facts (hrd, signatures, purity, ploidy,
/// pdl1_tps, any other sample-sheet column): one value, or a list (signatures).
typedef struct cm_biomarker {
    char *name;    // lower case
    char **values; // as given (words are compared without case)
    int n_values;  // >= 1
    double number; // the value when there is one and it is a number, else NAN
    cm_fact_source source;
} cm_biomarker;

/// Two sources that give different values for one fact. The profile keeps `value` (the
/// source that wins by origin, or the first of equal origin); `other_*` is what lost.
typedef struct cm_fact_conflict {
    char *fact;  // "tmb", "msi", "tumour_type", "sample", a biomarker name
    char *value; // as the reports print it
    char *source;
    char *other_value;
    char *other_source;
} cm_fact_conflict;

/// Facts about a sample that the alterations do not hold, each with its source.
typedef struct cm_sample_profile {
    char *name;          // sample name
    char *tumour_type;   // OncoTree code as given
    int tumour_node;     // its node (cm_oncotree_find)
    double tmb;          // mutations/Mb, NAN = not given
    int tmb_is_computed; // tmb was computed from the VCF, not given
    cm_msi_status msi;
    cm_mmr_status mmr;
    double age; // years, NAN = not given
    cm_sex sex;
    cm_fact_source sources[CM_FACT_KEY_COUNT]; // where each built-in fact came from
    cm_biomarker *biomarkers;                  // sorted by name
    size_t n_biomarkers;
    cm_fact_conflict *conflicts; // in the order found
    size_t n_conflicts;
} cm_sample_profile;

/// Why an arm was ruled out (the JSON result's `reason`).
typedef enum cm_reason {
    CM_REASON_EXCLUDED_BY_ALTERATION,
    CM_REASON_TUMOUR_TYPE_EXCLUDED,
    CM_REASON_TUMOUR_TYPE_NOT_INCLUDED,
    CM_REASON_COHORT_CLOSED,
    CM_REASON_BELOW_MIN_VAF,
    CM_REASON_BELOW_MIN_DEPTH,
    CM_REASON_FILTERED,
    CM_REASON_BIOMARKER_MISSING,
    CM_REASON_AGE_OUT_OF_RANGE,
} cm_reason;

/// The most specific cohort of the arm (its `cohorts:` entries) that contains the tumour type
/// node, or NULL: a patient of that type would enter a new cohort (borrowed).
const cm_cohort *cm_arm_find_cohort(const cm_oncotree *tree, const cm_arm *arm, int tumour);

/// The reason's name as JSON and TSV write it (static storage).
const char *cm_reason_name(cm_reason reason);

/// Parses a reason name; returns 0 and sets *reason, or -1.
int cm_reason_parse(const char *name, cm_reason *reason);

/// An alteration that took part in a verdict, with the named alteration it satisfied.
typedef struct cm_evidence_item {
    const cm_alteration *alteration; // borrowed from the matcher's store
    const char *name;                // named alteration, or NULL for an inline leaf
    int leaf;                        // the leaf it satisfied
} cm_evidence_item;

typedef struct cm_candidate {
    const cm_arm *arm;
    const cm_cohort *cohort;        // the matching cohort entry, NULL for a new cohort
    cm_cohort_status status;        // CM_COHORT_NEW when cohort is NULL
    const char *cohort_tumour_type; // the cohort's code, or the sample's for a new cohort
    cm_evidence_item *matched;      // what satisfied `match`, one per distinct variant/event
    size_t n_matched;
    char **notes; // caveats for the board (e.g. an exclusion below the quality gates)
    size_t n_notes;
} cm_candidate;

typedef struct cm_ruled_out {
    const cm_arm *arm;
    cm_reason reason;
    char *detail;              // e.g. "KRAS p.Gly12Asp (RAS_HOTSPOT)", "VAF 0.02 < 0.05"
    cm_evidence_item *matched; // the alterations involved (exclusion or gated hits)
    size_t n_matched;
} cm_ruled_out;

/// At most this many alterations in rule genes are kept per sample for the reports'
/// alteration table and figure (cm_sample_result.alterations); the rest are counted.
#define CM_MATCH_MAX_SAMPLE_ALTERATIONS 2000

typedef struct cm_sample_result {
    const cm_sample_profile *profile; // borrowed
    cm_candidate *candidates;         // ordered: evidence rank, protocol id, arm id
    size_t n_candidates;
    cm_ruled_out *ruled_out; // ordered: protocol id, arm id
    size_t n_ruled_out;
    // With cm_matcher_list_alterations() on (else none): every alteration of the sample in a
    // gene some rule names (either gene of a fusion),
    // whether or not it satisfied a leaf or passed the gates: one per variant or event (its
    // first preferred transcript), in the order offered (VCF order). Borrowed.
    const cm_alteration *const *alterations;
    size_t n_alterations;
    size_t n_alterations_not_kept; // beyond CM_MATCH_MAX_SAMPLE_ALTERATIONS
} cm_sample_result;

typedef struct cm_matcher cm_matcher;

/// Creates a matcher for n_samples samples (profiles borrowed, index = cm_alteration.sample;
/// more may be added with cm_matcher_add_sample()).
/// overrides holds the command line's gates (unset fields inherit arm, protocol, built-in).
/// Returns NULL when out of memory; free with cm_matcher_free().
cm_matcher *cm_matcher_new(const cm_ruleset *rules, const cm_sample_profile *profiles,
                           size_t n_samples, const cm_gates *overrides);

/// Adds a sample whose alterations come next (profile borrowed: it must stay where it is until
/// the matcher is freed; its facts may still change until cm_matcher_finish()). For inputs that
/// name samples while streaming (a cohort file). Returns the sample's index, or -1 when out of
/// memory or after cm_matcher_finish().
int cm_matcher_add_sample(cm_matcher *matcher, const cm_sample_profile *profile);

/// Frees the matcher and its results; accepts NULL.
void cm_matcher_free(cm_matcher *matcher);

/// For inputs whose samples appear while streaming (a MAF): the profile array now holds
/// n_samples profiles (borrowed; it may have moved). Returns 0, or -1 when n_samples is
/// smaller than before, the matcher has finished, or memory runs out.
int cm_matcher_set_samples(cm_matcher *matcher, const cm_sample_profile *profiles,
                           size_t n_samples);

/// Whether to keep every alteration in a rule gene per sample for the reports' alteration
/// table and figure (cm_sample_result.alterations; only the HTML page shows them). Off by
/// default, so that other formats keep only what satisfies a leaf. Call before the first
/// cm_matcher_add().
void cm_matcher_list_alterations(cm_matcher *matcher, int is_on);

/// Tells the matcher the VCF's genome build: coordinate (`variant:`) keys of another build
/// then never match. CM_BUILD_UNKNOWN (the default) compares coordinates as written.
void cm_matcher_set_genome_build(cm_matcher *matcher, cm_genome_build build);

/// Offers one alteration (borrowed; copied if it satisfies a leaf). Returns 0, or -1 when
/// out of memory.
int cm_matcher_add(cm_matcher *matcher, const cm_alteration *alteration);

/// Evaluates every arm for every sample. Returns 0, or -1 when out of memory.
int cm_matcher_finish(cm_matcher *matcher);

/// The result of sample i after cm_matcher_finish() (borrowed).
const cm_sample_result *cm_matcher_result(const cm_matcher *matcher, size_t i);

/// Number of alterations that satisfied a leaf's selectors but failed a gate, by gate.
typedef struct cm_gate_counts {
    long filtered, below_vaf, below_depth;
} cm_gate_counts;

/// Counts of gated alterations (distinct alteration x arm gate failures are not double
/// counted: an alteration counts once, for the first gate it fails under the built-in
/// order filtered, depth, VAF).
cm_gate_counts cm_matcher_gate_counts(const cm_matcher *matcher);

#endif
