/*
 * The JSON result (schema_version 1, docs/schema/result.schema.json): the
 * base contract that the TSV and text reports derive from, read by other
 * tools. Keys are written in a fixed order and numbers are rounded to the
 * digits the text formats print, so the same inputs give the same bytes.
 * This writer only formats the matcher's results; it never evaluates rules.
 */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cohortmatch/profile.h"

#define CM_JSON_SCHEMA_VERSION 1

// Every value is built before it is attached, and jansson's setters accept a NULL
// value (they fail and drop it), so one flag is enough to notice out-of-memory.
typedef struct json_writer {
    const cm_report *report;
    int failed;
} json_writer;

static void put(json_writer *w, json_t *object, const char *key, json_t *value)
{
    if (json_object_set_new(object, key, value) != 0)
        w->failed = 1;
}

static void append(json_writer *w, json_t *array, json_t *value)
{
    if (json_array_append_new(array, value) != 0)
        w->failed = 1;
}

// jansson refuses text that is not UTF-8; names read from a VCF may be Latin-1.
// Such bytes become '?' rather than failing the whole report.
static json_t *text_n(const char *text, size_t len)
{
    json_t *value = json_stringn(text, len);
    if (value)
        return value;
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    for (size_t i = 0; i < len; i++)
        copy[i] = (unsigned char)text[i] < 0x80 ? text[i] : '?';
    value = json_stringn(copy, len);
    free(copy);
    return value;
}

static json_t *text_or_null(const char *text)
{
    return text ? text_n(text, strlen(text)) : json_null();
}

static json_t *slice_or_null(cm_slice slice)
{
    return slice.len > 0 ? text_n(slice.s, (size_t)slice.len) : json_null();
}

static json_t *kstring_or_null(const kstring_t *text)
{
    return text->l > 0 ? text_n(text->s, text->l) : json_null();
}

// The number as the text formats print it (same rounding), then parsed back: a value
// with at most 15 significant digits prints exactly under JSON_REAL_PRECISION(15).
static json_t *number_or_null(double value, int decimals)
{
    if (!isfinite(value))
        return json_null();
    char buffer[400];
    kstring_t text = {0, sizeof buffer, buffer};
    cm_report_format_fixed(value, decimals, &text);
    double rounded = strtod(text.s, NULL);
    if (text.s != buffer)
        free(text.s);
    return json_real(rounded);
}

static json_t *alteration_json(json_writer *w, const cm_evidence_item *item)
{
    const cm_alteration *a = item->alteration;
    json_t *object = json_object();
    kstring_t text = {0, 0, NULL};

    put(w, object, "kind", json_string(cm_report_kind_name(a->kind)));
    put(w, object, "gene", slice_or_null(a->gene));
    cm_report_protein_hgvs(a, &text);
    put(w, object, "hgvsp", kstring_or_null(&text));
    text.l = 0;
    cm_report_protein_short(a, &text);
    put(w, object, "protein", kstring_or_null(&text));
    put(w, object, "transcript", slice_or_null(a->transcript));
    json_t *terms = json_array();
    for (int term = 0; term < CM_SO_COUNT; term++)
        if (a->consequence & CM_SO_BIT(term))
            append(w, terms, json_string(cm_so_term_name(term)));
    put(w, object, "consequence", terms);
    put(w, object, "hgvsc", slice_or_null(a->hgvsc));
    put(w, object, "exon", a->exon > 0 ? json_integer(a->exon) : json_null());
    // Only for an alteration over several exons (added after schema 1's alterations).
    if (a->exon > 0 && a->exon_last > a->exon)
        put(w, object, "exon_last", json_integer(a->exon_last));
    put(w, object, "intron", a->intron > 0 ? json_integer(a->intron) : json_null());
    put(w, object, "chrom", slice_or_null(a->chrom));
    put(w, object, "pos", a->pos > 0 ? json_integer((json_int_t)a->pos) : json_null());
    put(w, object, "ref", slice_or_null(a->ref));
    put(w, object, "alt", slice_or_null(a->alt));
    put(w, object, "vaf", number_or_null(a->vaf, 4));
    put(w, object, "vaf_source", text_or_null(cm_vaf_source_name(a->vaf_source)));
    put(w, object, "vaf_ad", number_or_null(a->vaf_ad, 4));
    put(w, object, "depth", a->depth >= 0 ? json_integer(a->depth) : json_null());
    put(w, object, "filter_pass", json_boolean(a->is_pass));
    put(w, object, "named", text_or_null(item->name));
    if (a->kind == CM_ALTERATION_COPY_NUMBER) {
        put(w, object, "copy_number", number_or_null(a->copy_number, 4));
        put(w, object, "cnv", text_or_null(cm_report_cnv_name(a->cnv)));
    } else if (a->kind == CM_ALTERATION_FUSION) {
        put(w, object, "partner", slice_or_null(a->partner));
        // Only when known (PURPLE_CN at the gene's breakend): added after schema 1's fusions.
        if (isfinite(a->copy_number))
            put(w, object, "copy_number", number_or_null(a->copy_number, 4));
        put(w, object, "in_frame", a->in_frame < 0 ? json_null() : json_boolean(a->in_frame));
    }
    text.l = 0;
    cm_report_alteration_source(w->report, a, &text);
    put(w, object, "source", kstring_or_null(&text));
    free(text.s);
    return object;
}

// Alterations only: evidence items without an alteration are sample-level facts, which
// candidates list under "biomarkers" and ruled-out arms explain in "detail".
static json_t *matched_json(json_writer *w, const cm_evidence_item *items, size_t n)
{
    json_t *array = json_array();
    for (size_t i = 0; i < n; i++)
        if (items[i].alteration)
            append(w, array, alteration_json(w, &items[i]));
    return array;
}

static json_t *named_biomarker_json(json_writer *w, const cm_biomarker *biomarker)
{
    if (!biomarker)
        return json_null();
    if (biomarker->n_values == 1 && !isnan(biomarker->number))
        return number_or_null(biomarker->number, 4);
    if (biomarker->n_values == 1)
        return text_or_null(biomarker->values[0]);
    json_t *array = json_array();
    for (int v = 0; v < biomarker->n_values; v++)
        append(w, array, text_or_null(biomarker->values[v]));
    return array;
}

static json_t *biomarker_value_json(json_writer *w, const cm_sample_profile *profile,
                                    const char *key)
{
    if (!profile || !key)
        return json_null();
    if (strcmp(key, "tmb") == 0)
        return number_or_null(profile->tmb, 2);
    if (strcmp(key, "age") == 0)
        return number_or_null(profile->age, 2);
    if (strcmp(key, "msi") == 0)
        return text_or_null(cm_report_msi_name(profile->msi));
    if (strcmp(key, "mmr") == 0)
        return text_or_null(cm_report_mmr_name(profile->mmr));
    if (strcmp(key, "sex") == 0)
        return text_or_null(cm_report_sex_name(profile->sex));
    if (strcmp(key, "tumour_type") == 0)
        return text_or_null(profile->tumour_type);
    return named_biomarker_json(w, cm_profile_biomarker(profile, key));
}

// Where a fact came from, as the reports print it: the file and column, the sheet and line,
// or the origin's name ("command line", "computed").
static const char *fact_source_text(const cm_fact_source *source)
{
    return source->where ? source->where : cm_fact_origin_name(source->origin);
}

static json_t *fact_json(json_writer *w, json_t *value, const cm_fact_source *source)
{
    json_t *object = json_object();
    put(w, object, "value", value);
    put(w, object, "source", text_or_null(fact_source_text(source)));
    put(w, object, "origin", text_or_null(cm_fact_origin_name(source->origin)));
    return object;
}

// Every fact the sample has, built-ins first, then named biomarkers by name.
static json_t *facts_json(json_writer *w, const cm_sample_profile *profile)
{
    json_t *object = json_object();
    if (!profile)
        return object;
    for (int key = 0; key < CM_FACT_KEY_COUNT; key++) {
        const cm_fact_source *source = &profile->sources[key];
        if (source->origin == CM_ORIGIN_NONE)
            continue;
        const char *name = cm_fact_key_name((cm_fact_key)key);
        put(w, object, name, fact_json(w, biomarker_value_json(w, profile, name), source));
    }
    for (size_t i = 0; i < profile->n_biomarkers; i++) {
        const cm_biomarker *biomarker = &profile->biomarkers[i];
        put(w, object, biomarker->name,
            fact_json(w, named_biomarker_json(w, biomarker), &biomarker->source));
    }
    return object;
}

static json_t *conflicts_json(json_writer *w, const cm_sample_profile *profile)
{
    json_t *array = json_array();
    for (size_t i = 0; profile && i < profile->n_conflicts; i++) {
        const cm_fact_conflict *c = &profile->conflicts[i];
        json_t *object = json_object();
        put(w, object, "fact", text_or_null(c->fact));
        put(w, object, "value", text_or_null(c->value));
        put(w, object, "source", text_or_null(c->source));
        put(w, object, "other_value", text_or_null(c->other_value));
        put(w, object, "other_source", text_or_null(c->other_source));
        append(w, array, object);
    }
    return array;
}

static json_t *biomarkers_json(json_writer *w, const cm_sample_profile *profile,
                               const cm_candidate *candidate)
{
    json_t *array = json_array();
    for (size_t i = 0; i < candidate->n_matched; i++) {
        const cm_evidence_item *item = &candidate->matched[i];
        if (item->alteration)
            continue;
        const char *key = cm_report_biomarker_key(w->report->rules, item->leaf);
        json_t *object = json_object();
        put(w, object, "biomarker", text_or_null(key));
        put(w, object, "value", biomarker_value_json(w, profile, key));
        put(w, object, "named", text_or_null(item->name));
        const cm_fact_source *source = profile && key ? cm_profile_fact_source(profile, key) : NULL;
        put(w, object, "source", text_or_null(source ? fact_source_text(source) : NULL));
        append(w, array, object);
    }
    return array;
}

static json_t *protocol_id_json(const cm_arm *arm)
{
    return text_or_null(arm->protocol ? arm->protocol->id : NULL);
}

static json_t *cohort_json(json_writer *w, const cm_candidate *candidate)
{
    json_t *object = json_object();
    const cm_cohort *cohort = candidate->cohort;
    put(w, object, "tumour_type", text_or_null(candidate->cohort_tumour_type));
    put(w, object, "status", json_string(cm_report_cohort_status_name(candidate->status)));
    if (cohort && cohort->stage > 0)
        put(w, object, "stage", json_integer(cohort->stage));
    if (cohort && cohort->enrolled > 0)
        put(w, object, "enrolled", json_integer(cohort->enrolled));
    if (cohort && cohort->target > 0)
        put(w, object, "target", json_integer(cohort->target));
    if (cohort && cohort->note)
        put(w, object, "note", text_or_null(cohort->note));
    cm_cohort_progress progress;
    if (candidate->arm->protocol &&
        cm_cohort_progress_get(candidate->arm->protocol, cohort, &progress)) {
        json_t *state = json_object();
        put(w, state, "enrolled",
            progress.enrolled >= 0 ? json_integer(progress.enrolled) : json_null());
        put(w, state, "target", progress.target > 0 ? json_integer(progress.target) : json_null());
        put(w, state, "stage", progress.stage > 0 ? json_integer(progress.stage) : json_null());
        kstring_t text = {0, 0, NULL};
        cm_cohort_progress_format(&progress, &text);
        put(w, state, "text", kstring_or_null(&text));
        free(text.s);
        put(w, object, "progress", state);
    }
    if (cohort && cohort->updated)
        put(w, object, "updated", text_or_null(cohort->updated));
    return object;
}

static json_t *cross_border_json(int is_cross_border)
{
    return is_cross_border < 0 ? json_null() : json_boolean(is_cross_border);
}

static json_t *candidate_json(json_writer *w, const cm_sample_profile *profile,
                              const cm_candidate *candidate, size_t group, int is_cross_border)
{
    const cm_arm *arm = candidate->arm;
    json_t *object = json_object();
    put(w, object, "protocol", protocol_id_json(arm));
    put(w, object, "arm", text_or_null(arm->id));
    json_t *drugs = json_array();
    for (int i = 0; i < arm->n_drugs; i++)
        append(w, drugs, text_or_null(arm->drugs[i]));
    put(w, object, "drugs", drugs);
    put(w, object, "cohort", cohort_json(w, candidate));
    json_t *evidence = json_object();
    if (arm->escat)
        put(w, evidence, "escat", text_or_null(arm->escat));
    if (arm->oncokb)
        put(w, evidence, "oncokb", text_or_null(arm->oncokb));
    put(w, object, "evidence", evidence);
    put(w, object, "source", text_or_null(arm->source));
    put(w, object, "matched", matched_json(w, candidate->matched, candidate->n_matched));
    put(w, object, "biomarkers", biomarkers_json(w, profile, candidate));
    json_t *notes = json_array();
    for (size_t i = 0; i < candidate->n_notes; i++)
        append(w, notes, text_or_null(candidate->notes[i]));
    put(w, object, "notes", notes);
    const cm_protocol *protocol = arm->protocol;
    put(w, object, "country", text_or_null(protocol ? protocol->country : NULL));
    put(w, object, "network", text_or_null(protocol ? protocol->network : NULL));
    put(w, object, "criteria", json_string(cm_report_criteria_name(arm)));
    put(w, object, "criteria_note", text_or_null(arm->note));
    put(w, object, "group", json_integer((json_int_t)group + 1));
    put(w, object, "cross_border", cross_border_json(is_cross_border));
    return object;
}

static json_t *group_json(json_writer *w, const cm_sample_result *result, const cm_group *group,
                          size_t index)
{
    json_t *object = json_object();
    put(w, object, "group", json_integer((json_int_t)index + 1));
    const cm_arm *first = result->candidates[group->members[0].candidate].arm;
    json_t *drugs = json_array();
    for (int i = 0; i < first->n_drugs; i++)
        append(w, drugs, text_or_null(first->drugs[i]));
    put(w, object, "drugs", drugs);
    json_t *triggers = json_array();
    kstring_t text = {0, 0, NULL};
    for (size_t t = 0; t < group->n_triggers; t++) {
        text.l = 0;
        cm_report_trigger(w->report->rules, result->profile, group->triggers[t], &text);
        append(w, triggers, kstring_or_null(&text));
    }
    free(text.s);
    put(w, object, "triggers", triggers);
    json_t *members = json_array();
    for (size_t m = 0; m < group->n_members; m++) {
        const cm_candidate *candidate = &result->candidates[group->members[m].candidate];
        const cm_arm *arm = candidate->arm;
        json_t *member = json_object();
        put(w, member, "candidate", json_integer((json_int_t)group->members[m].candidate));
        put(w, member, "protocol", protocol_id_json(arm));
        put(w, member, "arm", text_or_null(arm->id));
        put(w, member, "country", text_or_null(arm->protocol ? arm->protocol->country : NULL));
        put(w, member, "cohort", cohort_json(w, candidate));
        put(w, member, "criteria", json_string(cm_report_criteria_name(arm)));
        put(w, member, "cross_border", cross_border_json(group->members[m].is_cross_border));
        append(w, members, member);
    }
    put(w, object, "members", members);
    return object;
}

static json_t *ruled_out_json(json_writer *w, const cm_ruled_out *ruled_out)
{
    json_t *object = json_object();
    put(w, object, "protocol", protocol_id_json(ruled_out->arm));
    put(w, object, "arm", text_or_null(ruled_out->arm->id));
    put(w, object, "reason", text_or_null(cm_reason_name(ruled_out->reason)));
    put(w, object, "detail", text_or_null(ruled_out->detail));
    put(w, object, "matched", matched_json(w, ruled_out->matched, ruled_out->n_matched));
    return object;
}

static json_t *sample_json(json_writer *w, const cm_sample_result *result)
{
    const cm_sample_profile *profile = result->profile;
    json_t *object = json_object();
    put(w, object, "sample", text_or_null(profile ? profile->name : NULL));
    put(w, object, "tumour_type", text_or_null(profile ? profile->tumour_type : NULL));
    int has_tmb = profile && isfinite(profile->tmb);
    put(w, object, "tmb", has_tmb ? number_or_null(profile->tmb, 2) : json_null());
    put(w, object, "tmb_source",
        has_tmb ? json_string(profile->tmb_is_computed ? "computed" : "given") : json_null());
    put(w, object, "msi", text_or_null(profile ? cm_report_msi_name(profile->msi) : NULL));
    put(w, object, "mmr", text_or_null(profile ? cm_report_mmr_name(profile->mmr) : NULL));
    put(w, object, "age", profile ? number_or_null(profile->age, 2) : json_null());
    put(w, object, "sex", text_or_null(profile ? cm_report_sex_name(profile->sex) : NULL));
    put(w, object, "facts", facts_json(w, profile));
    put(w, object, "conflicts", conflicts_json(w, profile));
    cm_groups groups;
    if (cm_groups_build(w->report->rules, result, w->report->home_country, &groups) < 0) {
        w->failed = 1;
        return object;
    }
    json_t *candidates = json_array();
    for (size_t i = 0; i < result->n_candidates; i++) {
        size_t g = groups.group_of[i];
        int is_cross_border = cm_groups_cross_border(&groups, i);
        append(w, candidates,
               candidate_json(w, profile, &result->candidates[i], g, is_cross_border));
    }
    put(w, object, "candidates", candidates);
    json_t *group_list = json_array();
    for (size_t g = 0; g < groups.n_groups; g++)
        append(w, group_list, group_json(w, result, &groups.groups[g], g));
    put(w, object, "groups", group_list);
    cm_groups_clear(&groups);
    json_t *ruled_out = json_array();
    for (size_t i = 0; i < result->n_ruled_out; i++)
        append(w, ruled_out, ruled_out_json(w, &result->ruled_out[i]));
    put(w, object, "ruled_out", ruled_out);
    return object;
}

static json_t *inputs_json(json_writer *w)
{
    const cm_report *report = w->report;
    json_t *object = json_object();
    put(w, object, "vcf", text_or_null(report->vcf_path));
    const cm_oncotree *tree = report->rules ? cm_ruleset_oncotree(report->rules) : NULL;
    put(w, object, "oncotree", text_or_null(tree ? cm_oncotree_release(tree) : NULL));
    json_t *rules = json_array();
    size_t n = report->rules ? cm_ruleset_n_protocols(report->rules) : 0;
    for (size_t i = 0; i < n; i++) {
        const cm_protocol *protocol = cm_ruleset_protocol(report->rules, i);
        json_t *entry = json_object();
        put(w, entry, "path", text_or_null(protocol->path));
        put(w, entry, "protocol", text_or_null(protocol->id));
        put(w, entry, "version", text_or_null(protocol->version));
        put(w, entry, "sha256", text_or_null(protocol->sha256));
        append(w, rules, entry);
    }
    put(w, object, "rules", rules);
    json_t *files = json_array();
    for (size_t i = 0; i < report->n_inputs; i++) {
        json_t *entry = json_object();
        put(w, entry, "path", text_or_null(report->inputs[i].path));
        put(w, entry, "format", text_or_null(report->inputs[i].format));
        put(w, entry, "records", json_integer(report->inputs[i].records));
        append(w, files, entry);
    }
    put(w, object, "files", files);
    json_t *ignored = json_array();
    for (size_t i = 0; i < report->n_ignored; i++)
        append(w, ignored, text_or_null(report->ignored[i]));
    put(w, object, "ignored", ignored);
    return object;
}

static json_t *stats_json(json_writer *w)
{
    const cm_report *report = w->report;
    json_t *object = json_object();
    put(w, object, "records", json_integer(report->records));
    put(w, object, "alterations", json_integer(report->alterations));
    json_t *skipped = json_object();
    for (size_t i = 0; i < report->n_skipped; i++)
        put(w, skipped, report->skipped[i].name, json_integer(report->skipped[i].value));
    put(w, object, "skipped", skipped);
    return object;
}

int cm_report_write_json(const cm_report *report, FILE *fp, cm_error *err)
{
    json_writer w = {report, 0};
    json_t *root = json_object();
    put(&w, root, "schema_version", json_integer(CM_JSON_SCHEMA_VERSION));
    put(&w, root, "cohortmatch_version", json_string(CM_VERSION));
    put(&w, root, "inputs", inputs_json(&w));
    json_t *samples = json_array();
    for (size_t i = 0; i < report->n_samples; i++)
        append(&w, samples, sample_json(&w, report->samples[i]));
    put(&w, root, "samples", samples);
    put(&w, root, "stats", stats_json(&w));
    if (!root || w.failed) {
        json_decref(root);
        return cm_error_set(err, NULL, 0, 0, "out of memory while building the JSON report");
    }
    size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15);
    int status = json_dumpf(root, fp, flags);
    json_decref(root);
    if (status != 0 || fputc('\n', fp) == EOF || fflush(fp) != 0 || ferror(fp))
        return cm_error_set(err, NULL, 0, 0, "cannot write the JSON report");
    return 0;
}
