/*
 * Report writers: the matcher's results as JSON (the base contract,
 * schema_version 1, docs/schema/result.schema.json), TSV (one row per
 * candidate x matched alteration), a text summary for the tumour board and
 * the tumour-board page (one self-contained HTML file, docs/output.md).
 * Writers only format: they never evaluate rules and never see YAML or VCF
 * records. Output is deterministic: the same inputs give the same bytes.
 */
#ifndef COHORTMATCH_REPORT_H
#define COHORTMATCH_REPORT_H

#include <stdio.h>

#include "cohortmatch/error.h"
#include "cohortmatch/match.h"
#include "cohortmatch/rules.h"

typedef enum cm_report_format {
    CM_REPORT_TEXT,
    CM_REPORT_TSV,
    CM_REPORT_JSON,
    CM_REPORT_HTML
} cm_report_format;

/// Parses "text", "tsv", "json" or "html"; returns 0, or -1.
int cm_report_format_parse(const char *name, cm_report_format *format);

/// A named count for the stats block (e.g. {"filtered", 120}).
typedef struct cm_count {
    const char *name;
    long value;
} cm_count;

/// One input file of the run; cm_alteration.input indexes the report's list of them.
typedef struct cm_report_input {
    const char *path;   // as given (or found in a folder given)
    const char *format; // cm_input_format_name()
    long records;       // records (VCF records, table rows, JSON entries) read
} cm_report_input;

/// Everything one report shows.
typedef struct cm_report {
    const char *vcf_path;          // the first input as given on the command line ("-" for stdin)
    const cm_report_input *inputs; // every input, in the order read (may be NULL: none listed)
    size_t n_inputs;
    const char *const *ignored; // files of input folders that are no format cohortmatch reads
    size_t n_ignored;
    const cm_ruleset *rules;
    const cm_sample_result *const *samples; // one per selected sample, in VCF order
    size_t n_samples;
    long records;            // records read over every input
    long alterations;        // alterations offered to the matcher
    const cm_count *skipped; // causes with their counts, in the order to print
    size_t n_skipped;
    // For the HTML report (the other formats ignore them):
    const char *command_line; // the command as run, shell-quoted; NULL: not shown
    const char *date;         // YYYY-MM-DD; NULL: no date (the same inputs give the same bytes)
    const cm_gates *gates;    // the command line's gate overrides (NULL: none), for the figure
    const char *home_country; // ISO 3166-1 alpha-2 (`--home-country`), or NULL
} cm_report;

/// Writes the report in the given format. Returns 0, or -1 with err filled (write error,
/// out of memory).
int cm_report_write(const cm_report *report, cm_report_format format, FILE *fp, cm_error *err);

/// Appends where an alteration was read: "path:line", "path:key" or "path" (the report's
/// input it names), or nothing when the report lists no inputs.
void cm_report_alteration_source(const cm_report *report, const cm_alteration *alteration,
                                 kstring_t *out);

/// Appends one conflict between two sources of a fact in words: "tmb: 10 (command line) used;
/// 13.72 (x.purple.purity.tsv:tmbPerMb) differs".
void cm_report_conflict_text(const cm_fact_conflict *conflict, kstring_t *out);

/// Appends a number as reports print it: VAF and other fractions with up to 4 decimals,
/// trailing zeros removed ("0.31", "0.0523", "1"); NAN gives "." (TSV/text) — JSON writes null.
void cm_report_format_number(double value, kstring_t *out);

#endif
