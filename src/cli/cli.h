/*
 * What the command files share: the one place that prints errors and picks
 * exit statuses, and atomic output files. Only src/cli/ includes this.
 */
#ifndef COHORTMATCH_CLI_H
#define COHORTMATCH_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "cohortmatch/error.h"
#include "cohortmatch/input.h"
#include "cohortmatch/match.h"
#include "cohortmatch/report.h"
#include "cohortmatch/study.h"

int main_alterations(int argc, char **argv);
int main_lint(int argc, char **argv);
int main_match(int argc, char **argv);
int main_test(int argc, char **argv);
int main_list(int argc, char **argv);
int main_summarize(int argc, char **argv);

/// Prints "cohortmatch: <message>" (printf-style) on stderr, one line.
void cm_cli_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/// Prints "cohortmatch: file:line:col: message" for err on stderr. Returns CM_EXIT_BAD_INPUT.
int cm_cli_report(const cm_error *err);

/// Prints a usage problem ("cohortmatch <command>: message", then a hint to --help) and
/// returns CM_EXIT_USAGE.
int cm_cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/// Prints an option value that cannot be used ("cohortmatch <command>: message", then a hint
/// to --help) and returns CM_EXIT_BAD_INPUT: the command line was well formed, its value is
/// bad input (docs/cli.md), unlike an unknown option or a missing argument (usage).
int cm_cli_bad_value(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/// For getopt_long() run with opterr = 0 and an optstring that starts with ':': prints the
/// problem of the option it returned c (':' a missing value, else unknown) in one line, as
/// cm_cli_usage_error() does, and returns CM_EXIT_USAGE.
int cm_cli_option_error(const char *command, int c, char **argv);

/// Parses a whole non-negative number for an option; returns 0 or -1.
int cm_cli_parse_int(const char *text, int *out);

/// Refuses an --input-format value (exit 2), naming every format the command reads, from the
/// format table ("vcf, purple-purity, ... or orange"; with_cohorts: "..., maf or cbioportal").
int cm_cli_bad_input_format(const char *command, const char *value, int with_cohorts);

/// The rules shipped with the tool: $COHORTMATCH_RULES, then beside the installed binary,
/// then the install prefix, then the source tree it was built from (buffer, or static text).
const char *cm_cli_bundled_rules_dir(char *buffer, size_t size);

/// Parses a finite number for an option; returns 0 or -1.
int cm_cli_parse_double(const char *text, double *out);

/// The genes and `variant:` positions the compiled rules name, for a reader's gene filter.
/// Returns 1 with both lists set (the caller frees them; the names are borrowed from rules),
/// 0 when some alteration leaf names neither (nothing may be skipped), -1 when out of memory.
int cm_cli_rule_genes(const cm_ruleset *rules, const char ***genes, size_t *n_genes,
                      int64_t **positions, size_t *n_positions);

/// Loads every path (file or folder) into rules and compiles them. Prints each error as
/// "cohortmatch: file:line:col: error: message" (and warnings unless quiet). Returns 0, or
/// CM_EXIT_BAD_INPUT when a file has errors or no rule file was found.
int cm_cli_load_rules(cm_ruleset *rules, const char *const *paths, int n_paths, int quiet);

/// The inputs of a command line, folders expanded: each file as given, and a folder's files in
/// name order (those of a format cohortmatch reads; the others are listed in ignored).
typedef struct cm_cli_inputs {
    char **paths;
    size_t n;
    char **ignored;
    size_t n_ignored;
} cm_cli_inputs;

/// Expands args (files and folders). With forced (an --input-format), a folder's every file is
/// taken. Prints "cohortmatch: warning: ignored FILE (not a format cohortmatch reads)" for each
/// file left out of a folder unless quiet. Returns 0, or prints the error and returns
/// CM_EXIT_BAD_INPUT (a folder that cannot be read or holds no input).
int cm_cli_expand_inputs(char *const *args, int n_args, int forced, int quiet,
                         cm_cli_inputs *inputs);

/// Adds the names a cBioPortal study folder does not read to inputs->ignored, each as
/// "folder/name" (the report's `ignored`). Returns 0, or -1 when out of memory.
int cm_cli_add_study_ignored(cm_cli_inputs *inputs, const cm_study *study, const char *folder);

/// Frees the expanded inputs; accepts an empty one.
void cm_cli_inputs_free(cm_cli_inputs *inputs);

/// An output that only appears under its name when complete: writes go to a
/// temporary file in the same folder, renamed on cm_output_commit().
/// "-" or NULL means stdout; a path that exists and is not a regular file (/dev/null,
/// a FIFO) is written in place.
typedef struct cm_output {
    FILE *fp;
    char *path;      // final name, NULL for stdout
    char *temp_path; // temporary name, NULL for stdout
} cm_output;

/// Opens out for writing. Returns 0, or -1 with err filled (folder missing, not writable).
int cm_output_open(cm_output *out, const char *path, cm_error *err);

/// Flushes and renames into place. Returns 0, or -1 with err filled (the temporary is removed).
int cm_output_commit(cm_output *out, cm_error *err);

/// Discards an output that was not committed (removes the temporary); safe to call twice.
void cm_output_abort(cm_output *out);

/// Returns 1 if the two paths name the same existing file (to refuse -o onto an input).
int cm_same_file(const char *a, const char *b);

/// The run's rule set over tree: the rule files and folders given (the bundled rules/ when
/// n_paths is 0), compiled, with the cohort states of cohorts (a TSV; NULL: none) laid over
/// them. Returns 0 with *rules set; CM_EXIT_BAD_INPUT when a rule file has errors (printed);
/// or -1 with err filled. The caller frees *rules (cm_ruleset_free()) whatever is returned.
int cm_cli_open_rules(const cm_oncotree *tree, const char *const *paths, int n_paths,
                      const char *cohorts, cm_ruleset **rules, cm_error *err);

/// Appends a -r/--rules path to *paths (grown; the caller frees it). Returns -1 (go on), or
/// prints the problem and returns CM_EXIT_USAGE.
int cm_cli_rules_option(const char *command, const char *path, const char ***paths, int *n_paths);

/// Stores --date's value after checking it is a calendar date YYYY-MM-DD. Returns -1 (go on),
/// or prints the problem and returns CM_EXIT_BAD_INPUT.
int cm_cli_date_option(const char *command, const char *text, const char **date);

/// What reading a run's inputs needs (match; summarize for a cohort input).
typedef struct cm_cli_run_options {
    const char *command;          // "match", "summarize": names usage errors
    cm_input_options input;       // format, VCF options, cohort options (tree, sheet, facts)
    const cm_oncotree *tree;      // required
    const cm_ruleset *rules;      // required
    const cm_sample_profile *cli; // the command line's facts (origin command line)
    const cm_sample_sheet *sheet; // may be empty (n == 0)
    const char *sheet_path;       // its name, for errors
    const char *tumour_type;      // -t: a sample the sheet does not list is then no error
    const char *sample_name;      // --sample-name, or NULL
    const cm_gates *gates;        // the command line's quality gates
    double panel_size;            // megabases; NAN: TMB is not computed from the alterations
    int no_prefilter;             // parse every record (COHORTMATCH_NO_PREFILTER also)
    int list_alterations;         // keep each sample's alterations in rule genes (HTML)
    int quiet, show_progress;     // no notes and warnings; a progress line on a terminal
} cm_cli_run_options;

/// The samples' profiles of a run, each allocated on its own (the matcher points to them).
typedef struct cm_cli_profiles {
    cm_sample_profile **items;
    size_t n, m;
} cm_cli_profiles;

/// A run's inputs read through one matcher: results per sample, what was read and skipped.
typedef struct cm_cli_run {
    struct cm_input **inputs;
    size_t n_inputs;
    cm_report_input *listed; // per input: path, format, records (the report's inputs.files)
    cm_cli_profiles profiles;
    cm_matcher *matcher;
    struct cm_tmb_counter *tmb;
    cm_count *skipped; // what was skipped and why, summed over the inputs
    size_t n_skipped, m_skipped;
    long records, alterations;
} cm_cli_run;

/// The one path by which inputs are read (match's inputs, summarize's cohort inputs): opens
/// each path through the input layer, links them; several inputs (or a sample name) are one
/// patient, one input alone has a profile per sample it names; each profile is the command
/// line's facts, then the sheet row's, then the files' (cm_profile_offer(): disagreements are
/// conflicts); every alteration goes through one matcher, which is finished. Unless quiet,
/// warns of rules of another genome build and of a cohort's skipped samples. Returns 0, -1 with
/// err filled, or CM_EXIT_USAGE after printing a usage error. Free run with cm_cli_run_free()
/// whatever is returned.
int cm_cli_run_inputs(cm_cli_run *run, char *const *paths, size_t n_paths,
                      const cm_cli_run_options *opt, cm_error *err);

/// Frees what a run holds; accepts a zeroed run.
void cm_cli_run_free(cm_cli_run *run);

/// Prints (stderr) one warning line for the study's skipped samples (normal, without a
/// tumour type, an unknown OncoTree code, not in the clinical file), a note for retired codes
/// read as their successor, and a warning for unknown Variant_Classification values; nothing
/// when there is none.
void cm_cli_warn_study(const cm_study *study, const char *path, const cm_oncotree *tree);

#endif
