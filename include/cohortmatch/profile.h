/*
 * Sample profiles: the facts about a patient's sample that alterations do not
 * hold (tumour type, TMB, MSI, MMR, age, sex and named biomarkers such as hrd,
 * signatures, purity, ploidy, pdl1_tps), each with the source it came from.
 *
 * Facts come from the command line, a sample sheet (TSV with a header line:
 * sample, tumour_type, tmb, msi, mmr, age, sex, and any other column as a named
 * biomarker; empty or "." means not given) and input files (PURPLE, ORANGE,
 * TSO500, ...). When two sources give one fact, the higher origin wins
 * (command line > sample sheet > file > computed) and a disagreement is kept
 * as a conflict record, never resolved silently.
 */
#ifndef COHORTMATCH_PROFILE_H
#define COHORTMATCH_PROFILE_H

#include <stddef.h>

#include <htslib/kstring.h>

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

/// Name of a built-in fact as reports and sample sheets spell it: "tumour_type", "tmb", "msi",
/// "mmr", "age", "sex" (static storage).
const char *cm_fact_key_name(cm_fact_key key);

/// Name of an origin as reports print it: "command line", "sample sheet", "file", "computed",
/// NULL for CM_ORIGIN_NONE (static storage).
const char *cm_fact_origin_name(cm_fact_origin origin);

/// Offers one fact read from a source. name is a built-in fact (tumour_type or tumor_type,
/// tmb, msi, mmr, age, sex; any case) or a named biomarker (any other name of letters,
/// digits, '_', '-' and '.'; kept lower case); value is its text: an OncoTree code, a number
/// (tmb, age; a biomarker's number), or the words the built-ins take (high|stable,
/// deficient|proficient, female|male). The profile keeps the value of the higher origin (of
/// equal origin, the first offered) and records a conflict when the values differ (numbers
/// differ when they differ once rounded to 2 decimals; words are compared without case). A
/// named biomarker offered again from the same origin and where gains a value (a list, as
/// `signatures`). where is copied. Returns 0, or -1 with err's message set (file and line
/// left empty for the caller to fill, see cm_error_locate()) when the value is not valid.
int cm_profile_offer(cm_sample_profile *profile, const cm_oncotree *tree, const char *name,
                     const char *value, cm_fact_origin origin, const char *where, cm_error *err);

/// Offers every fact src has (with src's sources) to dst, as cm_profile_offer() does; src's
/// conflicts are copied. Returns 0, or -1 with err filled.
int cm_profile_merge(cm_sample_profile *dst, const cm_sample_profile *src, const cm_oncotree *tree,
                     cm_error *err);

/// Records that two sources disagree on a fact (copies every text). Returns 0, or -1 when out
/// of memory.
int cm_profile_add_conflict(cm_sample_profile *profile, const char *fact, const char *value,
                            const char *source, const char *other_value, const char *other_source);

/// A named biomarker of the profile (name compared without case), or NULL (borrowed).
const cm_biomarker *cm_profile_biomarker(const cm_sample_profile *profile, const char *name);

/// Appends the value of a fact (a built-in or a named biomarker) as reports print it ("12.5",
/// "high", "apobec,uv"). Returns 1, or 0 (nothing appended) when the fact is not given.
int cm_profile_fact_text(const cm_sample_profile *profile, const char *name, kstring_t *out);

/// The source of a fact (a built-in or a named biomarker), or NULL when it is not given
/// (borrowed).
const cm_fact_source *cm_profile_fact_source(const cm_sample_profile *profile, const char *name);

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

/// Loads a sample sheet: each fact's source is "path:line". Column names are compared without
/// case; a column that is not a built-in fact is a named biomarker (its values as written;
/// `signatures` is split on ',' and ';'). Returns 0, or -1 with err filled (file:line: what is
/// wrong: a missing `sample` column, a column twice, a duplicate sample, a bad value).
int cm_sample_sheet_load(cm_sample_sheet *sheet, const char *path, const cm_oncotree *tree,
                         cm_error *err);

/// The row for a sample, or NULL (borrowed).
const cm_sample_profile *cm_sample_sheet_find(const cm_sample_sheet *sheet, const char *sample);

/// Frees the sheet's rows; accepts NULL.
void cm_sample_sheet_free(cm_sample_sheet *sheet);

/// Copies src into dst (deep). Returns 0, or -1 when out of memory.
int cm_profile_copy(cm_sample_profile *dst, const cm_sample_profile *src);

#endif
