/*
 * Unit tests of sample profiles (src/profile.c): facts with sources, the
 * precedence command line > sample sheet > file > computed, conflict records
 * for every disagreement (and none for agreeing values), named biomarkers and
 * lists, merging and copying, and sample sheets with biomarker columns.
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

#include "conflict_assert.h"

#include "cohortmatch/profile.h"

static cm_oncotree *tree;

static int setup(void **state)
{
    (void)state;
    cm_error err;
    tree = cm_oncotree_load_bundled(&err);
    return tree ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    cm_oncotree_free(tree);
    return 0;
}

static void offer(cm_sample_profile *p, const char *name, const char *value, cm_fact_origin origin,
                  const char *where)
{
    cm_error err;
    cm_error_clear(&err);
    if (cm_profile_offer(p, tree, name, value, origin, where, &err) != 0)
        fail_msg("offer %s=%s: %s", name, value, err.message);
}

static void assert_fact(const cm_sample_profile *p, const char *name, const char *text,
                        const char *where)
{
    kstring_t out = {0, 0, NULL};
    assert_int_equal(cm_profile_fact_text(p, name, &out), 1);
    assert_string_equal(out.s, text);
    free(out.s);
    const cm_fact_source *source = cm_profile_fact_source(p, name);
    assert_non_null(source);
    if (where)
        assert_string_equal(source->where, where);
    else
        assert_null(source->where);
}

// The first source of a fact sets it; a higher origin replaces it; a lower one does not; every
// disagreement is a conflict naming both, the winner first.
static void test_precedence(void **state)
{
    (void)state;
    cm_sample_profile p;
    cm_profile_init(&p, "S1");
    offer(&p, "tmb", "13.7219", CM_ORIGIN_FILE, "x.purple.purity.tsv:tmbPerMb");
    assert_true(p.tmb == 13.7219);
    assert_int_equal(p.sources[CM_FACT_TMB].origin, CM_ORIGIN_FILE);
    assert_int_equal(p.tmb_is_computed, 0);
    offer(&p, "tmb", "9", CM_ORIGIN_SAMPLE_SHEET, "sheet.tsv:2"); // higher: wins
    assert_true(p.tmb == 9);
    assert_fact(&p, "tmb", "9", "sheet.tsv:2");
    offer(&p, "tmb", "10", CM_ORIGIN_COMMAND_LINE, NULL); // highest: wins
    assert_fact(&p, "tmb", "10", NULL);
    offer(&p, "tmb", "7.1", CM_ORIGIN_FILE, "CombinedVariantOutput.tsv:Total TMB"); // loses
    assert_true(p.tmb == 10);
    assert_int_equal(p.n_conflicts, 3);
    assert_conflict(&p.conflicts[0], "tmb", "9", "sheet.tsv:2", "13.7219",
                    "x.purple.purity.tsv:tmbPerMb");
    assert_conflict(&p.conflicts[1], "tmb", "10", "command line", "9", "sheet.tsv:2");
    assert_conflict(&p.conflicts[2], "tmb", "10", "command line", "7.1",
                    "CombinedVariantOutput.tsv:Total TMB");
    cm_profile_clear(&p);
}

// Equal origins: the first offered stays. Values that agree (numbers to 2 decimals, words
// without case) make no conflict.
static void test_agreement(void **state)
{
    (void)state;
    cm_sample_profile p;
    cm_profile_init(&p, "S1");
    offer(&p, "tmb", "13.7219", CM_ORIGIN_FILE, "a.tsv:tmbPerMb");
    offer(&p, "tmb", "13.72", CM_ORIGIN_FILE, "orange.json:purple.characteristics");
    offer(&p, "msi", "stable", CM_ORIGIN_FILE, "a.tsv:msStatus");
    offer(&p, "msi", "stable", CM_ORIGIN_COMMAND_LINE, NULL); // agrees: source stays the file
    offer(&p, "purity", "0.9900", CM_ORIGIN_FILE, "a.tsv:purity");
    offer(&p, "PURITY", "0.99", CM_ORIGIN_FILE, "orange.json:purple.fit.purity");
    offer(&p, "hrd", "Deficient", CM_ORIGIN_FILE, "orange.json:chord.hrStatus");
    offer(&p, "hrd", "deficient", CM_ORIGIN_SAMPLE_SHEET, "s.tsv:2");
    assert_int_equal(p.n_conflicts, 0);
    assert_fact(&p, "tmb", "13.7219", "a.tsv:tmbPerMb");
    assert_fact(&p, "msi", "stable", "a.tsv:msStatus");
    assert_fact(&p, "purity", "0.99", "a.tsv:purity");
    assert_fact(&p, "hrd", "Deficient", "orange.json:chord.hrStatus");
    // Equal origin, different value: the first stays, the second is a conflict.
    offer(&p, "tmb", "11", CM_ORIGIN_FILE, "b.tsv:Total TMB");
    assert_int_equal(p.n_conflicts, 1);
    assert_conflict(&p.conflicts[0], "tmb", "13.7219", "a.tsv:tmbPerMb", "11", "b.tsv:Total TMB");
    cm_profile_clear(&p);
}

// Named biomarkers: lower-case names, numbers and words, lists from one source, the whole list
// replaced by a higher source.
static void test_biomarkers(void **state)
{
    (void)state;
    cm_sample_profile p;
    cm_profile_init(&p, "S1");
    offer(&p, "Signatures", "uv", CM_ORIGIN_FILE, "o.json:sigAllocations");
    offer(&p, "signatures", "apobec", CM_ORIGIN_FILE, "o.json:sigAllocations");
    offer(&p, "signatures", "uv", CM_ORIGIN_FILE, "o.json:sigAllocations"); // once
    offer(&p, "pdl1_tps", "60", CM_ORIGIN_COMMAND_LINE, NULL);
    const cm_biomarker *signatures = cm_profile_biomarker(&p, "SIGNATURES");
    assert_non_null(signatures);
    assert_string_equal(signatures->name, "signatures");
    assert_int_equal(signatures->n_values, 2);
    assert_true(isnan(signatures->number));
    assert_fact(&p, "signatures", "uv,apobec", "o.json:sigAllocations");
    const cm_biomarker *pdl1 = cm_profile_biomarker(&p, "pdl1_tps");
    assert_true(pdl1->number == 60);
    // Sorted by name.
    assert_int_equal(p.n_biomarkers, 2);
    assert_string_equal(p.biomarkers[0].name, "pdl1_tps");
    assert_string_equal(p.biomarkers[1].name, "signatures");
    // A higher source replaces the list; the conflict names both.
    offer(&p, "signatures", "tobacco", CM_ORIGIN_SAMPLE_SHEET, "s.tsv:3");
    assert_fact(&p, "signatures", "tobacco", "s.tsv:3");
    assert_int_equal(p.n_conflicts, 1);
    assert_conflict(&p.conflicts[0], "signatures", "tobacco", "s.tsv:3", "uv,apobec",
                    "o.json:sigAllocations");
    assert_null(cm_profile_biomarker(&p, "hrd"));
    kstring_t out = {0, 0, NULL};
    assert_int_equal(cm_profile_fact_text(&p, "hrd", &out), 0);
    assert_null(cm_profile_fact_source(&p, "hrd"));
    cm_profile_clear(&p);
}

static void test_bad_values(void **state)
{
    (void)state;
    cm_sample_profile p;
    cm_profile_init(&p, "S1");
    cm_error err;
    const struct {
        const char *name, *value, *message;
    } cases[] = {
        {"tmb", "-1", "tmb '-1' is not a non-negative number (mutations/Mb)"},
        {"tmb", "high", "tmb 'high' is not a non-negative number (mutations/Mb)"},
        {"msi", "MSI-H", "msi 'MSI-H' is not 'high' or 'stable'"},
        {"mmr", "yes", "mmr 'yes' is not 'deficient' or 'proficient'"},
        {"sex", "F", "sex 'F' is not 'female' or 'male'"},
        {"age", "sixty", "age 'sixty' is not a non-negative number"},
        {"tumour_type", "LUDA", "unknown OncoTree code 'LUDA' (did you mean LUAD, LUCA?)"},
        {"tumor_type", "SOLID",
         "'SOLID' is a group of tumour types; give the patient's OncoTree code"},
        {"pd l1", "5", "biomarker name 'pd l1' is not letters, digits, '_', '-' or '.'"},
        {"hrd", "", "biomarker 'hrd' has an empty value"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cm_error_clear(&err);
        assert_int_equal(
            cm_profile_offer(&p, tree, cases[i].name, cases[i].value, CM_ORIGIN_FILE, "f", &err),
            -1);
        assert_string_equal(err.message, cases[i].message);
        assert_string_equal(err.file, ""); // the caller names the file
    }
    assert_int_equal(p.sources[CM_FACT_TMB].origin, CM_ORIGIN_NONE);
    assert_int_equal(p.n_biomarkers, 0);
    cm_profile_clear(&p);
}

// Merging offers every fact with its own source; copying is deep.
static void test_merge_and_copy(void **state)
{
    (void)state;
    cm_sample_profile cli, row, p, copy;
    cm_profile_init(&cli, NULL);
    offer(&cli, "tumour_type", "LUAD", CM_ORIGIN_COMMAND_LINE, NULL);
    offer(&cli, "tmb", "12.345", CM_ORIGIN_COMMAND_LINE, NULL);
    cm_profile_init(&row, "S1");
    offer(&row, "tumour_type", "COADREAD", CM_ORIGIN_SAMPLE_SHEET, "s.tsv:2");
    offer(&row, "age", "61", CM_ORIGIN_SAMPLE_SHEET, "s.tsv:2");
    offer(&row, "hrd", "deficient", CM_ORIGIN_SAMPLE_SHEET, "s.tsv:2");
    cm_profile_init(&p, "S1");
    cm_error err;
    assert_int_equal(cm_profile_merge(&p, &cli, tree, &err), 0);
    assert_int_equal(cm_profile_merge(&p, &row, tree, &err), 0);
    assert_string_equal(p.tumour_type, "LUAD");
    assert_true(p.tmb == 12.345); // the number itself, not its printed text
    assert_true(p.age == 61);
    assert_fact(&p, "age", "61", "s.tsv:2");
    assert_fact(&p, "hrd", "deficient", "s.tsv:2");
    assert_int_equal(p.n_conflicts, 1);
    assert_conflict(&p.conflicts[0], "tumour_type", "LUAD", "command line", "COADREAD", "s.tsv:2");
    assert_int_equal(cm_profile_copy(&copy, &p), 0);
    cm_profile_clear(&p);
    assert_string_equal(copy.tumour_type, "LUAD");
    assert_fact(&copy, "hrd", "deficient", "s.tsv:2");
    assert_int_equal(copy.n_conflicts, 1);
    assert_string_equal(copy.conflicts[0].other_source, "s.tsv:2");
    cm_profile_clear(&copy);
    cm_profile_clear(&cli);
    cm_profile_clear(&row);
}

// A computed TMB is the lowest origin: any other source replaces it.
static void test_computed(void **state)
{
    (void)state;
    cm_sample_profile p;
    cm_profile_init(&p, "S1");
    offer(&p, "tmb", "4", CM_ORIGIN_COMPUTED, NULL);
    assert_int_equal(p.tmb_is_computed, 1);
    offer(&p, "tmb", "6", CM_ORIGIN_FILE, "a.tsv:tmbPerMb");
    assert_int_equal(p.tmb_is_computed, 0);
    assert_true(p.tmb == 6);
    assert_int_equal(p.n_conflicts, 1);
    assert_conflict(&p.conflicts[0], "tmb", "6", "a.tsv:tmbPerMb", "4", "computed");
    assert_string_equal(cm_fact_origin_name(CM_ORIGIN_COMPUTED), "computed");
    assert_null(cm_fact_origin_name(CM_ORIGIN_NONE));
    assert_string_equal(cm_fact_key_name(CM_FACT_TUMOUR_TYPE), "tumour_type");
    cm_profile_clear(&p);
}

static char *write_sheet(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/cm-sheet-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
    return path;
}

// Column names without case, tumor_type, any other column a named biomarker, signatures split,
// each fact's source the sheet's name and line.
static void test_sheet(void **state)
{
    (void)state;
    char *path = write_sheet("# comment\n"
                             "Sample\tTUMOR_TYPE\tTMB\tpdl1_tps\tsignatures\thrd\n"
                             "S1\tLUAD\t12.5\t60\tapobec, uv\t.\n"
                             "S2\tCOADREAD\t\t\t\tdeficient\n");
    cm_sample_sheet sheet;
    cm_error err;
    cm_error_clear(&err);
    assert_int_equal(cm_sample_sheet_load(&sheet, path, tree, &err), 0);
    const char *name = strrchr(path, '/') + 1;
    char where[80];
    snprintf(where, sizeof where, "%s:3", name);
    const cm_sample_profile *s1 = cm_sample_sheet_find(&sheet, "S1");
    assert_non_null(s1);
    assert_string_equal(s1->tumour_type, "LUAD");
    assert_fact(s1, "tmb", "12.5", where);
    assert_fact(s1, "pdl1_tps", "60", where);
    assert_fact(s1, "signatures", "apobec,uv", where);
    assert_null(cm_profile_biomarker(s1, "hrd"));
    const cm_sample_profile *s2 = cm_sample_sheet_find(&sheet, "S2");
    snprintf(where, sizeof where, "%s:4", name);
    assert_fact(s2, "hrd", "deficient", where);
    assert_true(isnan(s2->tmb));
    cm_sample_sheet_free(&sheet);
    unlink(path);

    // A column twice (one spelled tumor_type), a bad value with its line.
    path = write_sheet("sample\ttumour_type\ttumor_type\nS1\tLUAD\tLUAD\n");
    assert_int_equal(cm_sample_sheet_load(&sheet, path, tree, &err), -1);
    assert_string_equal(err.message, "column 'tumor_type' twice");
    assert_int_equal(err.line, 1);
    unlink(path);
    path = write_sheet("sample\ttumour_type\tmsi\nS1\tLUAD\tMSI-H\n");
    assert_int_equal(cm_sample_sheet_load(&sheet, path, tree, &err), -1);
    assert_string_equal(err.message, "msi 'MSI-H' is not 'high' or 'stable'");
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 2);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),     cmocka_unit_test(test_agreement),
        cmocka_unit_test(test_biomarkers),     cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_merge_and_copy), cmocka_unit_test(test_computed),
        cmocka_unit_test(test_sheet),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
