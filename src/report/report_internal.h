/*
 * What the report writers share: number formatting, the names of enum
 * values as the outputs spell them, and the protein text of an alteration.
 * Only src/report/ includes this header.
 */
#ifndef COHORTMATCH_REPORT_INTERNAL_H
#define COHORTMATCH_REPORT_INTERNAL_H

#include <stdio.h>

#include <htslib/kstring.h>

#include "cohortmatch/network.h"
#include "cohortmatch/report.h"

/// Appends value rounded to at most `decimals` decimals, trailing zeros removed; NAN (or
/// another non-finite value) appends ".". The JSON writer parses this text back, so every
/// format prints the same digits.
void cm_report_format_fixed(double value, int decimals, kstring_t *out);

/// "open", "closed", "suspended", "new".
const char *cm_report_cohort_status_name(cm_cohort_status status);

/// "high" / "stable" / NULL when not given (likewise for MMR and sex).
const char *cm_report_msi_name(cm_msi_status msi);
const char *cm_report_mmr_name(cm_mmr_status mmr);
const char *cm_report_sex_name(cm_sex sex);

/// "small", "copy_number", "fusion".
const char *cm_report_kind_name(cm_alteration_kind kind);

/// Appends the alteration's exon, "15", or its exons "2-7" (exon..exon_last), then "/count"
/// when with_count and the count is known; nothing when it has none.
void cm_report_exons(const cm_alteration *alteration, int with_count, kstring_t *out);

/// The copy-number class of a CM_CNV_* set ("amplification", "gain", "deletion",
/// "homozygous_deletion"), the most specific when several bits are set; NULL when 0.
const char *cm_report_cnv_name(unsigned cnv);

/// Appends the HGVS 3-letter protein change (p.Val600Glu) when the change was parsed,
/// else the annotation's text as written; appends nothing when there is none.
/// Returns 1 if something was appended.
int cm_report_protein_hgvs(const cm_alteration *alteration, kstring_t *out);

/// Appends the short 1-letter form (V600E) when the change was parsed. Returns 1 if
/// something was appended.
int cm_report_protein_short(const cm_alteration *alteration, kstring_t *out);

/// The sample-level fact a leaf tests: "tmb", "msi", "mmr", "age", "sex", or NULL when
/// the leaf is not a sample-level leaf (or rules is NULL / leaf unknown).
const char *cm_report_biomarker_key(const cm_ruleset *rules, int leaf);

/// Appends the sample's value of a biomarker as reports print it ("12.5", "high", "63").
/// Appends "." when not given.
void cm_report_biomarker_value(const cm_sample_profile *profile, const char *key, kstring_t *out);

/// The reason in words ("excluded by an alteration", "cohort closed"; static storage).
const char *cm_report_reason_words(cm_reason reason);

/// Appends "PROTOCOL/ARM".
void cm_report_protocol_arm(const cm_arm *arm, kstring_t *line);

/// Appends the cohort a candidate would join in words: "cohort NSCLC: open, 14 of 24, stage 2
/// (note); state of 2026-05-01 from FILE" or "new cohort LUAD (first patient opens it; 0 of 8,
/// stage 1)".
void cm_report_cohort_text(const cm_candidate *candidate, kstring_t *line);

/// Appends the names of an arm's exclusions, for "not detected: RAS_HOTSPOT" (the writer
/// does not evaluate them: a candidate is, by the matcher's verdict, free of each).
void cm_report_exclusion_names(const cm_expr *exclude, kstring_t *line);

/// Appends the run's statistics line: "N records read, N alterations; skipped: cause N, …"
/// (causes with a count of 0 left out), or "…; nothing skipped".
void cm_report_stats_text(const cm_report *report, kstring_t *line);
/// "stated" or "inferred" (the arm's `criteria`).
const char *cm_report_criteria_name(const cm_arm *arm);

/// Appends a candidate's cohort progress ("3 of 8, stage 1"); returns 1 if something was
/// appended.
int cm_report_cohort_progress(const cm_candidate *candidate, kstring_t *out);

/// Appends a trigger as reports name it: "BRAF p.Val600Glu (V600E)", "EML4::ALK fusion",
/// "ERBB2 amplification", "TMB 12.5 mut/Mb", "MSI high".
void cm_report_trigger(const cm_ruleset *rules, const cm_sample_profile *profile,
                       const cm_evidence_item *item, kstring_t *out);

/// Appends the drugs joined by " + ".
void cm_report_drugs(const cm_arm *arm, kstring_t *out);

int cm_report_write_json(const cm_report *report, FILE *fp, cm_error *err);
int cm_report_write_tsv(const cm_report *report, FILE *fp, cm_error *err);
int cm_report_write_text(const cm_report *report, FILE *fp, cm_error *err);
int cm_report_write_html(const cm_report *report, FILE *fp, cm_error *err);

#endif
