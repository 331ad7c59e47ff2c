/*
 * Unit tests of the TMB counter (src/tmb.c): which alterations count (kind,
 * FILTER, preferred transcript, consequence, VAF and depth gates), a
 * variant counted once across its transcripts and duplicate records, per
 * sample, and the division by the panel size.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cohortmatch/tmb.h"

static cm_alteration variant(int sample, int64_t pos, cm_consequence consequence, double vaf)
{
    cm_alteration a;
    cm_alteration_init(&a);
    a.sample = sample;
    a.chrom = (cm_slice){"chr1", 4};
    a.pos = pos;
    a.ref = (cm_slice){"A", 1};
    a.alt = (cm_slice){"T", 1};
    a.consequence = consequence;
    a.vaf = vaf;
    a.depth = 100;
    return a;
}

static void test_definition(void **state)
{
    (void)state;
    cm_tmb_counter *tmb = cm_tmb_new(1, 0.05, 30);
    const cm_consequence missense = CM_SO_BIT(CM_SO_MISSENSE_VARIANT);
    cm_alteration a = variant(0, 100, missense, 0.2);
    assert_int_equal(cm_tmb_qualifies(tmb, &a), 1);
    cm_alteration b = a;
    b.consequence = CM_SO_BIT(CM_SO_SYNONYMOUS_VARIANT);
    assert_int_equal(cm_tmb_qualifies(tmb, &b), 0);
    b.consequence = CM_SO_BIT(CM_SO_SPLICE_REGION_VARIANT) | CM_SO_BIT(CM_SO_INTRON_VARIANT);
    assert_int_equal(cm_tmb_qualifies(tmb, &b), 0);
    b.consequence = CM_SO_BIT(CM_SO_SPLICE_DONOR_VARIANT);
    assert_int_equal(cm_tmb_qualifies(tmb, &b), 1);
    b.consequence = CM_SO_BIT(CM_SO_INFRAME_DELETION);
    assert_int_equal(cm_tmb_qualifies(tmb, &b), 1);
    b = a;
    b.is_pass = 0;
    assert_int_equal(cm_tmb_qualifies(tmb, &b), 0);
    b = a;
    b.is_preferred = 0;
    assert_int_equal(cm_tmb_qualifies(tmb, &b), 0);
    b = a;
    b.vaf = 0.04;
    assert_int_equal(cm_tmb_qualifies(tmb, &b), 0);
    b.vaf = NAN; // unknown VAF: the gate cannot be checked, the variant counts
    assert_int_equal(cm_tmb_qualifies(tmb, &b), 1);
    b = a;
    b.depth = 29;
    assert_int_equal(cm_tmb_qualifies(tmb, &b), 0);
    b = a;
    b.kind = CM_ALTERATION_COPY_NUMBER;
    assert_int_equal(cm_tmb_qualifies(tmb, &b), 0);
    cm_tmb_free(tmb);
}

static void test_counts_distinct_variants(void **state)
{
    (void)state;
    cm_tmb_counter *tmb = cm_tmb_new(2, 0.05, -1);
    const cm_consequence missense = CM_SO_BIT(CM_SO_MISSENSE_VARIANT);
    cm_alteration a = variant(0, 100, missense, 0.2);
    assert_int_equal(cm_tmb_add(tmb, &a), 0);
    a.transcript = (cm_slice){"ENST2", 5}; // a second transcript of the same variant
    assert_int_equal(cm_tmb_add(tmb, &a), 0);
    assert_int_equal(cm_tmb_add(tmb, &a), 0); // a duplicate record
    cm_alteration b = variant(0, 200, CM_SO_BIT(CM_SO_FRAMESHIFT_VARIANT), 0.3);
    assert_int_equal(cm_tmb_add(tmb, &b), 0);
    cm_alteration c = variant(1, 100, missense, 0.2); // the same site in the other sample
    assert_int_equal(cm_tmb_add(tmb, &c), 0);
    cm_alteration d = variant(0, 300, CM_SO_BIT(CM_SO_SYNONYMOUS_VARIANT), 0.3);
    assert_int_equal(cm_tmb_add(tmb, &d), 0);
    cm_alteration e = variant(5, 300, missense, 0.3); // no such sample
    assert_int_equal(cm_tmb_add(tmb, &e), 0);
    assert_int_equal(cm_tmb_count(tmb, 0), 2);
    assert_int_equal(cm_tmb_count(tmb, 1), 1);
    assert_int_equal(cm_tmb_count(tmb, 7), 0);
    assert_true(fabs(cm_tmb_value(tmb, 0, 0.5) - 4.0) < 1e-12);
    assert_true(fabs(cm_tmb_value(tmb, 1, 1.94) - 1.0 / 1.94) < 1e-12);
    assert_true(isnan(cm_tmb_value(tmb, 0, 0)));
    cm_tmb_free(tmb);
    cm_tmb_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_definition),
        cmocka_unit_test(test_counts_distinct_variants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
