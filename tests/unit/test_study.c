/*
 * Unit tests of cohort studies (src/input/study.c): which samples are matched
 * and which are skipped (normal, no or unknown tumour type, unlisted), where
 * each fact comes from (command line > sample sheet > clinical file), retired
 * OncoTree codes, tumour types from CANCER_TYPE_DETAILED, samples that appear
 * while a MAF streams, one fusion listed once per gene, and input detection.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conflict_assert.h"

#include "cohortmatch/study.h"

#define BASKET CM_TESTDATA_DIR "/cbioportal/basket"
#define LONG_CNA CM_TESTDATA_DIR "/cbioportal/long-cna"
#define DATAHUB CM_TESTDATA_DIR "/cbioportal/datahub-basket"

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

static const cm_sample_profile *profile_named(const cm_study *study, const char *name)
{
    for (size_t i = 0; i < cm_study_n_samples(study); i++)
        if (strcmp(cm_study_profiles(study)[i].name, name) == 0)
            return &cm_study_profiles(study)[i];
    return NULL;
}

/// Reads the whole study; returns the number of alterations.
static size_t read_all(cm_study *study)
{
    cm_error err;
    cm_error_clear(&err);
    const cm_alteration *alterations;
    size_t n, total = 0;
    int got;
    while ((got = cm_study_next(study, &alterations, &n, &err)) > 0)
        for (size_t i = 0; i < n; i++, total++) {
            assert_true(alterations[i].sample >= 0);
            assert_true((size_t)alterations[i].sample < cm_study_n_samples(study));
        }
    assert_int_equal(got, 0);
    return total;
}

static void test_basket_samples(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_study_options options = {tree, NULL, NULL, 0};
    cm_study *study = cm_study_open(BASKET, &options, &err);
    assert_non_null(study);
    assert_int_equal(cm_study_kind_of(study), CM_STUDY_CBIOPORTAL);
    // Known before any row: the clinical file lists the samples.
    assert_int_equal(cm_study_n_samples(study), 6);
    const cm_sample_profile *p = profile_named(study, "P01-T");
    assert_string_equal(p->tumour_type, "READ");
    assert_int_equal(p->tumour_node, cm_oncotree_find(tree, "READ"));
    assert_true(p->tmb == 4.2);
    assert_int_equal(p->msi, CM_MSI_STABLE);
    assert_true(p->age == 61);
    assert_int_equal(p->sex, CM_SEX_MALE);
    assert_null(profile_named(study, "P01-N")); // normal
    assert_null(profile_named(study, "P06-T")); // ONCOTREE_CODE NA: a type name is no code
    assert_string_equal(profile_named(study, "P07-T")->tumour_type, "GB"); // GBM, retired
    assert_null(profile_named(study, "P08-T"));                            // no type
    assert_null(profile_named(study, "P09-T"));                            // XYZ
    const cm_study_stats *stats = cm_study_get_stats(study);
    assert_int_equal(stats->samples, 6);
    assert_int_equal(stats->normal_samples, 1);
    assert_int_equal(stats->no_tumour_type_samples, 2);
    assert_int_equal(stats->unknown_tumour_type_samples, 1);
    assert_int_equal(stats->retired_tumour_types, 1);
    assert_string_equal(cm_study_unknown_codes(study), "XYZ");
    // 29 mutation rows + 6 copy-number rows + 5 structural rows. Alterations: 21 mutation rows
    // of matched samples (P01-T 7, P02-T 7, P03-T 5, P04-T 5, less the 3 Silent rows
    // cBioPortal's importer filter drops: P01-T's NBPF3, P02-T's A1CF and ABL2), 8 copy-number
    // calls of matched samples (P08-T's amplification is not one), 3 fusions (one with an
    // intergenic partner; EGFR-EGFR is within one gene; P06-T's NCOA4-RET is skipped).
    size_t n = read_all(study);
    stats = cm_study_get_stats(study);
    assert_int_equal(stats->rows, 40);
    assert_int_equal(n, stats->alterations);
    assert_int_equal(n, 21 + 8 + 3);
    assert_int_equal(stats->maf_skipped[CM_MAF_SKIP_CLASSIFICATION], 3);
    assert_int_equal(stats->unlisted_samples, 1);    // P11-T, in the MAF only
    assert_int_equal(stats->skipped_sample_rows, 7); // P01-N, P06-T (x2), P08-T (x2), P09-T,
                                                     // P11-T
    assert_int_equal(stats->cna_no_gene, 1);
    assert_int_equal(stats->sv_same_gene, 1);
    assert_int_equal(cm_study_genome_build(study), CM_BUILD_GRCH37);
    cm_study_close(study);
}

static void test_datahub_study(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_study_options options = {tree, NULL, NULL, 0};
    cm_study *study = cm_study_open(DATAHUB, &options, &err);
    assert_non_null(study);
    // 14 clinical samples: P05-N is normal, P06-T has no code.
    assert_int_equal(cm_study_n_samples(study), 12);
    assert_null(profile_named(study, "P06-T"));
    assert_string_equal(profile_named(study, "P01-T")->tumour_type, "COAD"); // "coad"
    assert_int_equal(profile_named(study, "P09-T")->msi, CM_MSI_HIGH);       // supplementary
    size_t n_ignored;
    const char *const *ignored = cm_study_ignored_files(study, &n_ignored);
    assert_int_equal(n_ignored, 5);
    assert_string_equal(ignored[3], "data_mutations_extended.txt");
    // Read every row: which sample each BRAF, ERBB2 and NTRK alteration lands on.
    const cm_alteration *alterations;
    size_t n;
    int got;
    char found[512] = "";
    const cm_sample_profile *profiles = NULL;
    while ((got = cm_study_next(study, &alterations, &n, &err)) > 0) {
        profiles = cm_study_profiles(study);
        for (size_t i = 0; i < n; i++) {
            const cm_alteration *a = &alterations[i];
            if (!cm_slice_equals(a->gene, "BRAF") && !cm_slice_equals(a->gene, "ERBB2") &&
                !cm_slice_equals(a->partner, "NTRK3") && !cm_slice_equals(a->gene, "NTRK1"))
                continue;
            size_t len = strlen(found);
            snprintf(found + len, sizeof found - len, "%s%s:%.*s", len ? " " : "",
                     profiles[a->sample].name, a->gene.len, a->gene.s);
        }
    }
    assert_int_equal(got, 0);
    // P01-T BRAF (p.-less), P05-T ERBB2, P08-T BRAF (HGVSp), TCGA-AB-1234-01 BRAF (aliquot
    // barcode), P12-T ERBB2; then copy number: P03-T, P04-T (gain), P11-T (Entrez 2064 only);
    // then fusions: P09-T ETV6-NTRK3, P12-T NTRK1-intergenic. Not: P02-T (germline), P03-T's
    // Silent ERBB2, P07-T (Validation_Status Wildtype; its BRAF 5'Flank row), P10-T (LOH,
    // germline SV), P05-N, P06-T.
    assert_string_equal(found, "P01-T:BRAF P05-T:ERBB2 P08-T:BRAF TCGA-AB-1234-01:BRAF "
                               "P12-T:ERBB2 P03-T:ERBB2 P04-T:ERBB2 P11-T:ERBB2 P09-T:ETV6 "
                               "P12-T:NTRK1");
    const cm_study_stats *stats = cm_study_get_stats(study);
    assert_int_equal(stats->maf_skipped[CM_MAF_SKIP_GERMLINE], 1);
    assert_int_equal(stats->maf_skipped[CM_MAF_SKIP_VALIDATION_STATUS], 1);
    assert_int_equal(stats->maf_skipped[CM_MAF_SKIP_MUTATION_STATUS], 1);
    assert_int_equal(stats->maf_skipped[CM_MAF_SKIP_CLASSIFICATION], 2);
    assert_int_equal(stats->maf_skipped[CM_MAF_SKIP_NO_GENE], 1);
    assert_int_equal(stats->sv_germline, 1);
    assert_int_equal(stats->cna_no_gene, 0);
    assert_int_equal(stats->unlisted_samples, 0);
    assert_int_equal(stats->normal_samples, 1);
    assert_int_equal(stats->no_tumour_type_samples, 1);
    cm_study_close(study);
}

static void test_precedence(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    // The sheet gives P02-T another tumour type and TMB; the command line gives every sample
    // an age. The clinical file fills the rest.
    cm_sample_sheet sheet = {0};
    sheet.rows = calloc(1, sizeof *sheet.rows);
    sheet.n = 1;
    cm_profile_init(&sheet.rows[0], "P02-T");
    assert_int_equal(cm_profile_offer(&sheet.rows[0], tree, "tumour_type", "LUAD",
                                      CM_ORIGIN_SAMPLE_SHEET, "sheet.tsv:2", &err),
                     0);
    assert_int_equal(cm_profile_offer(&sheet.rows[0], tree, "tmb", "22", CM_ORIGIN_SAMPLE_SHEET,
                                      "sheet.tsv:2", &err),
                     0);
    cm_sample_profile facts;
    cm_profile_init(&facts, NULL);
    assert_int_equal(
        cm_profile_offer(&facts, tree, "age", "40", CM_ORIGIN_COMMAND_LINE, NULL, &err), 0);
    cm_study_options options = {tree, &sheet, &facts, 0};
    cm_study *study = cm_study_open(BASKET, &options, &err);
    assert_non_null(study);
    const cm_sample_profile *p = profile_named(study, "P02-T");
    assert_string_equal(p->tumour_type, "LUAD");
    assert_true(p->tmb == 22);
    assert_true(p->age == 40);
    assert_int_equal(p->sex, CM_SEX_FEMALE);
    // Each fact keeps its source, the cell it was read from: age and sex from the patient
    // file (P02 is its line 7), TMB and MSI from the sample file (P02-T its line 8). The
    // clinical file's tumour type and TMB lost to the sheet's and its age to the command
    // line's: each a conflict, none hidden.
    assert_string_equal(p->sources[CM_FACT_TMB].where, "sheet.tsv:2");
    assert_int_equal(p->sources[CM_FACT_AGE].origin, CM_ORIGIN_COMMAND_LINE);
    assert_string_equal(p->sources[CM_FACT_SEX].where, "data_clinical_patient.txt:7:3");
    assert_string_equal(p->sources[CM_FACT_MSI].where, "data_clinical_sample.txt:8:8");
    assert_int_equal(p->n_conflicts, 3);
    assert_conflict(&p->conflicts[0], "tumour_type", "LUAD", "sheet.tsv:2", "IDC",
                    "data_clinical_sample.txt:8:3");
    assert_conflict(&p->conflicts[1], "tmb", "22", "sheet.tsv:2", "2.1",
                    "data_clinical_sample.txt:8:7");
    assert_conflict(&p->conflicts[2], "age", "40", "command line", "48",
                    "data_clinical_patient.txt:7:2");
    p = profile_named(study, "P04-T");
    assert_string_equal(p->tumour_type, "UCEC");
    assert_true(p->tmb == 38.5);
    assert_true(p->age == 40);
    cm_study_close(study);
    // -t gives every sample its code, even one the clinical file has none for.
    assert_int_equal(
        cm_profile_offer(&facts, tree, "tumour_type", "SKCM", CM_ORIGIN_COMMAND_LINE, NULL, &err),
        0);
    study = cm_study_open(BASKET, &options, &err);
    assert_int_equal(cm_study_n_samples(study), 9); // all but the normal sample
    assert_string_equal(profile_named(study, "P08-T")->tumour_type, "SKCM");
    assert_string_equal(profile_named(study, "P02-T")->tumour_type, "SKCM");
    cm_study_close(study);
    cm_profile_clear(&facts);
    cm_sample_sheet_free(&sheet);
}

static void test_maf_samples_appear(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_sample_profile facts;
    cm_profile_init(&facts, NULL);
    facts.tumour_type = "READ";
    cm_study_options options = {tree, NULL, &facts, 0};
    cm_study *study = cm_study_open(BASKET "/data_mutations_extended.txt", &options, &err);
    assert_non_null(study);
    assert_int_equal(cm_study_kind_of(study), CM_STUDY_MAF);
    assert_int_equal(cm_study_n_samples(study), 0);
    const cm_alteration *alterations;
    size_t n;
    assert_int_equal(cm_study_next(study, &alterations, &n, &err), 1);
    assert_int_equal(cm_study_n_samples(study), 1);
    assert_int_equal(n, 1);
    assert_int_equal(alterations[0].sample, 0);
    assert_true(cm_slice_equals(alterations[0].gene, "KRAS"));
    read_all(study);
    // P01-T, P02-T, P03-T, P04-T, P06-T, P08-T, P09-T, P11-T; P01-N's row names it as its
    // own normal.
    assert_int_equal(cm_study_n_samples(study), 8);
    assert_int_equal(cm_study_get_stats(study)->normal_samples, 1);
    assert_int_equal(cm_study_get_stats(study)->skipped_sample_rows, 1);
    cm_study_close(study);
}

static void test_fusion_once(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_study_options options = {tree, NULL, NULL, 0};
    cm_study *study = cm_study_open(LONG_CNA, &options, &err);
    assert_non_null(study);
    assert_int_equal(cm_study_n_samples(study), 2); // TCGA-B5-A0JV-11 is a normal barcode
    const cm_alteration *alterations;
    size_t n;
    int fusions = 0, got;
    while ((got = cm_study_next(study, &alterations, &n, &err)) > 0)
        for (size_t i = 0; i < n; i++)
            fusions += alterations[i].kind == CM_ALTERATION_FUSION;
    assert_int_equal(got, 0);
    assert_int_equal(fusions, 1); // CD74-ROS1, listed under ROS1 and under CD74
    assert_int_equal(cm_study_get_stats(study)->duplicate_fusions, 1);
    cm_study_close(study);
}

static void test_detect(void **state)
{
    (void)state;
    assert_int_equal(cm_study_detect(BASKET), CM_STUDY_CBIOPORTAL);
    assert_int_equal(cm_study_detect(LONG_CNA "/"), CM_STUDY_CBIOPORTAL);
    assert_int_equal(cm_study_detect(CM_TESTDATA_DIR "/maf/test_b38_output.maf"), CM_STUDY_MAF);
    assert_int_equal(cm_study_detect(BASKET "/data_mutations_extended.txt"), CM_STUDY_MAF);
    assert_int_equal(cm_study_detect(CM_TESTDATA_DIR "/vcf2maf/test_b38.vcf"), CM_STUDY_NONE);
    assert_int_equal(cm_study_detect(BASKET "/data_CNA.txt"), CM_STUDY_NONE);
    assert_int_equal(cm_study_detect(CM_TESTDATA_DIR "/maf"), CM_STUDY_NONE);
    assert_int_equal(cm_study_detect("/nonexistent"), CM_STUDY_NONE);
}

static void test_successors(void **state)
{
    (void)state;
    assert_string_equal(cm_oncotree_successor("GBM"), "GB");
    assert_string_equal(cm_oncotree_successor("gbm"), "GB");
    assert_string_equal(cm_oncotree_successor("MM"), "PCM");
    assert_string_equal(cm_oncotree_successor("CLL"), "CLLSLL");
    assert_null(cm_oncotree_successor("ALL")); // BLL or TLL: ambiguous
    assert_null(cm_oncotree_successor("LUAD"));
    // Every successor is a code of the bundled release.
    const char *old[] = {"AASTR",   "AOAST", "AODG",  "BALL", "BCL",   "BLOOD", "CLL",  "CTCL",
                         "DIPG",    "DLBCL", "ETC",   "GBM",  "GMUCM", "HIST",  "LEUK", "LGLL",
                         "MALTL",   "MBCL",  "MEATL", "MFT",  "MM",    "MYF",   "OAST", "PCV",
                         "PTCLNOS", "RD",    "SEZS",  "SLL",  "TALL",  "TMT",   "TNKL"};
    for (size_t i = 0; i < sizeof old / sizeof old[0]; i++) {
        assert_int_equal(cm_oncotree_find(tree, old[i]), CM_ONCOTREE_NOT_FOUND);
        assert_true(cm_oncotree_find(tree, cm_oncotree_successor(old[i])) >= 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basket_samples), cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_datahub_study),  cmocka_unit_test(test_maf_samples_appear),
        cmocka_unit_test(test_fusion_once),    cmocka_unit_test(test_detect),
        cmocka_unit_test(test_successors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
