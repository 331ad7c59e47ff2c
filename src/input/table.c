/*
 * Tab-separated tables: the one line reader and field splitter of the cohort
 * inputs (MAF, cBioPortal data files). It owns the file and one line buffer;
 * fields are slices into that buffer, valid until the next line.
 */
#include "table.h"

#include <htslib/khash.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cm_table_open(cm_table *table, const char *path, int threads, cm_error *err)
{
    memset(table, 0, sizeof *table);
    if (!(table->path = strdup(path)))
        return cm_error_set(err, path, 0, 0, "out of memory");
    errno = 0;
    if (!(table->fp = bgzf_open(path, "r"))) {
        int saved = errno;
        cm_table_close(table);
        return cm_error_set(err, path, 0, 0, "cannot open: %s",
                            saved ? strerror(saved) : "not a readable file");
    }
    // Compressed input only: threads decompress BGZF blocks ahead of the parser.
    if (threads > 0 && table->fp->is_compressed)
        bgzf_mt(table->fp, threads, 256);
    return 0;
}

int cm_table_next_line(cm_table *table, cm_error *err)
{
    int got = bgzf_getline(table->fp, '\n', &table->line);
    if (got == -1)
        return 0;
    if (got < -1)
        return cm_error_set(err, table->path, (int)table->line_number + 1, 0,
                            "cannot read: the file is truncated or corrupt");
    table->line_number++;
    table->n_fields = 0;
    size_t len = table->line.l;
    if (len > 0 && table->line.s[len - 1] == '\r')
        table->line.s[--len] = '\0';
    table->line.l = len;
    if (table->line_number == 1 && len >= 3 && memcmp(table->line.s, "\xEF\xBB\xBF", 3) == 0) {
        memmove(table->line.s, table->line.s + 3, len - 2);
        table->line.l = len -= 3;
    }
    if (len > 0 && memchr(table->line.s, '\0', len))
        return cm_error_set(err, table->path, (int)table->line_number, 0,
                            "a NUL byte in a text line (is this a binary file?)");
    return 1;
}

int cm_table_open_header(cm_table *table, const char *path, int threads, const char *what,
                         cm_error *err)
{
    if (cm_table_open(table, path, threads, err) < 0)
        return -1;
    int got;
    while ((got = cm_table_next_line(table, err)) > 0 && table->line.l == 0)
        ;
    if (got < 0)
        return -1;
    if (got == 0)
        return cm_error_set(err, path, 0, 0, "empty %s file", what);
    int n = cm_table_split(table, 0);
    return n < 0 ? cm_error_set(err, path, 0, 0, "out of memory") : n;
}

int cm_table_split(cm_table *table, int limit)
{
    char *p = table->line.s ? table->line.s : "";
    char *end = p + table->line.l;
    int n = 0;
    if (table->n_fields > 0) {
        // Resume: the last field split so far holds the rest of the line.
        if (table->is_complete || (limit > 0 && limit <= table->n_fields))
            return table->n_fields;
        n = table->n_fields - 1;
        p = (char *)table->fields[n].s;
    }
    table->is_complete = 0;
    for (;;) {
        if (n == table->capacity) {
            int capacity = table->capacity ? table->capacity * 2 : 64;
            cm_slice *fields = realloc(table->fields, (size_t)capacity * sizeof *fields);
            if (!fields)
                return -1;
            table->fields = fields;
            table->capacity = capacity;
        }
        if (limit > 0 && n == limit - 1) {
            // The last field asked for keeps the rest of the line, tabs and all.
            table->fields[n++] = (cm_slice){p, (int)(end - p)};
            break;
        }
        char *tab = memchr(p, '\t', (size_t)(end - p));
        if (!tab) {
            table->fields[n++] = (cm_slice){p, (int)(end - p)};
            table->is_complete = 1;
            break;
        }
        *tab = '\0';
        table->fields[n++] = (cm_slice){p, (int)(tab - p)};
        p = tab + 1;
    }
    table->n_fields = n;
    return n;
}

int cm_table_equals(cm_slice field, const char *word)
{
    size_t len = strlen(word);
    if ((size_t)field.len != len)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char a = (unsigned char)field.s[i], b = (unsigned char)word[i];
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b - 'A' + 'a');
        if (a != b)
            return 0;
    }
    return 1;
}

int cm_table_column(const cm_table *table, const char *name)
{
    for (int i = 0; i < table->n_fields; i++)
        if (cm_table_equals(table->fields[i], name))
            return i;
    return -1;
}

cm_slice cm_table_field(const cm_table *table, int column)
{
    if (column < 0 || column >= table->n_fields)
        return (cm_slice){"", 0};
    return table->fields[column];
}

/// Drops surrounding spaces and one pair of surrounding quotes.
static cm_slice trim(cm_slice field)
{
    while (field.len > 0 && field.s[0] == ' ') {
        field.s++;
        field.len--;
    }
    while (field.len > 0 && field.s[field.len - 1] == ' ')
        field.len--;
    if (field.len >= 2 && (field.s[0] == '"' || field.s[0] == '\'') &&
        field.s[field.len - 1] == field.s[0]) {
        field.s++;
        field.len -= 2;
    }
    return field;
}

int cm_table_is_null(cm_slice field)
{
    field = trim(field);
    if (field.len == 0)
        return 1;
    static const char *const words[] = {"NA", "N/A", "NULL", ".", "nan", "none"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (cm_table_equals(field, words[i]))
            return 1;
    // TCGA and cBioPortal write "[Not Available]", "[Not Applicable]", "[Unknown]", ...
    return field.s[0] == '[' && field.s[field.len - 1] == ']';
}

int cm_table_parse_long(cm_slice field, long long *out)
{
    field = trim(field);
    int i = 0, negative = 0;
    if (i < field.len && (field.s[i] == '-' || field.s[i] == '+'))
        negative = field.s[i++] == '-';
    if (i == field.len || field.len - i > 18)
        return -1;
    long long value = 0;
    for (; i < field.len; i++) {
        if (field.s[i] < '0' || field.s[i] > '9')
            return -1;
        value = value * 10 + (field.s[i] - '0');
    }
    *out = negative ? -value : value;
    return 0;
}

int cm_table_parse_double(cm_slice field, double *out)
{
    field = trim(field);
    char buffer[64];
    if (field.len == 0 || field.len >= (int)sizeof buffer)
        return -1;
    memcpy(buffer, field.s, (size_t)field.len);
    buffer[field.len] = '\0';
    char *end;
    errno = 0;
    double value = strtod(buffer, &end);
    if (errno || *end || end == buffer || !isfinite(value))
        return -1;
    *out = value;
    return 0;
}

void cm_table_close(cm_table *table)
{
    if (table->fp)
        bgzf_close(table->fp);
    free(table->path);
    free(table->line.s);
    free(table->fields);
    memset(table, 0, sizeof *table);
}

/* ---- Gene sets ---- */

KHASH_SET_INIT_STR(gene_set)

struct cm_gene_set {
    khash_t(gene_set) * genes;
    char buffer[256]; // a symbol NUL-terminated for the lookup (symbols are short)
};

cm_gene_set *cm_gene_set_new(const char *const *genes, size_t n)
{
    cm_gene_set *set = calloc(1, sizeof *set);
    if (!set || !(set->genes = kh_init(gene_set))) {
        free(set);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        char *copy = strdup(genes[i]);
        int absent = -1;
        if (copy)
            kh_put(gene_set, set->genes, copy, &absent);
        if (absent <= 0)
            free(copy);
        if (absent < 0) {
            cm_gene_set_free(set);
            return NULL;
        }
    }
    return set;
}

int cm_gene_set_has(const cm_gene_set *set, cm_slice symbol)
{
    if (symbol.len <= 0 || symbol.len >= (int)sizeof set->buffer)
        return 0;
    char *key = ((cm_gene_set *)set)->buffer;
    memcpy(key, symbol.s, (size_t)symbol.len);
    key[symbol.len] = '\0';
    return kh_get(gene_set, set->genes, key) != kh_end(set->genes);
}

void cm_gene_set_free(cm_gene_set *set)
{
    if (!set)
        return;
    for (khint_t k = kh_begin(set->genes); k != kh_end(set->genes); k++)
        if (kh_exist(set->genes, k))
            free((char *)kh_key(set->genes, k));
    kh_destroy(gene_set, set->genes);
    free(set);
}

int cm_table_next_row(cm_table *table, const char *path, int n_fields, cm_error *err)
{
    int got;
    while ((got = cm_table_next_line(table, err)) > 0) {
        if (table->line.l == 0)
            continue;
        int line = (int)table->line_number;
        int fields = cm_table_split(table, 0);
        if (fields < 0)
            return cm_error_set(err, path, line, 0, "out of memory");
        if (fields != n_fields)
            return cm_error_set(err, path, line, 0, "%d columns, the header has %d", fields,
                                n_fields);
        return 1;
    }
    return got;
}
