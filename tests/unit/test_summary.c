/*
 * Unit tests of the cohort summary (src/summary.c): counts per arm and cohort
 * tumour type from the matcher's results, the cohort a ruled-out sample is
 * counted under, the same counts read back from the JSON result the report
 * writer makes of them, every forecast state and its arithmetic, and the
 * errors of result files.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cohortmatch/match.h"
#include "cohortmatch/profile.h"
#include "cohortmatch/report.h"
#include "cohortmatch/rules.h"
#include "cohortmatch/summary.h"

static const char rules_yaml[] =
    "cohortmatch: 1\n"
    "protocol: {id: TEST, name: Test protocol, version: \"1\"}\n"
    "defaults: {min_vaf: 0.05, min_depth: 30}\n"
    "alterations:\n"
    "  BRAF_V600: {gene: BRAF, protein: V600}\n"
    "arms:\n"
    "  - id: BRAF-ARM\n"
    "    drugs: [vemurafenib, cobimetinib]\n"
    "    match: BRAF_V600\n"
    "    tumour_types: {include: [SOLID], exclude: [MEL]}\n"
    "    source: test\n"
    "    cohorts:\n"
    "      - {tumour_type: NSCLC, status: open, stage: 1, enrolled: 3, target: 8}\n"
    "      - {tumour_type: COADREAD, status: closed}\n"
    "      - {tumour_type: THPA, status: open, enrolled: 8, target: 8}\n"
    "  - id: KRAS-ARM\n"
    "    drugs: [sotorasib]\n"
    "    match: {gene: KRAS, protein: G12C}\n"
    "    source: test\n";

// A staged design (8, then 24) and a fixed one (30): the stage sizes the cohorts' states
// leave out.
static const char design_yaml[] =
    "cohortmatch: 1\n"
    "protocol: {id: STAGED, name: Staged, version: \"1\", design: {stages: [8, 24]}}\n"
    "arms:\n"
    "  - id: STAGED-BRAF\n"
    "    drugs: [vemurafenib]\n"
    "    match: {gene: BRAF, protein: V600}\n"
    "    source: test\n"
    "    cohorts:\n"
    "      - {tumour_type: NSCLC, status: open, stage: 2, enrolled: 14}\n";
static const char fixed_yaml[] =
    "cohortmatch: 1\n"
    "protocol: {id: FIXED, name: Fixed, version: \"1\", design: {cohort_size: 30}}\n"
    "arms:\n"
    "  - id: FIXED-BRAF\n"
    "    drugs: [dabrafenib]\n"
    "    match: {gene: BRAF, protein: V600}\n"
    "    source: test\n";

typedef struct fixture {
    cm_oncotree *tree;
    cm_ruleset *rules;
    cm_sample_profile profiles[10];
    cm_matcher *matcher;
} fixture;

static cm_alteration braf_v600e(int sample, double vaf)
{
    cm_alteration a;
    cm_alteration_init(&a);
    a.sample = sample;
    a.gene = (cm_slice){"BRAF", 4};
    a.hgvsp = (cm_slice){"p.Val600Glu", 11};
    cm_protein_change_parse(a.hgvsp.s, (size_t)a.hgvsp.len, &a.protein);
    a.consequence = CM_SO_BIT(CM_SO_MISSENSE_VARIANT);
    a.chrom = (cm_slice){"chr7", 4};
    a.pos = 140753336;
    a.ref = (cm_slice){"A", 1};
    a.alt = (cm_slice){"T", 1};
    a.vaf = vaf;
    a.depth = 200;
    return a;
}

// S1 LUAD eligible (cohort NSCLC); S2 LUSC below the VAF gate (counted under NSCLC); S3 COAD
// ruled out, its cohort COADREAD closed; S4 THPA eligible, stage full; S5 SKCM excluded (MEL);
// S6 CHOL eligible in a new cohort; S7-S10 LUAD with nothing.
static const char *const types[10] = {"LUAD", "LUSC", "COAD", "THPA", "SKCM",
                                      "CHOL", "LUAD", "LUAD", "LUAD", "LUAD"};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    cm_error err;
    f->tree = cm_oncotree_load_bundled(&err);
    f->rules = cm_ruleset_new(f->tree);
    cm_diagnostics diag = {0};
    assert_int_equal(
        cm_ruleset_load_string(f->rules, "test.yaml", rules_yaml, strlen(rules_yaml), &diag), 0);
    assert_int_equal(
        cm_ruleset_load_string(f->rules, "staged.yaml", design_yaml, strlen(design_yaml), &diag),
        0);
    assert_int_equal(
        cm_ruleset_load_string(f->rules, "fixed.yaml", fixed_yaml, strlen(fixed_yaml), &diag), 0);
    cm_diagnostics_clear(&diag);
    assert_int_equal(cm_ruleset_compile(f->rules), 0);
    for (int i = 0; i < 10; i++) {
        char name[8];
        snprintf(name, sizeof name, "S%d", i + 1);
        assert_int_equal(cm_profile_init(&f->profiles[i], name), 0);
        assert_int_equal(
            cm_profile_set_tumour_type(&f->profiles[i], f->tree, types[i], NULL, 0, &err), 0);
    }
    f->matcher = cm_matcher_new(f->rules, f->profiles, 10, NULL);
    const double vafs[6] = {0.3, 0.01, 0.3, 0.3, 0.3, 0.3};
    for (int i = 0; i < 6; i++) {
        cm_alteration a = braf_v600e(i, vafs[i]);
        assert_int_equal(cm_matcher_add(f->matcher, &a), 0);
    }
    assert_int_equal(cm_matcher_finish(f->matcher), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cm_matcher_free(f->matcher);
    for (int i = 0; i < 10; i++)
        cm_profile_clear(&f->profiles[i]);
    cm_ruleset_free(f->rules);
    cm_oncotree_free(f->tree);
    free(f);
    return 0;
}

static cm_summary *summary_of_results(fixture *f)
{
    cm_error err;
    cm_summary *summary = cm_summary_new(f->rules);
    assert_non_null(summary);
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(cm_summary_add_result(summary, cm_matcher_result(f->matcher, i), &err), 0);
    return summary;
}

static const cm_summary_row *row_of(const cm_summary *s, const char *arm, const char *type)
{
    for (size_t i = 0; i < cm_summary_n_rows(s); i++) {
        const cm_summary_row *row = cm_summary_row_at(s, i);
        if (strcmp(row->arm->id, arm) == 0 && strcmp(row->tumour_type, type) == 0)
            return row;
    }
    fail_msg("no row %s %s", arm, type);
    return NULL;
}

/// The rows as their TSV, for comparing two summaries byte for byte.
static char *tsv_of(const cm_summary *s)
{
    char *text = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&text, &size);
    cm_error err;
    assert_int_equal(cm_summary_write(s, CM_SUMMARY_TSV, NULL, fp, &err), 0);
    fclose(fp);
    return text;
}

static void test_counts_and_forecast(void **state)
{
    fixture *f = *state;
    cm_summary *s = summary_of_results(f);
    cm_summary_rate rate = {20, NAN};
    cm_summary_forecast(s, &rate);
    assert_int_equal(cm_summary_screened(s), 10);
    assert_int_equal(cm_summary_n_tumour_types(s), 6);
    long count;
    assert_string_equal(cm_summary_tumour_type(s, 2, &count), "LUAD"); // in code order
    assert_int_equal(count, 5);
    // Rows: BRAF-ARM x {CHOL, COADREAD, NSCLC, SKCM, THPA}; KRAS-ARM reached no one; the
    // staged and fixed arms (no tumour-type limits, no cohorts but STAGED's NSCLC) x the
    // samples' own cohorts.
    assert_int_equal(cm_summary_n_rows(s), 5 + 5 + 6);
    const cm_summary_row *nsclc = row_of(s, "BRAF-ARM", "NSCLC");
    assert_int_equal(nsclc->status, CM_COHORT_OPEN);
    assert_int_equal(nsclc->eligible, 1);
    assert_int_equal(nsclc->ruled_out_total, 1); // S2, LUSC, under the NSCLC cohort
    assert_int_equal(nsclc->ruled_out[CM_REASON_BELOW_MIN_VAF], 1);
    assert_true(fabs(nsclc->eligible_fraction - 0.1) < 1e-12);
    assert_int_equal(nsclc->stage, 1);
    assert_int_equal(nsclc->enrolled, 3);
    assert_int_equal(nsclc->target, 8);
    assert_int_equal(nsclc->remaining, 5);
    assert_true(fabs(nsclc->per_month - 2.0) < 1e-12); // 20 a month x 1/10
    assert_true(fabs(nsclc->months - 2.5) < 1e-12);    // 5 / 2
    assert_int_equal(nsclc->forecast, CM_FORECAST_MONTHS);
    const cm_summary_row *coadread = row_of(s, "BRAF-ARM", "COADREAD");
    assert_int_equal(coadread->status, CM_COHORT_CLOSED);
    assert_int_equal(coadread->ruled_out[CM_REASON_COHORT_CLOSED], 1);
    assert_int_equal(coadread->forecast, CM_FORECAST_CLOSED);
    assert_true(isnan(coadread->months));
    const cm_summary_row *thpa = row_of(s, "BRAF-ARM", "THPA");
    assert_int_equal(thpa->eligible, 1);
    assert_int_equal(thpa->forecast, CM_FORECAST_FULL);
    assert_int_equal(thpa->remaining, 0);
    const cm_summary_row *skcm = row_of(s, "BRAF-ARM", "SKCM");
    assert_int_equal(skcm->status, CM_COHORT_NEW);
    assert_int_equal(skcm->ruled_out[CM_REASON_TUMOUR_TYPE_EXCLUDED], 1);
    assert_int_equal(skcm->forecast, CM_FORECAST_NOT_REACHED);
    assert_true(isnan(skcm->months));
    const cm_summary_row *chol = row_of(s, "BRAF-ARM", "CHOL");
    assert_int_equal(chol->eligible, 1);
    assert_int_equal(chol->target, 0);
    assert_int_equal(chol->forecast, CM_FORECAST_NO_DESIGN);
    // The designs: a staged cohort in stage 2 with 14 enrolled needs 24 in all; a new cohort
    // of the staged design is in stage 1 of 8; a fixed design's new cohort needs 30.
    const cm_summary_row *staged = row_of(s, "STAGED-BRAF", "NSCLC");
    assert_int_equal(staged->eligible, 1); // S1 (S2's VAF is below the gate)
    assert_int_equal(staged->stage, 2);
    assert_int_equal(staged->enrolled, 14);
    assert_int_equal(staged->target, 24);
    assert_int_equal(staged->remaining, 10);
    assert_true(fabs(staged->months - 5.0) < 1e-12); // 10 / (20 x 1/10)
    const cm_summary_row *staged_new = row_of(s, "STAGED-BRAF", "CHOL");
    assert_int_equal(staged_new->stage, 1);
    assert_int_equal(staged_new->target, 8);
    assert_true(fabs(staged_new->months - 4.0) < 1e-12); // 8 / 2
    const cm_summary_row *fixed = row_of(s, "FIXED-BRAF", "THPA");
    assert_int_equal(fixed->target, 30);
    assert_true(fabs(fixed->months - 15.0) < 1e-12);
    cm_summary_free(s);
}

static void test_rate_from_span_and_none(void **state)
{
    fixture *f = *state;
    cm_summary *s = summary_of_results(f);
    cm_summary_rate span = {NAN, 5}; // 10 samples over 5 months: 2 a month
    cm_summary_forecast(s, &span);
    int is_from_span;
    assert_true(cm_summary_rate_used(s, &is_from_span) == 2);
    assert_int_equal(is_from_span, 1);
    const cm_summary_row *nsclc = row_of(s, "BRAF-ARM", "NSCLC");
    assert_true(fabs(nsclc->per_month - 0.2) < 1e-12);
    assert_true(fabs(nsclc->months - 25) < 1e-9);
    cm_summary_free(s);
    s = summary_of_results(f);
    cm_summary_forecast(s, NULL);
    assert_true(isnan(cm_summary_rate_used(s, NULL)));
    assert_int_equal(row_of(s, "BRAF-ARM", "NSCLC")->forecast, CM_FORECAST_NO_RATE);
    assert_int_equal(row_of(s, "BRAF-ARM", "SKCM")->forecast, CM_FORECAST_NOT_REACHED);
    cm_summary_free(s);
}

static void test_json_round_trip(void **state)
{
    fixture *f = *state;
    // The report writer's JSON of the same results, read back: the same rows.
    char path[] = "/tmp/cm_test_summary_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    const cm_sample_result *results[10];
    for (size_t i = 0; i < 10; i++)
        results[i] = cm_matcher_result(f->matcher, i);
    cm_report report = {
        .vcf_path = "test.vcf", .rules = f->rules, .samples = results, .n_samples = 10};
    cm_error err;
    assert_int_equal(cm_report_write(&report, CM_REPORT_JSON, fp, &err), 0);
    fclose(fp);
    cm_summary *from_json = cm_summary_new(f->rules);
    assert_int_equal(cm_summary_add_json(from_json, path, &err), 0);
    // The same file again: every sample would be counted twice.
    assert_int_equal(cm_summary_add_json(from_json, path, &err), -1);
    assert_string_equal(err.message, "samples[0]: sample 'S1' is counted twice");
    unlink(path);
    cm_summary *from_results = summary_of_results(f);
    cm_summary_rate rate = {20, NAN};
    cm_summary_forecast(from_json, &rate);
    cm_summary_forecast(from_results, &rate);
    char *a = tsv_of(from_json), *b = tsv_of(from_results);
    assert_string_equal(a, b);
    free(a);
    free(b);
    cm_summary_free(from_json);
    cm_summary_free(from_results);
}

/// The error a result file of this text gives.
static void expect_json_error(fixture *f, const char *text, const char *message)
{
    char path[] = "/tmp/cm_test_summary_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    cm_summary *s = cm_summary_new(f->rules);
    cm_error err;
    cm_error_clear(&err);
    assert_int_equal(cm_summary_add_json(s, path, &err), -1);
    unlink(path);
    assert_string_equal(err.message, message);
    cm_summary_free(s);
}

static void test_json_errors(void **state)
{
    fixture *f = *state;
    // jansson's own words follow "not JSON: ", with the line and column.
    char path[] = "/tmp/cm_test_summary_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "{\"schema_version\": 1,\n \"samples\": [", 35), 35);
    close(fd);
    cm_summary *s = cm_summary_new(f->rules);
    cm_error err;
    assert_int_equal(cm_summary_add_json(s, path, &err), -1);
    unlink(path);
    assert_true(strncmp(err.message, "not JSON: ", 10) == 0);
    assert_int_equal(err.line, 2);
    cm_summary_free(s);
    expect_json_error(f, "{\"rows\": []}",
                      "not a cohortmatch result (match -O json): no schema_version and samples");
    expect_json_error(f, "{\"schema_version\": 2, \"samples\": []}",
                      "schema_version 2; this summarize reads 1");
    expect_json_error(f,
                      "{\"schema_version\": 1, \"samples\": [{\"sample\": \"A\", \"tumour_type\": "
                      "\"LUDA\", \"candidates\": [], \"ruled_out\": []}]}",
                      "samples[0]: unknown OncoTree code 'LUDA'");
    expect_json_error(f,
                      "{\"schema_version\": 1, \"samples\": [{\"sample\": \"A\", \"tumour_type\": "
                      "\"LUAD\", \"candidates\": [{\"protocol\": \"TEST\", \"arm\": \"NO-ARM\", "
                      "\"cohort\": {\"tumour_type\": \"LUAD\"}}], \"ruled_out\": []}]}",
                      "samples[0].candidates[0]: arm NO-ARM of protocol TEST is not in the rules "
                      "(give summarize the rules the results were made with: -r)");
    expect_json_error(f,
                      "{\"schema_version\": 1, \"samples\": [{\"sample\": \"A\", \"tumour_type\": "
                      "\"LUAD\", \"candidates\": [], \"ruled_out\": [{\"protocol\": \"TEST\", "
                      "\"arm\": \"KRAS-ARM\", \"reason\": \"tired\"}]}]}",
                      "samples[0].ruled_out[0]: unknown reason 'tired'");
    expect_json_error(f,
                      "{\"schema_version\": 1, \"samples\": [{\"tumour_type\": \"LUAD\", "
                      "\"candidates\": [], \"ruled_out\": []}]}",
                      "samples[0]: no string 'sample'");
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(cm_forecast_state_name(CM_FORECAST_MONTHS), "months");
    assert_string_equal(cm_forecast_state_name(CM_FORECAST_NOT_REACHED), "not_reached");
    assert_string_equal(cm_forecast_state_name(CM_FORECAST_NO_RATE), "no_rate");
    cm_summary_format format;
    assert_int_equal(cm_summary_format_parse("html", &format), 0);
    assert_int_equal(format, CM_SUMMARY_HTML);
    assert_int_equal(cm_summary_format_parse("xml", &format), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_forecast),
        cmocka_unit_test(test_rate_from_span_and_none),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
