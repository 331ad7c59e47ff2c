/*
 * Hartwig PURPLE outputs (docs/alterations.md, "PURPLE"): the purity file
 * (*.purple.purity.tsv: one header, one row: purity, ploidy, TMB, MSI), the
 * gene copy-number table (*.purple.cnv.gene.tsv: one row per gene) and the
 * somatic driver catalog (*.driver.catalog.somatic.tsv: AMP/DEL calls).
 * Columns are found by their header name, never by position: PURPLE 2.x and
 * 4.x order and name some columns differently. None of these files names its
 * sample: each input has one unnamed sample.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
