/*
 * Cohort studies: the sample registry and the order in which a study's files
 * are read. It owns the per-sample profiles (the only thing that grows with
 * the cohort) and one reader at a time; data rows are mapped from sample
 * names to profile indices and handed on. It never decides a match.
 */
#include "cohortmatch/study.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <htslib/khash.h>
#include <htslib/kstring.h>

#include "cohortmatch/cbioportal.h"

#include "table.h"

KHASH_MAP_INIT_STR(study_samples, int)
KHASH_SET_INIT_STR(study_fusions)

// What a sample name maps to, besides a profile index (>= 0).
enum {
    SAMPLE_NORMAL = -1,
    SAMPLE_NO_TUMOUR_TYPE = -2,
    SAMPLE_UNKNOWN_TUMOUR_TYPE = -3,
    SAMPLE_UNLISTED = -4,
};

struct cm_study {
    cm_study_kind kind;
    char *path;
    cm_study_options options;
    cm_cbioportal_files files; // cBioPortal: the data files; a MAF: mutations = {path}
    size_t next_file;          // index over mutations, then copy number, then structural
    cm_maf_reader *maf;
    cm_cbioportal_reader *table;
    cm_clinical clinical;
    // Samples: name -> profile index or a SAMPLE_* code; names owned by the hash.
    khash_t(study_samples) * samples;
    khash_t(study_samples) * sheet_rows; // sample sheet name -> row
    cm_sample_profile *profiles;
    const cm_clinical_sample **clinical_rows; // each profile's clinical row (NULL: a MAF's)
    size_t n_profiles, m_profiles;
    kstring_t unknown_codes;
    // Gene filter, handed to each reader as it is opened.
    char **filter_genes;
    size_t n_filter_genes;
    int64_t *filter_positions;
    size_t n_filter_positions;
    int has_filter;
    cm_alteration *out;
    size_t n_out, m_out;
    kstring_t name; // the current row's sample name, NUL-terminated for lookups
    // Fusions seen, "sample\tgene\tgene" in sorted gene order: the older fusion file and
    // MAF "Fusion" rows list one event once per gene, and it is one event.
    khash_t(study_fusions) * fusions;
    kstring_t fusion_key;
    cm_genome_build build;
    cm_entrez_map *entrez; // cBioPortal: Entrez ids -> symbols, from rows that give both
    cm_study_stats stats;
};

/* ---- OncoTree codes ---- */

// Retired codes of the bundled release (oncotree_2025_10_03.json: the history, precursors and
// revocations of each node) that name exactly one current code. ALL (now BLL or TLL) is
// ambiguous and left out; codes still in the tree are never remapped.
static const char *const successors[][2] = {
    {"AASTR", "ASTR"},   {"AOAST", "GNOS"},     {"AODG", "ODG"},    {"BALL", "BLL"},
    {"BCL", "MBN"},      {"BLOOD", "MYELOID"},  {"CLL", "CLLSLL"},  {"CTCL", "MYCF"},
    {"DIPG", "DMG"},     {"DLBCL", "DLBCLNOS"}, {"ETC", "ET"},      {"GBM", "GB"},
    {"GMUCM", "URMM"},   {"HIST", "HDCN"},      {"LEUK", "MNM"},    {"LGLL", "TLGL"},
    {"MALTL", "EMALT"},  {"MBCL", "PMBL"},      {"MEATL", "MEITL"}, {"MFT", "FT"},
    {"MM", "PCM"},       {"MYF", "PMF"},        {"OAST", "GNOS"},   {"PCV", "PV"},
    {"PTCLNOS", "PTCL"}, {"RD", "RDD"},         {"SEZS", "SS"},     {"SLL", "CLLSLL"},
    {"TALL", "TLL"},     {"TMT", "GCTSTM"},     {"TNKL", "MTNN"},
};

const char *cm_oncotree_successor(const char *code)
{
    for (size_t i = 0; i < sizeof successors / sizeof successors[0]; i++)
        if (cm_table_equals((cm_slice){code, (int)strlen(code)}, successors[i][0]))
            return successors[i][1];
    return NULL;
}

/* ---- Samples ---- */

/// Records a sample name with a profile index or a SAMPLE_* code. Returns 0, or -1 when out
/// of memory.
static int register_name(cm_study *study, const char *name, int len, int value)
{
    char *key = malloc((size_t)len + 1);
    if (!key)
        return -1;
    memcpy(key, name, (size_t)len);
    key[len] = '\0';
    int absent;
    khint_t k = kh_put(study_samples, study->samples, key, &absent);
    if (absent <= 0)
        free(key);
    if (absent < 0)
        return -1;
    kh_value(study->samples, k) = value;
    return 0;
}

static void add_unknown_code(cm_study *study, const char *code)
{
    kstring_t *codes = &study->unknown_codes;
    // A short list: the same code is named once.
    size_t len = strlen(code);
    for (const char *p = codes->s; p && *p;) {
        const char *end = strstr(p, ", ");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && memcmp(p, code, len) == 0)
            return;
        p = end ? end + 2 : p + n;
    }
    if (codes->l > 0)
        kputs(", ", codes);
    kputs(code, codes);
}

enum { UNKNOWN_CODE = -10 }; // clinical_node(): an ONCOTREE_CODE not in the release

/// The OncoTree node of a clinical row's ONCOTREE_CODE (a retired code read as its one
/// successor; *is_retired set). CANCER_TYPE and CANCER_TYPE_DETAILED are names, not codes: a
/// row without a code names none. Returns the node, CM_ONCOTREE_NOT_FOUND when the row has no
/// code, or UNKNOWN_CODE.
static int clinical_node(const cm_oncotree *tree, const cm_clinical_sample *clinical,
                         int *is_retired)
{
    *is_retired = 0;
    if (!clinical->oncotree_code)
        return CM_ONCOTREE_NOT_FOUND;
    int node = cm_oncotree_find(tree, clinical->oncotree_code);
    if (node >= 0)
        return node;
    const char *successor = cm_oncotree_successor(clinical->oncotree_code);
    node = successor ? cm_oncotree_find(tree, successor) : -1;
    *is_retired = node >= 0;
    return node >= 0 ? node : UNKNOWN_CODE;
}

/// Offers one fact of a clinical row, its source the cell it was read from
/// ("data_clinical_patient.txt:7:2"). Returns 0, or -1 with err filled.
static int offer_cell(const cm_study *study, cm_sample_profile *profile, const char *name,
                      const char *value, cm_clinical_cell cell, kstring_t *where, cm_error *err)
{
    const char *path = cell.file ? cell.file : study->path;
    const char *slash = strrchr(path, '/');
    where->l = 0;
    if (ksprintf(where, "%s:%d:%d", slash ? slash + 1 : path, cell.line, cell.column) < 0)
        return cm_error_set(err, NULL, 0, 0, "out of memory");
    return cm_profile_offer(profile, study->options.tree, name, value, CM_ORIGIN_FILE, where->s,
                            err);
}

int cm_study_offer_file_facts(const cm_study *study, size_t sample, cm_sample_profile *profile,
                              cm_error *err)
{
    const cm_clinical_sample *clinical =
        sample < study->n_profiles ? study->clinical_rows[sample] : NULL;
    if (!clinical)
        return 0;
    kstring_t where = {0, 0, NULL}, value = {0, 0, NULL};
    int status = 0, is_retired;
    int node = clinical_node(study->options.tree, clinical, &is_retired);
    if (node >= 0)
        status =
            offer_cell(study, profile, "tumour_type", cm_oncotree_code(study->options.tree, node),
                       clinical->code_cell, &where, err);
    if (status == 0 && !isnan(clinical->tmb) && ksprintf(&value, "%.17g", clinical->tmb) >= 0)
        status = offer_cell(study, profile, "tmb", value.s, clinical->tmb_cell, &where, err);
    const char *msi = cm_msi_name(clinical->msi), *sex = cm_sex_name(clinical->sex);
    if (status == 0 && msi)
        status = offer_cell(study, profile, "msi", msi, clinical->msi_cell, &where, err);
    value.l = 0;
    if (status == 0 && !isnan(clinical->age) && ksprintf(&value, "%.17g", clinical->age) >= 0)
        status = offer_cell(study, profile, "age", value.s, clinical->age_cell, &where, err);
    if (status == 0 && sex)
        status = offer_cell(study, profile, "sex", sex, clinical->sex_cell, &where, err);
    free(where.s);
    free(value.s);
    return status;
}

/// Builds the profile of a sample from (in order of precedence) the command line, the sheet
/// and the clinical row (may be NULL). Returns the profile index, a SAMPLE_* code, or -100
/// when out of memory.
static int add_sample(cm_study *study, const char *name, const cm_clinical_sample *clinical)
{
    const cm_study_options *opt = &study->options;
    const cm_sample_profile *facts = opt->facts;
    const cm_sample_profile *row = NULL;
    if (study->sheet_rows) {
        khint_t k = kh_get(study_samples, study->sheet_rows, name);
        if (k != kh_end(study->sheet_rows))
            row = &opt->sheet->rows[kh_value(study->sheet_rows, k)];
    }
    int node = -1;
    if (facts && facts->tumour_type)
        node = cm_oncotree_find(opt->tree, facts->tumour_type);
    else if (row && row->tumour_type)
        node = row->tumour_node;
    else if (clinical) {
        int is_retired;
        node = clinical_node(opt->tree, clinical, &is_retired);
        if (node == UNKNOWN_CODE) {
            add_unknown_code(study, clinical->oncotree_code);
            study->stats.unknown_tumour_type_samples++;
            return SAMPLE_UNKNOWN_TUMOUR_TYPE;
        }
        study->stats.retired_tumour_types += (size_t)is_retired;
    }
    // CANCER_TYPE and CANCER_TYPE_DETAILED are names, not codes: a sample without a code has
    // no tumour type (docs/cohort.md).
    if (node < 0) {
        study->stats.no_tumour_type_samples++;
        return SAMPLE_NO_TUMOUR_TYPE;
    }
    if (study->n_profiles == study->m_profiles) {
        size_t m = study->m_profiles ? study->m_profiles * 2 : 256;
        cm_sample_profile *grown = realloc(study->profiles, m * sizeof *grown);
        if (!grown)
            return -100;
        study->profiles = grown;
        const cm_clinical_sample **rows = realloc(study->clinical_rows, m * sizeof *rows);
        if (!rows)
            return -100;
        study->clinical_rows = rows;
        study->m_profiles = m;
    }
    study->clinical_rows[study->n_profiles] = clinical;
    cm_sample_profile *profile = &study->profiles[study->n_profiles];
    if (cm_profile_init(profile, name) < 0)
        return -100;
    if (!(profile->tumour_type = strdup(cm_oncotree_code(opt->tree, node)))) {
        cm_profile_clear(profile);
        return -100;
    }
    profile->tumour_node = node;
    study->n_profiles++;
    // Command line > sheet > clinical file, fact by fact, each with its source
    // (cm_profile_offer() applies the precedence and keeps disagreements as conflicts).
    cm_error err;
    cm_error_clear(&err);
    if ((facts && cm_profile_merge(profile, facts, opt->tree, &err) < 0) ||
        (row && cm_profile_merge(profile, row, opt->tree, &err) < 0))
        return -100; // only memory can fail: every value was checked when it was read
    if (cm_study_offer_file_facts(study, study->n_profiles - 1, profile, &err) < 0)
        return -100;
    study->stats.samples++;
    return (int)(study->n_profiles - 1);
}

/// The length of a TCGA sample barcode's sample part ("TCGA-A1-A0SB-01" of the aliquot
/// barcode "TCGA-A1-A0SB-01A-11D-A142-09"), or 0 when name is no longer TCGA barcode:
/// cBioPortal's importer reads a TCGA Tumor_Sample_Barcode as that sample (StableIdUtil).
static int tcga_sample_length(cm_slice name)
{
    if (name.len <= 15 || memcmp(name.s, "TCGA-", 5) != 0)
        return 0;
    int dashes = 0, i = 0;
    for (; i < name.len && dashes < 3; i++)
        dashes += name.s[i] == '-';
    if (dashes < 3 || i + 2 > name.len || name.s[i] < '0' || name.s[i] > '9' ||
        name.s[i + 1] < '0' || name.s[i + 1] > '9' || i + 2 == name.len)
        return 0;
    return i + 2;
}

/// The first len bytes of name as a NUL-terminated key, kept after the full name in the name
/// buffer (which may move). Returns NULL when out of memory.
static const char *short_name(cm_study *study, cm_slice name, int len)
{
    size_t full = study->name.l;
    if (kputc('\0', &study->name) < 0 || kputsn(name.s, (size_t)len, &study->name) < 0)
        return NULL;
    study->name.l = full;
    return study->name.s + full + 1;
}

/// The profile index of a data row's sample, or a SAMPLE_* code; a MAF's samples are added
/// on first sight. Returns -100 when out of memory.
static int sample_of(cm_study *study, cm_slice name, cm_slice normal)
{
    study->name.l = 0;
    if (kputsn(name.s, (size_t)name.len, &study->name) < 0)
        return -100;
    const char *buffer = study->name.s;
    khint_t k = kh_get(study_samples, study->samples, buffer);
    if (k != kh_end(study->samples))
        return kh_value(study->samples, k);
    int value;
    int short_len = study->kind == CM_STUDY_CBIOPORTAL ? tcga_sample_length(name) : 0;
    const char *key = short_len > 0 ? short_name(study, name, short_len) : NULL;
    if (short_len > 0 && !key)
        return -100;
    khint_t short_k = key ? kh_get(study_samples, study->samples, key) : kh_end(study->samples);
    buffer = study->name.s; // short_name() may have moved the buffer
    if (short_k != kh_end(study->samples)) {
        value = kh_value(study->samples, short_k); // an aliquot barcode of a listed sample
    } else if (study->kind == CM_STUDY_CBIOPORTAL) {
        value = SAMPLE_UNLISTED;
        study->stats.unlisted_samples++;
    } else if (cm_is_normal_barcode(name) ||
               (normal.len == name.len && memcmp(normal.s, name.s, (size_t)name.len) == 0)) {
        value = SAMPLE_NORMAL;
        study->stats.normal_samples++;
    } else {
        value = add_sample(study, buffer, NULL);
    }
    if (value == -100 || register_name(study, buffer, name.len, value) < 0)
        return -100;
    return value;
}

/* ---- Opening ---- */

cm_study_kind cm_study_detect(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return CM_STUDY_NONE;
    if (S_ISDIR(st.st_mode))
        return cm_cbioportal_is_study(path) ? CM_STUDY_CBIOPORTAL : CM_STUDY_NONE;
    cm_table table;
    if (cm_table_open(&table, path, 0, NULL) < 0)
        return CM_STUDY_NONE;
    cm_study_kind kind = CM_STUDY_NONE;
    // The first line that is not a comment, within the first few hundred.
    for (int i = 0; i < 500 && cm_table_next_line(&table, NULL) > 0; i++)
        if (table.line.l > 0 && table.line.s[0] != '#') {
            if (cm_maf_is_header(table.line.s, table.line.l))
                kind = CM_STUDY_MAF;
            break;
        }
    cm_table_close(&table);
    return kind;
}

static int load_clinical_samples(cm_study *study, cm_error *err)
{
    if (cm_clinical_load_files(&study->clinical, study->files.clinical_sample,
                               (const char *const *)study->files.more_clinical,
                               study->files.n_more_clinical, study->files.clinical_patient,
                               err) < 0)
        return -1;
    for (size_t i = 0; i < study->clinical.n; i++) {
        const cm_clinical_sample *row = &study->clinical.samples[i];
        cm_slice name = {row->sample, (int)strlen(row->sample)};
        int value;
        if (row->is_normal || cm_is_normal_barcode(name)) {
            value = SAMPLE_NORMAL;
            study->stats.normal_samples++;
        } else {
            value = add_sample(study, row->sample, row);
        }
        if (value == -100 || register_name(study, row->sample, name.len, value) < 0)
            return cm_error_set(err, study->path, 0, 0, "out of memory");
    }
    return 0;
}

cm_study *cm_study_open(const char *path, const cm_study_options *options, cm_error *err)
{
    cm_study *study = calloc(1, sizeof *study);
    if (!study || !(study->path = strdup(path)) || !(study->samples = kh_init(study_samples))) {
        cm_error_set(err, path, 0, 0, "out of memory");
        cm_study_close(study);
        return NULL;
    }
    study->options = *options;
    if (options->sheet && options->sheet->n > 0) {
        if (!(study->sheet_rows = kh_init(study_samples))) {
            cm_error_set(err, path, 0, 0, "out of memory");
            cm_study_close(study);
            return NULL;
        }
        for (size_t i = 0; i < options->sheet->n; i++) {
            int absent;
            khint_t k =
                kh_put(study_samples, study->sheet_rows, options->sheet->rows[i].name, &absent);
            if (absent < 0) {
                cm_error_set(err, path, 0, 0, "out of memory");
                cm_study_close(study);
                return NULL;
            }
            kh_value(study->sheet_rows, k) = (int)i;
        }
    }
    study->kind = cm_study_detect(path);
    if (study->kind == CM_STUDY_CBIOPORTAL) {
        if (!(study->entrez = cm_entrez_map_new())) {
            cm_error_set(err, path, 0, 0, "out of memory");
            cm_study_close(study);
            return NULL;
        }
        if (cm_cbioportal_find_files(path, &study->files, err) < 0 ||
            load_clinical_samples(study, err) < 0) {
            cm_study_close(study);
            return NULL;
        }
    } else {
        // A MAF, or anything else: the MAF reader says what is wrong with it.
        study->kind = CM_STUDY_MAF;
        study->files.mutations = malloc(sizeof *study->files.mutations);
        if (!study->files.mutations || !(study->files.mutations[0] = strdup(path))) {
            cm_error_set(err, path, 0, 0, "out of memory");
            cm_study_close(study);
            return NULL;
        }
        study->files.n_mutations = 1;
        // Open it now, so that a file that is not a MAF fails before anything else.
        if (!(study->maf = cm_maf_open(path, options->threads, err))) {
            cm_study_close(study);
            return NULL;
        }
        study->next_file = 1;
    }
    return study;
}

cm_study_kind cm_study_kind_of(const cm_study *study)
{
    return study->kind;
}

int cm_study_set_gene_filter(cm_study *study, const char *const *genes, size_t n_genes,
                             const int64_t *positions, size_t n_positions)
{
    study->filter_genes = calloc(n_genes ? n_genes : 1, sizeof *study->filter_genes);
    study->filter_positions =
        malloc((n_positions ? n_positions : 1) * sizeof *study->filter_positions);
    if (!study->filter_genes || !study->filter_positions)
        return -1;
    for (size_t i = 0; i < n_genes; i++) {
        if (!(study->filter_genes[i] = strdup(genes[i])))
            return -1;
        study->n_filter_genes++;
    }
    if (n_positions)
        memcpy(study->filter_positions, positions, n_positions * sizeof *positions);
    study->n_filter_positions = n_positions;
    study->has_filter = 1;
    if (study->maf)
        return cm_maf_set_gene_filter(study->maf, (const char *const *)study->filter_genes,
                                      study->n_filter_genes, study->filter_positions,
                                      study->n_filter_positions);
    return 0;
}

/* ---- Reading ---- */

static void add_maf_stats(cm_study *study, const cm_maf_reader *maf)
{
    const cm_maf_stats *s = cm_maf_get_stats(maf);
    study->stats.rows += s->rows;
    study->stats.prefiltered += s->prefiltered;
    for (int i = 0; i < CM_MAF_SKIP_COUNT; i++)
        study->stats.maf_skipped[i] += s->skipped[i];
    study->stats.unknown_classifications += s->unknown_classifications;
    study->stats.unknown_consequence_terms += s->unknown_consequence_terms;
}

static void add_table_stats(cm_study *study, const cm_cbioportal_reader *table)
{
    const cm_cbioportal_stats *s = cm_cbioportal_get_stats(table);
    study->stats.rows += s->rows;
    study->stats.prefiltered += s->prefiltered;
    study->stats.cna_no_gene += s->cna_no_gene;
    study->stats.sv_no_gene += s->sv_no_gene;
    study->stats.sv_same_gene += s->sv_same_gene;
    study->stats.sv_germline += s->sv_germline;
}

/// Closes the current reader (its counts join the study's) and opens the next file. Returns
/// 1, 0 when there is none, or -1 with err filled.
static int open_next_file(cm_study *study, cm_error *err)
{
    if (study->maf) {
        add_maf_stats(study, study->maf);
        cm_maf_close(study->maf);
        study->maf = NULL;
    }
    if (study->table) {
        add_table_stats(study, study->table);
        cm_cbioportal_close(study->table);
        study->table = NULL;
    }
    const cm_cbioportal_files *f = &study->files;
    size_t i = study->next_file++;
    const char *const *genes = (const char *const *)study->filter_genes;
    if (i < f->n_mutations) {
        if (!(study->maf = cm_maf_open(f->mutations[i], study->options.threads, err)))
            return -1;
        // A study's mutation file is read as cBioPortal's importer loads it.
        if (study->kind == CM_STUDY_CBIOPORTAL &&
            cm_maf_set_importer_filter(study->maf, f->mutation_filters[i]) < 0)
            return cm_error_set(err, f->mutations[i], 0, 0, "out of memory");
        if (study->has_filter &&
            cm_maf_set_gene_filter(study->maf, genes, study->n_filter_genes,
                                   study->filter_positions, study->n_filter_positions) < 0)
            return cm_error_set(err, f->mutations[i], 0, 0, "out of memory");
        return 1;
    }
    i -= f->n_mutations;
    const char *path = i < f->n_copy_number ? f->copy_number[i]
                       : i - f->n_copy_number < f->n_structural
                           ? f->structural[i - f->n_copy_number]
                           : NULL;
    if (!path)
        return 0;
    if (!(study->table = cm_cbioportal_open(path, study->options.threads, err)))
        return -1;
    cm_cbioportal_set_entrez_map(study->table, study->entrez);
    if (study->has_filter &&
        cm_cbioportal_set_gene_filter(study->table, genes, study->n_filter_genes) < 0)
        return cm_error_set(err, path, 0, 0, "out of memory");
    return 1;
}

/// Returns 1 if the fusion (sample, unordered gene pair) was given before, 0 if not (it is
/// remembered), -1 when out of memory.
static int is_repeated_fusion(cm_study *study, const cm_alteration *a, int sample)
{
    if (!study->fusions && !(study->fusions = kh_init(study_fusions)))
        return -1;
    cm_slice first = a->gene, second = a->partner;
    // A side may be empty with no text at all (s NULL): memcmp must not see it.
    size_t common = (size_t)(first.len < second.len ? first.len : second.len);
    int order = common ? memcmp(first.s, second.s, common) : 0;
    if (order > 0 || (order == 0 && first.len > second.len)) {
        first = a->partner;
        second = a->gene;
    }
    kstring_t *key = &study->fusion_key;
    key->l = 0;
    if (ksprintf(key, "%d\t%.*s\t%.*s", sample, first.len, first.len ? first.s : "", second.len,
                 second.len ? second.s : "") < 0)
        return -1;
    if (kh_get(study_fusions, study->fusions, key->s) != kh_end(study->fusions))
        return 1;
    char *copy = strdup(key->s);
    int absent;
    if (!copy)
        return -1;
    kh_put(study_fusions, study->fusions, copy, &absent);
    if (absent < 0) {
        free(copy);
        return -1;
    }
    return 0;
}

/// Adds an alteration of sample to the batch; line: the row of a MAF input (its source is
/// "file:line"), 0 for a study's rows (their source is the study folder).
static int push(cm_study *study, const cm_alteration *alteration, int sample, long line)
{
    if (alteration->kind == CM_ALTERATION_FUSION) {
        int repeated = is_repeated_fusion(study, alteration, sample);
        if (repeated < 0)
            return -1;
        if (repeated) {
            study->stats.duplicate_fusions++;
            return 0;
        }
    }
    if (study->n_out == study->m_out) {
        size_t m = study->m_out ? study->m_out * 2 : 64;
        cm_alteration *grown = realloc(study->out, m * sizeof *grown);
        if (!grown)
            return -1;
        study->out = grown;
        study->m_out = m;
    }
    study->out[study->n_out] = *alteration;
    study->out[study->n_out].line = line > 0 && line <= INT32_MAX ? (int)line : 0;
    study->out[study->n_out++].sample = sample;
    return 0;
}

int cm_study_next(cm_study *study, const cm_alteration **alterations, size_t *n, cm_error *err)
{
    study->n_out = 0;
    *alterations = study->out;
    *n = 0;
    for (;;) {
        if (!study->maf && !study->table) {
            int opened = open_next_file(study, err);
            if (opened <= 0)
                return opened;
        }
        if (study->maf) {
            cm_maf_row row;
            int got = cm_maf_next(study->maf, &row, err);
            if (got < 0)
                return -1;
            if (got == 0) {
                if (open_next_file(study, err) < 0)
                    return -1;
                continue;
            }
            if (study->entrez && cm_entrez_map_add(study->entrez, row.entrez, row.gene) < 0)
                return cm_error_set(err, study->path, 0, 0, "out of memory");
            if (cm_maf_genome_build(study->maf) != CM_BUILD_UNKNOWN)
                study->build = cm_maf_genome_build(study->maf);
            int sample = sample_of(study, row.sample, row.normal);
            if (sample == -100)
                return cm_error_set(err, study->path, 0, 0, "out of memory");
            if (sample < 0)
                study->stats.skipped_sample_rows++;
            else if (row.alteration && push(study, row.alteration, sample,
                                            study->kind == CM_STUDY_MAF ? (long)row.line : 0) < 0)
                return cm_error_set(err, study->path, 0, 0, "out of memory");
        } else {
            const cm_cbioportal_event *events;
            size_t n_events;
            int got = cm_cbioportal_next(study->table, &events, &n_events, err);
            if (got < 0)
                return -1;
            if (got == 0) {
                if (open_next_file(study, err) < 0)
                    return -1;
                continue;
            }
            int skipped = 0;
            for (size_t i = 0; i < n_events; i++) {
                int sample = sample_of(study, events[i].sample, (cm_slice){"", 0});
                if (sample == -100)
                    return cm_error_set(err, study->path, 0, 0, "out of memory");
                if (sample < 0)
                    skipped = 1;
                else if (push(study, &events[i].alteration, sample, 0) < 0)
                    return cm_error_set(err, study->path, 0, 0, "out of memory");
            }
            study->stats.skipped_sample_rows += (uint64_t)skipped;
        }
        study->stats.alterations += study->n_out;
        *alterations = study->out;
        *n = study->n_out;
        return 1;
    }
}

size_t cm_study_n_samples(const cm_study *study)
{
    return study->n_profiles;
}

const cm_sample_profile *cm_study_profiles(const cm_study *study)
{
    return study->profiles;
}

cm_genome_build cm_study_genome_build(const cm_study *study)
{
    return study->build;
}

const cm_study_stats *cm_study_get_stats(const cm_study *study)
{
    return &study->stats;
}

const char *const *cm_study_ignored_files(const cm_study *study, size_t *n)
{
    *n = study->files.n_ignored;
    return (const char *const *)study->files.ignored;
}

const char *cm_study_unknown_codes(const cm_study *study)
{
    return study->unknown_codes.s ? study->unknown_codes.s : "";
}

void cm_study_close(cm_study *study)
{
    if (!study)
        return;
    cm_maf_close(study->maf);
    cm_cbioportal_close(study->table);
    cm_entrez_map_free(study->entrez);
    cm_cbioportal_files_free(&study->files);
    cm_clinical_free(&study->clinical);
    if (study->samples) {
        for (khint_t k = kh_begin(study->samples); k != kh_end(study->samples); k++)
            if (kh_exist(study->samples, k))
                free((char *)kh_key(study->samples, k));
        kh_destroy(study_samples, study->samples);
    }
    if (study->sheet_rows)
        kh_destroy(study_samples, study->sheet_rows);
    for (size_t i = 0; i < study->n_profiles; i++)
        cm_profile_clear(&study->profiles[i]);
    free(study->profiles);
    free(study->clinical_rows);
    free(study->unknown_codes.s);
    for (size_t i = 0; i < study->n_filter_genes; i++)
        free(study->filter_genes[i]);
    free(study->filter_genes);
    free(study->filter_positions);
    free(study->out);
    free(study->name.s);
    if (study->fusions) {
        for (khint_t k = kh_begin(study->fusions); k != kh_end(study->fusions); k++)
            if (kh_exist(study->fusions, k))
                free((char *)kh_key(study->fusions, k));
        kh_destroy(study_fusions, study->fusions);
    }
    free(study->fusion_key.s);
    free(study->path);
    free(study);
}
