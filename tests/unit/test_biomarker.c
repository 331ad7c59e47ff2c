/*
 * Named sample biomarkers and intergenic fusion partners in the rule language: the
 * loaded leaves field by field, the words a value satisfies, and the matcher's verdicts
 * (three-valued under not/any) on profiles filled as a sample sheet fills them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cohortmatch/match.h"
#include "cohortmatch/profile.h"
#include "cohortmatch/rules.h"
#include "rules_fixture.h"

static const char rules_yaml[] =
    "cohortmatch: 1\n"
    "protocol: {id: P, name: Named biomarkers}\n"
    "arms:\n"
    "  - id: HRD\n" // 4
    "    drugs: [olaparib]\n"
    "    match: {biomarker: {name: HRD, is: deficient}}\n" // 6
    "  - id: PDL1\n"
    "    drugs: [pembrolizumab]\n"
    "    match: {biomarker: {name: pdl1_tps, min: 1, max: 49}}\n" // 9
    "  - id: SIG\n"
    "    drugs: [nivolumab]\n"
    "    match: {biomarker: {name: signatures, is: [APOBEC, uva]}}\n" // 12
    "  - id: NOT-TOBACCO\n"
    "    drugs: [x]\n"
    "    match: {not: {biomarker: {name: signatures, is: tobacco}}}\n" // 15
    "  - id: HRD-OR-BRCA2\n"
    "    drugs: [y]\n"
    "    match: [{biomarker: {name: hrd, is: deficient}}, {gene: BRCA2}]\n" // 18
    "  - id: NTRK\n"
    "    drugs: [larotrectinib]\n"
    "    match: {fusion: {gene: NTRK1}}\n" // 21
    "  - id: NTRK-GENE\n"
    "    drugs: [entrectinib]\n"
    "    match: {fusion: {gene: NTRK1, partner: [Any_Gene, intergenic, TPM3]}}\n" // 24
    "  - id: NTRK-IG\n"
    "    drugs: [z]\n"
    "    match: {fusion: {gene: NTRK1, partner: INTERGENIC}}\n"; // 27

typedef struct fixture {
    cm_oncotree *tree;
    cm_ruleset *rules;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->rules = load_test_rules(&f->tree, "test.yaml", rules_yaml, strlen(rules_yaml), 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cm_ruleset_free(f->rules);
    cm_oncotree_free(f->tree);
    free(f);
    return 0;
}

static const cm_arm *arm(const fixture *f, int i)
{
    return &cm_ruleset_protocol(f->rules, 0)->arms[i];
}

static const cm_leaf *leaf_of(const fixture *f, const cm_expr *expr)
{
    assert_int_equal(expr->kind, CM_EXPR_LEAF);
    return cm_ruleset_leaf(f->rules, expr->leaf);
}

static void test_leaves_loaded(void **state)
{
    fixture *f = *state;
    const cm_leaf *hrd = leaf_of(f, arm(f, 0)->match);
    assert_int_equal(hrd->scope, CM_LEAF_SAMPLE);
    assert_string_equal(hrd->biomarker, "hrd"); // names are stored lower case
    assert_int_equal(hrd->n_biomarker_is, 1);
    assert_string_equal(hrd->biomarker_is[0], "deficient");
    assert_true(isnan(hrd->biomarker_min) && isnan(hrd->biomarker_max));
    assert_int_equal(hrd->line, 6);
    assert_int_equal(hrd->column, 12);

    const cm_leaf *pdl1 = leaf_of(f, arm(f, 1)->match);
    assert_string_equal(pdl1->biomarker, "pdl1_tps");
    assert_int_equal(pdl1->n_biomarker_is, 0);
    assert_true(pdl1->biomarker_min == 1 && pdl1->biomarker_max == 49);

    const cm_leaf *sig = leaf_of(f, arm(f, 2)->match);
    assert_int_equal(sig->n_biomarker_is, 2);
    assert_string_equal(sig->biomarker_is[0], "APOBEC"); // words as written
    assert_string_equal(sig->biomarker_is[1], "uva");

    const cm_leaf *any = leaf_of(f, arm(f, 5)->match);
    assert_true(any->is_fusion);
    assert_int_equal(any->n_fusion_partners, 0);
    assert_false(any->fusion_any_gene);

    const cm_leaf *gene = leaf_of(f, arm(f, 6)->match);
    assert_true(gene->fusion_any_gene);
    assert_int_equal(gene->n_fusion_partners, 2); // intergenic and TPM3; any_gene is a flag
    assert_string_equal(cm_ruleset_gene_name(f->rules, gene->fusion_partners[0]), "intergenic");
    assert_string_equal(cm_ruleset_gene_name(f->rules, gene->fusion_partners[1]), "TPM3");

    const cm_leaf *ig = leaf_of(f, arm(f, 7)->match);
    assert_int_equal(ig->n_fusion_partners, 1);
    assert_int_equal(ig->fusion_partners[0], gene->fusion_partners[0]); // one symbol, any case
    assert_int_equal(cm_ruleset_gene_lookup(f->rules, CM_INTERGENIC, strlen(CM_INTERGENIC)),
                     ig->fusion_partners[0]);
}

static void test_describe(void **state)
{
    fixture *f = *state;
    static const char *const want[] = {"hrd deficient",
                                       "pdl1_tps 1-49",
                                       "signatures APOBEC or uva",
                                       "not signatures tobacco",
                                       NULL,
                                       "NTRK1 fusion",
                                       "NTRK1::intergenic or TPM3 or any gene fusion",
                                       "NTRK1::intergenic fusion"};
    for (int i = 0; i < 8; i++) {
        if (!want[i])
            continue;
        kstring_t out = {0, 0, NULL};
        cm_expr_describe(f->rules, arm(f, i)->match, 0, &out);
        assert_string_equal(out.s, want[i]);
        free(out.s);
    }
}

static void test_value_is(void **state)
{
    (void)state;
    // Words compare without case.
    assert_true(cm_biomarker_value_is("hrd", "Deficient", "deficient"));
    assert_true(cm_biomarker_value_is("her2_ihc", "3+", "3+"));
    assert_false(cm_biomarker_value_is("her2_ihc", "2+", "3+"));
    // hrd: CHORD's spelling and sheet words are the same state; never the other one.
    assert_true(cm_biomarker_value_is("hrd", "HR_deficient", "deficient"));
    assert_true(cm_biomarker_value_is("hrd", "positive", "deficient"));
    assert_false(cm_biomarker_value_is("hrd", "HR_proficient", "deficient"));
    assert_false(cm_biomarker_value_is("hrd", "cannot_be_determined", "deficient"));
    assert_true(cm_biomarker_value_is("hrd", "negative", "proficient"));
    // Signatures: aliases both ways, SBS numbers imply their signature, not the reverse.
    assert_true(cm_biomarker_value_is("signatures", "uv", "UVA"));
    assert_true(cm_biomarker_value_is("signatures", "UVA", "uv"));
    assert_true(cm_biomarker_value_is("signatures", "SBS7b", "uv"));
    assert_true(cm_biomarker_value_is("signatures", "sbs13", "apobec"));
    assert_true(cm_biomarker_value_is("signatures", "smoking", "tobacco"));
    assert_true(cm_biomarker_value_is("signatures", "SBS3", "hrd"));
    assert_true(cm_biomarker_value_is("signatures", "SBS44", "mmr"));
    assert_false(cm_biomarker_value_is("signatures", "apobec", "SBS13"));
    assert_false(cm_biomarker_value_is("signatures", "SBS10c", "pole"));
    assert_false(cm_biomarker_value_is("signatures", "SBS4", "apobec"));
    // Separators are alike; CTML's key names work as signature words.
    assert_true(cm_biomarker_value_is("hrd", "HR-deficient", "deficient"));
    assert_true(cm_biomarker_value_is("her2", "HER2 low", "her2-LOW"));
    assert_false(cm_biomarker_value_is("her2", "HER2low", "her2-low"));
    assert_true(cm_biomarker_value_is("signatures", "APOBEC_signature", "apobec"));
    assert_true(cm_biomarker_value_is("signatures", "uv", "UVA_signature"));
    assert_true(cm_biomarker_value_is("signatures", "Temozolomide signature", "temozolomide"));
    assert_false(cm_biomarker_value_is("signatures", "_signature", "apobec"));
    assert_false(cm_biomarker_value_is("other", "apobec_signature", "apobec"));
    // The aliases belong to their biomarker: "uva" is nothing special for another column.
    assert_false(cm_biomarker_value_is("uv_exposure", "uv", "uva"));
    size_t n;
    const char *const *known = cm_known_biomarkers(&n);
    assert_int_equal(n, 5);
    assert_string_equal(known[0], "hrd");
    assert_string_equal(known[4], "pdl1_tps");
}

typedef struct run {
    cm_sample_profile profile;
    cm_matcher *matcher;
    const cm_sample_result *result;
} run;

// A profile with the biomarkers of "name=value" pairs, as one sheet row gives them.
static void start(run *r, const fixture *f, const char *const *facts, int n)
{
    cm_error err;
    assert_int_equal(cm_profile_init(&r->profile, "S1"), 0);
    assert_int_equal(cm_profile_set_tumour_type(&r->profile, f->tree, "LUAD", NULL, 0, &err), 0);
    for (int i = 0; i < n; i++) {
        char name[64];
        const char *eq = strchr(facts[i], '=');
        snprintf(name, sizeof name, "%.*s", (int)(eq - facts[i]), facts[i]);
        assert_int_equal(cm_profile_offer(&r->profile, f->tree, name, eq + 1,
                                          CM_ORIGIN_SAMPLE_SHEET, "sheet.tsv:2", &err),
                         0);
    }
    r->matcher = cm_matcher_new(f->rules, &r->profile, 1, NULL);
    assert_non_null(r->matcher);
}

static void finish(run *r)
{
    assert_int_equal(cm_matcher_finish(r->matcher), 0);
    r->result = cm_matcher_result(r->matcher, 0);
}

static void stop(run *r)
{
    cm_matcher_free(r->matcher);
    cm_profile_clear(&r->profile);
}

// The verdict on an arm: "candidate", the reason's name, or "none".
static const char *verdict(const run *r, const char *id)
{
    for (size_t i = 0; i < r->result->n_candidates; i++)
        if (strcmp(r->result->candidates[i].arm->id, id) == 0)
            return "candidate";
    for (size_t i = 0; i < r->result->n_ruled_out; i++)
        if (strcmp(r->result->ruled_out[i].arm->id, id) == 0)
            return cm_reason_name(r->result->ruled_out[i].reason);
    return "none";
}

static const char *detail(const run *r, const char *id)
{
    for (size_t i = 0; i < r->result->n_ruled_out; i++)
        if (strcmp(r->result->ruled_out[i].arm->id, id) == 0)
            return r->result->ruled_out[i].detail;
    return NULL;
}

static void test_nothing_given(void **state)
{
    run r;
    start(&r, *state, NULL, 0);
    finish(&r);
    assert_string_equal(verdict(&r, "HRD"), "biomarker_missing");
    assert_string_equal(detail(&r, "HRD"), "hrd not given");
    assert_string_equal(verdict(&r, "PDL1"), "biomarker_missing");
    assert_string_equal(verdict(&r, "SIG"), "biomarker_missing");
    // not(unknown) is unknown, never true.
    assert_string_equal(verdict(&r, "NOT-TOBACCO"), "biomarker_missing");
    assert_string_equal(detail(&r, "NOT-TOBACCO"), "signatures not given");
    // any(unknown, false) is unknown.
    assert_string_equal(verdict(&r, "HRD-OR-BRCA2"), "biomarker_missing");
    stop(&r);
}

static void test_given_values(void **state)
{
    static const char *const facts[] = {"hrd=HR_deficient", "pdl1_tps=49", "signatures=tobacco",
                                        "signatures=SBS13"};
    run r;
    start(&r, *state, facts, 4);
    finish(&r);
    assert_string_equal(verdict(&r, "HRD"), "candidate");
    assert_string_equal(verdict(&r, "PDL1"), "candidate"); // max 49 is inclusive
    assert_string_equal(verdict(&r, "SIG"), "candidate");  // SBS13 is APOBEC
    assert_string_equal(verdict(&r, "NOT-TOBACCO"), "none");
    // any(true, false): a candidate, and the biomarker is its evidence.
    assert_string_equal(verdict(&r, "HRD-OR-BRCA2"), "candidate");
    const cm_candidate *c = NULL;
    for (size_t i = 0; i < r.result->n_candidates; i++)
        if (strcmp(r.result->candidates[i].arm->id, "HRD") == 0)
            c = &r.result->candidates[i];
    assert_non_null(c);
    assert_int_equal(c->n_matched, 1);
    assert_null(c->matched[0].alteration);
    assert_string_equal(leaf_of(*state, arm(*state, 0)->match)->biomarker, "hrd");
    assert_int_equal(c->matched[0].leaf, arm(*state, 0)->match->leaf);
    stop(&r);
}

static void test_numbers_and_words(void **state)
{
    static const char *const low[] = {"pdl1_tps=0.5", "signatures=pole", "hrd=proficient"};
    run r;
    start(&r, *state, low, 3);
    finish(&r);
    assert_string_equal(verdict(&r, "PDL1"), "none"); // below min 1
    assert_string_equal(verdict(&r, "SIG"), "none");  // pole is neither apobec nor uv
    assert_string_equal(verdict(&r, "NOT-TOBACCO"), "candidate");
    assert_string_equal(verdict(&r, "HRD"), "none");
    stop(&r);

    // A value that is not a number is not given for min/max, and the detail says why.
    static const char *const word[] = {"pdl1_tps=high"};
    start(&r, *state, word, 1);
    finish(&r);
    assert_string_equal(verdict(&r, "PDL1"), "biomarker_missing");
    assert_string_equal(detail(&r, "PDL1"), "pdl1_tps (not a number: 'high') not given");
    stop(&r);
}

static cm_alteration fusion(const char *gene, const char *partner)
{
    cm_alteration a;
    cm_alteration_init(&a);
    a.kind = CM_ALTERATION_FUSION;
    a.sample = 0;
    a.gene = (cm_slice){gene, (int)strlen(gene)};
    a.partner = (cm_slice){partner, (int)strlen(partner)};
    a.is_pass = 1;
    a.is_preferred = 1;
    return a;
}

static void test_intergenic_partners(void **state)
{
    static const struct {
        const char *gene, *partner;
        const char *any, *gene_partner, *intergenic;
    } cases[] = {
        {"NTRK1", "intergenic", "candidate", "candidate", "candidate"},
        {"intergenic", "NTRK1", "candidate", "candidate", "candidate"},
        {"NTRK1", "LMNA", "candidate", "candidate", "none"}, // any_gene: a gene
        {"NTRK1", "", "candidate", "none", "none"},          // an unknown side is no gene
        {"NTRK2", "intergenic", "none", "none", "none"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run r;
        start(&r, *state, NULL, 0);
        cm_alteration a = fusion(cases[i].gene, cases[i].partner);
        assert_int_equal(cm_matcher_add(r.matcher, &a), 0);
        finish(&r);
        print_message("%s/%s\n", cases[i].gene, cases[i].partner);
        assert_string_equal(verdict(&r, "NTRK"), cases[i].any);
        assert_string_equal(verdict(&r, "NTRK-GENE"), cases[i].gene_partner);
        assert_string_equal(verdict(&r, "NTRK-IG"), cases[i].intergenic);
        stop(&r);
    }
}

static void test_any_gene_alone(void **state)
{
    (void)state;
    static const char yaml[] = "cohortmatch: 1\n"
                               "protocol: {id: Q, name: q}\n"
                               "arms:\n"
                               "  - id: A\n"
                               "    drugs: [d]\n"
                               "    match: {fusion: {gene: ALK, partner: any gene}}\n";
    cm_error err;
    cm_oncotree *tree = cm_oncotree_load_bundled(&err);
    cm_ruleset *rules = cm_ruleset_new(tree);
    cm_diagnostics diag = {0};
    assert_int_equal(cm_ruleset_load_string(rules, "q.yaml", yaml, strlen(yaml), &diag), 0);
    assert_int_equal(cm_ruleset_compile(rules), 0);
    const cm_leaf *leaf = cm_ruleset_leaf(rules, 0);
    assert_true(leaf->fusion_any_gene);
    assert_int_equal(leaf->n_fusion_partners, 0);
    cm_sample_profile profile;
    assert_int_equal(cm_profile_init(&profile, "S"), 0);
    assert_int_equal(cm_profile_set_tumour_type(&profile, tree, "LUAD", NULL, 0, &err), 0);
    const char *partners[] = {"EML4", "intergenic"};
    for (int i = 0; i < 2; i++) {
        cm_matcher *matcher = cm_matcher_new(rules, &profile, 1, NULL);
        cm_alteration a = fusion("ALK", partners[i]);
        assert_int_equal(cm_matcher_add(matcher, &a), 0);
        assert_int_equal(cm_matcher_finish(matcher), 0);
        assert_int_equal(cm_matcher_result(matcher, 0)->n_candidates, i == 0 ? 1 : 0);
        cm_matcher_free(matcher);
    }
    cm_profile_clear(&profile);
    cm_diagnostics_clear(&diag);
    cm_ruleset_free(rules);
    cm_oncotree_free(tree);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_leaves_loaded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_describe, setup, teardown),
        cmocka_unit_test(test_value_is),
        cmocka_unit_test_setup_teardown(test_nothing_given, setup, teardown),
        cmocka_unit_test_setup_teardown(test_given_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers_and_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intergenic_partners, setup, teardown),
        cmocka_unit_test(test_any_gene_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
