/*
 * cBioPortal study folders: the file layout, the clinical files and the
 * copy-number and structural-variant readers. Mutation files go through the
 * MAF reader; joining rows to samples is study.c's job.
 *
 * Real studies differ in many small ways (file names before and after the
 * 2021 renaming, data_CNA.txt vs data_cna.txt, the deprecated fusion file,
 * Site1_Gene vs Site1_Hugo_Symbol, "NA" and "[Not Available]" for missing
 * values, Excel-mangled columns nobody reads): this module accepts them and
 * refuses only what would change a match when misread.
 */
#include "cohortmatch/cbioportal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <htslib/khash.h>
#include <htslib/kstring.h>

#include "table.h"

/* ---- Study layout ---- */

enum { FILE_SAMPLE, FILE_PATIENT, FILE_MUTATIONS, FILE_COPY_NUMBER, FILE_STRUCTURAL, N_KINDS };

// The usual file names, per kind, used for a kind no meta file names.
static const char *const usual_names[N_KINDS][6] = {
    [FILE_SAMPLE] = {"data_clinical_sample.txt", "data_clinical_samples.txt", "data_clinical.txt"},
    [FILE_PATIENT] = {"data_clinical_patient.txt", "data_clinical_patients.txt"},
    [FILE_MUTATIONS] = {"data_mutations.txt", "data_mutations_extended.txt",
                        "data_mutations_extended.maf", "data_mutations.maf"},
    [FILE_COPY_NUMBER] = {"data_cna.txt", "data_CNA.txt", "data_cna_discrete.txt",
                          "data_cna_discrete_long.txt"},
    [FILE_STRUCTURAL] = {"data_sv.txt", "data_structural_variants.txt", "data_fusions.txt"},
};

static int is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *join_path(const char *folder, const char *name)
{
    kstring_t path = {0, 0, NULL};
    size_t len = strlen(folder);
    if (ksprintf(&path, "%s%s%s", folder, len && folder[len - 1] == '/' ? "" : "/", name) < 0) {
        free(path.s);
        return NULL;
    }
    return path.s;
}

/// The kind a meta file describes, or -1 (expression, methylation, segments, timelines, ...).
static int meta_kind(const char *type, const char *datatype)
{
    if (strcmp(type, "CLINICAL") == 0) {
        if (strcmp(datatype, "PATIENT_ATTRIBUTES") == 0)
            return FILE_PATIENT;
        // MIXED_ATTRIBUTES: the single clinical file of studies before the 2016 split.
        if (strcmp(datatype, "SAMPLE_ATTRIBUTES") == 0 || strcmp(datatype, "MIXED_ATTRIBUTES") == 0)
            return FILE_SAMPLE;
        return -1; // TIMELINE and any other clinical data
    }
    if (strcmp(type, "MUTATION_EXTENDED") == 0)
        return FILE_MUTATIONS;
    if (strcmp(type, "COPY_NUMBER_ALTERATION") == 0 &&
        (strcmp(datatype, "DISCRETE") == 0 || strcmp(datatype, "DISCRETE_LONG") == 0))
        return FILE_COPY_NUMBER;
    if (strcmp(type, "STRUCTURAL_VARIANT") == 0 || strcmp(type, "FUSION") == 0)
        return FILE_STRUCTURAL;
    return -1;
}

typedef struct meta_values {
    kstring_t type, datatype, data_file, filter;
    int has_filter; // variant_classification_filter is written (maybe empty)
} meta_values;

/// Reads the "key: value" lines of a meta file into the keys this module uses.
static int read_meta(const char *path, meta_values *meta)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    meta->type.l = meta->datatype.l = meta->data_file.l = meta->filter.l = 0;
    meta->has_filter = 0;
    kstring_t line = {0, 0, NULL};
    int c;
    do {
        line.l = 0;
        while ((c = fgetc(fp)) != EOF && c != '\n')
            kputc(c, &line);
        if (!line.s)
            continue;
        char *colon = strchr(line.s, ':');
        if (!colon)
            continue;
        *colon = '\0';
        char *key = line.s, *value = colon + 1;
        while (*key == ' ' || *key == '\t')
            key++;
        size_t key_len = strlen(key);
        while (key_len > 0 && (key[key_len - 1] == ' ' || key[key_len - 1] == '\t'))
            key[--key_len] = '\0';
        while (*value == ' ' || *value == '\t')
            value++;
        size_t len = strlen(value);
        while (len > 0 &&
               (value[len - 1] == '\r' || value[len - 1] == ' ' || value[len - 1] == '\t'))
            value[--len] = '\0';
        kstring_t *out = strcmp(key, "genetic_alteration_type") == 0         ? &meta->type
                         : strcmp(key, "datatype") == 0                      ? &meta->datatype
                         : strcmp(key, "data_filename") == 0                 ? &meta->data_file
                         : strcmp(key, "variant_classification_filter") == 0 ? &meta->filter
                                                                             : NULL;
        if (out == &meta->filter)
            meta->has_filter = 1;
        if (out) {
            out->l = 0;
            kputs(value, out);
        }
    } while (c != EOF);
    free(line.s);
    fclose(fp);
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/// The names in folder (those starting with prefix when it is not NULL), sorted: the study's
/// order does not depend on readdir. Folders get a trailing '/'.
static char **list_folder(const char *folder, const char *prefix, size_t *n)
{
    *n = 0;
    DIR *dir = opendir(folder);
    if (!dir)
        return NULL;
    char **names = NULL;
    size_t capacity = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        const char *name = entry->d_name;
        size_t len = strlen(name);
        if (prefix ? len < 9 || strncmp(name, prefix, strlen(prefix)) != 0 ||
                         strcmp(name + len - 4, ".txt") != 0
                   : name[0] == '.')
            continue;
        if (*n == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            char **grown = realloc(names, capacity * sizeof *names);
            if (!grown)
                break;
            names = grown;
        }
        struct stat st;
        char *path = join_path(folder, name);
        int is_dir = path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
        free(path);
        kstring_t copy = {0, 0, NULL};
        if (ksprintf(&copy, "%s%s", name, is_dir ? "/" : "") < 0)
            break;
        names[(*n)++] = copy.s;
    }
    closedir(dir);
    if (*n > 1)
        qsort(names, *n, sizeof *names, compare_names);
    return names;
}

static char **list_meta_files(const char *folder, size_t *n)
{
    return list_folder(folder, "meta_", n);
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/// Appends path (taken) unless the list holds it; *index is its position. Returns 0, or -1
/// when out of memory.
static int add_path(char ***list, size_t *n, char *path, size_t *index)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], path) == 0) {
            free(path);
            *index = i;
            return 0;
        }
    char **grown = realloc(*list, (*n + 1) * sizeof **list);
    if (!grown) {
        free(path);
        return -1;
    }
    *list = grown;
    *index = *n;
    grown[(*n)++] = path;
    return 0;
}

static int is_usual_name(int kind, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    for (int k = 0; k < 6 && usual_names[kind][k]; k++)
        if (strcmp(name, usual_names[kind][k]) == 0)
            return 1;
    return 0;
}

/// Lists every name of the folder that is no meta file and no file read.
static int list_ignored(const char *folder, cm_cbioportal_files *files, char **const *lists,
                        const size_t *counts)
{
    size_t n_names;
    char **names = list_folder(folder, NULL, &n_names);
    int status = 0;
    for (size_t i = 0; i < n_names && status == 0; i++) {
        size_t len = strlen(names[i]);
        if (strncmp(names[i], "meta_", 5) == 0 && len > 4 &&
            strcmp(names[i] + len - 4, ".txt") == 0)
            continue;
        int is_read = 0;
        for (int kind = 0; kind < N_KINDS && !is_read; kind++)
            for (size_t k = 0; k < counts[kind] && !is_read; k++) {
                const char *slash = strrchr(lists[kind][k], '/');
                is_read = strcmp(slash ? slash + 1 : lists[kind][k], names[i]) == 0;
            }
        if (is_read)
            continue;
        size_t index;
        char *copy = strdup(names[i]);
        if (!copy || add_path(&files->ignored, &files->n_ignored, copy, &index) < 0)
            status = -1;
    }
    free_names(names, n_names);
    return status;
}

int cm_cbioportal_find_files(const char *folder, cm_cbioportal_files *files, cm_error *err)
{
    memset(files, 0, sizeof *files);
    char **lists[N_KINDS] = {NULL};
    size_t counts[N_KINDS] = {0};
    char **filters = NULL; // per mutation file
    size_t n_filters = 0;
    int names_data = 0; // some meta file names a data file: the meta files decide
    size_t n_meta;
    char **meta = list_meta_files(folder, &n_meta);
    meta_values values;
    memset(&values, 0, sizeof values);
    int status = 0;
    for (size_t i = 0; i < n_meta && status == 0; i++) {
        char *meta_path = join_path(folder, meta[i]);
        if (!meta_path || read_meta(meta_path, &values) < 0) {
            free(meta_path);
            continue;
        }
        if (values.data_file.l && values.type.l)
            names_data = 1;
        int kind = values.type.l
                       ? meta_kind(values.type.s, values.datatype.l ? values.datatype.s : "")
                       : -1;
        if (kind >= 0 && values.data_file.l) {
            char *path = join_path(folder, values.data_file.s);
            size_t index;
            if (!path) {
                status = cm_error_set(err, folder, 0, 0, "out of memory");
            } else if (!is_regular_file(path)) {
                status = cm_error_set(err, meta_path, 0, 0,
                                      "data_filename '%s' is not a file in the study folder",
                                      values.data_file.s);
                free(path);
            } else if (add_path(&lists[kind], &counts[kind], path, &index) < 0) {
                status = cm_error_set(err, folder, 0, 0, "out of memory");
            } else if (kind == FILE_MUTATIONS && index == n_filters) {
                char **grown = realloc(filters, (n_filters + 1) * sizeof *filters);
                if (!grown) {
                    status = cm_error_set(err, folder, 0, 0, "out of memory");
                } else {
                    filters = grown;
                    filters[n_filters] =
                        values.has_filter ? strdup(values.filter.s ? values.filter.s : "") : NULL;
                    if (values.has_filter && !filters[n_filters])
                        status = cm_error_set(err, folder, 0, 0, "out of memory");
                    n_filters++;
                }
            }
        }
        free(meta_path);
    }
    free_names(meta, n_meta);
    free(values.type.s);
    free(values.datatype.s);
    free(values.data_file.s);
    free(values.filter.s);
    for (int kind = 0; kind < N_KINDS && status == 0; kind++) {
        // Meta files decide which data files are read; the clinical sample file, without which
        // nothing is read, is looked for by its usual names when no meta file names one.
        if (counts[kind] > 0 || (names_data && kind != FILE_SAMPLE))
            continue;
        for (int k = 0; k < 6 && usual_names[kind][k] && status == 0; k++) {
            char *path = join_path(folder, usual_names[kind][k]);
            size_t index;
            if (!path)
                status = cm_error_set(err, folder, 0, 0, "out of memory");
            else if (!is_regular_file(path))
                free(path);
            else if (add_path(&lists[kind], &counts[kind], path, &index) < 0)
                status = cm_error_set(err, folder, 0, 0, "out of memory");
            // One clinical file of each kind: the first usual name found.
            if ((kind == FILE_SAMPLE || kind == FILE_PATIENT) && counts[kind] > 0)
                break;
        }
    }
    // Mutation files found by their usual names get cBioPortal's default filter.
    if (status == 0 && counts[FILE_MUTATIONS] > n_filters) {
        char **grown = realloc(filters, counts[FILE_MUTATIONS] * sizeof *filters);
        if (!grown) {
            status = cm_error_set(err, folder, 0, 0, "out of memory");
        } else {
            filters = grown;
            while (n_filters < counts[FILE_MUTATIONS])
                filters[n_filters++] = NULL;
        }
    }
    if (status == 0 && list_ignored(folder, files, lists, counts) < 0)
        status = cm_error_set(err, folder, 0, 0, "out of memory");
    // The main clinical files: the one under a usual name, else the first; the other sample
    // files add their columns to it (data_clinical_supp_*.txt).
    for (int kind = FILE_SAMPLE; kind <= FILE_PATIENT; kind++) {
        size_t main = 0;
        for (size_t i = 0; i < counts[kind]; i++)
            if (is_usual_name(kind, lists[kind][i])) {
                main = i;
                break;
            }
        for (size_t i = 0; i < counts[kind]; i++) {
            if (i == main) {
                *(kind == FILE_SAMPLE ? &files->clinical_sample : &files->clinical_patient) =
                    lists[kind][i];
                continue;
            }
            size_t index;
            if (kind == FILE_SAMPLE && status == 0) {
                if (add_path(&files->more_clinical, &files->n_more_clinical, lists[kind][i],
                             &index) < 0)
                    status = cm_error_set(err, folder, 0, 0, "out of memory");
            } else {
                free(lists[kind][i]);
            }
        }
        free(lists[kind]);
    }
    files->mutations = lists[FILE_MUTATIONS];
    files->mutation_filters = filters;
    files->n_mutations = counts[FILE_MUTATIONS];
    if (!files->mutations) {
        for (size_t i = 0; i < n_filters; i++)
            free(filters[i]);
        free(filters);
        files->mutation_filters = NULL;
    }
    files->copy_number = lists[FILE_COPY_NUMBER];
    files->n_copy_number = counts[FILE_COPY_NUMBER];
    files->structural = lists[FILE_STRUCTURAL];
    files->n_structural = counts[FILE_STRUCTURAL];
    if (status == 0 && !files->clinical_sample)
        status = cm_error_set(err, folder, 0, 0,
                              "not a cBioPortal study: no clinical sample file "
                              "(data_clinical_sample.txt or a meta file of SAMPLE_ATTRIBUTES)");
    if (status != 0)
        cm_cbioportal_files_free(files);
    return status;
}

void cm_cbioportal_files_free(cm_cbioportal_files *files)
{
    if (!files)
        return;
    free(files->clinical_sample);
    free(files->clinical_patient);
    free_names(files->more_clinical, files->n_more_clinical);
    for (size_t i = 0; files->mutation_filters && i < files->n_mutations; i++)
        free(files->mutation_filters[i]);
    free(files->mutation_filters);
    free_names(files->mutations, files->n_mutations);
    free_names(files->copy_number, files->n_copy_number);
    free_names(files->structural, files->n_structural);
    free_names(files->ignored, files->n_ignored);
    memset(files, 0, sizeof *files);
}

int cm_cbioportal_is_study(const char *path)
{
    // A study is told by its files' names, so that a study with a broken meta file is still
    // read as one (and its error reported) rather than taken for something else.
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0;
    size_t n_meta;
    char **meta = list_meta_files(path, &n_meta);
    for (size_t i = 0; i < n_meta; i++)
        free(meta[i]);
    free(meta);
    if (n_meta > 0)
        return 1;
    for (int k = 0; usual_names[FILE_SAMPLE][k]; k++) {
        char *file = join_path(path, usual_names[FILE_SAMPLE][k]);
        int found = file && is_regular_file(file);
        free(file);
        if (found)
            return 1;
    }
    return 0;
}

/* ---- Values ---- */

cm_msi_status cm_cbioportal_msi_word(cm_slice value)
{
    static const char *const high[] = {"Instable", "MSI-H", "MSI-High", "MSI_H",   "MSI-Hi",
                                       "MSI",      "High",  "MSIH",     "Unstable"};
    static const char *const stable[] = {"Stable", "MSS",       "MSI-L", "MSI-Low",
                                         "MSI_L",  "MSS/MSI-L", "Low",   "MSIL"};
    for (size_t i = 0; i < sizeof high / sizeof high[0]; i++)
        if (cm_table_equals(value, high[i]))
            return CM_MSI_HIGH;
    for (size_t i = 0; i < sizeof stable / sizeof stable[0]; i++)
        if (cm_table_equals(value, stable[i]))
            return CM_MSI_STABLE;
    return CM_MSI_UNSET;
}

cm_msi_status cm_cbioportal_msi_score(double score)
{
    if (!isfinite(score))
        return CM_MSI_UNSET;
    return score >= 10 ? CM_MSI_HIGH : score < 3 ? CM_MSI_STABLE : CM_MSI_UNSET;
}

// Whether value holds word (any case) as a whole word: no letter just before or after it, so
// that "Solid Tissue Normal" holds "normal" and "Abnormal" does not.
static int contains_word(cm_slice value, const char *word)
{
    int len = (int)strlen(word);
    for (int i = 0; i + len <= value.len; i++)
        if (cm_table_equals((cm_slice){value.s + i, len}, word) &&
            (i == 0 || !isalpha((unsigned char)value.s[i - 1])) &&
            (i + len == value.len || !isalpha((unsigned char)value.s[i + len])))
            return 1;
    return 0;
}

int cm_cbioportal_is_normal_sample_type(cm_slice value)
{
    return contains_word(value, "normal");
}

int cm_is_normal_barcode(cm_slice sample)
{
    int prefix = sample.len > 5 && memcmp(sample.s, "TCGA-", 5) == 0     ? 5
                 : sample.len > 7 && memcmp(sample.s, "TARGET-", 7) == 0 ? 7
                                                                         : 0;
    if (!prefix)
        return 0;
    int dashes = 0, i = 0;
    for (; i < sample.len && dashes < 3; i++)
        dashes += sample.s[i] == '-';
    if (dashes < 3 || i + 1 >= sample.len)
        return 0;
    char a = sample.s[i], b = sample.s[i + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9')
        return 0;
    int code = (a - '0') * 10 + (b - '0');
    return code >= 10 && code <= 19;
}

static cm_sex parse_sex(cm_slice value)
{
    if (cm_table_equals(value, "Female") || cm_table_equals(value, "F"))
        return CM_SEX_FEMALE;
    if (cm_table_equals(value, "Male") || cm_table_equals(value, "M"))
        return CM_SEX_MALE;
    return CM_SEX_UNSET;
}

/* ---- Clinical files ---- */

static char *copy_slice(cm_slice value)
{
    char *copy = malloc((size_t)value.len + 1);
    if (copy) {
        memcpy(copy, value.s, (size_t)value.len);
        copy[value.len] = '\0';
    }
    return copy;
}

static void trim_slice(cm_slice *value)
{
    while (value->len > 0 && (value->s[0] == ' ' || value->s[0] == '"')) {
        value->s++;
        value->len--;
    }
    while (value->len > 0 && (value->s[value->len - 1] == ' ' || value->s[value->len - 1] == '"'))
        value->len--;
}

/// Reads the first line that is neither empty nor a '#' metadata row, split.
static int read_header(cm_table *table, cm_error *err)
{
    int got;
    while ((got = cm_table_next_line(table, err)) > 0)
        if (table->line.l > 0 && table->line.s[0] != '#')
            break;
    if (got == 0)
        return cm_error_set(err, table->path, 0, 0, "no header line");
    if (got < 0)
        return -1;
    if (cm_table_split(table, 0) < 0)
        return cm_error_set(err, table->path, 0, 0, "out of memory");
    return 0;
}

/// The first of several column names the header has, or -1.
static int find_column(const cm_table *table, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int column = cm_table_column(table, names[i]);
        if (column >= 0)
            return column;
    }
    return -1;
}

static int number_error(const cm_table *table, int column, const char *what, cm_slice value,
                        cm_error *err)
{
    cm_slice name = cm_table_field(table, column);
    (void)name;
    return cm_error_set(err, table->path, (int)table->line_number, column + 1,
                        "%s '%.*s' is not a number", what, value.len > 60 ? 60 : value.len,
                        value.s);
}

/// A number column: NAN when not given; an error when written but not a number (or < 0).
static int read_number(const cm_table *table, int column, const char *what, double *out,
                       cm_error *err)
{
    *out = NAN;
    if (column < 0)
        return 0;
    cm_slice value = cm_table_field(table, column);
    if (cm_table_is_null(value))
        return 0;
    if (cm_table_parse_double(value, out) < 0 || *out < 0)
        return number_error(table, column, what, value, err);
    return 0;
}

static int check_width(const cm_table *table, int n_header, cm_error *err);

typedef struct patient_facts {
    char *patient;
    double age;
    cm_sex sex;
    cm_clinical_cell age_cell, sex_cell; // in the patient file
} patient_facts;

static int load_patients(const char *path, patient_facts **out, size_t *n_out, cm_error *err)
{
    *out = NULL;
    *n_out = 0;
    cm_table table;
    if (cm_table_open(&table, path, 0, err) < 0)
        return -1;
    int status = read_header(&table, err);
    static const char *const patient_names[] = {"PATIENT_ID"};
    static const char *const age_names[] = {"AGE", "AGE_AT_DIAGNOSIS", "AGE_AT_SEQ_REPORT"};
    static const char *const sex_names[] = {"SEX", "GENDER"};
    int patient_column = status == 0 ? find_column(&table, patient_names, 1) : -1;
    int age_column = status == 0 ? find_column(&table, age_names, 3) : -1;
    int sex_column = status == 0 ? find_column(&table, sex_names, 2) : -1;
    int n_header = table.n_fields;
    if (status == 0 && patient_column < 0)
        status = cm_error_set(err, path, (int)table.line_number, 0,
                              "the header has no PATIENT_ID column");
    size_t capacity = 0;
    int got = 0;
    while (status == 0 && (got = cm_table_next_line(&table, err)) > 0) {
        if (table.line.l == 0 || table.line.s[0] == '#')
            continue;
        if (cm_table_split(&table, 0) < 0) {
            status = cm_error_set(err, path, (int)table.line_number, 0, "out of memory");
            break;
        }
        if ((status = check_width(&table, n_header, err)) < 0)
            break;
        cm_slice patient = cm_table_field(&table, patient_column);
        trim_slice(&patient);
        if (patient.len == 0)
            continue;
        if (*n_out == capacity) {
            capacity = capacity ? capacity * 2 : 64;
            patient_facts *grown = realloc(*out, capacity * sizeof *grown);
            if (!grown) {
                status = cm_error_set(err, path, 0, 0, "out of memory");
                break;
            }
            *out = grown;
        }
        patient_facts *facts = &(*out)[*n_out];
        facts->sex = sex_column >= 0 ? parse_sex(cm_table_field(&table, sex_column)) : CM_SEX_UNSET;
        if (!(facts->patient = copy_slice(patient))) {
            status = cm_error_set(err, path, 0, 0, "out of memory");
            break;
        }
        (*n_out)++;
        status = read_number(&table, age_column, "AGE", &facts->age, err);
        int line = (int)table.line_number;
        facts->age_cell = isnan(facts->age) ? (cm_clinical_cell){NULL, 0, 0}
                                            : (cm_clinical_cell){path, line, age_column + 1};
        facts->sex_cell = facts->sex == CM_SEX_UNSET
                              ? (cm_clinical_cell){NULL, 0, 0}
                              : (cm_clinical_cell){path, line, sex_column + 1};
    }
    if (got < 0)
        status = -1;
    cm_table_close(&table);
    return status;
}

void cm_clinical_free(cm_clinical *clinical)
{
    if (!clinical)
        return;
    for (size_t i = 0; i < clinical->n; i++) {
        cm_clinical_sample *s = &clinical->samples[i];
        free(s->sample);
        free(s->patient);
        free(s->oncotree_code);
        free(s->cancer_type);
    }
    free(clinical->samples);
    clinical->samples = NULL;
    clinical->n = 0;
}

KHASH_MAP_INIT_STR(clinical_ids, size_t)

/// A data row whose number of fields differs from the header's is malformed (cBioPortal's
/// validator refuses it): a shifted row would give its values to the wrong columns. Empty
/// fields after the last column (a trailing tab) are tolerated.
static int check_width(const cm_table *table, int n_header, cm_error *err)
{
    int n = table->n_fields;
    while (n > n_header && table->fields[n - 1].len == 0)
        n--;
    if (n == n_header)
        return 0;
    return cm_error_set(err, table->path, (int)table->line_number, 0,
                        "%d tab-separated fields, the header has %d columns", n, n_header);
}

typedef struct sample_columns {
    int sample, patient, code, detailed, type, sample_type, tmb, msi, status, score, age, sex;
    int n_header;
} sample_columns;

static void find_sample_columns(const cm_table *table, sample_columns *c)
{
    static const char *const sample_names[] = {"SAMPLE_ID"};
    static const char *const patient_names[] = {"PATIENT_ID"};
    static const char *const code_names[] = {"ONCOTREE_CODE"};
    static const char *const type_names[] = {"CANCER_TYPE_DETAILED", "CANCER_TYPE"};
    static const char *const sample_type_names[] = {"SAMPLE_TYPE", "SAMPLE_CLASS"};
    static const char *const tmb_names[] = {"TMB_NONSYNONYMOUS", "TMB", "TMB_SCORE"};
    static const char *const msi_names[] = {"MSI_TYPE", "MSI_STATUS"};
    static const char *const score_names[] = {"MSI_SCORE", "MSI_SENSOR_SCORE", "MSISENSOR_SCORE"};
    static const char *const age_names[] = {"AGE", "AGE_AT_SEQ_REPORT", "AGE_AT_DIAGNOSIS"};
    static const char *const sex_names[] = {"SEX", "GENDER"};
    c->sample = find_column(table, sample_names, 1);
    c->patient = find_column(table, patient_names, 1);
    c->code = find_column(table, code_names, 1);
    c->detailed = find_column(table, type_names, 1);
    c->type = find_column(table, type_names + 1, 1);
    c->sample_type = find_column(table, sample_type_names, 2);
    c->tmb = find_column(table, tmb_names, 3);
    c->msi = find_column(table, msi_names, 1);
    c->status = find_column(table, msi_names + 1, 1);
    c->score = find_column(table, score_names, 3);
    c->age = find_column(table, age_names, 3);
    c->sex = find_column(table, sex_names, 2);
    c->n_header = table->n_fields;
}

/// Reads the facts of a split row of the file path into row, each with its cell; with
/// only_missing, only the facts row does not have yet (a supplementary file adds to the main
/// one). Returns 0, or -1 with err filled.
static int read_sample_facts(const cm_table *table, const char *path, const sample_columns *c,
                             cm_clinical_sample *row, int only_missing, cm_error *err)
{
    int line = (int)table->line_number;
    cm_slice patient = cm_table_field(table, c->patient);
    trim_slice(&patient);
    cm_slice code = cm_table_field(table, c->code);
    trim_slice(&code);
    cm_slice type = cm_table_field(table, c->detailed);
    if (cm_table_is_null(type))
        type = cm_table_field(table, c->type);
    trim_slice(&type);
    if (!row->oncotree_code && !cm_table_is_null(code))
        row->code_cell = (cm_clinical_cell){path, line, c->code + 1};
    if ((!row->patient && patient.len && !(row->patient = copy_slice(patient))) ||
        (!row->oncotree_code && !cm_table_is_null(code) &&
         !(row->oncotree_code = copy_slice(code))) ||
        (!row->cancer_type && !cm_table_is_null(type) && !(row->cancer_type = copy_slice(type))))
        return cm_error_set(err, path, line, 0, "out of memory");
    if (c->sample_type >= 0 &&
        cm_cbioportal_is_normal_sample_type(cm_table_field(table, c->sample_type)))
        row->is_normal = 1;
    double tmb, score, age;
    if (read_number(table, c->tmb, "TMB", &tmb, err) < 0 ||
        read_number(table, c->score, "MSI_SCORE", &score, err) < 0 ||
        read_number(table, c->age, "AGE", &age, err) < 0)
        return -1;
    if (!(only_missing && !isnan(row->tmb)) && !isnan(tmb)) {
        row->tmb = tmb;
        row->tmb_cell = (cm_clinical_cell){path, line, c->tmb + 1};
    }
    if (!(only_missing && !isnan(row->age)) && !isnan(age)) {
        row->age = age;
        row->age_cell = (cm_clinical_cell){path, line, c->age + 1};
    }
    int msi_column = c->msi;
    cm_msi_status msi = cm_cbioportal_msi_word(cm_table_field(table, c->msi));
    if (msi == CM_MSI_UNSET) {
        msi = cm_cbioportal_msi_word(cm_table_field(table, c->status));
        msi_column = c->status;
    }
    if (msi == CM_MSI_UNSET) {
        msi = cm_cbioportal_msi_score(score);
        msi_column = c->score;
    }
    if (row->msi == CM_MSI_UNSET && msi != CM_MSI_UNSET) {
        row->msi = msi;
        row->msi_cell = (cm_clinical_cell){path, line, msi_column + 1};
    }
    cm_sex sex = c->sex >= 0 ? parse_sex(cm_table_field(table, c->sex)) : CM_SEX_UNSET;
    if (row->sex == CM_SEX_UNSET && sex != CM_SEX_UNSET) {
        row->sex = sex;
        row->sex_cell = (cm_clinical_cell){path, line, c->sex + 1};
    }
    return 0;
}

/// Reads the sample rows of one file. The main file (merge 0) lists each sample once; a
/// supplementary one (merge 1) adds the facts its samples do not have yet, and its samples
/// that the main file does not list.
static int load_samples(cm_clinical *clinical, const char *path, int merge, cm_error *err)
{
    cm_table table;
    if (cm_table_open(&table, path, 0, err) < 0)
        return -1;
    khash_t(clinical_ids) *ids = kh_init(clinical_ids);
    int status = ids ? read_header(&table, err) : cm_error_set(err, path, 0, 0, "out of memory");
    for (size_t i = 0; status == 0 && i < clinical->n; i++) {
        int absent;
        khint_t k = kh_put(clinical_ids, ids, clinical->samples[i].sample, &absent);
        if (absent < 0)
            status = cm_error_set(err, path, 0, 0, "out of memory");
        else
            kh_value(ids, k) = i;
    }
    sample_columns c;
    if (status == 0) {
        find_sample_columns(&table, &c);
        if (c.sample < 0)
            status = cm_error_set(err, path, (int)table.line_number, 0,
                                  "the header has no SAMPLE_ID column");
    }
    size_t capacity = clinical->n;
    int got = 0;
    while (status == 0 && (got = cm_table_next_line(&table, err)) > 0) {
        if (table.line.l == 0 || table.line.s[0] == '#')
            continue;
        if (cm_table_split(&table, 0) < 0) {
            status = cm_error_set(err, path, (int)table.line_number, 0, "out of memory");
            break;
        }
        if ((status = check_width(&table, c.n_header, err)) < 0)
            break;
        int line = (int)table.line_number;
        cm_slice sample = cm_table_field(&table, c.sample);
        trim_slice(&sample);
        if (sample.len == 0) {
            status = cm_error_set(err, path, line, c.sample + 1, "empty SAMPLE_ID");
            break;
        }
        char *name = copy_slice(sample);
        if (!name) {
            status = cm_error_set(err, path, line, 0, "out of memory");
            break;
        }
        khint_t k = kh_get(clinical_ids, ids, name);
        if (k != kh_end(ids)) {
            cm_clinical_sample *row = &clinical->samples[kh_value(ids, k)];
            if (!merge) {
                status = cm_error_set(err, path, line, c.sample + 1,
                                      "SAMPLE_ID '%s' is listed twice (first on line %d)", name,
                                      row->line);
                free(name);
                break;
            }
            free(name);
            status = read_sample_facts(&table, path, &c, row, 1, err);
            continue;
        }
        if (clinical->n == capacity) {
            capacity = capacity ? capacity * 2 : 64;
            cm_clinical_sample *grown = realloc(clinical->samples, capacity * sizeof *grown);
            if (!grown) {
                free(name);
                status = cm_error_set(err, path, line, 0, "out of memory");
                break;
            }
            clinical->samples = grown;
        }
        cm_clinical_sample *row = &clinical->samples[clinical->n++];
        memset(row, 0, sizeof *row);
        row->sample = name;
        row->line = line;
        row->tmb = row->age = NAN;
        int absent;
        k = kh_put(clinical_ids, ids, row->sample, &absent);
        if (absent < 0) {
            status = cm_error_set(err, path, line, 0, "out of memory");
            break;
        }
        kh_value(ids, k) = clinical->n - 1;
        status = read_sample_facts(&table, path, &c, row, 0, err);
    }
    if (got < 0)
        status = -1;
    if (ids)
        kh_destroy(clinical_ids, ids);
    cm_table_close(&table);
    return status;
}

/// The patient file's facts win over the sample file's copies of them (joined by PATIENT_ID).
static int join_patients(cm_clinical *clinical, const patient_facts *patients, size_t n_patients,
                         const char *path, cm_error *err)
{
    khash_t(clinical_ids) *patient_ids = kh_init(clinical_ids);
    if (!patient_ids)
        return cm_error_set(err, path, 0, 0, "out of memory");
    for (size_t i = 0; i < n_patients; i++) {
        int absent;
        khint_t k = kh_put(clinical_ids, patient_ids, patients[i].patient, &absent);
        if (absent < 0) {
            kh_destroy(clinical_ids, patient_ids);
            return cm_error_set(err, path, 0, 0, "out of memory");
        }
        if (absent)
            kh_value(patient_ids, k) = i;
    }
    for (size_t i = 0; i < clinical->n; i++) {
        cm_clinical_sample *row = &clinical->samples[i];
        khint_t p =
            row->patient ? kh_get(clinical_ids, patient_ids, row->patient) : kh_end(patient_ids);
        if (p == kh_end(patient_ids))
            continue;
        const patient_facts *facts = &patients[kh_value(patient_ids, p)];
        if (!isnan(facts->age)) {
            row->age = facts->age;
            row->age_cell = facts->age_cell;
        }
        if (facts->sex != CM_SEX_UNSET) {
            row->sex = facts->sex;
            row->sex_cell = facts->sex_cell;
        }
    }
    kh_destroy(clinical_ids, patient_ids);
    return 0;
}

int cm_clinical_load(cm_clinical *clinical, const char *sample_path, const char *patient_path,
                     cm_error *err)
{
    return cm_clinical_load_files(clinical, sample_path, NULL, 0, patient_path, err);
}

int cm_clinical_load_files(cm_clinical *clinical, const char *sample_path,
                           const char *const *more_paths, size_t n_more, const char *patient_path,
                           cm_error *err)
{
    memset(clinical, 0, sizeof *clinical);
    patient_facts *patients = NULL;
    size_t n_patients = 0;
    int status = patient_path ? load_patients(patient_path, &patients, &n_patients, err) : 0;
    if (status == 0)
        status = load_samples(clinical, sample_path, 0, err);
    for (size_t i = 0; status == 0 && i < n_more; i++)
        status = load_samples(clinical, more_paths[i], 1, err);
    if (status == 0)
        status = join_patients(clinical, patients, n_patients, patient_path, err);
    for (size_t i = 0; i < n_patients; i++)
        free(patients[i].patient);
    free(patients);
    if (status != 0)
        cm_clinical_free(clinical);
    return status;
}

/* ---- Copy-number and structural-variant files ---- */

struct cm_cbioportal_reader {
    cm_table table;
    cm_cbioportal_kind kind;
    int col_gene, col_gene2, col_sample, col_value, col_frame, col_event, col_fusion, col_chrom,
        col_pos, col_status, col_entrez, col_entrez2;
    cm_entrez_map *entrez;    // NULL: none
    int n_header;             // fields of the header line
    int first_sample_column;  // wide copy number: sample columns start here
    cm_slice *column_samples; // wide copy number: the header's sample names (owned copies)
    size_t n_column_samples;
    cm_gene_set *genes; // NULL: no gene filter
    cm_cbioportal_event *events;
    size_t n_events, capacity;
    cm_cbioportal_stats stats;
};

int cm_cbioportal_cna_class(cm_slice value, unsigned *cnv)
{
    trim_slice(&value);
    static const struct {
        const char *text;
        unsigned cnv;
    } values[] = {{"-2", CM_CNV_HOMOZYGOUS_DELETION},
                  {"-1.5", CM_CNV_DELETION},
                  {"-1", CM_CNV_DELETION},
                  {"0", 0},
                  {"1", CM_CNV_GAIN},
                  {"2", CM_CNV_AMPLIFICATION},
                  {"-0", 0},
                  {"+1", CM_CNV_GAIN},
                  {"+2", CM_CNV_AMPLIFICATION},
                  {"-2.0", CM_CNV_HOMOZYGOUS_DELETION},
                  {"-1.0", CM_CNV_DELETION},
                  {"0.0", 0},
                  {"1.0", CM_CNV_GAIN},
                  {"2.0", CM_CNV_AMPLIFICATION}};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        if (cm_slice_equals(value, values[i].text)) {
            *cnv = values[i].cnv;
            return 0;
        }
    return -1;
}

static int grow_events(cm_cbioportal_reader *r, size_t needed);

cm_cbioportal_reader *cm_cbioportal_open(const char *path, int threads, cm_error *err)
{
    cm_cbioportal_reader *r = calloc(1, sizeof *r);
    if (!r) {
        cm_error_set(err, path, 0, 0, "out of memory");
        return NULL;
    }
    if (cm_table_open(&r->table, path, threads, err) < 0) {
        free(r);
        return NULL;
    }
    if (read_header(&r->table, err) < 0) {
        cm_cbioportal_close(r);
        return NULL;
    }
    cm_table *t = &r->table;
    static const char *const sv_sample[] = {"Sample_Id", "Sample_ID", "SAMPLE_ID",
                                            "Tumor_Sample_Barcode"};
    static const char *const site1[] = {"Site1_Hugo_Symbol", "Site1_Gene"};
    static const char *const site2[] = {"Site2_Hugo_Symbol", "Site2_Gene"};
    static const char *const frame[] = {"Site2_Effect_On_Frame", "Frame"};
    static const char *const event[] = {"Event_Info"};
    static const char *const fusion[] = {"Fusion"};
    static const char *const gene[] = {"Hugo_Symbol"};
    static const char *const value[] = {"Value"};
    static const char *const chrom[] = {"Site1_Chromosome"};
    static const char *const pos[] = {"Site1_Position"};
    static const char *const sv_status[] = {"SV_Status", "Fusion_Status"};
    r->n_header = t->n_fields;
    r->col_status = find_column(t, sv_status, 2);
    static const char *const entrez1[] = {"Site1_Entrez_Gene_Id", "Entrez_Gene_Id"};
    static const char *const entrez2[] = {"Site2_Entrez_Gene_Id"};
    r->col_entrez = find_column(t, entrez1, 2);
    r->col_entrez2 = find_column(t, entrez2, 1);
    r->col_gene = find_column(t, site1, 2);
    r->col_gene2 = find_column(t, site2, 2);
    r->col_sample = find_column(t, sv_sample, 4);
    r->col_frame = find_column(t, frame, 2);
    r->col_event = find_column(t, event, 1);
    r->col_fusion = find_column(t, fusion, 1);
    r->col_chrom = find_column(t, chrom, 1);
    r->col_pos = find_column(t, pos, 1);
    if ((r->col_gene >= 0 || r->col_gene2 >= 0) && r->col_sample >= 0) {
        r->kind = CM_CBIOPORTAL_SV;
        return r;
    }
    r->col_gene = find_column(t, gene, 1);
    if (r->col_gene >= 0 && r->col_fusion >= 0 && r->col_sample >= 0) {
        r->kind = CM_CBIOPORTAL_FUSION;
        return r;
    }
    r->col_value = find_column(t, value, 1);
    if (r->col_value >= 0 && r->col_sample >= 0) {
        if (r->col_gene < 0 && r->col_entrez < 0) {
            cm_error_set(err, path, (int)t->line_number, 0,
                         "the long copy-number form needs a Hugo_Symbol or Entrez_Gene_Id "
                         "column");
            cm_cbioportal_close(r);
            return NULL;
        }
        r->kind = CM_CBIOPORTAL_CNA_LONG;
        return r;
    }
    // The wide matrix: gene columns first, then one column per sample.
    int first = 0;
    while (first < t->n_fields && (cm_table_equals(t->fields[first], "Hugo_Symbol") ||
                                   cm_table_equals(t->fields[first], "Entrez_Gene_Id") ||
                                   cm_table_equals(t->fields[first], "Cytoband")))
        first++;
    if (first == 0 || first == t->n_fields) {
        cm_error_set(err, path, (int)t->line_number, 0,
                     "not a copy-number or structural-variant file cohortmatch reads (a header "
                     "of Hugo_Symbol, Entrez_Gene_Id and sample columns; or Sample_Id and Value; "
                     "or Sample_Id and Site1_Hugo_Symbol/Site2_Hugo_Symbol; or "
                     "Tumor_Sample_Barcode and Fusion)");
        cm_cbioportal_close(r);
        return NULL;
    }
    r->kind = CM_CBIOPORTAL_CNA_WIDE;
    r->first_sample_column = first;
    // The header's sample names are kept: the line buffer is reused per row.
    r->n_column_samples = (size_t)(t->n_fields - first);
    r->column_samples = calloc(r->n_column_samples, sizeof *r->column_samples);
    if (!r->column_samples || grow_events(r, r->n_column_samples) < 0) {
        cm_error_set(err, path, 0, 0, "out of memory");
        cm_cbioportal_close(r);
        return NULL;
    }
    for (int c = first; c < t->n_fields; c++) {
        cm_slice name = t->fields[c];
        trim_slice(&name);
        if (name.len == 0) {
            cm_error_set(err, path, (int)t->line_number, c + 1,
                         "a sample column without a sample id in the header");
            cm_cbioportal_close(r);
            return NULL;
        }
        char *copy = copy_slice(name);
        if (!copy) {
            cm_error_set(err, path, 0, 0, "out of memory");
            cm_cbioportal_close(r);
            return NULL;
        }
        r->column_samples[c - first] = (cm_slice){copy, name.len};
    }
    return r;
}

cm_cbioportal_kind cm_cbioportal_reader_kind(const cm_cbioportal_reader *reader)
{
    return reader->kind;
}

int cm_cbioportal_set_gene_filter(cm_cbioportal_reader *reader, const char *const *genes,
                                  size_t n_genes)
{
    return (reader->genes = cm_gene_set_new(genes, n_genes)) ? 0 : -1;
}

const cm_cbioportal_stats *cm_cbioportal_get_stats(const cm_cbioportal_reader *reader)
{
    return &reader->stats;
}

void cm_cbioportal_close(cm_cbioportal_reader *reader)
{
    if (!reader)
        return;
    for (size_t i = 0; reader->column_samples && i < reader->n_column_samples; i++)
        free((char *)reader->column_samples[i].s);
    free(reader->column_samples);
    free(reader->events);
    cm_gene_set_free(reader->genes);
    cm_table_close(&reader->table);
    free(reader);
}

/// A gene symbol as the file writes it: "GENE|extra" keeps GENE; NA, empty, Unknown: none.
static cm_slice gene_symbol(cm_slice value)
{
    trim_slice(&value);
    const char *bar = value.len > 0 ? memchr(value.s, '|', (size_t)value.len) : NULL;
    if (bar)
        value.len = (int)(bar - value.s);
    if (cm_table_is_null(value) || cm_table_equals(value, "Unknown"))
        return (cm_slice){"", 0};
    return value;
}

KHASH_MAP_INIT_INT64(entrez_ids, char *)

struct cm_entrez_map {
    khash_t(entrez_ids) * ids;
};

cm_entrez_map *cm_entrez_map_new(void)
{
    cm_entrez_map *map = calloc(1, sizeof *map);
    if (map && !(map->ids = kh_init(entrez_ids))) {
        free(map);
        return NULL;
    }
    return map;
}

static int parse_entrez(cm_slice entrez, long long *id)
{
    trim_slice(&entrez);
    return !cm_table_is_null(entrez) && cm_table_parse_long(entrez, id) == 0 && *id > 0 ? 0 : -1;
}

int cm_entrez_map_add(cm_entrez_map *map, cm_slice entrez, cm_slice symbol)
{
    long long id;
    trim_slice(&symbol);
    if (parse_entrez(entrez, &id) < 0 || cm_table_is_null(symbol) ||
        cm_table_equals(symbol, "Unknown") || memchr(symbol.s, '|', (size_t)symbol.len))
        return 0;
    int absent;
    khint_t k = kh_put(entrez_ids, map->ids, id, &absent);
    if (absent < 0)
        return -1;
    if (!absent)
        return 0;
    if (!(kh_value(map->ids, k) = copy_slice(symbol))) {
        kh_del(entrez_ids, map->ids, k);
        return -1;
    }
    return 0;
}

cm_slice cm_entrez_map_get(const cm_entrez_map *map, cm_slice entrez)
{
    long long id;
    if (!map || parse_entrez(entrez, &id) < 0)
        return (cm_slice){"", 0};
    khint_t k = kh_get(entrez_ids, map->ids, id);
    if (k == kh_end(map->ids))
        return (cm_slice){"", 0};
    const char *symbol = kh_value(map->ids, k);
    return (cm_slice){symbol, (int)strlen(symbol)};
}

void cm_entrez_map_free(cm_entrez_map *map)
{
    if (!map)
        return;
    for (khint_t k = kh_begin(map->ids); k != kh_end(map->ids); k++)
        if (kh_exist(map->ids, k))
            free(kh_value(map->ids, k));
    kh_destroy(entrez_ids, map->ids);
    free(map);
}

void cm_cbioportal_set_entrez_map(cm_cbioportal_reader *reader, cm_entrez_map *map)
{
    reader->entrez = map;
}

/// The gene of one side of a row: its symbol, else the symbol the map holds for its Entrez
/// id; a row with both teaches the map the pair. Returns 0, or -1 when out of memory.
static int side_gene(cm_cbioportal_reader *r, int col_symbol, int col_entrez, cm_slice *gene)
{
    *gene = gene_symbol(cm_table_field(&r->table, col_symbol));
    if (!r->entrez || col_entrez < 0)
        return 0;
    cm_slice entrez = cm_table_field(&r->table, col_entrez);
    if (gene->len > 0)
        return cm_entrez_map_add(r->entrez, entrez, *gene);
    *gene = cm_entrez_map_get(r->entrez, entrez);
    return 0;
}

static int is_wanted(const cm_cbioportal_reader *r, cm_slice gene)
{
    return !r->genes || cm_gene_set_has(r->genes, gene);
}

static int grow_events(cm_cbioportal_reader *r, size_t needed)
{
    if (needed <= r->capacity)
        return 0;
    size_t capacity = r->capacity ? r->capacity * 2 : 4;
    while (capacity < needed)
        capacity *= 2;
    cm_cbioportal_event *grown = realloc(r->events, capacity * sizeof *grown);
    if (!grown)
        return -1;
    r->events = grown;
    r->capacity = capacity;
    return 0;
}

static cm_alteration copy_number_alteration(cm_slice gene, unsigned cnv)
{
    cm_alteration a;
    cm_alteration_init(&a);
    a.kind = CM_ALTERATION_COPY_NUMBER;
    a.sample = -1;
    a.gene = gene;
    a.cnv = cnv;
    return a;
}

static int value_error(const cm_cbioportal_reader *r, int column, cm_slice value, cm_error *err)
{
    return cm_error_set(err, r->table.path, (int)r->table.line_number, column + 1,
                        "copy-number value '%.*s' is not -2, -1.5, -1, 0, 1, 2 or NA",
                        value.len > 40 ? 40 : value.len, value.s);
}

/// The gene of a copy-number row; 0 (counted) when it has none or the filter skips it.
static int copy_number_gene(cm_cbioportal_reader *r, cm_slice *gene)
{
    if (side_gene(r, r->col_gene, r->col_entrez, gene) < 0)
        return -1;
    if (gene->len == 0) {
        r->stats.cna_no_gene++;
        return 0;
    }
    if (!is_wanted(r, *gene)) {
        r->stats.prefiltered++;
        return 0;
    }
    return 1;
}

static int next_copy_number_wide(cm_cbioportal_reader *r, cm_error *err)
{
    cm_table *t = &r->table;
    cm_slice gene;
    int wanted = copy_number_gene(r, &gene);
    if (wanted <= 0)
        return wanted < 0 ? cm_error_set(err, t->path, 0, 0, "out of memory") : 0;
    size_t n_samples = r->n_column_samples;
    for (size_t i = 0; i < n_samples; i++) {
        int column = r->first_sample_column + (int)i;
        cm_slice value = cm_table_field(t, column);
        unsigned cnv;
        if (cm_table_is_null(value))
            continue;
        if (cm_cbioportal_cna_class(value, &cnv) < 0)
            return value_error(r, column, value, err);
        if (!cnv)
            continue;
        cm_cbioportal_event *event = &r->events[r->n_events++];
        event->sample = r->column_samples[i];
        event->alteration = copy_number_alteration(gene, cnv);
    }
    return 0;
}

static int next_copy_number_long(cm_cbioportal_reader *r, cm_error *err)
{
    cm_table *t = &r->table;
    cm_slice gene;
    int wanted = copy_number_gene(r, &gene);
    if (wanted <= 0)
        return wanted < 0 ? cm_error_set(err, t->path, 0, 0, "out of memory") : 0;
    cm_slice sample = cm_table_field(t, r->col_sample), value = cm_table_field(t, r->col_value);
    trim_slice(&sample);
    if (sample.len == 0)
        return cm_error_set(err, t->path, (int)t->line_number, r->col_sample + 1,
                            "empty Sample_Id");
    unsigned cnv;
    if (cm_table_is_null(value))
        return 0;
    if (cm_cbioportal_cna_class(value, &cnv) < 0)
        return value_error(r, r->col_value, value, err);
    if (!cnv)
        return 0;
    if (grow_events(r, 1) < 0)
        return cm_error_set(err, t->path, 0, 0, "out of memory");
    r->events[0].sample = sample;
    r->events[0].alteration = copy_number_alteration(gene, cnv);
    r->n_events = 1;
    return 0;
}

/// Frame words of data_sv.txt (Site2_Effect_On_Frame, Event_Info) and data_fusions.txt (Frame).
static int read_frame(cm_slice text)
{
    if (contains_word(text, "out of frame") || contains_word(text, "out-of-frame") ||
        contains_word(text, "frameshift") || contains_word(text, "frame_shift") ||
        contains_word(text, "frame shift") || contains_word(text, "out_of_frame"))
        return 0;
    if (contains_word(text, "in frame") || contains_word(text, "in-frame") ||
        contains_word(text, "in_frame") || contains_word(text, "inframe"))
        return 1;
    return -1;
}

/// "EML4-ALK fusion" (data_fusions.txt): the partner of gene, and whether gene is 5'.
static cm_slice fusion_partner(cm_slice text, cm_slice gene, int *is_five_prime)
{
    trim_slice(&text);
    const char *space = text.len > 0 ? memchr(text.s, ' ', (size_t)text.len) : NULL;
    cm_slice pair = {text.s, space ? (int)(space - text.s) : text.len};
    *is_five_prime = -1;
    if (pair.len > gene.len + 1 && memcmp(pair.s, gene.s, (size_t)gene.len) == 0 &&
        pair.s[gene.len] == '-') {
        *is_five_prime = 1;
        return (cm_slice){pair.s + gene.len + 1, pair.len - gene.len - 1};
    }
    if (pair.len > gene.len + 1 &&
        memcmp(pair.s + pair.len - gene.len, gene.s, (size_t)gene.len) == 0 &&
        pair.s[pair.len - gene.len - 1] == '-') {
        *is_five_prime = 0;
        return (cm_slice){pair.s, pair.len - gene.len - 1};
    }
    return (cm_slice){"", 0};
}

static int next_structural(cm_cbioportal_reader *r, cm_error *err)
{
    cm_table *t = &r->table;
    // SV_Status (data_sv.txt) and Fusion_Status (data_fusions.txt): a germline event is not a
    // somatic alteration (as a MAF's Germline rows).
    if (cm_table_equals(cm_table_field(t, r->col_status), "GERMLINE")) {
        r->stats.sv_germline++;
        return 0;
    }
    cm_slice gene, partner = {"", 0};
    if (side_gene(r, r->col_gene, r->col_entrez, &gene) < 0)
        return cm_error_set(err, t->path, 0, 0, "out of memory");
    int is_five_prime = -1, in_frame = -1;
    if (r->kind == CM_CBIOPORTAL_SV) {
        if (side_gene(r, r->col_gene2, r->col_entrez2, &partner) < 0)
            return cm_error_set(err, t->path, 0, 0, "out of memory");
        in_frame = read_frame(cm_table_field(t, r->col_frame));
        if (in_frame < 0)
            in_frame = read_frame(cm_table_field(t, r->col_event));
        if (gene.len == 0) { // the partner side is the one in a gene
            gene = partner;
            partner = (cm_slice){"", 0};
        }
        if (gene.len > 0 && partner.len == 0)
            partner = (cm_slice){"intergenic", 10};
    } else if (gene.len > 0) {
        partner = fusion_partner(cm_table_field(t, r->col_fusion), gene, &is_five_prime);
        in_frame = read_frame(cm_table_field(t, r->col_frame));
    }
    if (gene.len == 0) {
        r->stats.sv_no_gene++;
        return 0;
    }
    if ((partner.len == gene.len && memcmp(partner.s, gene.s, (size_t)gene.len) == 0) ||
        cm_table_equals(partner, "intragenic")) {
        r->stats.sv_same_gene++;
        return 0;
    }
    if (!is_wanted(r, gene) && !is_wanted(r, partner)) {
        r->stats.prefiltered++;
        return 0;
    }
    cm_slice sample = cm_table_field(t, r->col_sample);
    trim_slice(&sample);
    if (sample.len == 0)
        return cm_error_set(err, t->path, (int)t->line_number, r->col_sample + 1,
                            "empty sample id");
    if (grow_events(r, 1) < 0)
        return cm_error_set(err, t->path, 0, 0, "out of memory");
    cm_alteration *a = &r->events[0].alteration;
    cm_alteration_init(a);
    a->kind = CM_ALTERATION_FUSION;
    a->sample = -1;
    a->gene = gene;
    a->partner = partner;
    a->is_five_prime = is_five_prime;
    a->in_frame = in_frame;
    cm_slice chrom = cm_table_field(t, r->col_chrom), pos = cm_table_field(t, r->col_pos);
    long long position;
    if (!cm_table_is_null(chrom))
        a->chrom = chrom;
    if (!cm_table_is_null(pos) && cm_table_parse_long(pos, &position) == 0 && position > 0)
        a->pos = position;
    r->events[0].sample = sample;
    r->n_events = 1;
    return 0;
}

int cm_cbioportal_next(cm_cbioportal_reader *reader, const cm_cbioportal_event **events, size_t *n,
                       cm_error *err)
{
    cm_table *t = &reader->table;
    int got;
    while ((got = cm_table_next_line(t, err)) > 0)
        if (t->line.l > 0 && t->line.s[0] != '#')
            break;
    if (got <= 0)
        return got;
    if (cm_table_split(t, 0) < 0)
        return cm_error_set(err, t->path, (int)t->line_number, 0, "out of memory");
    reader->stats.rows++;
    reader->n_events = 0;
    if (check_width(t, reader->n_header, err) < 0)
        return -1;
    int status;
    switch (reader->kind) {
    case CM_CBIOPORTAL_CNA_WIDE:
        status = next_copy_number_wide(reader, err);
        break;
    case CM_CBIOPORTAL_CNA_LONG:
        status = next_copy_number_long(reader, err);
        break;
    default:
        status = next_structural(reader, err);
        break;
    }
    if (status < 0)
        return -1;
    reader->stats.events += reader->n_events;
    *events = reader->events;
    *n = reader->n_events;
    return 1;
}
