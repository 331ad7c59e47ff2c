/*
 * The cohort summary's counting and forecast. It reads verdicts (the
 * matcher's results, or `match -O json` files through jansson) and counts
 * samples per protocol x arm x cohort tumour type; it never evaluates a rule.
 * Memory grows with the rows (arms x tumour types seen) and the sample names,
 * never with the alterations behind the verdicts.
 */
#include "cohortmatch/summary.h"

#include "cohortmatch/network.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/khash.h>
#include <htslib/kstring.h>
#include <jansson.h>

KHASH_MAP_INIT_STR(summary_index, long)

typedef struct summary_count {
    char *code;
    long count;
} summary_count;

struct cm_summary {
    const cm_ruleset *rules;
    const cm_oncotree *tree;
    size_t n_reasons;
    cm_summary_row *rows;
    size_t n_rows, m_rows;
    khash_t(summary_index) * row_index;  // "arm pointer\ttumour type" -> row
    khash_t(summary_index) * samples;    // sample names counted -> 1
    khash_t(summary_index) * type_index; // tumour type -> index in types
    summary_count *types;
    size_t n_types, m_types;
    char **inputs;
    size_t n_inputs;
    long screened;
    double rate; // patients per month used by the forecast; NAN none
    int rate_from_span;
    kstring_t key;
};

static const char *const forecast_names[] = {
    [CM_FORECAST_MONTHS] = "months",           [CM_FORECAST_FULL] = "full",
    [CM_FORECAST_NOT_REACHED] = "not_reached", [CM_FORECAST_CLOSED] = "closed",
    [CM_FORECAST_NO_DESIGN] = "no_design",     [CM_FORECAST_NO_RATE] = "no_rate",
};

const char *cm_forecast_state_name(cm_forecast_state state)
{
    return (unsigned)state < sizeof forecast_names / sizeof forecast_names[0]
               ? forecast_names[state]
               : "unknown";
}

static size_t count_reasons(void)
{
    size_t n = 0;
    while (n < CM_SUMMARY_MAX_REASONS && strcmp(cm_reason_name((cm_reason)n), "unknown") != 0)
        n++;
    return n;
}

cm_summary *cm_summary_new(const cm_ruleset *rules)
{
    cm_summary *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->rules = rules;
    s->tree = cm_ruleset_oncotree(rules);
    s->n_reasons = count_reasons();
    s->rate = NAN;
    s->row_index = kh_init(summary_index);
    s->samples = kh_init(summary_index);
    s->type_index = kh_init(summary_index);
    if (!s->row_index || !s->samples || !s->type_index) {
        cm_summary_free(s);
        return NULL;
    }
    return s;
}

static void free_keys(khash_t(summary_index) * hash)
{
    if (!hash)
        return;
    for (khint_t k = kh_begin(hash); k != kh_end(hash); k++)
        if (kh_exist(hash, k))
            free((char *)kh_key(hash, k));
    kh_destroy(summary_index, hash);
}

void cm_summary_free(cm_summary *summary)
{
    if (!summary)
        return;
    for (size_t i = 0; i < summary->n_rows; i++)
        free(summary->rows[i].tumour_type);
    free(summary->rows);
    free_keys(summary->row_index);
    free_keys(summary->samples);
    if (summary->type_index)
        kh_destroy(summary_index, summary->type_index); // keys are the types' codes
    for (size_t i = 0; i < summary->n_types; i++)
        free(summary->types[i].code);
    free(summary->types);
    for (size_t i = 0; i < summary->n_inputs; i++)
        free(summary->inputs[i]);
    free(summary->inputs);
    free(summary->key.s);
    free(summary);
}

int cm_summary_add_input(cm_summary *summary, const char *path)
{
    char **grown = realloc(summary->inputs, (summary->n_inputs + 1) * sizeof *grown);
    if (!grown)
        return -1;
    summary->inputs = grown;
    if (!(grown[summary->n_inputs] = strdup(path)))
        return -1;
    summary->n_inputs++;
    return 0;
}

/* ---- Counting ---- */

/// Records a sample name; 1 if it was new, 0 if counted before, -1 when out of memory.
static int add_sample_name(cm_summary *s, const char *name)
{
    if (kh_get(summary_index, s->samples, name) != kh_end(s->samples))
        return 0;
    char *copy = strdup(name);
    int absent;
    if (!copy)
        return -1;
    khint_t k = kh_put(summary_index, s->samples, copy, &absent);
    if (absent <= 0) {
        free(copy);
        return -1;
    }
    kh_value(s->samples, k) = 1;
    return 1;
}

static int count_tumour_type(cm_summary *s, const char *code)
{
    s->screened++;
    khint_t k = kh_get(summary_index, s->type_index, code);
    if (k != kh_end(s->type_index)) {
        s->types[kh_value(s->type_index, k)].count++;
        return 0;
    }
    if (s->n_types == s->m_types) {
        size_t m = s->m_types ? s->m_types * 2 : 32;
        summary_count *grown = realloc(s->types, m * sizeof *grown);
        if (!grown)
            return -1;
        s->types = grown;
        s->m_types = m;
    }
    char *copy = strdup(code);
    int absent;
    if (!copy)
        return -1;
    k = kh_put(summary_index, s->type_index, copy, &absent);
    if (absent <= 0) {
        free(copy);
        return -1;
    }
    kh_value(s->type_index, k) = (long)s->n_types;
    s->types[s->n_types++] = (summary_count){copy, 1};
    return 0;
}

/// The row of an arm and a cohort tumour type, made on first use; NULL when out of memory.
static cm_summary_row *row_for(cm_summary *s, const cm_arm *arm, const char *tumour_type,
                               const cm_cohort *cohort)
{
    s->key.l = 0;
    ksprintf(&s->key, "%p\t%s", (const void *)arm, tumour_type);
    khint_t k = kh_get(summary_index, s->row_index, s->key.s);
    if (k != kh_end(s->row_index))
        return &s->rows[kh_value(s->row_index, k)];
    if (s->n_rows == s->m_rows) {
        size_t m = s->m_rows ? s->m_rows * 2 : 64;
        cm_summary_row *grown = realloc(s->rows, m * sizeof *grown);
        if (!grown)
            return NULL;
        s->rows = grown;
        s->m_rows = m;
    }
    char *key = strdup(s->key.s);
    int absent;
    if (!key)
        return NULL;
    k = kh_put(summary_index, s->row_index, key, &absent);
    if (absent <= 0) {
        free(key);
        return NULL;
    }
    cm_summary_row *row = &s->rows[s->n_rows];
    memset(row, 0, sizeof *row);
    if (!(row->tumour_type = strdup(tumour_type))) {
        kh_del(summary_index, s->row_index, k);
        free(key);
        return NULL;
    }
    row->arm = arm;
    row->cohort = cohort;
    row->status = cohort ? cohort->status : CM_COHORT_NEW;
    row->months = NAN;
    kh_value(s->row_index, k) = (long)s->n_rows++;
    return row;
}

/// The cohort a sample of tumour node `node` would enter in the arm: its entry, and the code
/// written as the row's tumour type (the entry's, else the sample's own code).
static const cm_cohort *cohort_of(const cm_summary *s, const cm_arm *arm, int node,
                                  const char *sample_code, const char **code)
{
    const cm_cohort *cohort = node >= 0 ? cm_arm_find_cohort(s->tree, arm, node) : NULL;
    *code = cohort ? cohort->tumour_type : sample_code;
    return cohort;
}

/// The arm's entry for a cohort code a result names, or NULL (a new cohort).
static const cm_cohort *cohort_named(const cm_arm *arm, const char *code)
{
    for (int i = 0; i < arm->n_cohorts; i++)
        if (strcmp(arm->cohorts[i].tumour_type, code) == 0)
            return &arm->cohorts[i];
    return NULL;
}

static int count_candidate(cm_summary *s, const cm_arm *arm, const char *cohort_code)
{
    cm_summary_row *row = row_for(s, arm, cohort_code, cohort_named(arm, cohort_code));
    if (!row)
        return -1;
    row->eligible++;
    return 0;
}

static int count_ruled_out(cm_summary *s, const cm_arm *arm, cm_reason reason, int node,
                           const char *sample_code)
{
    const char *code;
    const cm_cohort *cohort = cohort_of(s, arm, node, sample_code, &code);
    cm_summary_row *row = row_for(s, arm, code, cohort);
    if (!row)
        return -1;
    if ((size_t)reason < s->n_reasons)
        row->ruled_out[reason]++;
    row->ruled_out_total++;
    return 0;
}

int cm_summary_add_result(cm_summary *summary, const cm_sample_result *result, cm_error *err)
{
    const cm_sample_profile *profile = result->profile;
    const char *name = profile && profile->name ? profile->name : ".";
    const char *code = profile && profile->tumour_type ? profile->tumour_type : ".";
    int added = add_sample_name(summary, name);
    if (added < 0)
        return cm_error_set(err, NULL, 0, 0, "out of memory");
    if (added == 0)
        return cm_error_set(err, NULL, 0, 0, "sample '%s' is counted twice", name);
    if (count_tumour_type(summary, code) < 0)
        return cm_error_set(err, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < result->n_candidates; i++) {
        const cm_candidate *c = &result->candidates[i];
        if (count_candidate(summary, c->arm, c->cohort_tumour_type ? c->cohort_tumour_type : code) <
            0)
            return cm_error_set(err, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < result->n_ruled_out; i++) {
        const cm_ruled_out *r = &result->ruled_out[i];
        if (count_ruled_out(summary, r->arm, r->reason, profile ? profile->tumour_node : -1, code) <
            0)
            return cm_error_set(err, NULL, 0, 0, "out of memory");
    }
    return 0;
}

/* ---- Result files ---- */

static const cm_arm *find_arm(const cm_ruleset *rules, const char *protocol, const char *arm)
{
    for (size_t p = 0; p < cm_ruleset_n_protocols(rules); p++) {
        const cm_protocol *proto = cm_ruleset_protocol(rules, p);
        if (strcmp(proto->id, protocol) != 0)
            continue;
        for (int a = 0; a < proto->n_arms; a++)
            if (strcmp(proto->arms[a].id, arm) == 0)
                return &proto->arms[a];
    }
    return NULL;
}

/// A string member of a JSON object, or NULL (and err filled with where) when it is missing.
static const char *string_member(const json_t *object, const char *key, const char *path,
                                 const char *where, cm_error *err)
{
    const char *value = json_string_value(json_object_get(object, key));
    if (!value)
        cm_error_set(err, path, 0, 0, "%s: no string '%s'", where, key);
    return value;
}

/// The arm a candidate or ruled-out entry names; NULL with err filled.
static const cm_arm *entry_arm(const cm_summary *s, const json_t *entry, const char *path,
                               const char *where, cm_error *err)
{
    const char *protocol = string_member(entry, "protocol", path, where, err);
    const char *arm_id = protocol ? string_member(entry, "arm", path, where, err) : NULL;
    if (!arm_id)
        return NULL;
    const cm_arm *arm = find_arm(s->rules, protocol, arm_id);
    if (!arm)
        cm_error_set(err, path, 0, 0,
                     "%s: arm %s of protocol %s is not in the rules (give summarize the rules "
                     "the results were made with: -r)",
                     where, arm_id, protocol);
    return arm;
}

static int add_json_sample(cm_summary *s, const json_t *sample, const char *path, size_t index,
                           cm_error *err)
{
    char where[96];
    snprintf(where, sizeof where, "samples[%zu]", index);
    if (!json_is_object(sample))
        return cm_error_set(err, path, 0, 0, "%s is not an object", where);
    const char *name = string_member(sample, "sample", path, where, err);
    const char *code = name ? string_member(sample, "tumour_type", path, where, err) : NULL;
    if (!code)
        return -1;
    int node = cm_oncotree_find(s->tree, code);
    if (node < 0)
        return cm_error_set(err, path, 0, 0, "%s: unknown OncoTree code '%s'", where, code);
    int added = add_sample_name(s, name);
    if (added < 0)
        return cm_error_set(err, path, 0, 0, "out of memory");
    if (added == 0)
        return cm_error_set(err, path, 0, 0, "%s: sample '%s' is counted twice", where, name);
    if (count_tumour_type(s, code) < 0)
        return cm_error_set(err, path, 0, 0, "out of memory");
    const json_t *candidates = json_object_get(sample, "candidates");
    const json_t *ruled_out = json_object_get(sample, "ruled_out");
    if (!json_is_array(candidates) || !json_is_array(ruled_out))
        return cm_error_set(err, path, 0, 0, "%s: no 'candidates' or 'ruled_out' list", where);
    size_t i;
    const json_t *entry;
    json_array_foreach(candidates, i, entry)
    {
        snprintf(where, sizeof where, "samples[%zu].candidates[%zu]", index, i);
        const cm_arm *arm = entry_arm(s, entry, path, where, err);
        if (!arm)
            return -1;
        const char *cohort_code =
            json_string_value(json_object_get(json_object_get(entry, "cohort"), "tumour_type"));
        if (!cohort_code)
            return cm_error_set(err, path, 0, 0, "%s: no string 'cohort.tumour_type'", where);
        if (count_candidate(s, arm, cohort_code) < 0)
            return cm_error_set(err, path, 0, 0, "out of memory");
    }
    json_array_foreach(ruled_out, i, entry)
    {
        snprintf(where, sizeof where, "samples[%zu].ruled_out[%zu]", index, i);
        const cm_arm *arm = entry_arm(s, entry, path, where, err);
        const char *reason_name = arm ? string_member(entry, "reason", path, where, err) : NULL;
        if (!reason_name)
            return -1;
        cm_reason reason;
        if (cm_reason_parse(reason_name, &reason) < 0)
            return cm_error_set(err, path, 0, 0, "%s: unknown reason '%s'", where, reason_name);
        if (count_ruled_out(s, arm, reason, node, code) < 0)
            return cm_error_set(err, path, 0, 0, "out of memory");
    }
    return 0;
}

int cm_summary_add_json(cm_summary *summary, const char *path, cm_error *err)
{
    json_error_t json_err;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &json_err);
    if (!root) {
        if (json_err.line > 0)
            return cm_error_set(err, path, json_err.line, json_err.column, "not JSON: %s",
                                json_err.text);
        return cm_error_set(err, path, 0, 0, "cannot read: %s", json_err.text);
    }
    int status = 0;
    const json_t *version = json_object_get(root, "schema_version");
    const json_t *samples = json_object_get(root, "samples");
    if (!json_is_object(root) || !json_is_integer(version) || !json_is_array(samples))
        status = cm_error_set(err, path, 0, 0,
                              "not a cohortmatch result (match -O json): no schema_version and "
                              "samples");
    else if (json_integer_value(version) != 1)
        status = cm_error_set(err, path, 0, 0, "schema_version %lld; this summarize reads 1",
                              (long long)json_integer_value(version));
    for (size_t i = 0; status == 0 && i < json_array_size(samples); i++)
        status = add_json_sample(summary, json_array_get(samples, i), path, i, err);
    json_decref(root);
    if (status == 0 && cm_summary_add_input(summary, path) < 0)
        status = cm_error_set(err, path, 0, 0, "out of memory");
    return status;
}

/* ---- Forecast ---- */

static int compare_rows(const void *a, const void *b)
{
    const cm_summary_row *x = a, *y = b;
    int c = strcmp(x->arm->protocol->id, y->arm->protocol->id);
    if (c == 0)
        c = strcmp(x->arm->id, y->arm->id);
    if (c == 0)
        c = strcmp(x->tumour_type, y->tumour_type);
    return c;
}

static int compare_types(const void *a, const void *b)
{
    return strcmp(((const summary_count *)a)->code, ((const summary_count *)b)->code);
}

static void forecast_row(cm_summary_row *row, double rate, long screened)
{
    // Stage, enrolled and target as the protocol's design and the cohort's state give them
    // (a new cohort: stage 1 of the design, none enrolled).
    cm_cohort_progress progress;
    cm_cohort_progress_get(row->arm->protocol, row->cohort, &progress);
    row->eligible_fraction = screened > 0 ? (double)row->eligible / (double)screened : 0;
    row->stage = progress.stage > 0 ? progress.stage : 1;
    row->enrolled = progress.enrolled > 0 ? progress.enrolled : 0;
    row->target = progress.target > 0 ? progress.target : 0;
    row->remaining = row->target > row->enrolled ? row->target - row->enrolled : 0;
    row->per_month = NAN;
    row->months = NAN;
    if (row->arm->protocol->is_closed || row->status == CM_COHORT_CLOSED ||
        row->status == CM_COHORT_SUSPENDED)
        row->forecast = CM_FORECAST_CLOSED;
    else if (row->eligible == 0)
        row->forecast = CM_FORECAST_NOT_REACHED;
    else if (row->target <= 0)
        row->forecast = CM_FORECAST_NO_DESIGN;
    else if (row->remaining == 0)
        row->forecast = CM_FORECAST_FULL;
    else if (isnan(rate))
        row->forecast = CM_FORECAST_NO_RATE;
    else {
        row->per_month = rate * row->eligible_fraction;
        row->months = (double)row->remaining / row->per_month;
        row->forecast = CM_FORECAST_MONTHS;
    }
}

void cm_summary_forecast(cm_summary *summary, const cm_summary_rate *rate)
{
    summary->rate = NAN;
    summary->rate_from_span = 0;
    if (rate && rate->patients_per_month > 0) {
        summary->rate = rate->patients_per_month;
    } else if (rate && rate->span_months > 0 && summary->screened > 0) {
        summary->rate = (double)summary->screened / rate->span_months;
        summary->rate_from_span = 1;
    }
    if (summary->n_rows > 1)
        qsort(summary->rows, summary->n_rows, sizeof *summary->rows, compare_rows);
    // The index points at rows by position: rebuild it after the sort.
    for (khint_t k = kh_begin(summary->row_index); k != kh_end(summary->row_index); k++)
        if (kh_exist(summary->row_index, k))
            free((char *)kh_key(summary->row_index, k));
    kh_clear(summary_index, summary->row_index);
    if (summary->n_types > 1) {
        qsort(summary->types, summary->n_types, sizeof *summary->types, compare_types);
        for (size_t i = 0; i < summary->n_types; i++) {
            khint_t k = kh_get(summary_index, summary->type_index, summary->types[i].code);
            kh_value(summary->type_index, k) = (long)i;
        }
    }
    for (size_t i = 0; i < summary->n_rows; i++)
        forecast_row(&summary->rows[i], summary->rate, summary->screened);
}

size_t cm_summary_n_rows(const cm_summary *summary)
{
    return summary->n_rows;
}

const cm_summary_row *cm_summary_row_at(const cm_summary *summary, size_t i)
{
    return i < summary->n_rows ? &summary->rows[i] : NULL;
}

long cm_summary_screened(const cm_summary *summary)
{
    return summary->screened;
}

size_t cm_summary_n_tumour_types(const cm_summary *summary)
{
    return summary->n_types;
}

const char *cm_summary_tumour_type(const cm_summary *summary, size_t i, long *count)
{
    if (i >= summary->n_types)
        return NULL;
    if (count)
        *count = summary->types[i].count;
    return summary->types[i].code;
}

size_t cm_summary_n_inputs(const cm_summary *summary)
{
    return summary->n_inputs;
}

const char *cm_summary_input(const cm_summary *summary, size_t i)
{
    return i < summary->n_inputs ? summary->inputs[i] : NULL;
}

const cm_ruleset *cm_summary_rules(const cm_summary *summary)
{
    return summary->rules;
}

double cm_summary_rate_used(const cm_summary *summary, int *is_from_span)
{
    if (is_from_span)
        *is_from_span = summary->rate_from_span;
    return summary->rate;
}
