/*
 * The network view: what the reports need to show one patient's options
 * across the trials of a network (PRIME-ROSE) side by side.
 *
 * - Country codes (ISO 3166-1 alpha-2) for `protocol: country:` and
 *   `match --home-country`.
 * - Cohort progress: where a cohort stands under its protocol's design
 *   ("3 of 8, stage 1"), from the cohort state of the rules or of a
 *   `--cohorts` file.
 * - Cross-trial groups: the candidates of one sample that give the same drugs
 *   for the same trigger (the same matched variant or event, or the same
 *   sample-level biomarker) in different arms or protocols
 *   (docs/output.md, "Groups").
 *
 * Everything here is computed from a finished sample result and the rule
 * set; nothing evaluates rules, reads files or prints.
 */
#ifndef COHORTMATCH_NETWORK_H
#define COHORTMATCH_NETWORK_H

#include <stddef.h>

#include <htslib/kstring.h>

#include "cohortmatch/match.h"
#include "cohortmatch/rules.h"

/// Whether code (exactly two upper-case letters) is an officially assigned ISO 3166-1
/// alpha-2 code (249 codes, iso-codes 4.15).
int cm_country_is_assigned(const char *code);

/// Reads a country code as written: two letters in either case. With allow_uk, "UK" (which
/// ISO 3166-1 reserves for the United Kingdom) is read as "GB". Writes the upper-case code
/// into out. Returns 0, or -1 when text is not an assigned code.
int cm_country_parse(const char *text, int allow_uk, char out[3]);

/// Where a cohort stands under its protocol's design.
typedef struct cm_cohort_progress {
    int stage;    // 1-based stage the cohort is in; 0 = not staged, or not known
    int n_stages; // stages of the design; 0 = not a staged design
    int enrolled; // patients enrolled; -1 = not known
    int target;   // patients the current stage (or the whole cohort) aims for; -1 = not known
} cm_cohort_progress;

/// The progress of a cohort of protocol: cohort NULL is a new cohort (none enrolled, stage 1
/// of a staged design; nothing known without a design). A missing stage or target is derived from
/// the design: a target that is one of the design's stage sizes gives the stage; else the enrolled
/// count gives the first stage not yet full; a stage gives its size as the target; a fixed design
/// gives its cohort size. Returns 1 when something is known (an enrolled count, a stage or a
/// target), else 0 (out is still filled).
int cm_cohort_progress_get(const cm_protocol *protocol, const cm_cohort *cohort,
                           cm_cohort_progress *out);

/// Appends the progress in words: "3 of 8, stage 1", "12 of 30", "14 enrolled, stage 2",
/// "target 24, stage 2", "stage 3 (expansion beyond the design)". Appends nothing when
/// nothing is known.
void cm_cohort_progress_format(const cm_cohort_progress *progress, kstring_t *out);

/// One candidate in a group.
typedef struct cm_group_member {
    size_t candidate;    // index in the sample result's candidates
    int is_cross_border; // 1: the protocol is not in the home country (or names none);
                         // 0: it is; -1: no home country was given
} cm_group_member;

/// One treatment option across trials: candidates that give the same drugs for the same
/// trigger. Members are in candidate order, home-country trials first when one is given.
typedef struct cm_group {
    cm_group_member *members;
    size_t n_members;
    const cm_evidence_item **triggers; // borrowed from the candidates: what the members share
    size_t n_triggers;                 // (a lone member: every trigger it has)
} cm_group;

/// The groups of one sample, ordered by their first candidate (so by evidence, protocol and
/// arm, as candidates are); every candidate is in exactly one group.
typedef struct cm_groups {
    cm_group *groups;
    size_t n_groups;
    size_t *group_of; // candidate index -> its group's index
} cm_groups;

/// Groups a sample's candidates: two candidates join when their drug sets are equal (order
/// and letter case aside) and they share a trigger (cm_candidates_share_trigger); the
/// relation is closed transitively. home_country (upper case) or NULL. Returns 0, or -1 when
/// out of memory (out is then empty). Free with cm_groups_clear().
int cm_groups_build(const cm_ruleset *rules, const cm_sample_result *result,
                    const char *home_country, cm_groups *out);

/// The cross-border mark of a candidate (cm_group_member.is_cross_border) in built groups.
int cm_groups_cross_border(const cm_groups *groups, size_t candidate);

/// Frees what cm_groups_build() allocated; accepts an empty or zeroed out.
void cm_groups_clear(cm_groups *groups);

/// Whether two candidates name the same drugs: equal sets, compared without letter case and
/// surrounding spaces, in any order.
int cm_arms_same_drugs(const cm_arm *a, const cm_arm *b);

/// Whether two evidence items are the same trigger: the same variant or event (kind, gene,
/// position and alleles; a fusion's genes in either order; without coordinates, the same
/// protein and c. change), or the same sample-level biomarker (TMB, MSI or MMR; age and sex
/// limit eligibility but trigger nothing, so they never match).
int cm_evidence_same_trigger(const cm_ruleset *rules, const cm_evidence_item *a,
                             const cm_evidence_item *b);

/// Whether two candidates share at least one trigger among their matched items.
int cm_candidates_share_trigger(const cm_ruleset *rules, const cm_candidate *a,
                                const cm_candidate *b);

/// One row of the network's drug x country matrix: the arms of every loaded protocol that
/// give the same drugs (cm_arms_same_drugs), in load order.
typedef struct cm_drug_row {
    const cm_arm **arms;
    size_t n_arms;
} cm_drug_row;

/// The drug x country matrix of a rule set (`cohortmatch list --network`): rows ordered by
/// their drug names (lower case, sorted, joined), columns the protocols' countries in
/// alphabetical order, then "" for protocols that name none (when any does not).
typedef struct cm_drug_matrix {
    cm_drug_row *rows;
    size_t n_rows;
    char (*countries)[3]; // column codes; "" = no country
    size_t n_countries;
} cm_drug_matrix;

/// Builds the matrix. Returns 0, or -1 when out of memory (out is then empty). Free with
/// cm_drug_matrix_clear().
int cm_drug_matrix_build(const cm_ruleset *rules, cm_drug_matrix *out);

/// Frees what cm_drug_matrix_build() allocated; accepts a zeroed matrix.
void cm_drug_matrix_clear(cm_drug_matrix *matrix);

#endif
