/*
 * Sample profiles: the facts about a patient's sample that a VCF does not
 * hold (tumour type, TMB, MSI, MMR, age, sex), from the command line or a
 * sample sheet (TSV with a header line: sample, tumour_type, tmb, msi, mmr,
 * age, sex; only `sample` is required, empty or "." means not given).
 */
#ifndef COHORTMATCH_PROFILE_H
#define COHORTMATCH_PROFILE_H

#include <stddef.h>

#include "cohortmatch/error.h"
#include "cohortmatch/match.h"
#include "cohortmatch/oncotree.h"

/// Initialises a profile with every fact unknown; name is copied (may be NULL).
/// Returns 0, or -1 when out of memory.
int cm_profile_init(cm_sample_profile *profile, const char *name);

/// Frees what a profile owns; accepts NULL.
void cm_profile_clear(cm_sample_profile *profile);

/// Sets the tumour type (an OncoTree code). Returns 0, or -1 with err filled
/// ("unknown OncoTree code 'LUDA' (did you mean LUAD, LUCA?)"); source names where the
/// code came from in the message (a file, or NULL for the command line).
int cm_profile_set_tumour_type(cm_sample_profile *profile, const cm_oncotree *tree,
                               const char *code, const char *source, int line, cm_error *err);

/// Parsers for the facts' words; each returns 0 and sets *out, or -1.
int cm_msi_parse(const char *text, cm_msi_status *out); // high | stable
int cm_mmr_parse(const char *text, cm_mmr_status *out); // deficient | proficient
int cm_sex_parse(const char *text, cm_sex *out);        // female | male
const char *cm_msi_name(cm_msi_status msi);             // "high", "stable", NULL if unset
const char *cm_mmr_name(cm_mmr_status mmr);             // "deficient", "proficient", NULL
const char *cm_sex_name(cm_sex sex);                    // "female", "male", NULL

/// A loaded sample sheet: one profile per row, in file order.
typedef struct cm_sample_sheet {
    cm_sample_profile *rows;
    size_t n;
} cm_sample_sheet;

/// Loads a sample sheet. Returns 0, or -1 with err filled (file:line: what is wrong: a
/// missing `sample` column, an unknown column, a duplicate sample, a bad value).
int cm_sample_sheet_load(cm_sample_sheet *sheet, const char *path, const cm_oncotree *tree,
                         cm_error *err);

/// The row for a sample, or NULL (borrowed).
const cm_sample_profile *cm_sample_sheet_find(const cm_sample_sheet *sheet, const char *sample);

/// Frees the sheet's rows; accepts NULL.
void cm_sample_sheet_free(cm_sample_sheet *sheet);

/// Copies src into dst (deep). Returns 0, or -1 when out of memory.
int cm_profile_copy(cm_sample_profile *dst, const cm_sample_profile *src);

#endif
