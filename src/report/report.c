/*
 * Report dispatch and what the writers share: the format names, number
 * formatting and the spelling of enum values. This file owns the one place
 * where numbers become text, so that JSON, TSV and text print the same
 * digits for the same value; it never evaluates rules.
 */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cohortmatch/profile.h"

int cm_report_format_parse(const char *name, cm_report_format *format)
{
    if (!name)
        return -1;
    if (strcmp(name, "text") == 0)
        *format = CM_REPORT_TEXT;
    else if (strcmp(name, "tsv") == 0)
        *format = CM_REPORT_TSV;
    else if (strcmp(name, "json") == 0)
        *format = CM_REPORT_JSON;
    else if (strcmp(name, "html") == 0)
        *format = CM_REPORT_HTML;
    else
        return -1;
    return 0;
}

int cm_report_write(const cm_report *report, cm_report_format format, FILE *fp, cm_error *err)
{
    switch (format) {
    case CM_REPORT_TEXT:
        return cm_report_write_text(report, fp, err);
    case CM_REPORT_TSV:
        return cm_report_write_tsv(report, fp, err);
    case CM_REPORT_JSON:
        return cm_report_write_json(report, fp, err);
    case CM_REPORT_HTML:
        return cm_report_write_html(report, fp, err);
    }
    return cm_error_set(err, NULL, 0, 0, "unknown report format %d", (int)format);
}

void cm_report_format_fixed(double value, int decimals, kstring_t *out)
{
    if (!isfinite(value)) {
        kputc('.', out);
        return;
    }
    // printf rounds the exact binary value, so 0.31000000000000005 prints "0.3100"; the
    // zeros it pads with are then dropped. DBL_MAX has 309 digits before the point.
    char buffer[400];
    snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    char *dot = strchr(buffer, '.');
    if (dot) {
        char *end = buffer + strlen(buffer);
        while (end > dot + 1 && end[-1] == '0')
            end--;
        if (end == dot + 1)
            end = dot;
        *end = '\0';
    }
    // A small negative value rounds to "-0": print it as 0.
    kputs(strcmp(buffer, "-0") == 0 ? "0" : buffer, out);
}

void cm_report_format_number(double value, kstring_t *out)
{
    cm_report_format_fixed(value, 4, out);
}

const char *cm_report_cohort_status_name(cm_cohort_status status)
{
    switch (status) {
    case CM_COHORT_NEW:
        return "new";
    case CM_COHORT_OPEN:
        return "open";
    case CM_COHORT_CLOSED:
        return "closed";
    case CM_COHORT_SUSPENDED:
        return "suspended";
    }
    return "new";
}

const char *cm_report_msi_name(cm_msi_status msi)
{
    switch (msi) {
    case CM_MSI_HIGH:
        return "high";
    case CM_MSI_STABLE:
        return "stable";
    case CM_MSI_UNSET:
        break;
    }
    return NULL;
}

const char *cm_report_mmr_name(cm_mmr_status mmr)
{
    switch (mmr) {
    case CM_MMR_DEFICIENT:
        return "deficient";
    case CM_MMR_PROFICIENT:
        return "proficient";
    case CM_MMR_UNSET:
        break;
    }
    return NULL;
}

const char *cm_report_sex_name(cm_sex sex)
{
    switch (sex) {
    case CM_SEX_FEMALE:
        return "female";
    case CM_SEX_MALE:
        return "male";
    case CM_SEX_UNSET:
        break;
    }
    return NULL;
}

void cm_report_exons(const cm_alteration *alteration, int with_count, kstring_t *out)
{
    if (alteration->exon <= 0)
        return;
    kputw(alteration->exon, out);
    if (alteration->exon_last > alteration->exon)
        ksprintf(out, "-%d", alteration->exon_last);
    if (with_count && alteration->exon_count > 0)
        ksprintf(out, "/%d", alteration->exon_count);
}

const char *cm_report_kind_name(cm_alteration_kind kind)
{
    switch (kind) {
    case CM_ALTERATION_SMALL:
        return "small";
    case CM_ALTERATION_COPY_NUMBER:
        return "copy_number";
    case CM_ALTERATION_FUSION:
        return "fusion";
    }
    return "small";
}

const char *cm_report_cnv_name(unsigned cnv)
{
    if (cnv & CM_CNV_HOMOZYGOUS_DELETION)
        return "homozygous_deletion";
    if (cnv & CM_CNV_AMPLIFICATION)
        return "amplification";
    if (cnv & CM_CNV_DELETION)
        return "deletion";
    if (cnv & CM_CNV_GAIN)
        return "gain";
    return NULL;
}

static int protein_is_parsed(const cm_protein_change *change)
{
    return change->kind != CM_PROTEIN_NONE && change->kind != CM_PROTEIN_UNPARSED;
}

int cm_report_protein_hgvs(const cm_alteration *alteration, kstring_t *out)
{
    size_t before = out->l;
    if (protein_is_parsed(&alteration->protein))
        cm_protein_change_format_hgvs(&alteration->protein, out);
    else if (alteration->hgvsp.len > 0)
        kputsn(alteration->hgvsp.s, (size_t)alteration->hgvsp.len, out);
    return out->l > before;
}

int cm_report_protein_short(const cm_alteration *alteration, kstring_t *out)
{
    size_t before = out->l;
    if (protein_is_parsed(&alteration->protein))
        cm_protein_change_format_short(&alteration->protein, out);
    return out->l > before;
}

void cm_report_alteration_source(const cm_report *report, const cm_alteration *alteration,
                                 kstring_t *out)
{
    if (!report || alteration->input < 0 || (size_t)alteration->input >= report->n_inputs)
        return;
    // The file's name without its folders, unless another input has the same name.
    const char *path = report->inputs[alteration->input].path;
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    for (size_t i = 0; i < report->n_inputs && name != path; i++) {
        const char *other = report->inputs[i].path;
        const char *other_name = strrchr(other, '/') ? strrchr(other, '/') + 1 : other;
        if (i != (size_t)alteration->input && strcmp(other_name, name) == 0)
            name = path;
    }
    kputs(name, out);
    if (alteration->line > 0) {
        kputc(':', out);
        kputw(alteration->line, out);
    } else if (alteration->key.len > 0) {
        kputc(':', out);
        kputsn(alteration->key.s, (size_t)alteration->key.len, out);
    }
}

void cm_report_conflict_text(const cm_fact_conflict *conflict, kstring_t *out)
{
    ksprintf(out, "%s: %s (%s) used; %s (%s) differs", conflict->fact, conflict->value,
             conflict->source, conflict->other_value, conflict->other_source);
}

const char *cm_report_biomarker_key(const cm_ruleset *rules, int leaf_id)
{
    if (!rules || leaf_id < 0 || (size_t)leaf_id >= cm_ruleset_n_leaves(rules))
        return NULL;
    const cm_leaf *leaf = cm_ruleset_leaf(rules, leaf_id);
    if (!leaf || leaf->scope != CM_LEAF_SAMPLE)
        return NULL;
    if (!isnan(leaf->tmb_min) || !isnan(leaf->tmb_max))
        return "tmb";
    if (leaf->msi != CM_MSI_UNSET)
        return "msi";
    if (leaf->mmr != CM_MMR_UNSET)
        return "mmr";
    if (!isnan(leaf->age_min) || !isnan(leaf->age_max))
        return "age";
    if (leaf->sex != CM_SEX_UNSET)
        return "sex";
    if (leaf->biomarker)
        return leaf->biomarker; // a named biomarker: hrd, signatures, pdl1_tps ...
    return NULL;
}

void cm_report_biomarker_value(const cm_sample_profile *profile, const char *key, kstring_t *out)
{
    const char *text = NULL;
    if (!profile || !key) {
        kputc('.', out);
        return;
    }
    if (strcmp(key, "tmb") == 0) {
        cm_report_format_fixed(profile->tmb, 2, out);
        return;
    }
    if (strcmp(key, "age") == 0) {
        cm_report_format_fixed(profile->age, 2, out);
        return;
    }
    if (strcmp(key, "msi") == 0)
        text = cm_report_msi_name(profile->msi);
    else if (strcmp(key, "mmr") == 0)
        text = cm_report_mmr_name(profile->mmr);
    else if (strcmp(key, "sex") == 0)
        text = cm_report_sex_name(profile->sex);
    else if (cm_profile_fact_text(profile, key, out)) // a named biomarker
        return;
    kputs(text ? text : ".", out);
}

const char *cm_report_reason_words(cm_reason reason)
{
    switch (reason) {
    case CM_REASON_EXCLUDED_BY_ALTERATION:
        return "excluded by an alteration";
    case CM_REASON_TUMOUR_TYPE_EXCLUDED:
        return "tumour type excluded";
    case CM_REASON_TUMOUR_TYPE_NOT_INCLUDED:
        return "tumour type not included";
    case CM_REASON_COHORT_CLOSED:
        return "cohort closed";
    case CM_REASON_BELOW_MIN_VAF:
        return "VAF below the arm's minimum";
    case CM_REASON_BELOW_MIN_DEPTH:
        return "depth below the arm's minimum";
    case CM_REASON_FILTERED:
        return "variant did not pass FILTER";
    case CM_REASON_BIOMARKER_MISSING:
        return "missing biomarker";
    case CM_REASON_AGE_OUT_OF_RANGE:
        return "age outside the arm's limits";
    }
    return "ruled out";
}

void cm_report_protocol_arm(const cm_arm *arm, kstring_t *line)
{
    if (arm->protocol && arm->protocol->id)
        ksprintf(line, "%s/", arm->protocol->id);
    kputs(arm->id ? arm->id : "?", line);
}

void cm_report_cohort_text(const cm_candidate *candidate, kstring_t *line)
{
    const char *code = candidate->cohort_tumour_type ? candidate->cohort_tumour_type : "?";
    const cm_cohort *cohort = candidate->cohort;
    if (candidate->status == CM_COHORT_NEW) {
        ksprintf(line, "new cohort %s (first patient opens it", code);
        size_t before = line->l;
        kputs("; ", line);
        if (!cm_report_cohort_progress(candidate, line))
            line->l = before;
        kputc(')', line);
        return;
    }
    ksprintf(line, "cohort %s: %s", code, cm_report_cohort_status_name(candidate->status));
    if (!cohort)
        return;
    size_t before = line->l;
    kputs(", ", line);
    if (!cm_report_cohort_progress(candidate, line))
        line->l = before;
    line->s[line->l] = '\0';
    if (cohort->note)
        ksprintf(line, " (%s)", cohort->note);
    if (cohort->updated)
        ksprintf(line, "; state of %s from %s", cohort->updated,
                 cohort->state_file ? cohort->state_file : "the cohort states");
}

// The names of an arm's exclusions, for "not detected: RAS_HOTSPOT". The writer does not
// evaluate them: a candidate is, by the matcher's verdict, free of every exclusion.
void cm_report_exclusion_names(const cm_expr *exclude, kstring_t *line)
{
    const cm_expr *const *children = (const cm_expr *const *)&exclude;
    int n = 1;
    if (exclude->kind == CM_EXPR_ANY) {
        children = (const cm_expr *const *)exclude->children;
        n = exclude->n_children;
    }
    for (int i = 0; i < n; i++) {
        if (i > 0)
            kputs(", ", line);
        const cm_expr *child = children[i];
        if (child->kind == CM_EXPR_REF && child->target && child->target->name)
            kputs(child->target->name, line);
        else
            ksprintf(line, "the exclusion at line %d", child->line);
    }
}

void cm_report_stats_text(const cm_report *report, kstring_t *line)
{
    ksprintf(line, "%ld record%s read, %ld alteration%s; ", report->records,
             report->records == 1 ? "" : "s", report->alterations,
             report->alterations == 1 ? "" : "s");
    int any = 0;
    for (size_t i = 0; i < report->n_skipped; i++) {
        if (report->skipped[i].value == 0)
            continue;
        ksprintf(line, "%s%s %ld", any ? ", " : "skipped: ", report->skipped[i].name,
                 report->skipped[i].value);
        any = 1;
    }
    if (!any)
        kputs("nothing skipped", line);
}

const char *cm_report_criteria_name(const cm_arm *arm)
{
    return arm->criteria == CM_CRITERIA_INFERRED ? "inferred" : "stated";
}

int cm_report_cohort_progress(const cm_candidate *candidate, kstring_t *out)
{
    const cm_arm *arm = candidate->arm;
    cm_cohort_progress progress;
    size_t before = out->l;
    if (arm->protocol && cm_cohort_progress_get(arm->protocol, candidate->cohort, &progress))
        cm_cohort_progress_format(&progress, out);
    return out->l > before;
}

void cm_report_drugs(const cm_arm *arm, kstring_t *out)
{
    for (int i = 0; i < arm->n_drugs; i++) {
        if (i > 0)
            kputs(" + ", out);
        kputs(arm->drugs[i], out);
    }
}

static void put_slice(kstring_t *out, cm_slice slice)
{
    kputsn(slice.s, (size_t)slice.len, out);
}

void cm_report_trigger(const cm_ruleset *rules, const cm_sample_profile *profile,
                       const cm_evidence_item *item, kstring_t *out)
{
    const cm_alteration *a = item->alteration;
    if (!a) {
        const char *key = cm_report_biomarker_key(rules, item->leaf);
        if (!key) {
            kputs("sample-level biomarker", out);
            return;
        }
        if (strcmp(key, "tmb") == 0)
            kputs("TMB ", out);
        else if (strcmp(key, "msi") == 0)
            kputs("MSI ", out);
        else if (strcmp(key, "mmr") == 0)
            kputs("MMR ", out);
        else
            ksprintf(out, "%s ", key);
        cm_report_biomarker_value(profile, key, out);
        if (strcmp(key, "tmb") == 0)
            kputs(" mut/Mb", out);
        return;
    }
    if (a->kind == CM_ALTERATION_FUSION) {
        int partner_first = a->is_five_prime == 0 && a->partner.len > 0;
        put_slice(out, partner_first ? a->partner : a->gene);
        kputs(a->is_five_prime >= 0 ? "::" : "/", out);
        if (partner_first)
            put_slice(out, a->gene);
        else if (a->partner.len > 0)
            put_slice(out, a->partner);
        else
            kputc('?', out);
        kputs(" fusion", out);
        return;
    }
    put_slice(out, a->gene);
    if (a->kind == CM_ALTERATION_COPY_NUMBER) {
        const char *cnv = cm_report_cnv_name(a->cnv);
        ksprintf(out, " %s", cnv ? cnv : "copy-number change");
        return;
    }
    kputc(' ', out);
    size_t before = out->l;
    if (cm_report_protein_hgvs(a, out)) {
        kstring_t short_form = {0, 0, NULL};
        if (cm_report_protein_short(a, &short_form))
            ksprintf(out, " (%s)", short_form.s);
        free(short_form.s);
    } else if (a->hgvsc.len > 0) {
        put_slice(out, a->hgvsc);
    } else if (a->chrom.len > 0) {
        put_slice(out, a->chrom);
        ksprintf(out, ":%lld", (long long)a->pos);
    }
    if (out->l == before)
        out->l--, out->s[out->l] = '\0'; // nothing to add after the gene
}
