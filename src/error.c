/*
 * Error records and diagnostic lists. Formatting lives here so that every
 * command prints positions the same way: file:line:column.
 */
#include "cohortmatch/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cm_error_clear(cm_error *err)
{
    if (!err)
        return;
    err->file[0] = '\0';
    err->line = 0;
    err->column = 0;
    err->message[0] = '\0';
}

int cm_error_set(cm_error *err, const char *file, int line, int column, const char *fmt, ...)
{
    if (!err)
        return -1;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

void cm_error_locate(cm_error *err, const char *file, int line)
{
    if (!err || err->file[0])
        return;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
}

int cm_error_is_set(const cm_error *err)
{
    return err && err->message[0] != '\0';
}

static void format_position(const char *file, int line, int column, kstring_t *out)
{
    if (file && *file) {
        kputs(file, out);
        if (line > 0) {
            kputc(':', out);
            kputw(line, out);
            if (column > 0) {
                kputc(':', out);
                kputw(column, out);
            }
        }
        kputs(": ", out);
    }
}

void cm_error_format(const cm_error *err, kstring_t *out)
{
    format_position(err->file, err->line, err->column, out);
    kputs(err->message, out);
}

int cm_diagnostics_add(cm_diagnostics *d, cm_severity severity, const char *file, int line,
                       int column, const char *fmt, ...)
{
    if (d->n == d->capacity) {
        size_t capacity = d->capacity ? d->capacity * 2 : 16;
        cm_diagnostic *items = realloc(d->items, capacity * sizeof *items);
        if (!items)
            return -1;
        d->items = items;
        d->capacity = capacity;
    }
    va_list ap;
    va_start(ap, fmt);
    int length = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *message = malloc((size_t)length + 1);
    char *file_copy = strdup(file ? file : "");
    if (!message || !file_copy) {
        free(message);
        free(file_copy);
        return -1;
    }
    va_start(ap, fmt);
    vsnprintf(message, (size_t)length + 1, fmt, ap);
    va_end(ap);
    d->items[d->n++] = (cm_diagnostic){severity, file_copy, line, column, message};
    if (severity == CM_SEVERITY_ERROR)
        d->n_errors++;
    else
        d->n_warnings++;
    return 0;
}

static int compare_diagnostics(const cm_diagnostic *a, const cm_diagnostic *b)
{
    int c = strcmp(a->file, b->file);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->column != b->column)
        return a->column < b->column ? -1 : 1;
    return 0;
}

void cm_diagnostics_sort(cm_diagnostics *d)
{
    // Insertion sort: stable, and lists are short (one file's problems).
    for (size_t i = 1; i < d->n; i++) {
        cm_diagnostic item = d->items[i];
        size_t j = i;
        while (j > 0 && compare_diagnostics(&d->items[j - 1], &item) > 0) {
            d->items[j] = d->items[j - 1];
            j--;
        }
        d->items[j] = item;
    }
}

void cm_diagnostics_clear(cm_diagnostics *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].file);
        free(d->items[i].message);
    }
    free(d->items);
    memset(d, 0, sizeof *d);
}

void cm_diagnostic_format(const cm_diagnostic *diag, kstring_t *out)
{
    format_position(diag->file, diag->line, diag->column, out);
    kputs(diag->severity == CM_SEVERITY_ERROR ? "error: " : "warning: ", out);
    kputs(diag->message, out);
}
