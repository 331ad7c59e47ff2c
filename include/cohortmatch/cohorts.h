/*
 * Cohort states as data: a trial office's TSV of cohort states
 * (`match --cohorts FILE`) laid over the cohorts written in the rule files,
 * so that accrual is updated without editing rules (docs/cli.md, "Cohort
 * states"). Every cell is checked against the loaded rule set and the
 * OncoTree; a file with any problem changes nothing.
 */
#ifndef COHORTMATCH_COHORTS_H
#define COHORTMATCH_COHORTS_H

#include "cohortmatch/error.h"
#include "cohortmatch/rules.h"

/// Reads the cohort-state file at path (TSV with a header naming the columns protocol, arm,
/// tumour_type, status, enrolled, target, updated, and optionally stage and note) and lays
/// each row over its arm's cohorts: a row replaces the cohort of the same tumour type, or
/// adds one. path is borrowed by the rule set's cohorts (cm_cohort.state_file) and must
/// outlive it. Returns 0, or -1 with err set to the first problem (file:line: what is
/// wrong); then no row is applied.
int cm_ruleset_apply_cohort_states(cm_ruleset *rules, const char *path, cm_error *err);

/// Whether text is an ISO 8601 calendar date YYYY-MM-DD that exists (2024-02-29 yes,
/// 2023-02-29 no).
int cm_iso_date_is_valid(const char *text);

#endif
