/*
 * The TSV report: one row per candidate x matched alteration, in candidate
 * order, for every sample, under one header line. Columns are a documented,
 * stable contract (docs/output.md): new columns are only ever appended.
 * Missing values are ".". Ruled-out arms are not in the TSV (see the JSON).
 * This writer only formats the matcher's results; it never evaluates rules.
 */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cohortmatch/profile.h"

static const char *const columns[] = {
    "sample",
    "tumour_type",
    "protocol",
    "arm",
    "drugs",
    "cohort_tumour_type",
    "cohort_status",
    "escat",
    "oncokb",
    "gene",
    "protein",
    "hgvsp",
    "transcript",
    "consequence",
    "hgvsc",
    "chrom",
    "pos",
    "ref",
    "alt",
    "vaf",
    "depth",
    "named",
    "kind",
    "exon",
    "copy_number",
    "cnv",
    "partner",
    "in_frame",
    "group",
    "country",
    "network",
    "cross_border",
    "criteria",
    "cohort_progress",
    "cohort_updated",
    "source",
    "notes",
};
#define N_COLUMNS (sizeof columns / sizeof columns[0])

// Text from rules and VCFs goes into a cell as is, except the characters that would
// break the row: tabs and line breaks become spaces.
static void put_cell_n(kstring_t *row, const char *text, size_t len)
{
    if (!text || len == 0) {
        kputc('.', row);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        kputc(c == '\t' || c == '\n' || c == '\r' ? ' ' : c, row);
    }
}

static void put_cell(kstring_t *row, const char *text)
{
    put_cell_n(row, text, text ? strlen(text) : 0);
}

static void put_slice(kstring_t *row, cm_slice slice)
{
    put_cell_n(row, slice.s, (size_t)(slice.len > 0 ? slice.len : 0));
}

static void tab(kstring_t *row)
{
    kputc('\t', row);
}

// A cell holding whatever `fill` appended to scratch, or "." when it appended nothing.
static void put_scratch(kstring_t *row, kstring_t *scratch)
{
    put_cell_n(row, scratch->s, scratch->l);
    scratch->l = 0;
}

static void put_candidate_cells(kstring_t *row, const cm_sample_profile *profile,
                                const cm_candidate *candidate)
{
    const cm_arm *arm = candidate->arm;
    put_cell(row, profile ? profile->name : NULL);
    tab(row);
    put_cell(row, profile ? profile->tumour_type : NULL);
    tab(row);
    put_cell(row, arm->protocol ? arm->protocol->id : NULL);
    tab(row);
    put_cell(row, arm->id);
    tab(row);
    if (arm->n_drugs == 0)
        kputc('.', row);
    for (int i = 0; i < arm->n_drugs; i++) {
        if (i > 0)
            kputc(',', row);
        put_cell(row, arm->drugs[i]);
    }
    tab(row);
    put_cell(row, candidate->cohort_tumour_type);
    tab(row);
    put_cell(row, cm_report_cohort_status_name(candidate->status));
    tab(row);
    put_cell(row, arm->escat);
    tab(row);
    put_cell(row, arm->oncokb);
}

// The alteration columns, gene .. in_frame (after the candidate's columns).
static void put_alteration_cells(kstring_t *row, const cm_alteration *a, const char *name,
                                 kstring_t *scratch)
{
    tab(row);
    put_slice(row, a->gene);
    tab(row);
    cm_report_protein_short(a, scratch);
    put_scratch(row, scratch);
    tab(row);
    cm_report_protein_hgvs(a, scratch);
    put_scratch(row, scratch);
    tab(row);
    put_slice(row, a->transcript);
    tab(row);
    cm_consequence_format(a->consequence, scratch);
    put_scratch(row, scratch);
    tab(row);
    put_slice(row, a->hgvsc);
    tab(row);
    put_slice(row, a->chrom);
    tab(row);
    if (a->pos > 0)
        kputll(a->pos, row);
    else
        kputc('.', row);
    tab(row);
    put_slice(row, a->ref);
    tab(row);
    put_slice(row, a->alt);
    tab(row);
    cm_report_format_number(a->vaf, row);
    tab(row);
    if (a->depth >= 0)
        kputw(a->depth, row);
    else
        kputc('.', row);
    tab(row);
    put_cell(row, name);
    tab(row);
    put_cell(row, cm_report_kind_name(a->kind));
    tab(row);
    if (a->exon > 0)
        cm_report_exons(a, 0, row);
    else
        kputc('.', row);
    tab(row);
    // A fusion's copy number is the one at its gene's breakend (PURPLE_CN), when known.
    cm_report_format_number(a->kind != CM_ALTERATION_SMALL ? a->copy_number : NAN, row);
    tab(row);
    put_cell(row, a->kind == CM_ALTERATION_COPY_NUMBER ? cm_report_cnv_name(a->cnv) : NULL);
    tab(row);
    put_slice(row, a->kind == CM_ALTERATION_FUSION ? a->partner : (cm_slice){NULL, 0});
    tab(row);
    if (a->kind == CM_ALTERATION_FUSION && a->in_frame >= 0)
        kputs(a->in_frame ? "yes" : "no", row);
    else
        kputc('.', row);
}

// A row without an alteration: every alteration column is "." except `named`, which
// says what sample-level fact matched (the named alteration, else the fact: "tmb").
static void put_biomarker_cells(kstring_t *row, const char *name)
{
    // gene .. depth are the 12 columns before `named`; kind .. in_frame the 6 after.
    for (int i = 0; i < 12; i++)
        kputs("\t.", row);
    tab(row);
    put_cell(row, name);
    for (int i = 0; i < 6; i++)
        kputs("\t.", row);
}

// The network columns, group .. cohort_updated (after in_frame).
static void put_network_cells(kstring_t *row, const cm_candidate *candidate, size_t group,
                              int is_cross_border, kstring_t *scratch)
{
    const cm_protocol *protocol = candidate->arm->protocol;
    ksprintf(row, "\t%zu\t", group + 1);
    put_cell(row, protocol ? protocol->country : NULL);
    tab(row);
    put_cell(row, protocol ? protocol->network : NULL);
    tab(row);
    put_cell(row, is_cross_border < 0 ? NULL : is_cross_border ? "yes" : "no");
    tab(row);
    put_cell(row, cm_report_criteria_name(candidate->arm));
    tab(row);
    cm_report_cohort_progress(candidate, scratch);
    put_scratch(row, scratch);
    tab(row);
    put_cell(row, candidate->cohort ? candidate->cohort->updated : NULL);
}

// The last two columns: where the row's alteration or fact came from, and the notes for the
// board (the candidate's, then the sample's conflicts between sources), joined by "; ".
static void put_source_and_notes(kstring_t *row, const cm_report *report,
                                 const cm_sample_profile *profile, const cm_candidate *candidate,
                                 const cm_evidence_item *item, kstring_t *scratch)
{
    tab(row);
    scratch->l = 0;
    if (item && item->alteration) {
        cm_report_alteration_source(report, item->alteration, scratch);
    } else if (item && profile) {
        const char *key = cm_report_biomarker_key(report->rules, item->leaf);
        const cm_fact_source *source = key ? cm_profile_fact_source(profile, key) : NULL;
        if (source)
            kputs(source->where ? source->where : cm_fact_origin_name(source->origin), scratch);
    }
    put_scratch(row, scratch);
    tab(row);
    for (size_t i = 0; i < candidate->n_notes; i++) {
        if (scratch->l)
            kputs("; ", scratch);
        kputs(candidate->notes[i], scratch);
    }
    for (size_t i = 0; profile && i < profile->n_conflicts; i++) {
        if (scratch->l)
            kputs("; ", scratch);
        kputs("conflict ", scratch);
        cm_report_conflict_text(&profile->conflicts[i], scratch);
    }
    put_scratch(row, scratch);
}

static int write_candidate(const cm_report *report, const cm_sample_profile *profile,
                           const cm_candidate *candidate, kstring_t *row, kstring_t *scratch,
                           FILE *fp, size_t group, int is_cross_border)
{
    size_t n_rows = 0;
    for (size_t i = 0; i <= candidate->n_matched; i++) {
        const cm_evidence_item *item = i < candidate->n_matched ? &candidate->matched[i] : NULL;
        // After the items: one row for a candidate that had none, so every candidate
        // shows up in the TSV.
        if (!item && n_rows > 0)
            break;
        row->l = 0;
        put_candidate_cells(row, profile, candidate);
        if (item && item->alteration) {
            put_alteration_cells(row, item->alteration, item->name, scratch);
        } else {
            const char *name = item ? item->name : NULL;
            if (item && !name)
                name = cm_report_biomarker_key(report->rules, item->leaf);
            put_biomarker_cells(row, name);
        }
        put_network_cells(row, candidate, group, is_cross_border, scratch);
        put_source_and_notes(row, report, profile, candidate, item, scratch);
        kputc('\n', row);
        if (fwrite(row->s, 1, row->l, fp) != row->l)
            return -1;
        n_rows++;
    }
    return 0;
}

int cm_report_write_tsv(const cm_report *report, FILE *fp, cm_error *err)
{
    kstring_t row = {0, 0, NULL};
    kstring_t scratch = {0, 0, NULL};
    int status = 0;
    for (size_t i = 0; i < N_COLUMNS; i++) {
        if (i > 0)
            kputc('\t', &row);
        kputs(columns[i], &row);
    }
    kputc('\n', &row);
    if (fwrite(row.s, 1, row.l, fp) != row.l)
        status = -1;
    for (size_t s = 0; s < report->n_samples && status == 0; s++) {
        const cm_sample_result *result = report->samples[s];
        cm_groups groups;
        status = cm_groups_build(report->rules, result, report->home_country, &groups);
        for (size_t c = 0; c < result->n_candidates && status == 0; c++) {
            size_t g = groups.group_of[c];
            int is_cross_border = cm_groups_cross_border(&groups, c);
            status = write_candidate(report, result->profile, &result->candidates[c], &row,
                                     &scratch, fp, g, is_cross_border);
        }
        cm_groups_clear(&groups);
    }
    free(row.s);
    free(scratch.s);
    if (status != 0 || fflush(fp) != 0 || ferror(fp))
        return cm_error_set(err, NULL, 0, 0, "cannot write the TSV report");
    return 0;
}
