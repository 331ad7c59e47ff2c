/*
 * The cohort summary: many samples' results (from `match -O json` files, or
 * from the matcher run over a cohort) counted per protocol x arm x cohort
 * tumour type - eligible samples, samples ruled out by reason - and, at a
 * screening rate, a forecast of the months until each cohort's current stage
 * fills. docs/cohort.md states the forecast's assumptions.
 *
 * Counting never evaluates a rule: it reads verdicts. The rules are needed
 * for what verdicts do not say: the cohort a ruled-out sample would have
 * entered, the cohort states and the protocols' designs. Writers (TSV, JSON,
 * text, HTML) only format; the same inputs give the same bytes.
 */
#ifndef COHORTMATCH_SUMMARY_H
#define COHORTMATCH_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "cohortmatch/error.h"
#include "cohortmatch/match.h"
#include "cohortmatch/rules.h"

/// Most reasons a summary counts (the JSON result's `reason` values).
#define CM_SUMMARY_MAX_REASONS 16

/// What the forecast of a row says.
typedef enum cm_forecast_state {
    CM_FORECAST_MONTHS = 0,  // months holds the forecast
    CM_FORECAST_FULL,        // the current stage already holds its target
    CM_FORECAST_NOT_REACHED, // no sample of the cohort was eligible: at this rate, never
    CM_FORECAST_CLOSED,      // the cohort (or its protocol) is closed: it never fills
    CM_FORECAST_NO_DESIGN,   // neither the cohort nor the protocol states a stage size
    CM_FORECAST_NO_RATE      // no screening rate was given (--patients-per-month, --span-months)
} cm_forecast_state;

/// The forecast state's name as TSV and JSON write it ("months", "not_reached", ...).
const char *cm_forecast_state_name(cm_forecast_state state);

/// One protocol x arm x cohort tumour type.
typedef struct cm_summary_row {
    const cm_arm *arm;       // borrowed from the rules
    char *tumour_type;       // the cohort's OncoTree code (a new cohort: the samples' own code)
    const cm_cohort *cohort; // its entry in the rules, or NULL for a new cohort
    cm_cohort_status status;
    long eligible;                          // samples that are candidates
    long ruled_out[CM_SUMMARY_MAX_REASONS]; // samples ruled out, by cm_reason
    long ruled_out_total;
    // Forecast (cm_summary_forecast).
    double eligible_fraction; // eligible / screened samples
    int stage;                // the stage being filled (1 for a new cohort)
    int target;               // patients that stage needs in total; 0 unknown
    int enrolled;             // patients enrolled already (the rules' cohort state)
    int remaining;            // target - enrolled, at least 0
    double per_month;         // eligible patients expected per month (rate x fraction)
    double months;            // months until the stage fills (state CM_FORECAST_MONTHS)
    cm_forecast_state forecast;
} cm_summary_row;

typedef struct cm_summary cm_summary;

/// Creates an empty summary over rules (borrowed; compiled). Returns NULL when out of memory;
/// free with cm_summary_free().
cm_summary *cm_summary_new(const cm_ruleset *rules);

/// Frees the summary; accepts NULL.
void cm_summary_free(cm_summary *summary);

/// Counts one sample's result (from the matcher). Returns 0, or -1 with err filled (the
/// sample was counted before, out of memory).
int cm_summary_add_result(cm_summary *summary, const cm_sample_result *result, cm_error *err);

/// Counts every sample of a `match -O json` result file. Returns 0, or -1 with err filled:
/// not JSON, not a result (schema_version 1), a sample counted before (in this file or an
/// earlier one), a protocol or arm the rules do not have, an unknown tumour type or reason.
int cm_summary_add_json(cm_summary *summary, const char *path, cm_error *err);

/// Records an input's name for the report (a result file, a MAF, a study folder).
int cm_summary_add_input(cm_summary *summary, const char *path);

/// Screening-rate options of the forecast; NAN when not given.
typedef struct cm_summary_rate {
    double patients_per_month; // --patients-per-month: patients screened per month
    double span_months;        // --span-months: the input's samples were screened over this
} cm_summary_rate;

/// Sorts the rows (protocol, arm, tumour type) and computes every row's forecast. Call once,
/// after the last sample.
void cm_summary_forecast(cm_summary *summary, const cm_summary_rate *rate);

/// The rows after cm_summary_forecast() (borrowed).
size_t cm_summary_n_rows(const cm_summary *summary);
const cm_summary_row *cm_summary_row_at(const cm_summary *summary, size_t i);

/// Samples counted.
long cm_summary_screened(const cm_summary *summary);

/// The tumour types of the samples counted, in code order: code and count of type i
/// (borrowed; i < cm_summary_n_tumour_types()).
size_t cm_summary_n_tumour_types(const cm_summary *summary);
const char *cm_summary_tumour_type(const cm_summary *summary, size_t i, long *count);

/// The inputs recorded (cm_summary_add_input), in order (borrowed).
size_t cm_summary_n_inputs(const cm_summary *summary);
const char *cm_summary_input(const cm_summary *summary, size_t i);

/// The rules the summary counts against (borrowed).
const cm_ruleset *cm_summary_rules(const cm_summary *summary);

/// The screening rate the forecast used (patients per month; NAN: none), and whether it was
/// derived from --span-months.
double cm_summary_rate_used(const cm_summary *summary, int *is_from_span);

typedef enum cm_summary_format {
    CM_SUMMARY_TEXT,
    CM_SUMMARY_TSV,
    CM_SUMMARY_JSON,
    CM_SUMMARY_HTML
} cm_summary_format;

/// Parses "text", "tsv", "json" or "html"; returns 0, or -1.
int cm_summary_format_parse(const char *name, cm_summary_format *format);

/// Writes the summary (after cm_summary_forecast()). date (YYYY-MM-DD, may be NULL) is shown by
/// the HTML page only. Returns 0, or -1 with err filled (write error, out of memory).
int cm_summary_write(const cm_summary *summary, cm_summary_format format, const char *date,
                     FILE *fp, cm_error *err);

#endif
