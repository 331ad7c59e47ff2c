/*
 * What the command files share: the one place that prints errors and picks
 * exit statuses, and atomic output files. Only src/cli/ includes this.
 */
#ifndef COHORTMATCH_CLI_H
#define COHORTMATCH_CLI_H

#include <stdio.h>

#include "cohortmatch/error.h"

int main_alterations(int argc, char **argv);
int main_lint(int argc, char **argv);
int main_match(int argc, char **argv);
int main_test(int argc, char **argv);
int main_list(int argc, char **argv);

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

/// Parses a finite number for an option; returns 0 or -1.
int cm_cli_parse_double(const char *text, double *out);

typedef struct cm_ruleset cm_ruleset;

/// Loads every path (file or folder) into rules and compiles them. Prints each error as
/// "cohortmatch: file:line:col: error: message" (and warnings unless quiet). Returns 0, or
/// CM_EXIT_BAD_INPUT when a file has errors or no rule file was found.
int cm_cli_load_rules(cm_ruleset *rules, const char *const *paths, int n_paths, int quiet);

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

#endif
