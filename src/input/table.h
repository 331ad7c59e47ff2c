/*
 * Tab-separated tables read line by line (internal to src/input/): the MAF
 * and every cBioPortal data file. Plain or gzip/BGZF-compressed text through
 * htslib's BGZF layer; one reused line buffer, fields split in place (each
 * tab becomes a NUL), so nothing is allocated per line.
 */
#ifndef COHORTMATCH_INPUT_TABLE_H
#define COHORTMATCH_INPUT_TABLE_H

#include <stddef.h>

#include <htslib/bgzf.h>
#include <htslib/kstring.h>

#include "cohortmatch/alteration.h"
#include "cohortmatch/error.h"

typedef struct cm_table {
    BGZF *fp;
    char *path; // as given, for messages
    kstring_t line;
    long line_number;
    cm_slice *fields; // of the current line after cm_table_split(); NUL-terminated in place
    int n_fields;     // fields split so far (at most the limit given)
    int is_complete;  // every field of the line is split (the limit was not reached)
    int capacity;
} cm_table;

/// Opens path (plain, gzip or BGZF). Returns 0, or -1 with err filled.
int cm_table_open(cm_table *table, const char *path, int threads, cm_error *err);

/// Opens path (cm_table_open()) and splits its header: the first line that is not empty.
/// Returns the number of header fields, or -1 with err filled ("empty <what> file" when the
/// file has no line).
int cm_table_open_header(cm_table *table, const char *path, int threads, const char *what,
                         cm_error *err);

/// Reads the next line into table->line without its line end ("\n" or "\r\n"; a byte-order
/// mark before the first line is dropped). Returns 1, 0 at the end, or -1 with err filled
/// (read error, a NUL byte).
int cm_table_next_line(cm_table *table, cm_error *err);
/// Reads the next non-empty line and splits it into exactly n_fields fields: 1, 0 at the end,
/// -1 on error (a row of another width is "N columns, the header has M" at path and its line).
int cm_table_next_row(cm_table *table, const char *path, int n_fields, cm_error *err);

/// Splits the current line on tabs into at most limit fields (the last of which holds the
/// rest of the line when the limit is reached; a limit <= 0 splits every field). A second call
/// on the same line with a higher limit goes on where the first stopped. Returns the number of
/// fields, or -1 when out of memory.
int cm_table_split(cm_table *table, int limit);

/// The column (0-based) of the first header field equal to name (ASCII case-insensitive), or
/// -1. Call after cm_table_split() on the header line.
int cm_table_column(const cm_table *table, const char *name);

/// The field at column i of the split line, or an empty slice when the line is shorter.
cm_slice cm_table_field(const cm_table *table, int column);

/// Returns 1 if a field holds no value: empty, "NA", "N/A", "NULL", ".", "[Not Available]" and
/// the other bracketed "[Not ...]" words cBioPortal and TCGA write (ASCII case-insensitive).
int cm_table_is_null(cm_slice field);

/// Parses a whole number (optional sign, at most 18 digits; surrounding quotes tolerated).
/// Returns 0 and sets *out, or -1.
int cm_table_parse_long(cm_slice field, long long *out);

/// Parses a finite decimal number (surrounding quotes tolerated). Returns 0 and sets *out,
/// or -1.
int cm_table_parse_double(cm_slice field, double *out);

/// Compares a field with a word, ASCII case-insensitive. Returns 1 if equal.
int cm_table_equals(cm_slice field, const char *word);

/// Closes the file and frees the buffers; accepts a table that was never opened.
void cm_table_close(cm_table *table);

/// A set of gene symbols (a reader's gene filter), compared whole and case-sensitively.
typedef struct cm_gene_set cm_gene_set;

/// Makes a set of n symbols (copied). Returns NULL when out of memory; free with
/// cm_gene_set_free().
cm_gene_set *cm_gene_set_new(const char *const *genes, size_t n);

/// Returns 1 if the symbol (len bytes, need not be NUL-terminated) is in the set.
int cm_gene_set_has(const cm_gene_set *set, cm_slice symbol);

/// Frees the set; accepts NULL.
void cm_gene_set_free(cm_gene_set *set);

#endif
