/*
 * Unit tests of the network view (include/cohortmatch/network.h): country
 * codes, cohort progress under a design, and the grouping of candidates into
 * treatment options across trials. Protocols, arms and results are built by
 * hand, so that each edge case of the grouping is stated exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cohortmatch/cohorts.h"
#include "cohortmatch/network.h"

/* ---- Countries and dates ---- */

static void test_country_codes(void **state)
{
    (void)state;
    char code[3];
    assert_true(cm_country_is_assigned("NL"));
    assert_true(cm_country_is_assigned("GB"));
    assert_true(cm_country_is_assigned("AD"));  // first in order
    assert_true(cm_country_is_assigned("ZW"));  // last in order
    assert_false(cm_country_is_assigned("UK")); // reserved, not assigned
    assert_false(cm_country_is_assigned("EU"));
    assert_false(cm_country_is_assigned("nl")); // upper case only
    assert_false(cm_country_is_assigned("NLD"));
    assert_false(cm_country_is_assigned(""));
    assert_false(cm_country_is_assigned(NULL));
    assert_int_equal(cm_country_parse("no", 0, code), 0);
    assert_string_equal(code, "NO");
    assert_int_equal(cm_country_parse("UK", 0, code), -1);
    assert_int_equal(cm_country_parse("uk", 1, code), 0);
    assert_string_equal(code, "GB");
    assert_int_equal(cm_country_parse("XX", 1, code), -1);
    assert_int_equal(cm_country_parse("N1", 1, code), -1);
    assert_int_equal(cm_country_parse("N", 1, code), -1);
}

static void test_iso_dates(void **state)
{
    (void)state;
    assert_true(cm_iso_date_is_valid("2026-05-01"));
    assert_true(cm_iso_date_is_valid("2024-02-29"));  // leap year
    assert_true(cm_iso_date_is_valid("2000-02-29"));  // divisible by 400
    assert_false(cm_iso_date_is_valid("1900-02-29")); // divisible by 100
    assert_false(cm_iso_date_is_valid("2023-02-29"));
    assert_false(cm_iso_date_is_valid("2026-04-31"));
    assert_false(cm_iso_date_is_valid("2026-13-01"));
    assert_false(cm_iso_date_is_valid("2026-00-10"));
    assert_false(cm_iso_date_is_valid("2026-1-01"));
    assert_false(cm_iso_date_is_valid("01.05.2026"));
    assert_false(cm_iso_date_is_valid("2026-05-01T10:00"));
    assert_false(cm_iso_date_is_valid(""));
}

/* ---- Cohort progress ---- */

static cm_protocol staged_protocol(void)
{
    cm_protocol protocol;
    memset(&protocol, 0, sizeof protocol);
    protocol.design.n_stages = 2;
    protocol.design.stages[0] = 8;
    protocol.design.stages[1] = 24;
    return protocol;
}

static void check_progress(const cm_protocol *protocol, const cm_cohort *cohort, int known,
                           const char *text)
{
    cm_cohort_progress progress;
    assert_int_equal(cm_cohort_progress_get(protocol, cohort, &progress), known);
    kstring_t out = {0, 0, NULL};
    cm_cohort_progress_format(&progress, &out);
    assert_string_equal(out.s ? out.s : "", text);
    free(out.s);
}

static void test_progress_staged(void **state)
{
    (void)state;
    cm_protocol protocol = staged_protocol();
    check_progress(&protocol, NULL, 1, "0 of 8, stage 1"); // a new cohort
    cm_cohort cohort;
    memset(&cohort, 0, sizeof cohort);
    cohort.status = CM_COHORT_OPEN;
    check_progress(&protocol, &cohort, 0, ""); // open, nothing else known
    cohort.enrolled = 3;
    check_progress(&protocol, &cohort, 1, "3 of 8, stage 1"); // stage from the count
    cohort.enrolled = 8;
    check_progress(&protocol, &cohort, 1, "8 of 24, stage 2"); // stage 1 is full
    cohort.enrolled = 0;
    cohort.is_enrolled_known = 1;
    check_progress(&protocol, &cohort, 1, "0 of 8, stage 1"); // a known zero
    cohort.is_enrolled_known = 0;
    cohort.target = 24;
    check_progress(&protocol, &cohort, 1, "target 24, stage 2"); // stage from the target
    cohort.enrolled = 14;
    check_progress(&protocol, &cohort, 1, "14 of 24, stage 2");
    cohort.target = 0;
    cohort.enrolled = 30;
    check_progress(&protocol, &cohort, 1, "30 of 24, stage 2"); // beyond: the last stage
    cohort.stage = 3;
    cohort.enrolled = 19;
    check_progress(&protocol, &cohort, 1, "19 enrolled, stage 3 (expansion beyond the design)");
    cohort.stage = 1;
    cohort.enrolled = 2;
    check_progress(&protocol, &cohort, 1, "2 of 8, stage 1"); // stage gives the target
}

static void test_progress_fixed_and_none(void **state)
{
    (void)state;
    cm_protocol fixed;
    memset(&fixed, 0, sizeof fixed);
    fixed.design.cohort_size = 30;
    check_progress(&fixed, NULL, 1, "0 of 30");
    cm_cohort cohort;
    memset(&cohort, 0, sizeof cohort);
    cohort.enrolled = 12;
    check_progress(&fixed, &cohort, 1, "12 of 30");
    cm_protocol none;
    memset(&none, 0, sizeof none);
    check_progress(&none, NULL, 0, ""); // a new cohort without a design: nothing to say
    check_progress(&none, &cohort, 1, "12 enrolled");
    cohort.stage = 2;
    cohort.target = 24;
    check_progress(&none, &cohort, 1, "12 of 24, stage 2");
}

/* ---- Grouping ---- */

typedef struct world {
    cm_protocol protocols[3]; // NL, GB, NO
    cm_arm arms[8];
    char *drugs[8][2];
    cm_alteration braf, braf_again, kras;
    cm_evidence_item items[8][2];
    cm_candidate candidates[8];
    cm_sample_result result;
} world;

static cm_slice slice(const char *text)
{
    return (cm_slice){text, (int)strlen(text)};
}

static void variant(cm_alteration *a, const char *gene, long long pos, const char *alt)
{
    cm_alteration_init(a);
    a->kind = CM_ALTERATION_SMALL;
    a->gene = slice(gene);
    a->chrom = slice("chr7");
    a->pos = pos;
    a->ref = slice("A");
    a->alt = slice(alt);
}

static void arm(world *w, int i, int protocol, const char *id, const char *drug1, const char *drug2)
{
    cm_arm *a = &w->arms[i];
    memset(a, 0, sizeof *a);
    a->id = (char *)id;
    a->protocol = &w->protocols[protocol];
    w->drugs[i][0] = (char *)drug1;
    w->drugs[i][1] = (char *)drug2;
    a->drugs = w->drugs[i];
    a->n_drugs = drug2 ? 2 : 1;
}

// Candidate i: arm i, triggered by the given alterations (NULL-terminated, at most 2).
static void candidate(world *w, size_t i, const cm_alteration *a, const cm_alteration *b)
{
    cm_candidate *c = &w->candidates[i];
    memset(c, 0, sizeof *c);
    c->arm = &w->arms[i];
    c->matched = w->items[i];
    w->items[i][0] = (cm_evidence_item){a, "X", 0};
    w->items[i][1] = (cm_evidence_item){b, "Y", 0};
    c->n_matched = b ? 2 : 1;
}

static void world_init(world *w)
{
    memset(w, 0, sizeof *w);
    static const char *const countries[] = {"NL", "GB", "NO"};
    static const char *const ids[] = {"DRUP", "DETERMINE", "IMPRESS"};
    for (int p = 0; p < 3; p++) {
        w->protocols[p].id = (char *)ids[p];
        w->protocols[p].country = (char *)countries[p];
    }
    variant(&w->braf, "BRAF", 140753336, "T");
    // The same variant, another transcript's record: the same trigger.
    variant(&w->braf_again, "BRAF", 140753336, "T");
    w->braf_again.transcript = slice("ENST00000644969");
    variant(&w->kras, "KRAS", 25245350, "T");
    w->result.candidates = w->candidates;
}

static void build(world *w, size_t n, const char *home, cm_groups *groups)
{
    w->result.n_candidates = n;
    assert_int_equal(cm_groups_build(NULL, &w->result, home, groups), 0);
}

static void assert_members(const cm_group *group, size_t n, const size_t *candidates)
{
    assert_int_equal(group->n_members, n);
    for (size_t m = 0; m < n; m++)
        assert_int_equal(group->members[m].candidate, candidates[m]);
}

static void test_group_across_protocols(void **state)
{
    (void)state;
    world w;
    world_init(&w);
    // Same drugs (another order and case), the same BRAF variant: one option.
    arm(&w, 0, 0, "DRUP-VEM-COBI", "vemurafenib", "cobimetinib");
    arm(&w, 1, 1, "DETERMINE-05", "Cobimetinib", " vemurafenib ");
    arm(&w, 2, 2, "IMPRESS-VEM", "vemurafenib", NULL); // fewer drugs: another option
    candidate(&w, 0, &w.braf, NULL);
    candidate(&w, 1, &w.braf_again, NULL);
    candidate(&w, 2, &w.braf, NULL);
    cm_groups groups;
    build(&w, 3, NULL, &groups);
    assert_int_equal(groups.n_groups, 2);
    assert_members(&groups.groups[0], 2, (size_t[]){0, 1});
    assert_members(&groups.groups[1], 1, (size_t[]){2});
    assert_int_equal(groups.group_of[0], 0);
    assert_int_equal(groups.group_of[1], 0);
    assert_int_equal(groups.group_of[2], 1);
    // Without --home-country nothing is cross-border or home.
    assert_int_equal(groups.groups[0].members[0].is_cross_border, -1);
    assert_int_equal(cm_groups_cross_border(&groups, 2), -1);
    // The shared trigger is shown once.
    assert_int_equal(groups.groups[0].n_triggers, 1);
    assert_ptr_equal(groups.groups[0].triggers[0]->alteration, &w.braf);
    cm_groups_clear(&groups);
}

static void test_group_same_drugs_other_biomarker(void **state)
{
    (void)state;
    world w;
    world_init(&w);
    // Trametinib for BRAF in one trial and for KRAS in another: two options.
    arm(&w, 0, 0, "DRUP-TRAM-BRAF", "trametinib", NULL);
    arm(&w, 1, 1, "DETERMINE-TRAM-KRAS", "trametinib", NULL);
    candidate(&w, 0, &w.braf, NULL);
    candidate(&w, 1, &w.kras, NULL);
    cm_groups groups;
    build(&w, 2, NULL, &groups);
    assert_int_equal(groups.n_groups, 2);
    cm_groups_clear(&groups);
}

static void test_group_one_protocol_two_arms(void **state)
{
    (void)state;
    world w;
    world_init(&w);
    // One protocol, two arms of the same drug: grouped when they share the trigger (0, 1),
    // apart when they do not (2 is triggered by KRAS only).
    arm(&w, 0, 0, "A-BRAF", "olaparib", NULL);
    arm(&w, 1, 0, "A-BRAF-KRAS", "olaparib", NULL);
    arm(&w, 2, 0, "A-KRAS", "olaparib", NULL);
    candidate(&w, 0, &w.braf, NULL);
    candidate(&w, 1, &w.braf, &w.kras);
    candidate(&w, 2, &w.kras, NULL);
    cm_groups groups;
    build(&w, 3, NULL, &groups);
    // 0-1 share BRAF and 1-2 share KRAS: transitively one option.
    assert_int_equal(groups.n_groups, 1);
    assert_members(&groups.groups[0], 3, (size_t[]){0, 1, 2});
    assert_int_equal(groups.groups[0].n_triggers, 2);
    cm_groups_clear(&groups);

    candidate(&w, 1, &w.braf, NULL);
    build(&w, 3, NULL, &groups);
    assert_int_equal(groups.n_groups, 2);
    assert_members(&groups.groups[0], 2, (size_t[]){0, 1});
    assert_members(&groups.groups[1], 1, (size_t[]){2});
    cm_groups_clear(&groups);
}

static void test_group_home_country(void **state)
{
    (void)state;
    world w;
    world_init(&w);
    arm(&w, 0, 0, "DRUP-VEM-COBI", "vemurafenib", "cobimetinib");
    arm(&w, 1, 1, "DETERMINE-05", "vemurafenib", "cobimetinib");
    arm(&w, 2, 2, "IMPRESS-VEM-COBI", "vemurafenib", "cobimetinib");
    candidate(&w, 0, &w.braf, NULL);
    candidate(&w, 1, &w.braf, NULL);
    candidate(&w, 2, &w.braf, NULL);
    cm_groups groups;
    build(&w, 3, "NO", &groups);
    assert_int_equal(groups.n_groups, 1);
    // Norway first, then the others in candidate order, marked cross-border.
    assert_members(&groups.groups[0], 3, (size_t[]){2, 0, 1});
    assert_int_equal(groups.groups[0].members[0].is_cross_border, 0);
    assert_int_equal(groups.groups[0].members[1].is_cross_border, 1);
    assert_int_equal(groups.groups[0].members[2].is_cross_border, 1);
    assert_int_equal(cm_groups_cross_border(&groups, 2), 0);
    assert_int_equal(cm_groups_cross_border(&groups, 0), 1);
    cm_groups_clear(&groups);
    // A protocol without a country is cross-border for every home country.
    w.protocols[2].country = NULL;
    build(&w, 3, "NO", &groups);
    assert_members(&groups.groups[0], 3, (size_t[]){0, 1, 2});
    assert_int_equal(groups.groups[0].members[2].is_cross_border, 1);
    cm_groups_clear(&groups);
}

static void test_group_empty(void **state)
{
    (void)state;
    world w;
    world_init(&w);
    cm_groups groups;
    build(&w, 0, NULL, &groups);
    assert_int_equal(groups.n_groups, 0);
    cm_groups_clear(&groups);
    cm_groups_clear(&groups); // twice is harmless
}

static void test_same_event(void **state)
{
    (void)state;
    world w;
    world_init(&w);
    cm_evidence_item a = {&w.braf, NULL, 0}, b = {&w.braf_again, NULL, 0};
    assert_true(cm_evidence_same_trigger(NULL, &a, &b));
    cm_alteration other_allele;
    variant(&other_allele, "BRAF", 140753336, "C");
    cm_evidence_item c = {&other_allele, NULL, 0};
    assert_false(cm_evidence_same_trigger(NULL, &a, &c));
    // A fusion is one event whichever gene names it.
    cm_alteration eml4_alk, alk_eml4;
    cm_alteration_init(&eml4_alk);
    eml4_alk.kind = CM_ALTERATION_FUSION;
    eml4_alk.gene = slice("ALK");
    eml4_alk.partner = slice("EML4");
    alk_eml4 = eml4_alk;
    alk_eml4.gene = slice("EML4");
    alk_eml4.partner = slice("ALK");
    cm_evidence_item f1 = {&eml4_alk, NULL, 0}, f2 = {&alk_eml4, NULL, 0};
    assert_true(cm_evidence_same_trigger(NULL, &f1, &f2));
    assert_false(cm_evidence_same_trigger(NULL, &f1, &a));
    // Another sample's identical variant is another patient's.
    cm_alteration elsewhere = w.braf;
    elsewhere.sample = 1;
    cm_evidence_item e = {&elsewhere, NULL, 0};
    assert_false(cm_evidence_same_trigger(NULL, &a, &e));
}

static void test_same_drugs(void **state)
{
    (void)state;
    world w;
    world_init(&w);
    arm(&w, 0, 0, "A", "Trastuzumab", "pertuzumab");
    arm(&w, 1, 1, "B", "pertuzumab", "trastuzumab");
    arm(&w, 2, 1, "C", "trastuzumab", "trastuzumab");
    arm(&w, 3, 1, "D", "trastuzumab", NULL);
    assert_true(cm_arms_same_drugs(&w.arms[0], &w.arms[1]));
    assert_false(cm_arms_same_drugs(&w.arms[0], &w.arms[2]));
    assert_true(cm_arms_same_drugs(&w.arms[2], &w.arms[3])); // a set: repeats do not count
    assert_false(cm_arms_same_drugs(&w.arms[0], &w.arms[3]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_country_codes),
        cmocka_unit_test(test_iso_dates),
        cmocka_unit_test(test_progress_staged),
        cmocka_unit_test(test_progress_fixed_and_none),
        cmocka_unit_test(test_group_across_protocols),
        cmocka_unit_test(test_group_same_drugs_other_biomarker),
        cmocka_unit_test(test_group_one_protocol_two_arms),
        cmocka_unit_test(test_group_home_country),
        cmocka_unit_test(test_group_empty),
        cmocka_unit_test(test_same_event),
        cmocka_unit_test(test_same_drugs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
