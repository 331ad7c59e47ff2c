/*
 * The matcher: every verdict and reason on hand-made alterations, with the
 * rules loaded from YAML exactly as a protocol file would give them.
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
    "protocol: {id: TEST, name: Test protocol, version: \"1\", build: GRCh38}\n"
    "defaults: {min_vaf: 0.05, min_depth: 30, pass_only: true, transcripts: preferred}\n"
    "alterations:\n"
    "  BRAF_V600: {gene: BRAF, protein: V600}\n"
    "  RAS_HOTSPOT: {gene: [KRAS, NRAS], protein: [G12, G13, Q61]}\n"
    "  TMB_HIGH: {tmb: {min: 10}}\n"
    "arms:\n"
    "  - id: BRAF-ARM\n"
    "    drugs: [vemurafenib, cobimetinib]\n"
    "    match: BRAF_V600\n"
    "    tumour_types: {include: [SOLID], exclude: [MEL]}\n"
    "    evidence: {escat: IIIA}\n"
    "    source: test\n"
    "    cohorts:\n"
    "      - {tumour_type: COADREAD, status: closed, note: \"stage 1: 0/8\"}\n"
    "      - {tumour_type: NSCLC, status: open, stage: 2, enrolled: 14, target: 24}\n"
    "      - {tumour_type: UCEC, status: suspended, note: \"awaiting drug supply\"}\n"
    "  - id: PANI-ARM\n"
    "    drugs: [panitumumab]\n"
    "    match: {gene: ERBB2, protein: S310F}\n"
    "    exclude: [RAS_HOTSPOT]\n"
    "    evidence: {escat: IIB}\n"
    "    source: test\n"
    "  - id: IO-TMB\n"
    "    drugs: [nivolumab]\n"
    "    match: TMB_HIGH\n"
    "    evidence: {escat: IC}\n"
    "    source: test\n"
    "  - id: PARP-BIALLELIC\n"
    "    drugs: [olaparib]\n"
    "    match: {gene: [BRCA1, BRCA2], consequence: truncating, biallelic: true}\n"
    "    source: test\n"
    "  - id: PIK3CA-NOT-PTEN\n"
    "    drugs: [alpelisib]\n"
    "    match: {all: [{gene: PIK3CA, protein: H1047R}, {not: {gene: PTEN, consequence: "
    "truncating}}]}\n"
    "    source: test\n"
    "  - id: NF1-TWO-HITS\n"
    "    drugs: [trametinib]\n"
    "    match: {gene: NF1, consequence: truncating, min_count: 2}\n"
    "    source: test\n"
    "  - id: IDH1-LOW-VAF\n"
    "    drugs: [ivosidenib]\n"
    "    match: {gene: IDH1, protein: R132H, min_vaf: 0.01}\n"
    "    source: test\n"
    "  - id: EGFR-EX19\n"
    "    drugs: [osimertinib]\n"
    "    match: {any: [{gene: EGFR, exon: 19, consequence: inframe_deletion}, "
    "{variant: \"chr7:55191822:T:G\"}]}\n"
    "    evidence: {oncokb: \"1\"}\n"
    "    source: test\n"
    "  - id: AKT1-ADULTS\n"
    "    drugs: [capivasertib]\n"
    "    match: {all: [{age: {min: 18}}, {gene: AKT1, protein: E17K}]}\n"
    "    source: test\n";

typedef struct fixture {
    cm_oncotree *tree;
    cm_ruleset *rules;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->rules = load_test_rules(&f->tree, "test.yaml", rules_yaml, strlen(rules_yaml), 0);
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

static cm_slice text(const char *s)
{
    return (cm_slice){s, s ? (int)strlen(s) : 0};
}

/// A small-variant alteration as a VEP-annotated VCF would give it.
static cm_alteration variant(int sample, const char *gene, const char *hgvsp,
                             const char *consequence, const char *chrom, long pos, const char *ref,
                             const char *alt, double vaf, int depth)
{
    cm_alteration a;
    cm_alteration_init(&a);
    a.sample = sample;
    a.allele = 1;
    a.gene = text(gene);
    a.hgvsp = text(hgvsp);
    if (hgvsp)
        cm_protein_change_parse(hgvsp, strlen(hgvsp), &a.protein);
    a.consequence = cm_consequence_parse(consequence, strlen(consequence), NULL);
    a.chrom = text(chrom);
    a.pos = pos;
    a.ref = text(ref);
    a.alt = text(alt);
    a.transcript = text("ENST00000000001");
    a.transcript_flags = CM_TRANSCRIPT_MANE_SELECT;
    a.is_preferred = 1;
    a.vaf = vaf;
    a.depth = depth;
    return a;
}

static cm_alteration braf_v600e(int sample, double vaf, int depth)
{
    return variant(sample, "BRAF", "p.Val600Glu", "missense_variant", "chr7", 140753336, "A", "T",
                   vaf, depth);
}

static cm_alteration erbb2_s310f(int sample)
{
    return variant(sample, "ERBB2", "p.Ser310Phe", "missense_variant", "chr17", 39711955, "C", "T",
                   0.3, 100);
}

static cm_alteration kras_g12d(int sample, double vaf, int depth)
{
    return variant(sample, "KRAS", "p.Gly12Asp", "missense_variant", "chr12", 25245350, "C", "T",
                   vaf, depth);
}

typedef struct run {
    cm_sample_profile profiles[2];
    cm_matcher *matcher;
    const cm_sample_result *result; // sample 0
} run;

static void start(run *r, fixture *f, const char *tumour_type, const cm_gates *overrides)
{
    cm_error err;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(cm_profile_init(&r->profiles[i], i ? "S2" : "S1"), 0);
        assert_int_equal(
            cm_profile_set_tumour_type(&r->profiles[i], f->tree, tumour_type, NULL, 0, &err), 0);
        r->profiles[i].tmb = 1; // known and low, so that IO-TMB stays out of the way
        r->profiles[i].age = 50;
    }
    r->matcher = cm_matcher_new(f->rules, r->profiles, 2, overrides);
    assert_non_null(r->matcher);
}

static void add(run *r, cm_alteration a)
{
    assert_int_equal(cm_matcher_add(r->matcher, &a), 0);
}

static void finish(run *r)
{
    assert_int_equal(cm_matcher_finish(r->matcher), 0);
    r->result = cm_matcher_result(r->matcher, 0);
    assert_non_null(r->result);
}

static void stop(run *r)
{
    cm_matcher_free(r->matcher);
    for (int i = 0; i < 2; i++)
        cm_profile_clear(&r->profiles[i]);
}

static const cm_ruled_out *ruled_out(const run *r, const char *arm)
{
    for (size_t i = 0; i < r->result->n_ruled_out; i++)
        if (strcmp(r->result->ruled_out[i].arm->id, arm) == 0)
            return &r->result->ruled_out[i];
    return NULL;
}

static void test_candidate_in_open_cohort(void **state)
{
    run r;
    start(&r, *state, "LUAD", NULL);
    add(&r, braf_v600e(0, 0.31, 230));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_int_equal(r.result->n_ruled_out, 0);
    const cm_candidate *c = &r.result->candidates[0];
    assert_string_equal(c->arm->id, "BRAF-ARM");
    assert_int_equal(c->status, CM_COHORT_OPEN);
    assert_string_equal(c->cohort_tumour_type, "NSCLC");
    assert_int_equal(c->cohort->enrolled, 14);
    assert_int_equal(c->n_matched, 1);
    assert_string_equal(c->matched[0].name, "BRAF_V600");
    assert_true(cm_slice_equals(c->matched[0].alteration->gene, "BRAF"));
    assert_true(fabs(c->matched[0].alteration->vaf - 0.31) < 1e-9);
    assert_int_equal(c->n_notes, 0);
    // The second sample has nothing.
    assert_int_equal(cm_matcher_result(r.matcher, 1)->n_candidates, 0);
    stop(&r);
}

static void test_new_cohort(void **state)
{
    run r;
    start(&r, *state, "CHOL", NULL);
    add(&r, braf_v600e(0, 0.31, 230));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_null(r.result->candidates[0].cohort);
    assert_int_equal(r.result->candidates[0].status, CM_COHORT_NEW);
    assert_string_equal(r.result->candidates[0].cohort_tumour_type, "CHOL");
    stop(&r);
}

static void test_closed_cohort(void **state)
{
    run r;
    start(&r, *state, "COAD", NULL);
    add(&r, braf_v600e(0, 0.31, 230));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 0);
    const cm_ruled_out *out = ruled_out(&r, "BRAF-ARM");
    assert_non_null(out);
    assert_int_equal(out->reason, CM_REASON_COHORT_CLOSED);
    assert_string_equal(out->detail, "cohort COADREAD is closed (stage 1: 0/8)");
    stop(&r);
}

// A suspended cohort takes no patients now: ruled out as cohort_closed, as docs/output.md says,
// with the state named in the detail (regression: it used to be offered as a candidate).
static void test_suspended_cohort(void **state)
{
    run r;
    start(&r, *state, "UCEC", NULL);
    add(&r, braf_v600e(0, 0.31, 230));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 0);
    const cm_ruled_out *out = ruled_out(&r, "BRAF-ARM");
    assert_non_null(out);
    assert_int_equal(out->reason, CM_REASON_COHORT_CLOSED);
    assert_string_equal(out->detail, "cohort UCEC is suspended (awaiting drug supply)");
    stop(&r);
}

static void test_tumour_type_excluded_and_not_included(void **state)
{
    run r;
    start(&r, *state, "SKCM", NULL);
    add(&r, braf_v600e(0, 0.31, 230));
    finish(&r);
    const cm_ruled_out *out = ruled_out(&r, "BRAF-ARM");
    assert_non_null(out);
    assert_int_equal(out->reason, CM_REASON_TUMOUR_TYPE_EXCLUDED);
    assert_string_equal(cm_reason_name(out->reason), "tumour_type_excluded");
    assert_string_equal(out->detail, "SKCM is within excluded MEL");
    stop(&r);

    start(&r, *state, "AML", NULL);
    add(&r, braf_v600e(0, 0.31, 230));
    finish(&r);
    out = ruled_out(&r, "BRAF-ARM");
    assert_non_null(out);
    assert_int_equal(out->reason, CM_REASON_TUMOUR_TYPE_NOT_INCLUDED);
    assert_string_equal(out->detail, "AML is not within SOLID");
    stop(&r);
}

static void test_gates(void **state)
{
    run r;
    start(&r, *state, "LUAD", NULL);
    add(&r, braf_v600e(0, 0.02, 230));
    finish(&r);
    const cm_ruled_out *out = ruled_out(&r, "BRAF-ARM");
    assert_non_null(out);
    assert_int_equal(out->reason, CM_REASON_BELOW_MIN_VAF);
    assert_string_equal(out->detail, "BRAF p.Val600Glu: VAF 0.02 < min_vaf 0.05");
    assert_int_equal(out->n_matched, 1);
    assert_int_equal(cm_matcher_gate_counts(r.matcher).below_vaf, 1);
    stop(&r);

    start(&r, *state, "LUAD", NULL);
    add(&r, braf_v600e(0, 0.31, 12));
    finish(&r);
    out = ruled_out(&r, "BRAF-ARM");
    assert_int_equal(out->reason, CM_REASON_BELOW_MIN_DEPTH);
    assert_string_equal(out->detail, "BRAF p.Val600Glu: depth 12 < min_depth 30");
    stop(&r);

    start(&r, *state, "LUAD", NULL);
    cm_alteration filtered = braf_v600e(0, 0.31, 230);
    filtered.is_pass = 0;
    add(&r, filtered);
    finish(&r);
    out = ruled_out(&r, "BRAF-ARM");
    assert_int_equal(out->reason, CM_REASON_FILTERED);
    assert_string_equal(out->detail, "BRAF p.Val600Glu: FILTER is not PASS");
    stop(&r);

    // Unknown VAF and depth pass the gates.
    start(&r, *state, "LUAD", NULL);
    add(&r, braf_v600e(0, NAN, -1));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    stop(&r);
}

static void test_command_line_gates_override(void **state)
{
    cm_gates overrides;
    cm_gates_unset(&overrides);
    overrides.min_vaf = 0.5;
    run r;
    start(&r, *state, "LUAD", &overrides);
    add(&r, braf_v600e(0, 0.31, 230));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 0);
    assert_int_equal(ruled_out(&r, "BRAF-ARM")->reason, CM_REASON_BELOW_MIN_VAF);
    stop(&r);

    cm_gates_unset(&overrides);
    overrides.pass_only = 0;
    start(&r, *state, "LUAD", &overrides);
    cm_alteration filtered = braf_v600e(0, 0.31, 230);
    filtered.is_pass = 0;
    add(&r, filtered);
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    stop(&r);
}

static void test_leaf_threshold_wins(void **state)
{
    run r;
    start(&r, *state, "GB", NULL);
    add(&r, variant(0, "IDH1", "p.Arg132His", "missense_variant", "chr2", 208248388, "C", "T", 0.02,
                    200));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_string_equal(r.result->candidates[0].arm->id, "IDH1-LOW-VAF");
    stop(&r);
}

static void test_codon_pattern_never_synonymous(void **state)
{
    run r;
    start(&r, *state, "LUAD", NULL);
    add(&r, variant(0, "BRAF", "p.Val600=", "synonymous_variant", "chr7", 140753335, "C", "T", 0.4,
                    200));
    add(&r, variant(0, "BRAF", "p.Val601Glu", "missense_variant", "chr7", 140753333, "A", "T", 0.4,
                    200));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 0);
    assert_int_equal(r.result->n_ruled_out, 0);
    stop(&r);
}

static void test_exclusion(void **state)
{
    run r;
    start(&r, *state, "COAD", NULL);
    add(&r, erbb2_s310f(0));
    add(&r, kras_g12d(0, 0.25, 150));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 0);
    const cm_ruled_out *out = ruled_out(&r, "PANI-ARM");
    assert_non_null(out);
    assert_int_equal(out->reason, CM_REASON_EXCLUDED_BY_ALTERATION);
    assert_string_equal(out->detail, "KRAS p.Gly12Asp (RAS_HOTSPOT)");
    assert_int_equal(out->n_matched, 1);
    stop(&r);

    // Below the gates the exclusion does not hold, but the board is told.
    start(&r, *state, "COAD", NULL);
    add(&r, erbb2_s310f(0));
    add(&r, kras_g12d(0, 0.02, 150));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_int_equal(r.result->candidates[0].n_notes, 1);
    assert_string_equal(r.result->candidates[0].notes[0],
                        "below the quality gates but present: KRAS p.Gly12Asp (RAS_HOTSPOT) "
                        "[below_min_vaf], which would exclude this arm");
    stop(&r);
}

/// An alteration whose VAF is FORMAT/AF's, with what FORMAT/AD gives beside it.
static cm_alteration with_ad(cm_alteration a, double vaf_ad)
{
    a.vaf_source = CM_VAF_ALLELE_FRACTION;
    a.vaf_ad = vaf_ad;
    return a;
}

// FORMAT/AF and FORMAT/AD on different sides of the VAF gate: the report says which decided.
static void test_vaf_source_across_gate(void **state)
{
    run r;
    // AF 0.058 passes min_vaf 0.05, AD 23/600 would not: a candidate, with a note.
    start(&r, *state, "LUAD", NULL);
    add(&r, with_ad(braf_v600e(0, 0.058, 600), 23.0 / 600));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_int_equal(r.result->candidates[0].n_notes, 1);
    assert_string_equal(r.result->candidates[0].notes[0],
                        "BRAF p.Val600Glu: VAF 0.058 from FORMAT/AF passes min_vaf 0.05, "
                        "FORMAT/AD gives 0.03833, which would not pass; FORMAT/AF, the caller's "
                        "estimate, is used when present");
    stop(&r);

    // AF 0.038 is below it, AD 35/600 would pass: ruled out, and the detail says so.
    start(&r, *state, "LUAD", NULL);
    add(&r, with_ad(braf_v600e(0, 0.038, 600), 35.0 / 600));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 0);
    const cm_ruled_out *out = ruled_out(&r, "BRAF-ARM");
    assert_non_null(out);
    assert_int_equal(out->reason, CM_REASON_BELOW_MIN_VAF);
    assert_string_equal(out->detail,
                        "BRAF p.Val600Glu: VAF 0.038 from FORMAT/AF is below min_vaf 0.05, "
                        "FORMAT/AD gives 0.05833, which would pass; FORMAT/AF, the caller's "
                        "estimate, is used when present");
    stop(&r);

    // An exclusion that AF puts below the gate and AD above it: both notes.
    start(&r, *state, "COAD", NULL);
    add(&r, erbb2_s310f(0));
    add(&r, with_ad(kras_g12d(0, 0.04, 150), 0.06));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_int_equal(r.result->candidates[0].n_notes, 2);
    assert_string_equal(r.result->candidates[0].notes[1],
                        "KRAS p.Gly12Asp: VAF 0.04 from FORMAT/AF is below min_vaf 0.05, "
                        "FORMAT/AD gives 0.06, which would pass; FORMAT/AF, the caller's "
                        "estimate, is used when present");
    stop(&r);

    // An exclusion that holds by AF, not by AD: ruled out, and the detail says so.
    start(&r, *state, "COAD", NULL);
    add(&r, erbb2_s310f(0));
    add(&r, with_ad(kras_g12d(0, 0.06, 150), 0.04));
    finish(&r);
    out = ruled_out(&r, "PANI-ARM");
    assert_non_null(out);
    assert_int_equal(out->reason, CM_REASON_EXCLUDED_BY_ALTERATION);
    assert_string_equal(out->detail,
                        "KRAS p.Gly12Asp (RAS_HOTSPOT); KRAS p.Gly12Asp: VAF 0.06 from FORMAT/AF "
                        "passes min_vaf 0.05, FORMAT/AD gives 0.04, which would not pass; "
                        "FORMAT/AF, the caller's estimate, is used when present");
    stop(&r);
}

// Nothing to say: both on one side, a VAF that is AD's own, no AD, or a leaf's own gate that
// both pass (the arm's 0.05 is not the gate that applies).
static void test_vaf_source_no_note(void **state)
{
    cm_alteration ad_only = braf_v600e(0, 0.06, 600);
    ad_only.vaf_source = CM_VAF_READ_COUNTS;
    ad_only.vaf_ad = 0.06;
    const cm_alteration quiet[] = {
        with_ad(braf_v600e(0, 0.31, 230), 0.30),
        with_ad(braf_v600e(0, 0.05, 600), 0.05), // at the gate: both pass
        ad_only,
        with_ad(braf_v600e(0, 0.06, 600), NAN),
    };
    for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++) {
        run r;
        start(&r, *state, "LUAD", NULL);
        add(&r, quiet[i]);
        finish(&r);
        assert_int_equal(r.result->n_candidates, 1);
        assert_int_equal(r.result->candidates[0].n_notes, 0);
        stop(&r);
    }
    run r;
    start(&r, *state, "GB", NULL);
    add(&r, with_ad(variant(0, "IDH1", "p.Arg132His", "missense_variant", "chr2", 208248388, "C",
                            "T", 0.04, 200),
                    0.02));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_string_equal(r.result->candidates[0].arm->id, "IDH1-LOW-VAF");
    assert_int_equal(r.result->candidates[0].n_notes, 0);
    stop(&r);
}

static void test_tmb(void **state)
{
    run r;
    start(&r, *state, "LUAD", NULL);
    r.profiles[0].tmb = NAN;
    finish(&r);
    const cm_ruled_out *out = ruled_out(&r, "IO-TMB");
    assert_non_null(out);
    assert_int_equal(out->reason, CM_REASON_BIOMARKER_MISSING);
    assert_string_equal(out->detail, "TMB not given");
    stop(&r);

    start(&r, *state, "LUAD", NULL);
    r.profiles[0].tmb = 12.5;
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_string_equal(r.result->candidates[0].arm->id, "IO-TMB");
    // The biomarker is the evidence: an item without an alteration, named after its rule.
    assert_int_equal(r.result->candidates[0].n_matched, 1);
    assert_null(r.result->candidates[0].matched[0].alteration);
    assert_string_equal(r.result->candidates[0].matched[0].name, "TMB_HIGH");
    stop(&r);

    start(&r, *state, "LUAD", NULL);
    r.profiles[0].tmb = 4;
    finish(&r);
    assert_int_equal(r.result->n_candidates, 0);
    assert_null(ruled_out(&r, "IO-TMB"));
    stop(&r);
}

static cm_alteration brca2_truncating(int sample, long pos, const char *hgvsp)
{
    return variant(sample, "BRCA2", hgvsp, "stop_gained", "chr13", pos, "G", "T", 0.4, 100);
}

static void test_biallelic(void **state)
{
    run r;
    start(&r, *state, "PAAD", NULL);
    add(&r, brca2_truncating(0, 32339132, "p.Glu1593Ter"));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 0);
    stop(&r);

    start(&r, *state, "PAAD", NULL);
    add(&r, brca2_truncating(0, 32339132, "p.Glu1593Ter"));
    add(&r, brca2_truncating(0, 32340000, "p.Gln1800Ter"));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_int_equal(r.result->candidates[0].n_matched, 2);
    stop(&r);

    // One hit in BRCA1 and one in BRCA2 are not both copies of one gene.
    start(&r, *state, "PAAD", NULL);
    add(&r, brca2_truncating(0, 32339132, "p.Glu1593Ter"));
    add(&r,
        variant(0, "BRCA1", "p.Arg1443Ter", "stop_gained", "chr17", 43082434, "G", "A", 0.4, 100));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 0);
    stop(&r);

    start(&r, *state, "PAAD", NULL);
    cm_alteration homozygous = brca2_truncating(0, 32339132, "p.Glu1593Ter");
    homozygous.is_homozygous = 1;
    add(&r, homozygous);
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    stop(&r);

    start(&r, *state, "PAAD", NULL);
    add(&r, brca2_truncating(0, 32339132, "p.Glu1593Ter"));
    cm_alteration loss;
    cm_alteration_init(&loss);
    loss.kind = CM_ALTERATION_COPY_NUMBER;
    loss.gene = text("BRCA2");
    loss.chrom = text("chr13");
    loss.pos = 32315000;
    loss.copy_number = 1;
    add(&r, loss);
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_int_equal(r.result->candidates[0].n_matched, 2);
    assert_int_equal(r.result->candidates[0].matched[1].alteration->kind,
                     CM_ALTERATION_COPY_NUMBER);
    stop(&r);
}

static void test_all_and_not(void **state)
{
    cm_alteration pik3ca = variant(0, "PIK3CA", "p.His1047Arg", "missense_variant", "chr3",
                                   179234297, "A", "G", 0.3, 100);
    run r;
    start(&r, *state, "BRCA", NULL);
    add(&r, pik3ca);
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_string_equal(r.result->candidates[0].arm->id, "PIK3CA-NOT-PTEN");
    assert_int_equal(r.result->candidates[0].n_matched, 1);
    stop(&r);

    start(&r, *state, "BRCA", NULL);
    add(&r, pik3ca);
    add(&r,
        variant(0, "PTEN", "p.Arg130Ter", "stop_gained", "chr10", 87933147, "C", "T", 0.3, 100));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 0);
    stop(&r);
}

static void test_min_count_counts_variants_not_transcripts(void **state)
{
    cm_alteration first =
        variant(0, "NF1", "p.Arg1276Ter", "stop_gained", "chr17", 31252000, "C", "T", 0.3, 100);
    cm_alteration other_transcript = first;
    other_transcript.transcript = text("ENST00000000002");
    run r;
    start(&r, *state, "LUAD", NULL);
    add(&r, first);
    add(&r, other_transcript);
    finish(&r);
    assert_int_equal(r.result->n_candidates, 0);
    stop(&r);

    start(&r, *state, "LUAD", NULL);
    add(&r, first);
    add(&r,
        variant(0, "NF1", "p.Gln2000Ter", "stop_gained", "chr17", 31330000, "C", "T", 0.3, 100));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_int_equal(r.result->candidates[0].n_matched, 2);
    stop(&r);
}

static void test_transcript_policy(void **state)
{
    cm_alteration other = braf_v600e(0, 0.31, 230);
    other.is_preferred = 0;
    other.transcript_flags = 0;
    run r;
    start(&r, *state, "LUAD", NULL);
    add(&r, other);
    finish(&r);
    assert_int_equal(r.result->n_candidates, 0);
    assert_int_equal(r.result->n_ruled_out, 0);
    stop(&r);

    cm_gates overrides;
    cm_gates_unset(&overrides);
    overrides.transcripts = CM_TRANSCRIPTS_ANY;
    start(&r, *state, "LUAD", &overrides);
    add(&r, other);
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    stop(&r);
}

static void test_exon_and_variant_leaves(void **state)
{
    run r;
    start(&r, *state, "LUAD", NULL);
    cm_alteration deletion = variant(0, "EGFR", "p.Glu746_Ala750del", "inframe_deletion", "chr7",
                                     55174771, "AGGAATTAAGAGAAGC", "A", 0.3, 100);
    deletion.exon = 19;
    deletion.exon_count = 28;
    add(&r, deletion);
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_string_equal(r.result->candidates[0].arm->id, "EGFR-EX19");
    stop(&r);

    // The coordinate leaf needs no annotation: an unannotated record, "7" without "chr".
    start(&r, *state, "LUAD", NULL);
    cm_alteration bare;
    cm_alteration_init(&bare);
    bare.chrom = text("7");
    bare.pos = 55191822;
    bare.ref = text("T");
    bare.alt = text("G");
    bare.vaf = 0.2;
    bare.depth = 80;
    add(&r, bare);
    finish(&r);
    assert_int_equal(r.result->n_candidates, 1);
    assert_string_equal(r.result->candidates[0].arm->id, "EGFR-EX19");
    stop(&r);

    // The protocol's coordinates are GRCh38: on a GRCh37 VCF they must not match.
    start(&r, *state, "LUAD", NULL);
    cm_matcher_set_genome_build(r.matcher, CM_BUILD_GRCH37);
    add(&r, bare);
    finish(&r);
    assert_int_equal(r.result->n_candidates, 0);
    stop(&r);
}

static void test_candidates_ordered_by_evidence(void **state)
{
    run r;
    start(&r, *state, "LUAD", NULL);
    r.profiles[0].tmb = 20;
    add(&r, braf_v600e(0, 0.31, 230));
    add(&r, erbb2_s310f(0));
    add(&r, variant(0, "PIK3CA", "p.His1047Arg", "missense_variant", "chr3", 179234297, "A", "G",
                    0.3, 100));
    finish(&r);
    assert_int_equal(r.result->n_candidates, 4);
    // IC < IIB < IIIA < none
    assert_string_equal(r.result->candidates[0].arm->id, "IO-TMB");
    assert_string_equal(r.result->candidates[1].arm->id, "PANI-ARM");
    assert_string_equal(r.result->candidates[2].arm->id, "BRAF-ARM");
    assert_string_equal(r.result->candidates[3].arm->id, "PIK3CA-NOT-PTEN");
    stop(&r);
}

static void test_gate_failure_outranks_missing_biomarker(void **state)
{
    cm_alteration akt1 = variant(0, "AKT1", "p.Glu17Lys", "missense_variant", "chr14", 104780214,
                                 "C", "T", 0.3, 100);
    run r;
    // Filtered whatever the age is: the filter is the reason.
    start(&r, *state, "BRCA", NULL);
    r.profiles[0].age = NAN;
    cm_alteration filtered = akt1;
    filtered.is_pass = 0;
    add(&r, filtered);
    finish(&r);
    assert_int_equal(ruled_out(&r, "AKT1-ADULTS")->reason, CM_REASON_FILTERED);
    stop(&r);

    // Passing the gates, only the age decides: the age is missing.
    start(&r, *state, "BRCA", NULL);
    r.profiles[0].age = NAN;
    add(&r, akt1);
    finish(&r);
    assert_int_equal(ruled_out(&r, "AKT1-ADULTS")->reason, CM_REASON_BIOMARKER_MISSING);
    assert_string_equal(ruled_out(&r, "AKT1-ADULTS")->detail, "age not given");
    stop(&r);

    // Too young: no verdict at all.
    start(&r, *state, "BRCA", NULL);
    r.profiles[0].age = 16;
    add(&r, akt1);
    finish(&r);
    assert_null(ruled_out(&r, "AKT1-ADULTS"));
    assert_int_equal(r.result->n_candidates, 0);
    stop(&r);
}

static void test_reason_names(void **state)
{
    (void)state;
    cm_reason reason;
    assert_int_equal(cm_reason_parse("below_min_depth", &reason), 0);
    assert_int_equal(reason, CM_REASON_BELOW_MIN_DEPTH);
    assert_int_equal(cm_reason_parse("below_depth", &reason), -1);
    assert_string_equal(cm_reason_name(CM_REASON_EXCLUDED_BY_ALTERATION), "excluded_by_alteration");
    assert_string_equal(cm_reason_name(CM_REASON_BIOMARKER_MISSING), "biomarker_missing");
}

// Issue 7: the matched alterations of an arm were made distinct by a pairwise scan, so an
// arm with 200,000 matching records took minutes. 50,000 distinct variants, each under two
// transcripts, give 50,000 matched items, in order, in well under a second.
static void test_many_matched_alterations(void **state)
{
    run r;
    start(&r, *state, "LUAD", NULL);
    enum { N = 50000 };
    for (long i = 0; i < N; i++) {
        cm_alteration a = braf_v600e(0, 0.31, 230);
        a.pos = 140000000 + i;
        add(&r, a);
        a.transcript = text("ENST00000000002");
        add(&r, a);
    }
    finish(&r);
    size_t n_found = 0;
    for (size_t c = 0; c < r.result->n_candidates; c++) {
        const cm_candidate *candidate = &r.result->candidates[c];
        if (candidate->n_matched != N)
            continue;
        n_found++;
        for (size_t i = 0; i < N; i++)
            assert_int_equal(candidate->matched[i].alteration->pos, 140000000 + (long)i);
    }
    assert_true(n_found >= 1);
    stop(&r);
}

// The sample's alterations in rule genes, for the reports: every variant of a gene some
// rule names (whether or not it satisfies a leaf or passes the gates) once, its preferred
// transcript, in the order offered; none of a gene no rule names; per sample; the gate
// statistics count only what satisfied a leaf.
static void test_alterations_in_rule_genes(void **state)
{
    run r;
    start(&r, *state, "LUAD", NULL);
    cm_matcher_list_alterations(r.matcher, 1);
    cm_alteration braf = braf_v600e(0, 0.31, 230);
    cm_alteration other_transcript = braf;
    other_transcript.transcript = text("ENST00000000009");
    other_transcript.is_preferred = 0;
    add(&r, other_transcript); // a non-preferred transcript first: not the one listed
    add(&r, braf);
    add(&r, braf); // the same variant again (a duplicate record): listed once
    // BRAF, not V600: satisfies no leaf, listed; below the VAF gate: not a gate failure.
    add(&r, variant(0, "BRAF", "p.Gly469Ala", "missense_variant", "chr7", 140781602, "C", "G", 0.01,
                    200));
    // KRAS G12D below the VAF gate: satisfies RAS_HOTSPOT's selectors, listed and counted.
    add(&r, variant(0, "KRAS", "p.Gly12Asp", "missense_variant", "chr12", 25245350, "C", "T", 0.02,
                    400));
    // TP53: no rule names it.
    add(&r, variant(0, "TP53", "p.Arg175His", "missense_variant", "chr17", 7675088, "C", "T", 0.4,
                    100));
    // Sample 2's own BRAF variant.
    add(&r, braf_v600e(1, 0.2, 100));
    finish(&r);
    assert_int_equal(r.result->n_alterations, 3);
    assert_int_equal(r.result->n_alterations_not_kept, 0);
    assert_int_equal(r.result->alterations[0]->pos, 140753336);
    assert_true(cm_slice_equals(r.result->alterations[0]->transcript, "ENST00000000001"));
    assert_int_equal(r.result->alterations[1]->pos, 140781602);
    assert_true(cm_slice_equals(r.result->alterations[2]->gene, "KRAS"));
    const cm_sample_result *second = cm_matcher_result(r.matcher, 1);
    assert_int_equal(second->n_alterations, 1);
    assert_int_equal(second->alterations[0]->sample, 1);
    // The BRAF candidate's evidence is unchanged.
    assert_int_equal(r.result->n_candidates, 1);
    assert_int_equal(r.result->candidates[0].n_matched, 1);
    cm_gate_counts counts = cm_matcher_gate_counts(r.matcher);
    assert_int_equal(counts.below_vaf, 1);
    assert_int_equal(counts.filtered, 0);
    assert_int_equal(counts.below_depth, 0);
    stop(&r);
}

// Off by default (only the HTML page lists them): nothing is kept beyond what a leaf selects.
static void test_alterations_not_listed_by_default(void **state)
{
    run r;
    start(&r, *state, "LUAD", NULL);
    add(&r, variant(0, "BRAF", "p.Gly469Ala", "missense_variant", "chr7", 140781602, "C", "G", 0.3,
                    200));
    add(&r, braf_v600e(0, 0.31, 230));
    finish(&r);
    assert_int_equal(r.result->n_alterations, 0);
    assert_null(r.result->alterations);
    assert_int_equal(r.result->n_candidates, 1);
    stop(&r);
}

// Beyond CM_MATCH_MAX_SAMPLE_ALTERATIONS a sample's further variants are counted, not kept
// (each once, however many transcripts), and other samples keep theirs.
static void test_alterations_limit(void **state)
{
    run r;
    start(&r, *state, "LUAD", NULL);
    cm_matcher_list_alterations(r.matcher, 1);
    const int n = CM_MATCH_MAX_SAMPLE_ALTERATIONS + 5;
    for (int i = 0; i < n; i++) {
        cm_alteration a = variant(0, "BRAF", "p.Gly469Ala", "missense_variant", "chr7", 100000 + i,
                                  "C", "G", 0.3, 100);
        add(&r, a);
        a.transcript = text("ENST00000000002"); // a second preferred transcript
        add(&r, a);
    }
    add(&r, braf_v600e(1, 0.2, 100));
    finish(&r);
    assert_int_equal(r.result->n_alterations, CM_MATCH_MAX_SAMPLE_ALTERATIONS);
    assert_int_equal(r.result->n_alterations_not_kept, 5);
    assert_int_equal(r.result->alterations[CM_MATCH_MAX_SAMPLE_ALTERATIONS - 1]->pos,
                     100000 + CM_MATCH_MAX_SAMPLE_ALTERATIONS - 1);
    assert_int_equal(cm_matcher_result(r.matcher, 1)->n_alterations, 1);
    stop(&r);
}

// A MAF's samples appear while it is read: the matcher starts with none and grows, and the
// profile array it borrows moves as it grows (regression: the per-sample counters of rule-gene
// alterations were not grown with it).
static void test_samples_added_while_streaming(void **state)
{
    fixture *f = *state;
    cm_error err;
    cm_matcher *matcher = cm_matcher_new(f->rules, NULL, 0, NULL);
    assert_non_null(matcher);
    cm_matcher_list_alterations(matcher, 1); // the per-sample lists grow with the samples
    cm_sample_profile *profiles = NULL;
    const int n = 40;
    for (int i = 0; i < n; i++) {
        cm_sample_profile *grown = realloc(profiles, (size_t)(i + 1) * sizeof *grown);
        assert_non_null(grown);
        profiles = grown;
        char name[16];
        snprintf(name, sizeof name, "S%d", i);
        assert_int_equal(cm_profile_init(&profiles[i], name), 0);
        assert_int_equal(cm_profile_set_tumour_type(&profiles[i], f->tree, "LUAD", NULL, 0, &err),
                         0);
        profiles[i].tmb = 1;
        assert_int_equal(cm_matcher_set_samples(matcher, profiles, (size_t)i + 1), 0);
        // Every third sample carries BRAF V600E, added as soon as the sample exists.
        if (i % 3 == 0) {
            cm_alteration a = braf_v600e(i, 0.3, 200);
            assert_int_equal(cm_matcher_add(matcher, &a), 0);
        }
    }
    assert_int_equal(cm_matcher_set_samples(matcher, profiles, 3), -1); // never shrinks
    assert_int_equal(cm_matcher_finish(matcher), 0);
    assert_int_equal(cm_matcher_set_samples(matcher, profiles, (size_t)n + 1), -1);
    for (int i = 0; i < n; i++) {
        const cm_sample_result *result = cm_matcher_result(matcher, (size_t)i);
        assert_non_null(result);
        assert_string_equal(result->profile->name, profiles[i].name);
        assert_int_equal(result->n_candidates, i % 3 == 0 ? 1 : 0);
        assert_int_equal(result->n_alterations, i % 3 == 0 ? 1 : 0);
    }
    assert_null(cm_matcher_result(matcher, (size_t)n));
    cm_matcher_free(matcher);
    for (int i = 0; i < n; i++)
        cm_profile_clear(&profiles[i]);
    free(profiles);
}

// Exon deletions and duplications (LINX/ORANGE EXON_DEL_DUP, docs/alterations.md; candidates
// listed by id): a leaf's
// exon list matches when one of the alteration's exons (exon..exon_last) is in it; an exon
// loss known to keep the frame is not `truncating` (MET exon 14 skipping is activating), but
// is what `exon_loss_variant` and `protein_altering` ask for; one out of frame, or of unknown
// frame, is still truncating.
static const char exon_rules_yaml[] =
    "cohortmatch: 1\n"
    "protocol: {id: EXONS, name: Exon events, version: \"1\"}\n"
    "arms:\n"
    "  - {id: MET-EX14, drugs: [capmatinib], source: test,\n"
    "     match: {gene: MET, exon: 14, consequence: exon_loss_variant}}\n"
    "  - {id: MET-TRUNCATING, drugs: [x], source: test, match: {gene: MET, consequence: "
    "truncating}}\n"
    "  - {id: MET-TRUNCATING-OR-LOSS, drugs: [x], source: test,\n"
    "     match: {gene: MET, consequence: [truncating, exon_loss_variant]}}\n"
    "  - {id: MET-LOSS-OR-TRUNCATING, drugs: [x], source: test,\n"
    "     match: {gene: MET, consequence: [exon_loss_variant, truncating]}}\n"
    "  - {id: MET-ALTERING, drugs: [x], source: test,\n"
    "     match: {gene: MET, consequence: protein_altering}}\n"
    "  - {id: EGFR-VIII, drugs: [x], source: test,\n"
    "     match: {gene: EGFR, exon: [2-7], consequence: exon_loss_variant}}\n"
    "  - {id: EGFR-EX5, drugs: [x], source: test, match: {gene: EGFR, exon: 5}}\n"
    "  - {id: EGFR-EX1-OR-26, drugs: [x], source: test, match: {gene: EGFR, exon: [1, 26]}}\n"
    "  - {id: EGFR-KDD, drugs: [x], source: test,\n"
    "     match: {gene: EGFR, exon: [18-25], consequence: duplication}}\n";

static void exon_candidates(fixture *f, cm_alteration a, char *out, size_t size)
{
    run r;
    start(&r, f, "LUAD", NULL);
    add(&r, a);
    finish(&r);
    out[0] = '\0';
    for (size_t i = 0; i < r.result->n_candidates; i++) {
        if (i)
            strncat(out, " ", size - strlen(out) - 1);
        strncat(out, r.result->candidates[i].arm->id, size - strlen(out) - 1);
    }
    stop(&r);
}

static cm_alteration exon_event(const char *gene, int first, int last, const char *consequence,
                                int in_frame)
{
    cm_alteration a;
    cm_alteration_init(&a);
    a.gene = text(gene);
    a.exon = first;
    a.exon_last = last;
    a.consequence = cm_consequence_parse(consequence, strlen(consequence), NULL);
    a.in_frame = in_frame;
    return a;
}

static void test_exon_deletions_and_duplications(void **state)
{
    fixture *shared = *state;
    fixture f = {shared->tree, cm_ruleset_new(shared->tree)};
    cm_diagnostics diag = {0};
    assert_int_equal(cm_ruleset_load_string(f.rules, "exons.yaml", exon_rules_yaml,
                                            strlen(exon_rules_yaml), &diag),
                     0);
    cm_diagnostics_clear(&diag);
    assert_int_equal(cm_ruleset_compile(f.rules), 0);
    char ids[512];

    exon_candidates(&f, exon_event("MET", 14, 14, "exon_loss_variant", 1), ids, sizeof ids);
    assert_string_equal(ids, "MET-ALTERING MET-EX14 MET-LOSS-OR-TRUNCATING MET-TRUNCATING-OR-LOSS");
    exon_candidates(&f, exon_event("MET", 14, 14, "exon_loss_variant", 0), ids, sizeof ids);
    assert_string_equal(ids, "MET-ALTERING MET-EX14 MET-LOSS-OR-TRUNCATING MET-TRUNCATING "
                             "MET-TRUNCATING-OR-LOSS");
    exon_candidates(&f, exon_event("MET", 14, 0, "exon_loss_variant", -1), ids, sizeof ids);
    assert_string_equal(ids, "MET-ALTERING MET-EX14 MET-LOSS-OR-TRUNCATING MET-TRUNCATING "
                             "MET-TRUNCATING-OR-LOSS");
    // A stop gain stays truncating whatever the frame field says.
    exon_candidates(&f, exon_event("MET", 14, 0, "stop_gained", 1), ids, sizeof ids);
    assert_string_equal(ids, "MET-ALTERING MET-LOSS-OR-TRUNCATING MET-TRUNCATING "
                             "MET-TRUNCATING-OR-LOSS");
    exon_candidates(&f, exon_event("MET", 13, 13, "exon_loss_variant", 1), ids, sizeof ids);
    assert_string_equal(ids, "MET-ALTERING MET-LOSS-OR-TRUNCATING MET-TRUNCATING-OR-LOSS");

    // EGFRvIII (exons 2-7 lost): any of its exons.
    exon_candidates(&f, exon_event("EGFR", 2, 7, "exon_loss_variant", 1), ids, sizeof ids);
    assert_string_equal(ids, "EGFR-EX5 EGFR-VIII");
    exon_candidates(&f, exon_event("EGFR", 8, 9, "exon_loss_variant", 1), ids, sizeof ids);
    assert_string_equal(ids, "");
    // The kinase-domain duplication (exons 18-25) is no deletion.
    exon_candidates(&f, exon_event("EGFR", 18, 25, "duplication&feature_elongation", 1), ids,
                    sizeof ids);
    assert_string_equal(ids, "EGFR-KDD");
    exon_candidates(&f, exon_event("EGFR", 14, 26, "duplication", 1), ids, sizeof ids);
    assert_string_equal(ids, "EGFR-EX1-OR-26 EGFR-KDD");
    // One exon, no range: as before.
    exon_candidates(&f, exon_event("EGFR", 26, 0, "missense_variant", -1), ids, sizeof ids);
    assert_string_equal(ids, "EGFR-EX1-OR-26");
    cm_ruleset_free(f.rules);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_candidate_in_open_cohort),
        cmocka_unit_test(test_many_matched_alterations),
        cmocka_unit_test(test_new_cohort),
        cmocka_unit_test(test_closed_cohort),
        cmocka_unit_test(test_suspended_cohort),
        cmocka_unit_test(test_tumour_type_excluded_and_not_included),
        cmocka_unit_test(test_gates),
        cmocka_unit_test(test_command_line_gates_override),
        cmocka_unit_test(test_leaf_threshold_wins),
        cmocka_unit_test(test_codon_pattern_never_synonymous),
        cmocka_unit_test(test_exclusion),
        cmocka_unit_test(test_vaf_source_across_gate),
        cmocka_unit_test(test_vaf_source_no_note),
        cmocka_unit_test(test_tmb),
        cmocka_unit_test(test_biallelic),
        cmocka_unit_test(test_all_and_not),
        cmocka_unit_test(test_min_count_counts_variants_not_transcripts),
        cmocka_unit_test(test_transcript_policy),
        cmocka_unit_test(test_exon_and_variant_leaves),
        cmocka_unit_test(test_exon_deletions_and_duplications),
        cmocka_unit_test(test_candidates_ordered_by_evidence),
        cmocka_unit_test(test_gate_failure_outranks_missing_biomarker),
        cmocka_unit_test(test_reason_names),
        cmocka_unit_test(test_alterations_in_rule_genes),
        cmocka_unit_test(test_alterations_limit),
        cmocka_unit_test(test_alterations_not_listed_by_default),
        cmocka_unit_test(test_samples_added_while_streaming),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
