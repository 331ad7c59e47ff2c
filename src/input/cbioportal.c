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

/// The kind a meta file describes, or -1 (expression, methylation, segments, ...).
static int meta_kind(const char *type, const char *datatype)
{
    if (strcmp(type, "CLINICAL") == 0)
        return strcmp(datatype, "PATIENT_ATTRIBUTES") == 0 ? FILE_PATIENT : FILE_SAMPLE;
    if (strcmp(type, "MUTATION_EXTENDED") == 0)
        return FILE_MUTATIONS;
    if (strcmp(type, "COPY_NUMBER_ALTERATION") == 0 &&
        (strcmp(datatype, "DISCRETE") == 0 || strcmp(datatype, "DISCRETE_LONG") == 0))
        return FILE_COPY_NUMBER;
    if (strcmp(type, "STRUCTURAL_VARIANT") == 0 || strcmp(type, "FUSION") == 0)
        return FILE_STRUCTURAL;
    return -1;
}

/// Reads "key: value" lines of a meta file into the three keys this module uses.
static int read_meta(const char *path, kstring_t *type, kstring_t *datatype, kstring_t *data_file)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    type->l = datatype->l = data_file->l = 0;
    char line[4096];
    while (fgets(line, sizeof line, fp)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        char *value = colon + 1;
        while (*value == ' ' || *value == '\t')
            value++;
        size_t len = strlen(value);
        while (len > 0 && (value[len - 1] == '\n' || value[len - 1] == '\r' ||
                           value[len - 1] == ' ' || value[len - 1] == '\t'))
            value[--len] = '\0';
        kstring_t *out = strcmp(line, "genetic_alteration_type") == 0 ? type
                         : strcmp(line, "datatype") == 0              ? datatype
                         : strcmp(line, "data_filename") == 0         ? data_file
                                                                      : NULL;
        if (out) {
            out->l = 0;
            kputs(value, out);
        }
    }
    fclose(fp);
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/// The meta_*.txt names of folder, sorted (the study's order does not depend on readdir).
static char **list_meta_files(const char *folder, size_t *n)
{
    *n = 0;
    DIR *dir = opendir(folder);
    if (!dir)
        return NULL;
    char **names = NULL;
    size_t capacity = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        size_t len = strlen(entry->d_name);
        if (len < 9 || strncmp(entry->d_name, "meta_", 5) != 0 ||
            strcmp(entry->d_name + len - 4, ".txt") != 0)
            continue;
        if (*n == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            char **grown = realloc(names, capacity * sizeof *names);
            if (!grown)
                break;
            names = grown;
        }
        if (!(names[*n] = strdup(entry->d_name)))
            break;
        (*n)++;
    }
    closedir(dir);
    if (*n > 1)
        qsort(names, *n, sizeof *names, compare_names);
    return names;
}

static int add_path(char ***list, size_t *n, char *path)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i], path) == 0) {
            free(path);
            return 0;
        }
    char **grown = realloc(*list, (*n + 1) * sizeof **list);
    if (!grown) {
        free(path);
        return -1;
    }
    *list = grown;
    grown[(*n)++] = path;
    return 0;
}

int cm_cbioportal_find_files(const char *folder, cm_cbioportal_files *files, cm_error *err)
{
    memset(files, 0, sizeof *files);
    char **lists[N_KINDS] = {NULL};
    size_t counts[N_KINDS] = {0};
    int has_meta[N_KINDS] = {0};
    size_t n_meta;
    char **meta = list_meta_files(folder, &n_meta);
    kstring_t type = {0, 0, NULL}, datatype = {0, 0, NULL}, data_file = {0, 0, NULL};
    int status = 0;
    for (size_t i = 0; i < n_meta && status == 0; i++) {
        char *meta_path = join_path(folder, meta[i]);
        if (!meta_path || read_meta(meta_path, &type, &datatype, &data_file) < 0) {
            free(meta_path);
            continue;
        }
        int kind = type.l ? meta_kind(type.s, datatype.l ? datatype.s : "") : -1;
        if (kind >= 0 && data_file.l) {
            char *path = join_path(folder, data_file.s);
            if (!path) {
                status = cm_error_set(err, folder, 0, 0, "out of memory");
            } else if (!is_regular_file(path)) {
                status = cm_error_set(err, meta_path, 0, 0,
                                      "data_filename '%s' is not a file in the study folder",
                                      data_file.s);
                free(path);
            } else {
                has_meta[kind] = 1;
                if (add_path(&lists[kind], &counts[kind], path) < 0)
                    status = cm_error_set(err, folder, 0, 0, "out of memory");
            }
        }
        free(meta_path);
    }
    for (size_t i = 0; i < n_meta; i++)
        free(meta[i]);
    free(meta);
    free(type.s);
    free(datatype.s);
    free(data_file.s);
    for (int kind = 0; kind < N_KINDS && status == 0; kind++) {
        if (has_meta[kind])
            continue;
        for (int k = 0; k < 6 && usual_names[kind][k] && status == 0; k++) {
            char *path = join_path(folder, usual_names[kind][k]);
            if (!path)
                status = cm_error_set(err, folder, 0, 0, "out of memory");
            else if (!is_regular_file(path))
                free(path);
            else if (add_path(&lists[kind], &counts[kind], path) < 0)
                status = cm_error_set(err, folder, 0, 0, "out of memory");
            // One clinical file of each kind: the first usual name found.
            if ((kind == FILE_SAMPLE || kind == FILE_PATIENT) && counts[kind] > 0)
                break;
        }
    }
    files->clinical_sample = counts[FILE_SAMPLE] ? lists[FILE_SAMPLE][0] : NULL;
    files->clinical_patient = counts[FILE_PATIENT] ? lists[FILE_PATIENT][0] : NULL;
    for (size_t i = 1; i < counts[FILE_SAMPLE]; i++)
        free(lists[FILE_SAMPLE][i]);
    for (size_t i = 1; i < counts[FILE_PATIENT]; i++)
        free(lists[FILE_PATIENT][i]);
    free(lists[FILE_SAMPLE]);
    free(lists[FILE_PATIENT]);
    files->mutations = lists[FILE_MUTATIONS];
    files->n_mutations = counts[FILE_MUTATIONS];
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
    for (size_t i = 0; i < files->n_mutations; i++)
        free(files->mutations[i]);
    free(files->mutations);
    for (size_t i = 0; i < files->n_copy_number; i++)
        free(files->copy_number[i]);
    free(files->copy_number);
    for (size_t i = 0; i < files->n_structural; i++)
        free(files->structural[i]);
    free(files->structural);
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

static int contains_word(cm_slice value, const char *word)
{
    size_t len = strlen(word);
    for (int i = 0; i + (int)len <= value.len; i++)
        if (cm_table_equals((cm_slice){value.s + i, (int)len}, word))
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

typedef struct patient_facts {
    char *patient;
    double age;
    cm_sex sex;
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

/// Reads the sample rows; patients (NULL-able) fill age and sex.
static int load_samples(cm_clinical *clinical, const char *path, const patient_facts *patients,
                        size_t n_patients, cm_error *err)
{
    cm_table table;
    if (cm_table_open(&table, path, 0, err) < 0)
        return -1;
    khash_t(clinical_ids) *ids = kh_init(clinical_ids);
    khash_t(clinical_ids) *patient_ids = kh_init(clinical_ids);
    int status = ids && patient_ids ? read_header(&table, err)
                                    : cm_error_set(err, path, 0, 0, "out of memory");
    for (size_t i = 0; status == 0 && i < n_patients; i++) {
        int absent;
        khint_t k = kh_put(clinical_ids, patient_ids, patients[i].patient, &absent);
        if (absent < 0)
            status = cm_error_set(err, path, 0, 0, "out of memory");
        else if (absent)
            kh_value(patient_ids, k) = i;
    }
    static const char *const sample_names[] = {"SAMPLE_ID"};
    static const char *const patient_names[] = {"PATIENT_ID"};
    static const char *const code_names[] = {"ONCOTREE_CODE"};
    static const char *const type_names[] = {"CANCER_TYPE_DETAILED", "CANCER_TYPE"};
    static const char *const sample_type_names[] = {"SAMPLE_TYPE", "SAMPLE_CLASS"};
    static const char *const tmb_names[] = {"TMB_NONSYNONYMOUS", "TMB", "TMB_SCORE"};
    static const char *const msi_names[] = {"MSI_TYPE", "MSI_STATUS"};
    static const char *const score_names[] = {"MSI_SCORE"};
    static const char *const age_names[] = {"AGE", "AGE_AT_SEQ_REPORT", "AGE_AT_DIAGNOSIS"};
    static const char *const sex_names[] = {"SEX", "GENDER"};
    int col_sample = -1, col_patient = -1, col_code = -1, col_detailed = -1, col_type = -1,
        col_sample_type = -1, col_tmb = -1, col_msi = -1, col_status = -1, col_score = -1,
        col_age = -1, col_sex = -1;
    if (status == 0) {
        col_sample = find_column(&table, sample_names, 1);
        col_patient = find_column(&table, patient_names, 1);
        col_code = find_column(&table, code_names, 1);
        col_detailed = find_column(&table, type_names, 1);
        col_type = find_column(&table, type_names + 1, 1);
        col_sample_type = find_column(&table, sample_type_names, 2);
        col_tmb = find_column(&table, tmb_names, 3);
        col_msi = find_column(&table, msi_names, 1);
        col_status = find_column(&table, msi_names + 1, 1);
        col_score = find_column(&table, score_names, 1);
        col_age = find_column(&table, age_names, 3);
        col_sex = find_column(&table, sex_names, 2);
        if (col_sample < 0)
            status = cm_error_set(err, path, (int)table.line_number, 0,
                                  "the header has no SAMPLE_ID column");
    }
    size_t capacity = 0;
    int got = 0;
    while (status == 0 && (got = cm_table_next_line(&table, err)) > 0) {
        if (table.line.l == 0 || table.line.s[0] == '#')
            continue;
        if (cm_table_split(&table, 0) < 0) {
            status = cm_error_set(err, path, (int)table.line_number, 0, "out of memory");
            break;
        }
        int line = (int)table.line_number;
        cm_slice sample = cm_table_field(&table, col_sample);
        trim_slice(&sample);
        if (sample.len == 0) {
            status = cm_error_set(err, path, line, col_sample + 1, "empty SAMPLE_ID");
            break;
        }
        if (clinical->n == capacity) {
            capacity = capacity ? capacity * 2 : 64;
            cm_clinical_sample *grown = realloc(clinical->samples, capacity * sizeof *grown);
            if (!grown) {
                status = cm_error_set(err, path, line, 0, "out of memory");
                break;
            }
            clinical->samples = grown;
        }
        cm_clinical_sample *row = &clinical->samples[clinical->n];
        memset(row, 0, sizeof *row);
        row->line = line;
        row->tmb = row->age = NAN;
        if (!(row->sample = copy_slice(sample))) {
            status = cm_error_set(err, path, line, 0, "out of memory");
            break;
        }
        clinical->n++;
        int absent;
        khint_t k = kh_put(clinical_ids, ids, row->sample, &absent);
        if (absent < 0) {
            status = cm_error_set(err, path, line, 0, "out of memory");
            break;
        }
        if (!absent) {
            status = cm_error_set(err, path, line, col_sample + 1,
                                  "SAMPLE_ID '%s' is listed twice (first on line %d)", row->sample,
                                  clinical->samples[kh_value(ids, k)].line);
            break;
        }
        kh_value(ids, k) = clinical->n - 1;
        cm_slice patient = cm_table_field(&table, col_patient);
        trim_slice(&patient);
        cm_slice code = cm_table_field(&table, col_code);
        trim_slice(&code);
        cm_slice type = cm_table_field(&table, col_detailed);
        if (cm_table_is_null(type))
            type = cm_table_field(&table, col_type);
        trim_slice(&type);
        if ((patient.len && !(row->patient = copy_slice(patient))) ||
            (!cm_table_is_null(code) && !(row->oncotree_code = copy_slice(code))) ||
            (!cm_table_is_null(type) && !(row->cancer_type = copy_slice(type)))) {
            status = cm_error_set(err, path, line, 0, "out of memory");
            break;
        }
        row->is_normal = col_sample_type >= 0 && cm_cbioportal_is_normal_sample_type(
                                                     cm_table_field(&table, col_sample_type));
        if (read_number(&table, col_tmb, "TMB", &row->tmb, err) < 0) {
            status = -1;
            break;
        }
        row->msi = cm_cbioportal_msi_word(cm_table_field(&table, col_msi));
        if (row->msi == CM_MSI_UNSET)
            row->msi = cm_cbioportal_msi_word(cm_table_field(&table, col_status));
        double score;
        if (read_number(&table, col_score, "MSI_SCORE", &score, err) < 0) {
            status = -1;
            break;
        }
        if (row->msi == CM_MSI_UNSET)
            row->msi = cm_cbioportal_msi_score(score);
        if (read_number(&table, col_age, "AGE", &row->age, err) < 0) {
            status = -1;
            break;
        }
        row->sex = col_sex >= 0 ? parse_sex(cm_table_field(&table, col_sex)) : CM_SEX_UNSET;
        // The patient file's facts win over the sample file's copies of them.
        khint_t p =
            row->patient ? kh_get(clinical_ids, patient_ids, row->patient) : kh_end(patient_ids);
        if (p != kh_end(patient_ids)) {
            const patient_facts *facts = &patients[kh_value(patient_ids, p)];
            if (!isnan(facts->age))
                row->age = facts->age;
            if (facts->sex != CM_SEX_UNSET)
                row->sex = facts->sex;
        }
    }
    if (got < 0)
        status = -1;
    if (ids)
        kh_destroy(clinical_ids, ids);
    if (patient_ids)
        kh_destroy(clinical_ids, patient_ids);
    cm_table_close(&table);
    return status;
}

int cm_clinical_load(cm_clinical *clinical, const char *sample_path, const char *patient_path,
                     cm_error *err)
{
    memset(clinical, 0, sizeof *clinical);
    patient_facts *patients = NULL;
    size_t n_patients = 0;
    int status = patient_path ? load_patients(patient_path, &patients, &n_patients, err) : 0;
    if (status == 0)
        status = load_samples(clinical, sample_path, patients, n_patients, err);
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
        col_pos;
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
        if (r->col_gene < 0) {
            cm_error_set(err, path, (int)t->line_number, 0,
                         "the long copy-number form needs a Hugo_Symbol column");
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
    *gene = gene_symbol(cm_table_field(&r->table, r->col_gene));
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
    if (!copy_number_gene(r, &gene))
        return 0;
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
    if (!copy_number_gene(r, &gene))
        return 0;
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
    cm_slice gene = gene_symbol(cm_table_field(t, r->col_gene));
    cm_slice partner = {"", 0};
    int is_five_prime = -1, in_frame = -1;
    if (r->kind == CM_CBIOPORTAL_SV) {
        partner = gene_symbol(cm_table_field(t, r->col_gene2));
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
