/*
 * Hartwig PURPLE outputs (docs/alterations.md, "PURPLE"): the purity file
 * (*.purple.purity.tsv: one header, one row: purity, ploidy, TMB, MSI), the
 * gene copy-number table (*.purple.cnv.gene.tsv: one row per gene) and the
 * somatic driver catalog (*.driver.catalog.somatic.tsv: AMP/DEL calls).
 * Columns are found by their header name, never by position: PURPLE 2.x and
 * 4.x order and name some columns differently. None of these files names its
 * sample: each input has one unnamed sample.
 *
 * The gene table gives each gene's copy number (the matcher classes it with the
 * protocol's thresholds); the driver catalog gives PURPLE's own call (AMP,
 * PARTIAL_AMP, DEL). When one patient has both, the catalog's call wins and the
 * table's row of that gene is skipped (cm_input_link()): one event, one
 * trigger. The catalog is small and read whole at open, so that the link is
 * known before the table streams.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/khash.h>

KHASH_SET_INIT_STR(gene_set)

/* ---- Purity: facts only ---- */

// A number field that must be finite and, unless may_be_negative, not negative.
static int number_field(const cm_table *table, int column, const char *name, int may_be_negative,
                        double *out, cm_error *err)
{
    cm_slice text = cm_table_field(table, column);
    if (cm_table_parse_double(text, out) < 0 || (!may_be_negative && *out < 0))
        return cm_error_set(err, table->path, (int)table->line_number, 0,
                            "%s '%.*s' is not a%s number", name, text.len, text.s,
                            may_be_negative ? "" : " non-negative");
    return 0;
}

static int purity_open(cm_input *input, const cm_input_options *options, cm_error *err)
{
    cm_table table;
    if (cm_table_open(&table, input->path, options->vcf.threads, err) < 0)
        return -1;
    int status = 0, got;
    int c_purity = -1, c_ploidy = -1, c_tmb = -1, c_msi = -1, n_header = 0, n_rows = 0;
    while (status == 0 && (got = cm_table_next_line(&table, err)) > 0) {
        if (table.line.l == 0)
            continue;
        int n = cm_table_split(&table, 0);
        if (n < 0) {
            status = cm_error_set(err, input->path, 0, 0, "out of memory");
            break;
        }
        if (n_header == 0) {
            n_header = n;
            c_purity = cm_table_column(&table, "purity");
            c_ploidy = cm_table_column(&table, "ploidy");
            c_tmb = cm_table_column(&table, "tmbPerMb");
            c_msi = cm_table_column(&table, "msStatus");
            if (c_purity < 0 || c_ploidy < 0)
                status = cm_error_set(err, input->path, (int)table.line_number, 0,
                                      "a PURPLE purity header needs the columns purity and ploidy");
            continue;
        }
        if (++n_rows > 1) {
            status = cm_error_set(err, input->path, (int)table.line_number, 0,
                                  "a second data row (a PURPLE purity file has one)");
            break;
        }
        if (n != n_header) {
            status = cm_error_set(err, input->path, (int)table.line_number, 0,
                                  "%d columns, the header has %d", n, n_header);
            break;
        }
        double purity, ploidy, tmb;
        if (number_field(&table, c_purity, "purity", 0, &purity, err) < 0 ||
            number_field(&table, c_ploidy, "ploidy", 0, &ploidy, err) < 0 ||
            (c_tmb >= 0 && number_field(&table, c_tmb, "tmbPerMb", 0, &tmb, err) < 0)) {
            status = -1;
            break;
        }
        if (purity > 1) {
            status = cm_error_set(err, input->path, (int)table.line_number, 0,
                                  "purity '%s' is not between 0 and 1",
                                  cm_table_field(&table, c_purity).s);
            break;
        }
        const char *msi = NULL;
        if (c_msi >= 0) {
            cm_slice text = cm_table_field(&table, c_msi);
            if (cm_slice_equals(text, "MSI"))
                msi = "high";
            else if (cm_slice_equals(text, "MSS"))
                msi = "stable";
            else if (!cm_slice_equals(text, "UNKNOWN") && text.len > 0) {
                status = cm_error_set(err, input->path, (int)table.line_number, 0,
                                      "msStatus '%s' is not MSI, MSS or UNKNOWN", text.s);
                break;
            }
        }
        // Full splits end every field with a NUL: the texts are C strings.
        if (cm_input_add_fact(input, 0, "purity", cm_table_field(&table, c_purity).s, "purity") <
                0 ||
            cm_input_add_fact(input, 0, "ploidy", cm_table_field(&table, c_ploidy).s, "ploidy") <
                0 ||
            (c_tmb >= 0 &&
             cm_input_add_fact(input, 0, "tmb", cm_table_field(&table, c_tmb).s, "tmbPerMb") < 0) ||
            (msi && cm_input_add_fact(input, 0, "msi", msi, "msStatus") < 0))
            status = cm_error_set(err, input->path, 0, 0, "out of memory");
    }
    if (status == 0 && got < 0)
        status = -1;
    if (status == 0 && n_rows == 0)
        status = cm_error_set(err, input->path, 0, 0,
                              n_header ? "no data row (a PURPLE purity file has one)"
                                       : "empty PURPLE purity file");
    input->stats.records = (uint64_t)n_rows;
    cm_table_close(&table);
    if (status == 0 && cm_input_add_sample(input, NULL) < 0)
        status = cm_error_set(err, input->path, 0, 0, "out of memory");
    return status;
}

static int facts_only_next(cm_input *input, const cm_alteration **alterations, size_t *n,
                           cm_error *err)
{
    (void)input;
    (void)alterations;
    (void)n;
    (void)err;
    return 0;
}

static void nothing_to_close(cm_input *input)
{
    (void)input;
}

const cm_input_reader cm_input_purple_purity = {CM_INPUT_PURPLE_PURITY, purity_open,
                                                facts_only_next, nothing_to_close, NULL};

/* ---- Shared by the gene table and the driver catalog ---- */

// A copy-number alteration of the current row (texts borrowed from the row or from storage).
static void copy_number_alteration(cm_alteration *a, const cm_input *input, int line)
{
    cm_alteration_init(a);
    a->kind = CM_ALTERATION_COPY_NUMBER;
    a->sample = 0;
    a->is_pass = 1;
    a->is_preferred = 1;
    a->transcript_flags = CM_TRANSCRIPT_CANONICAL;
    a->input = input->index;
    a->line = line;
}

// A number field that must be a finite number (PURPLE writes slightly negative copy numbers
// for fully deleted regions: they are kept as written).
static int copy_number_field(const cm_table *table, int column, const char *name, double *out,
                             cm_error *err)
{
    return number_field(table, column, name, 1, out, err);
}

// isCanonical: absent (PURPLE 2.x, as hmftools reads it) or "true" is canonical.
static int read_canonical(const cm_table *table, int column, int *is_canonical, cm_error *err)
{
    cm_slice text = cm_table_field(table, column);
    if (column < 0 || cm_slice_equals(text, "true"))
        *is_canonical = 1;
    else if (cm_slice_equals(text, "false"))
        *is_canonical = 0;
    else
        return cm_error_set(err, table->path, (int)table->line_number, 0,
                            "isCanonical '%s' is not true or false", text.s);
    return 0;
}

/* ---- Gene copy number: one copy-number alteration per canonical gene row ---- */

typedef struct gene_table {
    cm_table table;
    int n_header;
    int c_chromosome, c_start, c_gene, c_min, c_max, c_transcript, c_canonical;
    int skip_non_canonical, skip_called;
    khash_t(gene_set) * called; // genes the driver catalog calls (keys owned)
} gene_table;

static int gene_table_open(cm_input *input, const cm_input_options *options, cm_error *err)
{
    gene_table *state = calloc(1, sizeof *state);
    if (!state || !(state->called = kh_init(gene_set))) {
        free(state);
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    }
    input->impl = state;
    cm_table *t = &state->table;
    if ((state->n_header = cm_table_open_header(t, input->path, options->vcf.threads,
                                                "PURPLE gene copy-number", err)) < 0)
        return -1;
    state->c_chromosome = cm_table_column(t, "chromosome");
    state->c_start = cm_table_column(t, "start");
    state->c_gene = cm_table_column(t, "gene");
    state->c_min = cm_table_column(t, "minCopyNumber");
    state->c_max = cm_table_column(t, "maxCopyNumber");
    state->c_transcript = cm_table_column(t, "transcriptId");
    state->c_canonical = cm_table_column(t, "isCanonical");
    if (state->c_gene < 0 || state->c_min < 0 || state->c_max < 0)
        return cm_error_set(
            err, input->path, (int)t->line_number, 0,
            "a PURPLE gene copy-number header needs the columns gene, minCopyNumber and "
            "maxCopyNumber");
    if ((state->skip_non_canonical = cm_input_declare_skip(input, "non_canonical_transcript")) <
            0 ||
        (state->skip_called = cm_input_declare_skip(input, "called_by_driver_catalog")) < 0 ||
        cm_input_add_sample(input, NULL) < 0)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    return 0;
}

static int gene_table_next(cm_input *input, const cm_alteration **alterations, size_t *n,
                           cm_error *err)
{
    gene_table *state = input->impl;
    cm_table *t = &state->table;
    int got;
    while ((got = cm_table_next_row(t, input->path, state->n_header, err)) > 0) {
        int line = (int)t->line_number;
        input->stats.records++;
        cm_slice gene = cm_table_field(t, state->c_gene);
        if (gene.len == 0)
            return cm_error_set(err, input->path, line, 0, "empty gene");
        double min, max;
        int is_canonical = 1;
        if (copy_number_field(t, state->c_min, "minCopyNumber", &min, err) < 0 ||
            copy_number_field(t, state->c_max, "maxCopyNumber", &max, err) < 0 ||
            read_canonical(t, state->c_canonical, &is_canonical, err) < 0)
            return -1;
        if (max < min)
            return cm_error_set(
                err, input->path, line, 0, "maxCopyNumber '%s' is below minCopyNumber '%s'",
                cm_table_field(t, state->c_max).s, cm_table_field(t, state->c_min).s);
        if (!is_canonical) {
            input->skipped[state->skip_non_canonical].value++;
            continue;
        }
        // Full splits end every field with a NUL: the gene is a C string.
        if (kh_get(gene_set, state->called, gene.s) != kh_end(state->called)) {
            input->skipped[state->skip_called].value++;
            continue;
        }
        cm_alteration *a = cm_input_batch(input, 1);
        if (!a)
            return cm_error_set(err, input->path, line, 0, "out of memory");
        copy_number_alteration(a, input, line);
        a->gene = gene;
        a->transcript = cm_table_field(t, state->c_transcript);
        a->chrom = cm_table_field(t, state->c_chromosome);
        long long start;
        if (cm_table_parse_long(cm_table_field(t, state->c_start), &start) == 0 && start > 0)
            a->pos = start;
        // The copies the whole gene keeps: a deletion of any part counts, an amplification
        // must span the gene (PURPLE's own AMP test; a partial one is the catalog's
        // PARTIAL_AMP).
        a->copy_number = min;
        *alterations = a;
        *n = 1;
        return 1;
    }
    return got < 0 ? -1 : 0;
}

static void gene_table_close(cm_input *input)
{
    gene_table *state = input->impl;
    if (!state)
        return;
    cm_table_close(&state->table);
    if (state->called) {
        for (khint_t k = kh_begin(state->called); k != kh_end(state->called); k++)
            if (kh_exist(state->called, k))
                free((char *)kh_key(state->called, k));
        kh_destroy(gene_set, state->called);
    }
    free(state);
    input->impl = NULL;
}

const cm_input_reader cm_input_purple_gene_copy_number = {
    CM_INPUT_PURPLE_GENE_COPY_NUMBER, gene_table_open, gene_table_next, gene_table_close, NULL};

/* ---- Driver catalog: PURPLE's copy-number calls, read whole at open ---- */

typedef struct driver_row {
    size_t gene, transcript, chromosome, call; // offsets into text
    int line;
    unsigned cnv;
    double copy_number;
} driver_row;

typedef struct driver_catalog {
    kstring_t text; // the rows' strings, NUL-separated
    driver_row *rows;
    size_t n_rows, m_rows;
    int is_handed; // the rows went out in the one batch
} driver_catalog;

static size_t keep_text(kstring_t *text, cm_slice s)
{
    size_t at = text->l;
    kputsn(s.s, (size_t)s.len, text);
    kputc('\0', text);
    return at;
}

// The call of a driver row: AMP (the whole gene above 3 x ploidy: minCopyNumber), PARTIAL_AMP
// (part of it: maxCopyNumber), DEL (minCopyNumber below 0.5: a homozygous deletion). Returns 1
// with *cnv and *use_max set, 0 for a driver that is no copy-number call (MUTATION,
// DISRUPTION, GERMLINE_...).
static int driver_call(cm_slice driver, unsigned *cnv, int *use_max)
{
    *use_max = 0;
    if (cm_slice_equals(driver, "AMP")) {
        *cnv = CM_CNV_AMPLIFICATION;
    } else if (cm_slice_equals(driver, "PARTIAL_AMP")) {
        *cnv = CM_CNV_AMPLIFICATION;
        *use_max = 1;
    } else if (cm_slice_equals(driver, "DEL")) {
        *cnv = CM_CNV_HOMOZYGOUS_DELETION;
    } else {
        return 0;
    }
    return 1;
}

static int drivers_open(cm_input *input, const cm_input_options *options, cm_error *err)
{
    driver_catalog *state = calloc(1, sizeof *state);
    if (!state)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    input->impl = state;
    int skip_other, skip_not_reported, skip_non_canonical;
    if ((skip_other = cm_input_declare_skip(input, "driver_not_copy_number")) < 0 ||
        (skip_not_reported = cm_input_declare_skip(input, "driver_not_reported")) < 0 ||
        (skip_non_canonical = cm_input_declare_skip(input, "non_canonical_transcript")) < 0 ||
        cm_input_add_sample(input, NULL) < 0)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    cm_table table;
    if (cm_table_open(&table, input->path, options->vcf.threads, err) < 0)
        return -1;
    int status = 0, got, n_header = 0;
    int c_gene = -1, c_driver = -1, c_min = -1, c_max = -1, c_transcript = -1, c_chromosome = -1,
        c_canonical = -1, c_reported = -1;
    while (status == 0 && (got = cm_table_next_line(&table, err)) > 0) {
        if (table.line.l == 0)
            continue;
        int line = (int)table.line_number;
        int n = cm_table_split(&table, 0);
        if (n < 0) {
            status = cm_error_set(err, input->path, line, 0, "out of memory");
            break;
        }
        if (n_header == 0) {
            n_header = n;
            c_gene = cm_table_column(&table, "gene");
            c_driver = cm_table_column(&table, "driver");
            c_min = cm_table_column(&table, "minCopyNumber");
            c_max = cm_table_column(&table, "maxCopyNumber");
            c_transcript = cm_table_column(&table, "transcript");
            c_chromosome = cm_table_column(&table, "chromosome");
            c_canonical = cm_table_column(&table, "isCanonical");
            c_reported = cm_table_column(&table, "reportedStatus");
            if (c_gene < 0 || c_driver < 0 || c_min < 0 || c_max < 0)
                status = cm_error_set(err, input->path, line, 0,
                                      "a PURPLE driver catalog header needs the columns gene, "
                                      "driver, minCopyNumber and maxCopyNumber");
            continue;
        }
        if (n != n_header) {
            status = cm_error_set(err, input->path, line, 0, "%d columns, the header has %d", n,
                                  n_header);
            break;
        }
        input->stats.records++;
        cm_slice gene = cm_table_field(&table, c_gene);
        if (gene.len == 0) {
            status = cm_error_set(err, input->path, line, 0, "empty gene");
            break;
        }
        unsigned cnv;
        int use_max, is_canonical = 1;
        if (!driver_call(cm_table_field(&table, c_driver), &cnv, &use_max)) {
            input->skipped[skip_other].value++;
            continue;
        }
        double min, max;
        if (copy_number_field(&table, c_min, "minCopyNumber", &min, err) < 0 ||
            copy_number_field(&table, c_max, "maxCopyNumber", &max, err) < 0 ||
            read_canonical(&table, c_canonical, &is_canonical, err) < 0) {
            status = -1;
            break;
        }
        // reportedStatus (pipeline v3.0 on): REPORTED, NOT_REPORTED, NONE; absent: reported,
        // as hmftools reads it.
        cm_slice reported = cm_table_field(&table, c_reported);
        if (c_reported >= 0 && !cm_slice_equals(reported, "REPORTED")) {
            input->skipped[skip_not_reported].value++;
            continue;
        }
        if (!is_canonical) {
            input->skipped[skip_non_canonical].value++;
            continue;
        }
        if (state->n_rows == state->m_rows) {
            size_t m = state->m_rows ? state->m_rows * 2 : 16;
            driver_row *rows = realloc(state->rows, m * sizeof *rows);
            if (!rows) {
                status = cm_error_set(err, input->path, line, 0, "out of memory");
                break;
            }
            state->rows = rows;
            state->m_rows = m;
        }
        driver_row *row = &state->rows[state->n_rows++];
        row->gene = keep_text(&state->text, gene);
        row->transcript = keep_text(&state->text, cm_table_field(&table, c_transcript));
        row->chromosome = keep_text(&state->text, cm_table_field(&table, c_chromosome));
        row->call = keep_text(&state->text, cm_table_field(&table, c_driver));
        row->line = line;
        row->cnv = cnv;
        row->copy_number = use_max ? max : min;
    }
    if (status == 0 && got < 0)
        status = -1;
    if (status == 0 && n_header == 0)
        status = cm_error_set(err, input->path, 0, 0, "empty PURPLE driver catalog");
    cm_table_close(&table);
    return status;
}

static cm_slice stored(const driver_catalog *state, size_t at)
{
    const char *s = state->text.s + at;
    return (cm_slice){s, (int)strlen(s)};
}

static int drivers_next(cm_input *input, const cm_alteration **alterations, size_t *n,
                        cm_error *err)
{
    driver_catalog *state = input->impl;
    if (state->n_rows == 0 || state->is_handed)
        return 0;
    state->is_handed = 1;
    cm_alteration *batch = cm_input_batch(input, state->n_rows);
    if (!batch)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    for (size_t i = 0; i < state->n_rows; i++) {
        const driver_row *row = &state->rows[i];
        cm_alteration *a = &batch[i];
        copy_number_alteration(a, input, row->line);
        a->gene = stored(state, row->gene);
        a->transcript = stored(state, row->transcript);
        a->chrom = stored(state, row->chromosome);
        a->copy_number = row->copy_number;
        a->cnv = row->cnv;
        // PURPLE's call as written (AMP, PARTIAL_AMP, DEL).
        a->messages = stored(state, row->call);
    }
    *alterations = batch;
    *n = state->n_rows;
    return 1;
}

static void drivers_close(cm_input *input)
{
    driver_catalog *state = input->impl;
    if (!state)
        return;
    free(state->text.s);
    free(state->rows);
    free(state);
    input->impl = NULL;
}

const cm_input_reader cm_input_purple_drivers = {CM_INPUT_PURPLE_DRIVERS, drivers_open,
                                                 drivers_next, drivers_close, NULL};

int cm_input_link(cm_input *const *inputs, size_t n, cm_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (inputs[i]->reader != &cm_input_purple_gene_copy_number)
            continue;
        gene_table *table = inputs[i]->impl;
        for (size_t j = 0; j < n; j++) {
            if (inputs[j]->reader != &cm_input_purple_drivers)
                continue;
            const driver_catalog *catalog = inputs[j]->impl;
            for (size_t r = 0; r < catalog->n_rows; r++) {
                const char *gene = catalog->text.s + catalog->rows[r].gene;
                if (kh_get(gene_set, table->called, gene) != kh_end(table->called))
                    continue;
                char *key = strdup(gene);
                int absent = -1;
                if (key)
                    kh_put(gene_set, table->called, key, &absent);
                if (absent < 0) {
                    free(key);
                    return cm_error_set(err, inputs[i]->path, 0, 0, "out of memory");
                }
            }
        }
    }
    return 0;
}
