/*
 * TSO500 CombinedVariantOutput.tsv (docs/alterations.md, "TSO500"): the
 * one-file summary of Illumina's TruSight Oncology 500 LocalApp 2.x and
 * DRAGEN TSO500 2.x. The file is a series of `[Section]` blocks: key/value
 * blocks (`[Analysis Details]`, `[TMB]`, `[MSI]`, `[GIS]`) give the sample's
 * name and facts, table blocks (one header row, then rows) give the
 * alterations. Lines may be CRLF and right-padded with tabs; blank lines,
 * `NA` rows, missing and unknown sections, and sections in any order are
 * read as they come.
 *
 * Two passes: open() reads the key/value blocks (the sample's name must be
 * known before the first alteration); next() streams the tables, one row per
 * batch, through one reused line buffer. Table cells are split in place, so
 * every slice of an alteration points into the current line.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum section {
    SECTION_BANNER = 0, // before the first [Section] line
    SECTION_NOT_READ,   // a section this reader does not read (counted, skipped)
    SECTION_ANALYSIS,   // key/value blocks
    SECTION_TMB,
    SECTION_MSI,
    SECTION_GIS,
    SECTION_SMALL, // tables
    SECTION_AMPLIFICATIONS,
    SECTION_CNV,
    SECTION_FUSIONS,
    SECTION_SPLICE,
} section;

static const struct {
    const char *name;
    section section;
} sections[] = {
    {"Analysis Details", SECTION_ANALYSIS},
    {"TMB", SECTION_TMB},
    {"MSI", SECTION_MSI},
    {"GIS", SECTION_GIS},
    {"Small Variants", SECTION_SMALL},
    {"Gene Amplifications", SECTION_AMPLIFICATIONS},
    {"Copy Number Variants", SECTION_CNV},
    {"Fusions", SECTION_FUSIONS},
    {"Splice Variants", SECTION_SPLICE},
};
#define N_SECTIONS ((int)(sizeof sections / sizeof sections[0]))

// MSI calls from "Percent Unstable MSI Sites" (docs/alterations.md, "MSI"): at least
// MSI_MIN_USABLE usable sites, then <= MSI_STABLE_MAX % stable, >= MSI_HIGH_MIN % high,
// in between no call.
#define MSI_MIN_USABLE 40
#define MSI_STABLE_MAX 10.0
#define MSI_HIGH_MIN 20.0

// The most alterations one fusion row may give (every 5' gene x every 3' gene it lists).
#define MAX_FUSION_PAIRS 256

enum { SKIP_NA_ROW, SKIP_NO_GENE, SKIP_NO_FOLD_CHANGE, SKIP_NOT_READ, N_SKIPS };
static const char *const skip_names[N_SKIPS] = {"tso500_na_row", "tso500_no_gene",
                                                "tso500_no_fold_change", "tso500_section_not_read"};

// Columns of the table sections, found by header name.
enum {
    COL_GENE,
    COL_CHROMOSOME,
    COL_POSITION,
    COL_REF,
    COL_ALT,
    COL_AF,
    COL_DEPTH,
    COL_PDOT,
    COL_CDOT,
    COL_CONSEQUENCE,
    COL_EXON,
    COL_FOLD_CHANGE,
    COL_CNV_TYPE,
    COL_ABSOLUTE_CN,
    COL_GENE_PAIR,
    COL_BREAKPOINT_1,
    COL_AFFECTED_EXON,
    N_COLUMNS
};
static const char *const column_names[N_COLUMNS] = {
    "Gene",
    "Chromosome",
    "Genomic Position",
    "Reference Call",
    "Alternative Call",
    "Allele Frequency",
    "Depth",
    "P-Dot Notation",
    "C-Dot Notation",
    "Consequence(s)",
    "Affected Exon(s)",
    "Fold Change",
    "Copy Number Variant",
    "Absolute Copy Number",
    "Gene Pair",
    "Breakpoint 1",
    "Affected Exon",
};

typedef struct tso500_input {
    cm_table table;
    section current;
    const char *section_name; // static storage
    int header_pending;       // the current table section's header row is next
    int column[N_COLUMNS];
    int skip[N_SKIPS];
    kstring_t note; // the current row's messages
} tso500_input;

/* ---- Lines ---- */

// Drops the padding TSO500 writes: trailing tabs, spaces and carriage returns.
static void strip_line(cm_table *table)
{
    size_t len = table->line.l;
    while (len > 0 && (table->line.s[len - 1] == '\t' || table->line.s[len - 1] == '\r' ||
                       table->line.s[len - 1] == ' '))
        len--;
    table->line.l = len;
    if (table->line.s)
        table->line.s[len] = '\0';
}

// Whether the line is a section line "[Name]"; sets *out to the section (SECTION_NOT_READ for
// a name this reader does not know) and *name to its static name.
static int section_line(const cm_table *table, section *out, const char **name)
{
    const char *s = table->line.s;
    size_t len = table->line.l;
    if (len < 2 || s[0] != '[' || s[len - 1] != ']')
        return 0;
    *out = SECTION_NOT_READ;
    *name = "other section";
    for (int i = 0; i < N_SECTIONS; i++) {
        cm_slice inside = {s + 1, (int)len - 2};
        if (cm_table_equals(inside, sections[i].name)) {
            *out = sections[i].section;
            *name = sections[i].name;
        }
    }
    return 1;
}

static int is_table(section s)
{
    return s >= SECTION_SMALL;
}

static cm_slice trim(cm_slice field)
{
    while (field.len > 0 && (field.s[0] == ' ' || field.s[0] == '"'))
        field.s++, field.len--;
    while (field.len > 0 && (field.s[field.len - 1] == ' ' || field.s[field.len - 1] == '"'))
        field.len--;
    return field;
}

static cm_slice field_at(const cm_table *table, int column)
{
    return trim(cm_table_field(table, column));
}

// Every cell of the split line holds no value ("NA", empty): TSO500's empty section.
static int is_na_row(const cm_table *table)
{
    for (int i = 0; i < table->n_fields; i++)
        if (!cm_table_is_null(table->fields[i]))
            return 0;
    return 1;
}

/* ---- Key/value sections: the sample's name and facts (first pass) ---- */

typedef struct value_seen {
    char text[64];
    long line;
} value_seen;

typedef struct first_pass {
    kstring_t name[3]; // Pair ID, DNA Sample ID, RNA Sample ID (or Sample ID)
    value_seen tmb, usable, unstable, percent, gis;
    int n_sections;
} first_pass;

// Keeps a key's value (the first one written; an empty or NA value counts as not written).
static int keep_value(cm_table *table, const char *path, cm_slice key, cm_slice value,
                      value_seen *seen, cm_error *err)
{
    if (cm_table_is_null(value))
        return 0;
    if (seen->line > 0)
        return cm_error_set(err, path, (int)table->line_number, 0,
                            "a second '%.*s' (line %ld has one)", key.len, key.s, seen->line);
    if ((size_t)value.len >= sizeof seen->text)
        return cm_error_set(err, path, (int)table->line_number, 0, "%.*s '%.*s...' is not a number",
                            key.len, key.s, 20, value.s);
    memcpy(seen->text, value.s, (size_t)value.len);
    seen->text[value.len] = '\0';
    seen->line = table->line_number;
    return 0;
}

static int read_key_value(cm_table *table, const char *path, section current, first_pass *pass,
                          cm_error *err)
{
    int n = cm_table_split(table, 0);
    if (n < 0)
        return cm_error_set(err, path, 0, 0, "out of memory");
    cm_slice key = field_at(table, 0), value = field_at(table, 1);
    switch (current) {
    case SECTION_ANALYSIS: {
        static const char *const keys[] = {"Pair ID", "DNA Sample ID", "RNA Sample ID",
                                           "Sample ID"};
        for (int i = 0; i < 4; i++) {
            kstring_t *name = &pass->name[i < 3 ? i : 2];
            if (cm_table_equals(key, keys[i]) && !cm_table_is_null(value) && name->l == 0) {
                kputsn(value.s, (size_t)value.len, name);
                if (!name->s)
                    return cm_error_set(err, path, 0, 0, "out of memory");
            }
        }
        return 0;
    }
    case SECTION_TMB:
        if (cm_table_equals(key, "Total TMB"))
            return keep_value(table, path, key, value, &pass->tmb, err);
        return 0;
    case SECTION_MSI:
        if (cm_table_equals(key, "Usable MSI Sites"))
            return keep_value(table, path, key, value, &pass->usable, err);
        if (cm_table_equals(key, "Total MSI Sites Unstable"))
            return keep_value(table, path, key, value, &pass->unstable, err);
        if (cm_table_equals(key, "Percent Unstable MSI Sites"))
            return keep_value(table, path, key, value, &pass->percent, err);
        return 0;
    case SECTION_GIS:
        if (cm_table_equals(key, "Genomic Instability Score"))
            return keep_value(table, path, key, value, &pass->gis, err);
        return 0;
    default:
        return 0;
    }
}

// A number of a key/value section: finite, at least 0 (and at most max when max >= 0; a whole
// number when whole). A trailing '%' is allowed.
static int value_number(const char *path, const value_seen *seen, const char *key, double max,
                        int whole, double *out, cm_error *err)
{
    cm_slice text = {seen->text, (int)strlen(seen->text)};
    if (text.len > 0 && text.s[text.len - 1] == '%')
        text.len--;
    if (cm_table_parse_double(text, out) < 0 || *out < 0 || (max >= 0 && *out > max) ||
        (whole && *out != floor(*out)))
        return cm_error_set(err, path, (int)seen->line, 0, "%s '%s' is not a %s%s", key, seen->text,
                            whole ? "whole number" : "number",
                            max >= 0 ? " from 0 to 100" : " of at least 0");
    return 0;
}

static int add_fact(cm_input *input, const char *name, const char *value, long line,
                    const char *section_name, const char *key, cm_error *err)
{
    char where[160];
    snprintf(where, sizeof where, "%ld:[%s] %s", line, section_name, key);
    if (cm_input_add_fact(input, 0, name, value, where) < 0)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    return 0;
}

// The facts of the key/value sections: tmb, the MSI call and its numbers, gis.
static int add_facts(cm_input *input, const first_pass *pass, cm_error *err)
{
    const char *path = input->path;
    double tmb, usable = NAN, unstable, percent, gis;
    if (pass->tmb.line &&
        (value_number(path, &pass->tmb, "Total TMB", -1, 0, &tmb, err) < 0 ||
         add_fact(input, "tmb", pass->tmb.text, pass->tmb.line, "TMB", "Total TMB", err) < 0))
        return -1;
    if (pass->usable.line &&
        value_number(path, &pass->usable, "Usable MSI Sites", -1, 1, &usable, err) < 0)
        return -1;
    if (pass->unstable.line) {
        if (value_number(path, &pass->unstable, "Total MSI Sites Unstable", -1, 1, &unstable, err) <
            0)
            return -1;
        if (!isnan(usable) && unstable > usable)
            return cm_error_set(err, path, (int)pass->unstable.line, 0,
                                "Total MSI Sites Unstable '%s' is more than the Usable MSI Sites "
                                "'%s'",
                                pass->unstable.text, pass->usable.text);
    }
    if (pass->percent.line) {
        if (value_number(path, &pass->percent, "Percent Unstable MSI Sites", 100, 0, &percent,
                         err) < 0)
            return -1;
        const char *call = NULL;
        char why[200];
        why[0] = '\0';
        if (isnan(usable))
            snprintf(why, sizeof why,
                     "%s %% unstable MSI sites, but the file gives no number of usable sites "
                     "(at least %d are needed)",
                     pass->percent.text, MSI_MIN_USABLE);
        else if (usable < MSI_MIN_USABLE)
            snprintf(why, sizeof why, "%s usable MSI sites, fewer than %d: not evaluable",
                     pass->usable.text, MSI_MIN_USABLE);
        else if (percent >= MSI_HIGH_MIN)
            call = "high";
        else if (percent <= MSI_STABLE_MAX)
            call = "stable";
        else
            snprintf(why, sizeof why,
                     "%s %% unstable MSI sites is between %g %% (stable) and %g %% (high): "
                     "not called",
                     pass->percent.text, MSI_STABLE_MAX, MSI_HIGH_MIN);
        if ((call && add_fact(input, "msi", call, pass->percent.line, "MSI",
                              "Percent Unstable MSI Sites", err) < 0) ||
            (!call && add_fact(input, "msi_not_called", why, pass->percent.line, "MSI",
                               "Percent Unstable MSI Sites", err) < 0) ||
            add_fact(input, "msi_percent_unstable", pass->percent.text, pass->percent.line, "MSI",
                     "Percent Unstable MSI Sites", err) < 0)
            return -1;
    }
    if (pass->usable.line && add_fact(input, "msi_usable_sites", pass->usable.text,
                                      pass->usable.line, "MSI", "Usable MSI Sites", err) < 0)
        return -1;
    if (pass->gis.line &&
        (value_number(path, &pass->gis, "Genomic Instability Score", -1, 0, &gis, err) < 0 ||
         add_fact(input, "gis", pass->gis.text, pass->gis.line, "GIS", "Genomic Instability Score",
                  err) < 0))
        return -1;
    return 0;
}

static int read_first_pass(cm_input *input, int threads, first_pass *pass, cm_error *err)
{
    cm_table table;
    if (cm_table_open(&table, input->path, threads, err) < 0)
        return -1;
    section current = SECTION_BANNER;
    const char *name = NULL;
    int got, status = 0;
    while (status == 0 && (got = cm_table_next_line(&table, err)) > 0) {
        strip_line(&table);
        if (table.line.l == 0)
            continue;
        if (section_line(&table, &current, &name)) {
            pass->n_sections++;
            continue;
        }
        if (current >= SECTION_ANALYSIS && current <= SECTION_GIS)
            status = read_key_value(&table, input->path, current, pass, err);
    }
    if (status == 0 && got < 0)
        status = -1;
    if (status == 0 && pass->n_sections == 0)
        status = cm_error_set(err, input->path, 0, 0,
                              "no [Section] line: not a TSO500 CombinedVariantOutput.tsv");
    cm_table_close(&table);
    return status;
}

static int tso500_open(cm_input *input, const cm_input_options *options, cm_error *err)
{
    tso500_input *state = calloc(1, sizeof *state);
    if (!state)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    input->impl = state;
    for (int i = 0; i < N_SKIPS; i++)
        if ((state->skip[i] = cm_input_declare_skip(input, skip_names[i])) < 0)
            return cm_error_set(err, input->path, 0, 0, "out of memory");
    first_pass pass;
    memset(&pass, 0, sizeof pass);
    int status = read_first_pass(input, options->vcf.threads, &pass, err);
    if (status == 0) {
        // The pair's name, else the DNA sample's, else the RNA sample's.
        const char *name = NULL;
        for (int i = 0; i < 3 && !name; i++)
            if (pass.name[i].l > 0)
                name = pass.name[i].s;
        if (cm_input_add_sample(input, name) < 0)
            status = cm_error_set(err, input->path, 0, 0, "out of memory");
    }
    if (status == 0)
        status = add_facts(input, &pass, err);
    for (int i = 0; i < 3; i++)
        free(pass.name[i].s);
    if (status < 0)
        return -1;
    // LocalApp 2.x and DRAGEN TSO500 2.x align to hg19 (chr-prefixed contigs).
    input->build = CM_BUILD_GRCH37;
    return cm_table_open(&state->table, input->path, options->vcf.threads, err);
}

/* ---- Tables (second pass) ---- */

static int read_header(cm_input *input, tso500_input *state, cm_error *err)
{
    cm_table *table = &state->table;
    for (int i = 0; i < N_COLUMNS; i++)
        state->column[i] = cm_table_column(table, column_names[i]);
    // Spellings other versions may use for the same columns.
    if (state->column[COL_CONSEQUENCE] < 0)
        state->column[COL_CONSEQUENCE] = cm_table_column(table, "Consequence");
    if (state->column[COL_EXON] < 0)
        state->column[COL_EXON] = cm_table_column(table, "Affected Exon");
    if (state->column[COL_AFFECTED_EXON] < 0)
        state->column[COL_AFFECTED_EXON] = cm_table_column(table, "Affected Exon(s)");
    static const int small[] = {COL_CHROMOSOME, COL_POSITION, COL_REF, COL_ALT, -1};
    static const int amplifications[] = {COL_GENE, COL_FOLD_CHANGE, -1};
    static const int fusions[] = {COL_GENE_PAIR, -1};
    static const int splice[] = {COL_GENE, COL_AFFECTED_EXON, -1};
    const int *required = state->current == SECTION_SMALL     ? small
                          : state->current == SECTION_FUSIONS ? fusions
                          : state->current == SECTION_SPLICE  ? splice
                                                              : amplifications;
    for (const int *c = required; *c >= 0; c++)
        if (state->column[*c] < 0)
            return cm_error_set(err, input->path, (int)table->line_number, 0,
                                "the [%s] header has no '%s' column", state->section_name,
                                column_names[*c]);
    return 0;
}

static cm_alteration *start_alteration(cm_input *input, tso500_input *state, size_t index,
                                       cm_alteration_kind kind)
{
    cm_alteration *batch = cm_input_batch(input, index + 1);
    if (!batch)
        return NULL;
    cm_alteration *a = &batch[index];
    cm_alteration_init(a);
    a->kind = kind;
    a->sample = 0;
    a->allele = 1;
    a->input = input->index;
    a->line = (int)state->table.line_number;
    a->key = (cm_slice){state->section_name, (int)strlen(state->section_name)};
    return a;
}

// An exon or exon range "15/31", "2-7/28", "14" (first exon, last exon of a range or 0, and the
// total; 0 when absent).
static int parse_exon(cm_slice text, int *exon, int *exon_last, int *count)
{
    *exon = *exon_last = *count = 0;
    int i = 0, value = 0, digits = 0;
    while (i < text.len && text.s[i] >= '0' && text.s[i] <= '9' && digits < 6)
        value = value * 10 + (text.s[i++] - '0'), digits++;
    if (digits == 0 || value == 0)
        return -1;
    *exon = value;
    if (i < text.len && text.s[i] == '-') {
        int last = 0;
        digits = 0;
        for (i++; i < text.len && text.s[i] >= '0' && text.s[i] <= '9' && digits < 6; i++)
            last = last * 10 + (text.s[i] - '0'), digits++;
        if (digits == 0 || last < value)
            return -1;
        *exon_last = last > value ? last : 0;
    }
    if (i < text.len && text.s[i] == '/') {
        int total = 0;
        digits = 0;
        for (i++; i < text.len && text.s[i] >= '0' && text.s[i] <= '9' && digits < 6; i++)
            total = total * 10 + (text.s[i] - '0'), digits++;
        if (digits == 0 || total < value)
            return -1;
        *count = total;
    }
    return i == text.len ? 0 : -1;
}

// "chr7:55087058" into chrom and pos; leaves both unset when the text is not of that form.
static void parse_breakpoint(cm_slice text, cm_alteration *a)
{
    const char *colon = memchr(text.s, ':', (size_t)text.len);
    if (!colon || colon == text.s)
        return;
    long long pos;
    cm_slice number = {colon + 1, (int)(text.s + text.len - colon - 1)};
    if (cm_table_parse_long(number, &pos) < 0 || pos < 1)
        return;
    a->chrom = (cm_slice){text.s, (int)(colon - text.s)};
    a->pos = pos;
}

static int line_error(cm_input *input, tso500_input *state, int column, const char *what,
                      cm_slice text, const char *expected, cm_error *err)
{
    return cm_error_set(err, input->path, (int)state->table.line_number, column + 1,
                        "%s '%.*s' is not %s", what, text.len, text.s, expected);
}

// Counts a row skipped for cause; returns 0 (no alteration).
static int skip_row(cm_input *input, const tso500_input *state, int cause)
{
    input->skipped[state->skip[cause]].value++;
    return 0;
}

static int small_variant(cm_input *input, tso500_input *state, size_t *n, cm_error *err)
{
    const cm_table *table = &state->table;
    const int *col = state->column;
    cm_alteration *a = start_alteration(input, state, 0, CM_ALTERATION_SMALL);
    if (!a)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    cm_slice gene = field_at(table, col[COL_GENE]);
    if (!cm_table_is_null(gene))
        a->gene = gene;
    a->chrom = field_at(table, col[COL_CHROMOSOME]);
    cm_slice text = field_at(table, col[COL_POSITION]);
    long long pos;
    if (cm_table_parse_long(text, &pos) < 0 || pos < 1)
        return line_error(input, state, col[COL_POSITION], "Genomic Position", text,
                          "a position (a whole number above 0)", err);
    a->pos = pos;
    a->ref = field_at(table, col[COL_REF]);
    a->alt = field_at(table, col[COL_ALT]);
    text = field_at(table, col[COL_AF]);
    if (!cm_table_is_null(text)) {
        if (cm_table_parse_double(text, &a->vaf) < 0 || a->vaf < 0 || a->vaf > 1)
            return line_error(input, state, col[COL_AF], "Allele Frequency", text,
                              "a number from 0 to 1", err);
        a->vaf_source = CM_VAF_ALLELE_FRACTION;
    }
    text = field_at(table, col[COL_DEPTH]);
    if (!cm_table_is_null(text)) {
        long long depth;
        if (cm_table_parse_long(text, &depth) < 0 || depth < 0 || depth > 2000000000)
            return line_error(input, state, col[COL_DEPTH], "Depth", text,
                              "a whole number of at least 0", err);
        a->depth = (int)depth;
    }
    // C-dot: "NM_004958.3:c.4731G>A", synonymous "NM_...:c.2997C>T(p.(Asn999=))".
    cm_slice protein = {NULL, 0};
    text = field_at(table, col[COL_CDOT]);
    if (!cm_table_is_null(text)) {
        const char *colon = memchr(text.s, ':', (size_t)text.len);
        cm_slice hgvsc = text;
        if (colon) {
            a->transcript = (cm_slice){text.s, (int)(colon - text.s)};
            hgvsc = (cm_slice){colon + 1, (int)(text.s + text.len - colon - 1)};
        }
        for (int i = 0; i + 2 < hgvsc.len; i++)
            if (hgvsc.s[i] == '(' && hgvsc.s[i + 1] == 'p' && hgvsc.s[i + 2] == '.') {
                protein = (cm_slice){hgvsc.s + i + 1, hgvsc.len - i - 1};
                if (protein.len > 0 && protein.s[protein.len - 1] == ')')
                    protein.len--;
                hgvsc.len = i;
                break;
            }
        a->hgvsc = hgvsc;
    }
    // P-dot: "NP_003811.2:p.(Lys17Arg)"; without it, the protein the C-dot carries.
    text = field_at(table, col[COL_PDOT]);
    if (!cm_table_is_null(text)) {
        const char *colon = memchr(text.s, ':', (size_t)text.len);
        protein = colon ? (cm_slice){colon + 1, (int)(text.s + text.len - colon - 1)} : text;
    }
    a->hgvsp = protein;
    if (protein.len > 0)
        cm_protein_change_parse(protein.s, (size_t)protein.len, &a->protein);
    // Consequences joined by ':' ("missense_variant:splice_region_variant").
    text = field_at(table, col[COL_CONSEQUENCE]);
    if (!cm_table_is_null(text)) {
        int start = 0;
        for (int i = 0; i <= text.len; i++) {
            if (i < text.len && text.s[i] != ':' && text.s[i] != '&' && text.s[i] != ',')
                continue;
            if (i > start) {
                int term = cm_so_term_lookup(text.s + start, (size_t)(i - start));
                a->consequence |= CM_SO_BIT(term >= 0 ? term : CM_SO_OTHER);
            }
            start = i + 1;
        }
    }
    // An exon text of another form is kept as a note, the row with no exon: the variant
    // counts, only an exon: leaf cannot match it.
    text = field_at(table, col[COL_EXON]);
    state->note.l = 0;
    if (!cm_table_is_null(text) && parse_exon(text, &a->exon, &a->exon_last, &a->exon_count) < 0) {
        a->exon = a->exon_last = a->exon_count = 0;
        ksprintf(&state->note, "Affected Exon(s) '%.*s' not read (not 15/31 or 2-3/28)", text.len,
                 text.s);
        a->messages = (cm_slice){state->note.s, (int)state->note.l};
    }
    *n = 1;
    return 1;
}

static int copy_number(cm_input *input, tso500_input *state, size_t *n, cm_error *err)
{
    const cm_table *table = &state->table;
    const int *col = state->column;
    cm_slice gene = field_at(table, col[COL_GENE]);
    if (cm_table_is_null(gene))
        return skip_row(input, state, SKIP_NO_GENE);
    cm_slice text = field_at(table, col[COL_FOLD_CHANGE]);
    if (cm_table_is_null(text))
        return skip_row(input, state, SKIP_NO_FOLD_CHANGE);
    double fold;
    if (cm_table_parse_double(text, &fold) < 0 || fold <= 0 || fold > 1e6)
        return line_error(input, state, col[COL_FOLD_CHANGE], "Fold Change", text,
                          "a number above 0", err);
    cm_alteration *a = start_alteration(input, state, 0, CM_ALTERATION_COPY_NUMBER);
    if (!a)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    a->gene = gene;
    // The fold change over a diploid genome, as for a VCF's FOLD_CHANGE; the class is the
    // caller's: a row of [Gene Amplifications] is an amplification it called.
    a->copy_number = 2 * fold;
    a->cnv = CM_CNV_AMPLIFICATION;
    if (state->current == SECTION_CNV) {
        text = field_at(table, col[COL_CNV_TYPE]);
        if (cm_table_is_null(text))
            a->cnv = fold >= 1 ? CM_CNV_AMPLIFICATION : CM_CNV_DELETION;
        else if (cm_table_equals(text, "<DUP>") || cm_table_equals(text, "DUP"))
            a->cnv = CM_CNV_AMPLIFICATION;
        else if (cm_table_equals(text, "<DEL>") || cm_table_equals(text, "DEL"))
            a->cnv = CM_CNV_DELETION;
        else
            return line_error(input, state, col[COL_CNV_TYPE], "Copy Number Variant", text,
                              "<DUP> or <DEL>", err);
        text = field_at(table, col[COL_ABSOLUTE_CN]);
        if (!cm_table_is_null(text)) {
            double copies;
            if (cm_table_parse_double(text, &copies) < 0 || copies < 0 || copies > 1e6)
                return line_error(input, state, col[COL_ABSOLUTE_CN], "Absolute Copy Number", text,
                                  "a number of at least 0", err);
            a->copy_number = copies;
            if (a->cnv == CM_CNV_DELETION && copies == 0)
                a->cnv = CM_CNV_HOMOZYGOUS_DELETION;
        }
    }
    *n = 1;
    return 1;
}

/* ---- Fusions: "5'GENE-3'GENE", symbols with '-', '/' and ';' ---- */

// Whether the text after a '-' (up to the next '-', '/', ';' or the end) is the tail of a
// gene symbol rather than a gene: digits (NKX2-1), one letter (HLA-A), or an antisense or
// intronic-transcript suffix (FGFR3-AS1, XXX-IT1, XXX-DT).
static int is_symbol_tail(const char *s, int len)
{
    int n = 0;
    while (n < len && s[n] != '-' && s[n] != '/' && s[n] != ';')
        n++;
    if (n == 0)
        return 1;
    int digits = 1;
    for (int i = 0; i < n; i++)
        digits &= s[i] >= '0' && s[i] <= '9';
    if (digits || n == 1)
        return 1;
    if (n == 2 && s[0] == 'D' && s[1] == 'T')
        return 1;
    if (n >= 3 && ((s[0] == 'A' && s[1] == 'S') || (s[0] == 'I' && s[1] == 'T') ||
                   (s[0] == 'O' && s[1] == 'T'))) {
        for (int i = 2; i < n; i++)
            if (s[i] < '0' || s[i] > '9')
                return 0;
        return 1;
    }
    return 0;
}

// Adds a fusion row for every gene of the 5' list x every gene of the 3' list ('/' and ';'
// separate genes of one side).
static int add_pairs(cm_input *input, tso500_input *state, cm_slice five, cm_slice three,
                     cm_slice breakpoint, size_t *n, cm_error *err)
{
    for (int i = 0; i <= five.len;) {
        int j = i;
        while (j < five.len && five.s[j] != '/' && five.s[j] != ';')
            j++;
        cm_slice gene = trim((cm_slice){five.s + i, j - i});
        for (int k = 0; gene.len > 0 && k <= three.len;) {
            int m = k;
            while (m < three.len && three.s[m] != '/' && three.s[m] != ';')
                m++;
            cm_slice partner = trim((cm_slice){three.s + k, m - k});
            int same = partner.len == gene.len && memcmp(partner.s, gene.s, (size_t)gene.len) == 0;
            if (!same && (partner.len > 0 || three.len == 0)) {
                if (*n >= MAX_FUSION_PAIRS)
                    return cm_error_set(err, input->path, (int)state->table.line_number, 0,
                                        "Gene Pair lists more than %d gene pairs",
                                        MAX_FUSION_PAIRS);
                cm_alteration *a = start_alteration(input, state, *n, CM_ALTERATION_FUSION);
                if (!a)
                    return cm_error_set(err, input->path, 0, 0, "out of memory");
                a->gene = gene;
                a->partner = partner;
                a->is_five_prime = partner.len > 0 ? 1 : -1;
                parse_breakpoint(breakpoint, a);
                (*n)++;
            }
            k = m + 1;
        }
        i = j + 1;
    }
    return 0;
}

static int fusion(cm_input *input, tso500_input *state, size_t *n, cm_error *err)
{
    const cm_table *table = &state->table;
    cm_slice pair = field_at(table, state->column[COL_GENE_PAIR]);
    if (cm_table_is_null(pair))
        return skip_row(input, state, SKIP_NO_GENE);
    cm_slice breakpoint = field_at(table, state->column[COL_BREAKPOINT_1]);
    // The '-' that can part the 5' gene from the 3' gene: not the first or last character,
    // not next to a '/' or ';', and not before the tail of a symbol (NKX2-1, HLA-A).
    int splits[16], n_splits = 0;
    for (int i = 1; i + 1 < pair.len && n_splits < 16; i++) {
        if (pair.s[i] != '-')
            continue;
        char before = pair.s[i - 1], after = pair.s[i + 1];
        if (before == '/' || before == ';' || after == '/' || after == ';' || after == '-')
            continue;
        if (!is_symbol_tail(pair.s + i + 1, pair.len - i - 1))
            splits[n_splits++] = i;
    }
    state->note.l = 0;
    if (n_splits == 0)
        ksprintf(&state->note, "Gene Pair '%.*s' names no 5'-3' pair: partner unknown", pair.len,
                 pair.s);
    else if (n_splits > 1)
        ksprintf(&state->note, "Gene Pair '%.*s' can be split %d ways: every reading given",
                 pair.len, pair.s, n_splits);
    *n = 0;
    if (n_splits == 0 &&
        add_pairs(input, state, pair, (cm_slice){pair.s, 0}, breakpoint, n, err) < 0)
        return -1;
    for (int s = 0; s < n_splits; s++) {
        cm_slice five = {pair.s, splits[s]};
        cm_slice three = {pair.s + splits[s] + 1, pair.len - splits[s] - 1};
        if (add_pairs(input, state, five, three, breakpoint, n, err) < 0)
            return -1;
    }
    // '/' (either gene) and ';' (both genes at the breakpoint) make several rows of one pair.
    if (state->note.l == 0 && *n > 1)
        ksprintf(&state->note, "Gene Pair '%.*s' lists %zu gene pairs: one row each", pair.len,
                 pair.s, *n);
    if (state->note.l > 0)
        for (size_t i = 0; i < *n; i++)
            input->batch[i].messages = (cm_slice){state->note.s, (int)state->note.l};
    if (*n == 0)
        return skip_row(input, state, SKIP_NO_GENE);
    return 1;
}

// A splice variant (MET exon 14 skipping, EGFRvIII): the gene's exons lost from the RNA.
static int splice_variant(cm_input *input, tso500_input *state, size_t *n, cm_error *err)
{
    const cm_table *table = &state->table;
    cm_slice gene = field_at(table, state->column[COL_GENE]);
    if (cm_table_is_null(gene))
        return skip_row(input, state, SKIP_NO_GENE);
    cm_alteration *a = start_alteration(input, state, 0, CM_ALTERATION_SMALL);
    if (!a)
        return cm_error_set(err, input->path, 0, 0, "out of memory");
    a->gene = gene;
    cm_slice exon = field_at(table, state->column[COL_AFFECTED_EXON]);
    if (parse_exon(exon, &a->exon, &a->exon_last, &a->exon_count) < 0)
        return line_error(input, state, state->column[COL_AFFECTED_EXON], "Affected Exon", exon,
                          "an exon (14/21, 2-7/28)", err);
    a->consequence = CM_SO_BIT(CM_SO_EXON_LOSS_VARIANT);
    parse_breakpoint(field_at(table, state->column[COL_BREAKPOINT_1]), a);
    state->note.l = 0;
    ksprintf(&state->note, "RNA splice variant: exon %.*s skipped", exon.len, exon.s);
    a->messages = (cm_slice){state->note.s, (int)state->note.l};
    *n = 1;
    return 1;
}

static int tso500_next(cm_input *input, const cm_alteration **alterations, size_t *n, cm_error *err)
{
    tso500_input *state = input->impl;
    cm_table *table = &state->table;
    int got;
    while ((got = cm_table_next_line(table, err)) > 0) {
        strip_line(table);
        if (table->line.l == 0)
            continue;
        if (section_line(table, &state->current, &state->section_name)) {
            state->header_pending = is_table(state->current);
            continue;
        }
        if (state->current == SECTION_BANNER ||
            (state->current >= SECTION_ANALYSIS && state->current <= SECTION_GIS))
            continue; // the banner and the key/value sections: read by open()
        if (cm_table_split(table, 0) < 0)
            return cm_error_set(err, input->path, 0, 0, "out of memory");
        if (state->current == SECTION_NOT_READ || is_na_row(table)) {
            // A section not read, or a lone NA: the section is empty (with or without its
            // header row).
            input->stats.records++;
            skip_row(input, state,
                     state->current == SECTION_NOT_READ ? SKIP_NOT_READ : SKIP_NA_ROW);
            continue;
        }
        if (state->header_pending) {
            state->header_pending = 0;
            if (read_header(input, state, err) < 0)
                return -1;
            continue;
        }
        input->stats.records++;
        int status;
        switch (state->current) {
        case SECTION_SMALL:
            status = small_variant(input, state, n, err);
            break;
        case SECTION_AMPLIFICATIONS:
        case SECTION_CNV:
            status = copy_number(input, state, n, err);
            break;
        case SECTION_FUSIONS:
            status = fusion(input, state, n, err);
            break;
        default:
            status = splice_variant(input, state, n, err);
            break;
        }
        if (status < 0)
            return -1;
        if (status > 0) {
            *alterations = input->batch;
            return 1;
        }
    }
    return got < 0 ? -1 : 0;
}

static void tso500_close(cm_input *input)
{
    tso500_input *state = input->impl;
    if (!state)
        return;
    cm_table_close(&state->table);
    free(state->note.s);
    free(state);
    input->impl = NULL;
}

const cm_input_reader cm_input_tso500 = {CM_INPUT_TSO500, tso500_open, tso500_next, tso500_close,
                                         NULL};
