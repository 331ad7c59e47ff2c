/*
 * Errors and diagnostics shared by every module.
 *
 * Library code never prints and never exits: it fills a cm_error (one
 * problem, the first that stopped it) or appends to cm_diagnostics (every
 * problem of a file, for the rule loader and lint). Only src/cli/ turns them
 * into "cohortmatch: file:line:col: message" and an exit status.
 */
#ifndef COHORTMATCH_ERROR_H
#define COHORTMATCH_ERROR_H

#include <stddef.h>

#include <htslib/kstring.h>

/// Exit statuses of the command line (documented in docs/cli.md).
enum { CM_EXIT_OK = 0, CM_EXIT_BAD_INPUT = 1, CM_EXIT_USAGE = 2 };

/// One problem with where it was found; line and column are 1-based, 0 = unknown.
typedef struct cm_error {
    char file[1024];
    int line;
    int column;
    char message[1024];
} cm_error;

/// Clears err (no error); accepts NULL.
void cm_error_clear(cm_error *err);

/// Fills err with a printf-style message; file may be NULL. Accepts err == NULL. Returns -1.
int cm_error_set(cm_error *err, const char *file, int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/// Sets err's file and line where the message has none yet (for a message filled by a function
/// that does not know where its input came from). Accepts err == NULL.
void cm_error_locate(cm_error *err, const char *file, int line);

/// Returns 1 if err holds an error.
int cm_error_is_set(const cm_error *err);

/// Appends "file:line:col: message" (parts that are unknown are left out) to out.
void cm_error_format(const cm_error *err, kstring_t *out);

typedef enum cm_severity { CM_SEVERITY_ERROR, CM_SEVERITY_WARNING } cm_severity;

typedef struct cm_diagnostic {
    cm_severity severity;
    char *file;
    int line;
    int column;
    char *message;
} cm_diagnostic;

/// Every problem found in one or more files, in the order found.
typedef struct cm_diagnostics {
    cm_diagnostic *items;
    size_t n, capacity;
    size_t n_errors, n_warnings;
} cm_diagnostics;

/// Appends a diagnostic (copies file and the formatted message). Returns 0, or -1 when out of
/// memory.
int cm_diagnostics_add(cm_diagnostics *d, cm_severity severity, const char *file, int line,
                       int column, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/// Sorts diagnostics by file, line, column (stable), so output is deterministic.
void cm_diagnostics_sort(cm_diagnostics *d);

/// Frees what the diagnostics hold and empties them; accepts NULL.
void cm_diagnostics_clear(cm_diagnostics *d);

/// Appends "file:line:col: error|warning: message" for one diagnostic.
void cm_diagnostic_format(const cm_diagnostic *diag, kstring_t *out);

#endif
