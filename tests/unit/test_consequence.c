/* Consequence vocabulary: VEP, SnpEff and bcftools csq spellings, rule classes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cohortmatch/consequence.h"

#define PARSE(text, unknown) cm_consequence_parse(text, strlen(text), unknown)
#define BIT(name) CM_SO_BIT(CM_SO_##name)

static void test_vep_terms(void **state)
{
    (void)state;
    int unknown = 0;
    assert_true(PARSE("missense_variant", &unknown) == BIT(MISSENSE_VARIANT));
    assert_true(PARSE("splice_region_variant&intron_variant", &unknown) ==
                (BIT(SPLICE_REGION_VARIANT) | BIT(INTRON_VARIANT)));
    assert_true(PARSE("frameshift_variant&NMD_transcript_variant", &unknown) ==
                (BIT(FRAMESHIFT_VARIANT) | BIT(NMD_TRANSCRIPT_VARIANT)));
    assert_true(PARSE("5_prime_UTR_variant", &unknown) == BIT(FIVE_PRIME_UTR_VARIANT));
    assert_int_equal(unknown, 0);
}

static void test_snpeff_and_bcsq_aliases(void **state)
{
    (void)state;
    int unknown = 0;
    assert_true(PARSE("conservative_inframe_deletion", &unknown) == BIT(INFRAME_DELETION));
    assert_true(PARSE("disruptive_inframe_insertion", &unknown) == BIT(INFRAME_INSERTION));
    assert_true(PARSE("intergenic_region", &unknown) == BIT(INTERGENIC_VARIANT));
    assert_true(PARSE("missense", &unknown) == BIT(MISSENSE_VARIANT));
    assert_true(PARSE("*missense", &unknown) == BIT(MISSENSE_VARIANT));
    assert_true(PARSE("frameshift&stop_gained", &unknown) ==
                (BIT(FRAMESHIFT_VARIANT) | BIT(STOP_GAINED)));
    assert_true(PARSE("5_prime_utr", &unknown) == BIT(FIVE_PRIME_UTR_VARIANT));
    assert_true(PARSE("gene_fusion", &unknown) == BIT(GENE_FUSION));
    assert_int_equal(unknown, 0);
}

static void test_unknown_terms_are_counted(void **state)
{
    (void)state;
    int unknown = 0;
    assert_true(PARSE("missense_variant&made_up_term", &unknown) ==
                (BIT(MISSENSE_VARIANT) | BIT(OTHER)));
    assert_int_equal(unknown, 1);
    assert_true(PARSE("", &unknown) == 0);
    assert_true(PARSE("&&", &unknown) == 0);
    assert_int_equal(unknown, 1);
    // Only len bytes are read.
    assert_true(cm_consequence_parse("missense_variantXYZ", 16, &unknown) == BIT(MISSENSE_VARIANT));
}

static void test_rule_classes(void **state)
{
    (void)state;
    cm_consequence truncating = cm_consequence_rule_lookup("truncating", 10);
    assert_true(truncating & BIT(STOP_GAINED));
    assert_true(truncating & BIT(FRAMESHIFT_VARIANT));
    assert_true(truncating & BIT(SPLICE_DONOR_VARIANT));
    assert_true(truncating & BIT(SPLICE_ACCEPTOR_VARIANT));
    assert_true(truncating & BIT(START_LOST));
    assert_false(truncating & BIT(MISSENSE_VARIANT));
    assert_false(truncating & BIT(SPLICE_REGION_VARIANT));
    assert_true(cm_consequence_rule_lookup("inframe", 7) ==
                (BIT(INFRAME_INSERTION) | BIT(INFRAME_DELETION) | BIT(PROTEIN_ALTERING_VARIANT)));
    assert_true(cm_consequence_rule_lookup("missense", 8) == BIT(MISSENSE_VARIANT));
    assert_true(cm_consequence_rule_lookup("stop_gained", 11) == BIT(STOP_GAINED));
    assert_true(cm_consequence_rule_lookup("nonsense", 8) == BIT(STOP_GAINED));
    cm_consequence altering = cm_consequence_rule_lookup("protein_altering", 16);
    assert_true(altering & BIT(MISSENSE_VARIANT));
    assert_true(altering & BIT(INFRAME_DELETION));
    assert_true(altering & BIT(STOP_GAINED));
    assert_false(altering & BIT(SYNONYMOUS_VARIANT));
    assert_true(cm_consequence_rule_lookup("missense_varant", 15) == 0);
    assert_true(cm_consequence_rule_lookup("other", 5) == 0);
}

static void test_format(void **state)
{
    (void)state;
    kstring_t out = {0, 0, NULL};
    cm_consequence_format(BIT(INTRON_VARIANT) | BIT(SPLICE_REGION_VARIANT), &out);
    assert_string_equal(out.s, "splice_region_variant&intron_variant");
    out.l = 0;
    cm_consequence_format(PARSE("conservative_inframe_deletion", NULL), &out);
    assert_string_equal(out.s, "inframe_deletion");
    free(out.s);
    assert_string_equal(cm_so_term_name(CM_SO_STOP_GAINED), "stop_gained");
    assert_int_equal(cm_so_term_lookup("stop_gained", 11), CM_SO_STOP_GAINED);
    assert_int_equal(cm_so_term_lookup("stop", 4), -1);
}

static void test_rule_names(void **state)
{
    (void)state;
    size_t n = 0;
    const char *const *names = cm_consequence_rule_names(&n);
    assert_true(n > 60);
    assert_string_equal(names[0], "truncating");
    for (size_t i = 0; i < n; i++) {
        assert_non_null(names[i]);
        assert_true(cm_consequence_rule_lookup(names[i], strlen(names[i])) != 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vep_terms),
        cmocka_unit_test(test_snpeff_and_bcsq_aliases),
        cmocka_unit_test(test_unknown_terms_are_counted),
        cmocka_unit_test(test_rule_classes),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_rule_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
