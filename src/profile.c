/*
 * Sample profiles and sample sheets. The only module that reads the facts a
 * VCF lacks; it checks tumour types against OncoTree as it reads them, so a
 * wrong code stops the run before any matching.
 */
#include "cohortmatch/profile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/kstring.h>

int cm_profile_init(cm_sample_profile *profile, const char *name)
{
    memset(profile, 0, sizeof *profile);
    profile->tumour_node = CM_ONCOTREE_NOT_FOUND;
    profile->tmb = NAN;
    profile->age = NAN;
    if (name && !(profile->name = strdup(name)))
        return -1;
    return 0;
}

void cm_profile_clear(cm_sample_profile *profile)
{
    if (!profile)
        return;
    free(profile->name);
    free(profile->tumour_type);
    profile->name = profile->tumour_type = NULL;
}

int cm_profile_copy(cm_sample_profile *dst, const cm_sample_profile *src)
{
    *dst = *src;
    dst->name = src->name ? strdup(src->name) : NULL;
    dst->tumour_type = src->tumour_type ? strdup(src->tumour_type) : NULL;
    if ((src->name && !dst->name) || (src->tumour_type && !dst->tumour_type)) {
        cm_profile_clear(dst);
        return -1;
    }
    return 0;
}

int cm_profile_set_tumour_type(cm_sample_profile *profile, const cm_oncotree *tree,
                               const char *code, const char *source, int line, cm_error *err)
{
    int node = cm_oncotree_find(tree, code);
    if (node < 0) {
        // A meta-code (SOLID/LIQUID) is a set of types, not a patient's tumour type.
        kstring_t hint = {0, 0, NULL};
        if (node == CM_ONCOTREE_NOT_FOUND && cm_oncotree_suggest(tree, code, 3, &hint) > 0) {
            cm_error_set(err, source, line, 0, "unknown OncoTree code '%s' (did you mean %s?)",
                         code, hint.s);
        } else if (node == CM_ONCOTREE_NOT_FOUND) {
            cm_error_set(err, source, line, 0, "unknown OncoTree code '%s'", code);
        } else {
            cm_error_set(err, source, line, 0,
                         "'%s' is a group of tumour types; give the patient's OncoTree code", code);
        }
        free(hint.s);
        return -1;
    }
    char *copy = strdup(cm_oncotree_code(tree, node));
    if (!copy)
        return cm_error_set(err, source, line, 0, "out of memory");
    free(profile->tumour_type);
    profile->tumour_type = copy;
    profile->tumour_node = node;
    return 0;
}

#define WORD_PARSER(function, type, first_word, first_value, second_word, second_value)            \
    int function(const char *text, type *out)                                                      \
    {                                                                                              \
        if (strcmp(text, first_word) == 0)                                                         \
            *out = first_value;                                                                    \
        else if (strcmp(text, second_word) == 0)                                                   \
            *out = second_value;                                                                   \
        else                                                                                       \
            return -1;                                                                             \
        return 0;                                                                                  \
    }

WORD_PARSER(cm_msi_parse, cm_msi_status, "high", CM_MSI_HIGH, "stable", CM_MSI_STABLE)
WORD_PARSER(cm_mmr_parse, cm_mmr_status, "deficient", CM_MMR_DEFICIENT, "proficient",
            CM_MMR_PROFICIENT)
WORD_PARSER(cm_sex_parse, cm_sex, "female", CM_SEX_FEMALE, "male", CM_SEX_MALE)

const char *cm_msi_name(cm_msi_status msi)
{
    return msi == CM_MSI_HIGH ? "high" : msi == CM_MSI_STABLE ? "stable" : NULL;
}

const char *cm_mmr_name(cm_mmr_status mmr)
{
    return mmr == CM_MMR_DEFICIENT ? "deficient" : mmr == CM_MMR_PROFICIENT ? "proficient" : NULL;
}

const char *cm_sex_name(cm_sex sex)
{
    return sex == CM_SEX_FEMALE ? "female" : sex == CM_SEX_MALE ? "male" : NULL;
}

enum {
    COLUMN_SAMPLE,
    COLUMN_TUMOUR_TYPE,
    COLUMN_TMB,
    COLUMN_MSI,
    COLUMN_MMR,
    COLUMN_AGE,
    COLUMN_SEX,
    N_COLUMNS
};
static const char *const column_names[N_COLUMNS] = {"sample", "tumour_type", "tmb", "msi",
                                                    "mmr",    "age",         "sex"};

static int parse_number(const char *text, double *out)
{
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (errno || end == text || *end || !isfinite(value) || value < 0)
        return -1;
    *out = value;
    return 0;
}

/// Splits a line on tabs in place; returns the number of fields (at most max).
static int split_tabs(char *line, char **fields, int max)
{
    int n = 0;
    char *start = line;
    for (char *p = line;; p++) {
        if (*p == '\t' || *p == '\0') {
            int is_end = *p == '\0';
            *p = '\0';
            if (n < max)
                fields[n] = start;
            n++;
            if (is_end)
                break;
            start = p + 1;
        }
    }
    return n;
}

static int set_field(cm_sample_profile *row, int column, const char *value, const char *path,
                     int line, const cm_oncotree *tree, cm_error *err)
{
    if (*value == '\0' || strcmp(value, ".") == 0)
        return 0;
    switch (column) {
    case COLUMN_TUMOUR_TYPE:
        return cm_profile_set_tumour_type(row, tree, value, path, line, err);
    case COLUMN_TMB:
        if (parse_number(value, &row->tmb) < 0)
            return cm_error_set(err, path, line, 0,
                                "tmb '%s' is not a non-negative number (mutations/Mb)", value);
        return 0;
    case COLUMN_AGE:
        if (parse_number(value, &row->age) < 0)
            return cm_error_set(err, path, line, 0, "age '%s' is not a non-negative number", value);
        return 0;
    case COLUMN_MSI:
        if (cm_msi_parse(value, &row->msi) < 0)
            return cm_error_set(err, path, line, 0, "msi '%s' is not 'high' or 'stable'", value);
        return 0;
    case COLUMN_MMR:
        if (cm_mmr_parse(value, &row->mmr) < 0)
            return cm_error_set(err, path, line, 0, "mmr '%s' is not 'deficient' or 'proficient'",
                                value);
        return 0;
    case COLUMN_SEX:
        if (cm_sex_parse(value, &row->sex) < 0)
            return cm_error_set(err, path, line, 0, "sex '%s' is not 'female' or 'male'", value);
        return 0;
    default:
        return 0;
    }
}

int cm_sample_sheet_load(cm_sample_sheet *sheet, const char *path, const cm_oncotree *tree,
                         cm_error *err)
{
    memset(sheet, 0, sizeof *sheet);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return cm_error_set(err, path, 0, 0, "cannot open the sample sheet: %s", strerror(errno));
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    int line_number = 0, columns[N_COLUMNS], n_columns = 0, status = 0;
    size_t m_rows = 0;
    while (status == 0 && (length = getline(&line, &capacity, fp)) >= 0) {
        line_number++;
        while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r'))
            line[--length] = '\0';
        // A spreadsheet saving "UTF-8 text" starts the file with a byte-order mark, which
        // would make the first column 'sample' with three invisible bytes before it.
        char *text = line;
        if (line_number == 1 && length >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
            text += 3;
            length -= 3;
        }
        if (length == 0 || text[0] == '#')
            continue;
        char *fields[N_COLUMNS + 1];
        int n = split_tabs(text, fields, N_COLUMNS + 1);
        if (n_columns == 0) { // the header line
            if (n > N_COLUMNS) {
                status = cm_error_set(err, path, line_number, 0,
                                      "too many columns in the header (known: sample, "
                                      "tumour_type, tmb, msi, mmr, age, sex)");
                break;
            }
            int has_sample = 0;
            for (int i = 0; i < n && status == 0; i++) {
                columns[i] = -1;
                for (int c = 0; c < N_COLUMNS; c++)
                    if (strcmp(fields[i], column_names[c]) == 0)
                        columns[i] = c;
                for (int k = 0; k < i; k++)
                    if (columns[i] >= 0 && columns[k] == columns[i])
                        status =
                            cm_error_set(err, path, line_number, 0, "column '%s' twice", fields[i]);
                if (columns[i] < 0)
                    status = cm_error_set(err, path, line_number, 0,
                                          "unknown column '%s' (known: sample, tumour_type, tmb, "
                                          "msi, mmr, age, sex)",
                                          fields[i]);
                has_sample |= columns[i] == COLUMN_SAMPLE;
            }
            if (status == 0 && !has_sample)
                status =
                    cm_error_set(err, path, line_number, 0, "the header has no 'sample' column");
            n_columns = n;
            continue;
        }
        if (n != n_columns) {
            status = cm_error_set(err, path, line_number, 0, "%d columns, the header has %d", n,
                                  n_columns);
            break;
        }
        if (sheet->n == m_rows) {
            m_rows = m_rows ? m_rows * 2 : 16;
            cm_sample_profile *rows = realloc(sheet->rows, m_rows * sizeof *rows);
            if (!rows) {
                status = cm_error_set(err, path, line_number, 0, "out of memory");
                break;
            }
            sheet->rows = rows;
        }
        cm_sample_profile *row = &sheet->rows[sheet->n];
        const char *name = NULL;
        for (int i = 0; i < n; i++)
            if (columns[i] == COLUMN_SAMPLE)
                name = fields[i];
        if (!name || !*name) {
            status = cm_error_set(err, path, line_number, 0, "empty sample name");
            break;
        }
        if (cm_sample_sheet_find(sheet, name)) {
            status = cm_error_set(err, path, line_number, 0, "sample '%s' is listed twice", name);
            break;
        }
        if (cm_profile_init(row, name) < 0) {
            status = cm_error_set(err, path, line_number, 0, "out of memory");
            break;
        }
        sheet->n++;
        for (int i = 0; i < n && status == 0; i++)
            status = set_field(row, columns[i], fields[i], path, line_number, tree, err);
    }
    if (status == 0 && ferror(fp))
        status = cm_error_set(err, path, 0, 0, "cannot read the sample sheet: %s", strerror(errno));
    if (status == 0 && n_columns == 0)
        status = cm_error_set(err, path, 0, 0, "empty sample sheet (a header line is needed)");
    free(line);
    fclose(fp);
    if (status != 0)
        cm_sample_sheet_free(sheet);
    return status;
}

const cm_sample_profile *cm_sample_sheet_find(const cm_sample_sheet *sheet, const char *sample)
{
    for (size_t i = 0; i < sheet->n; i++)
        if (strcmp(sheet->rows[i].name, sample) == 0)
            return &sheet->rows[i];
    return NULL;
}

void cm_sample_sheet_free(cm_sample_sheet *sheet)
{
    if (!sheet)
        return;
    for (size_t i = 0; i < sheet->n; i++)
        cm_profile_clear(&sheet->rows[i]);
    free(sheet->rows);
    sheet->rows = NULL;
    sheet->n = 0;
}
