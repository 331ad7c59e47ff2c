/*
 * Unit tests of the cBioPortal study reader (src/input/cbioportal.c) on the
 * two test studies of testdata/cbioportal/ (made by make_studies.py from real
 * TCGA MAF rows): where the files are (meta files, usual names), the clinical
 * files, the wide and long copy-number forms, data_sv.txt and the older
 * data_fusions.txt, the gene filter and the value words.
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

#include "cohortmatch/cbioportal.h"

#define BASKET CM_TESTDATA_DIR "/cbioportal/basket"
#define LONG_CNA CM_TESTDATA_DIR "/cbioportal/long-cna"
#define DATAHUB CM_TESTDATA_DIR "/cbioportal/datahub-basket"

static int ends_with(const char *text, const char *suffix)
{
    size_t a = strlen(text), b = strlen(suffix);
    return a >= b && strcmp(text + a - b, suffix) == 0;
}

static void test_find_files(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_cbioportal_files files;
    // From the meta files.
    assert_int_equal(cm_cbioportal_find_files(BASKET, &files, &err), 0);
    assert_true(ends_with(files.clinical_sample, "/basket/data_clinical_sample.txt"));
    assert_true(ends_with(files.clinical_patient, "/basket/data_clinical_patient.txt"));
    assert_int_equal(files.n_mutations, 1);
    assert_true(ends_with(files.mutations[0], "/basket/data_mutations_extended.txt"));
    assert_int_equal(files.n_copy_number, 1);
    assert_true(ends_with(files.copy_number[0], "/basket/data_CNA.txt"));
    assert_int_equal(files.n_structural, 1);
    assert_true(ends_with(files.structural[0], "/basket/data_sv.txt"));
    cm_cbioportal_files_free(&files);
    // By the usual names: no meta file, the 2021 names and the deprecated fusion file.
    assert_int_equal(cm_cbioportal_find_files(LONG_CNA, &files, &err), 0);
    assert_true(ends_with(files.clinical_sample, "/long-cna/data_clinical_sample.txt"));
    assert_null(files.clinical_patient);
    assert_int_equal(files.n_mutations, 1);
    assert_true(ends_with(files.mutations[0], "/long-cna/data_mutations.txt"));
    assert_int_equal(files.n_copy_number, 1);
    assert_true(ends_with(files.copy_number[0], "/long-cna/data_cna.txt"));
    assert_int_equal(files.n_structural, 1);
    assert_true(ends_with(files.structural[0], "/long-cna/data_fusions.txt"));
    cm_cbioportal_files_free(&files);
    // No clinical sample file: not a study.
    assert_int_equal(cm_cbioportal_find_files(CM_TESTDATA_DIR "/maf", &files, &err), -1);
    assert_true(strncmp(err.message, "not a cBioPortal study", 22) == 0);
    cm_cbioportal_files_free(&files);
}

static void test_is_study(void **state)
{
    (void)state;
    assert_int_equal(cm_cbioportal_is_study(BASKET), 1);
    assert_int_equal(cm_cbioportal_is_study(LONG_CNA), 1);
    assert_int_equal(cm_cbioportal_is_study(CM_TESTDATA_DIR "/maf"), 0);
    assert_int_equal(cm_cbioportal_is_study(BASKET "/data_CNA.txt"), 0);
    assert_int_equal(cm_cbioportal_is_study("/nonexistent"), 0);
}

static const cm_clinical_sample *sample_named(const cm_clinical *clinical, const char *name)
{
    for (size_t i = 0; i < clinical->n; i++)
        if (strcmp(clinical->samples[i].sample, name) == 0)
            return &clinical->samples[i];
    fail_msg("no sample %s", name);
    return NULL;
}

/// The cell is file's (its name without folders; NULL: no cell), at line and column.
static void assert_cell(cm_clinical_cell cell, const char *file, int line, int column)
{
    if (!file) {
        assert_null(cell.file);
    } else {
        assert_non_null(cell.file);
        const char *slash = strrchr(cell.file, '/');
        assert_string_equal(slash ? slash + 1 : cell.file, file);
    }
    assert_int_equal(cell.line, line);
    assert_int_equal(cell.column, column);
}

static void test_clinical(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_clinical clinical;
    assert_int_equal(cm_clinical_load(&clinical, BASKET "/data_clinical_sample.txt",
                                      BASKET "/data_clinical_patient.txt", &err),
                     0);
    assert_int_equal(clinical.n, 10);
    const cm_clinical_sample *s = sample_named(&clinical, "P01-T");
    assert_string_equal(s->patient, "P01");
    assert_string_equal(s->oncotree_code, "READ");
    assert_string_equal(s->cancer_type, "Rectal Adenocarcinoma");
    assert_int_equal(s->is_normal, 0);
    assert_true(s->tmb == 4.2);
    assert_int_equal(s->msi, CM_MSI_STABLE);
    assert_true(s->age == 61);
    assert_int_equal(s->sex, CM_SEX_MALE);
    assert_int_equal(s->line, 6);
    // Each fact's cell: the sample file's line 6 (ONCOTREE_CODE column 3, TMB 7, MSI_TYPE 8);
    // age and sex from the patient file, P01 on its line 6 (AGE 2, SEX 3).
    assert_cell(s->code_cell, "data_clinical_sample.txt", 6, 3);
    assert_cell(s->tmb_cell, "data_clinical_sample.txt", 6, 7);
    assert_cell(s->msi_cell, "data_clinical_sample.txt", 6, 8);
    assert_cell(s->age_cell, "data_clinical_patient.txt", 6, 2);
    assert_cell(s->sex_cell, "data_clinical_patient.txt", 6, 3);
    s = sample_named(&clinical, "P01-N"); // SAMPLE_TYPE Blood Derived Normal
    assert_int_equal(s->is_normal, 1);
    assert_null(s->oncotree_code);
    assert_true(isnan(s->tmb));
    s = sample_named(&clinical, "P04-T"); // MSI_TYPE Instable
    assert_int_equal(s->msi, CM_MSI_HIGH);
    assert_true(s->tmb == 38.5);
    assert_int_equal(s->sex, CM_SEX_FEMALE);
    s = sample_named(&clinical, "P06-T"); // ONCOTREE_CODE NA: the detailed type is kept
    assert_null(s->oncotree_code);
    assert_string_equal(s->cancer_type, "Colorectal Adenocarcinoma");
    assert_int_equal(s->msi, CM_MSI_UNSET); // "Do not report", no score
    assert_cell(s->code_cell, NULL, 0, 0);
    assert_cell(s->msi_cell, NULL, 0, 0);
    s = sample_named(&clinical, "P08-T"); // AGE NA in the patient file
    assert_true(isnan(s->age));
    assert_cell(s->age_cell, NULL, 0, 0);
    assert_cell(s->sex_cell, "data_clinical_patient.txt", 12, 3); // P08 is its line 12
    s = sample_named(&clinical, "P10-T"); // Indeterminate, MSI_SCORE 5.5: undecided
    assert_int_equal(s->msi, CM_MSI_UNSET);
    assert_true(s->age == 17);
    cm_clinical_free(&clinical);

    // The long-cna study: no patient file, MSI from MSI_SCORE alone.
    assert_int_equal(cm_clinical_load(&clinical, LONG_CNA "/data_clinical_sample.txt", NULL, &err),
                     0);
    assert_int_equal(clinical.n, 3);
    assert_int_equal(sample_named(&clinical, "TCGA-B5-A0JV-01")->msi, CM_MSI_HIGH);
    // MSI decided by MSI_SCORE (column 6).
    assert_cell(sample_named(&clinical, "TCGA-B5-A0JV-01")->msi_cell, "data_clinical_sample.txt", 6,
                6);
    assert_int_equal(sample_named(&clinical, "TCGA-BH-A18P-01")->msi, CM_MSI_STABLE);
    assert_true(isnan(sample_named(&clinical, "TCGA-BH-A18P-01")->age));
    cm_clinical_free(&clinical);
}

static void test_words(void **state)
{
    (void)state;
    const char *high[] = {"Instable", "MSI-H", "msi-h", "MSI-High", "High"};
    const char *stable[] = {"Stable", "MSS", "MSI-L", "MSI-Low"};
    const char *neither[] = {"Indeterminate", "Do not report", "", "NA"};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(cm_cbioportal_msi_word((cm_slice){high[i], (int)strlen(high[i])}),
                         CM_MSI_HIGH);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(cm_cbioportal_msi_word((cm_slice){stable[i], (int)strlen(stable[i])}),
                         CM_MSI_STABLE);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(cm_cbioportal_msi_word((cm_slice){neither[i], (int)strlen(neither[i])}),
                         CM_MSI_UNSET);
    assert_int_equal(cm_cbioportal_msi_score(10), CM_MSI_HIGH);
    assert_int_equal(cm_cbioportal_msi_score(9.99), CM_MSI_UNSET);
    assert_int_equal(cm_cbioportal_msi_score(3), CM_MSI_UNSET);
    assert_int_equal(cm_cbioportal_msi_score(2.99), CM_MSI_STABLE);
    assert_int_equal(cm_cbioportal_msi_score(NAN), CM_MSI_UNSET);
    const char *normal[] = {"Normal", "Blood Derived Normal", "Solid Tissue Normal"};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(
            cm_cbioportal_is_normal_sample_type((cm_slice){normal[i], (int)strlen(normal[i])}), 1);
    assert_int_equal(cm_cbioportal_is_normal_sample_type((cm_slice){"Metastasis", 10}), 0);
    // A whole word only: "Abnormal" is not a normal sample (it was, by a substring search).
    assert_int_equal(cm_cbioportal_is_normal_sample_type((cm_slice){"Abnormal", 8}), 0);
    assert_int_equal(cm_cbioportal_is_normal_sample_type((cm_slice){"Primary, abnormal", 17}), 0);
    assert_int_equal(cm_cbioportal_is_normal_sample_type((cm_slice){"normal_blood", 12}), 1);
    struct {
        const char *id;
        int is_normal;
    } barcodes[] = {{"TCGA-B5-A0JV-10A-01W-A10C-09", 1},
                    {"TCGA-B5-A0JV-11", 1},
                    {"TCGA-B5-A0JV-01A-11D-A10B-09", 0},
                    {"TCGA-B5-A0JV-06", 0},
                    {"TARGET-20-PANZPJ-14A-01D", 1},
                    {"TARGET-20-PANZPJ-09A-01D", 0},
                    {"P-0001234-N01-IM5", 0},
                    {"TCGA-B5-A0JV", 0},
                    {"TCGA-B5-A0JV-1", 0}};
    for (size_t i = 0; i < sizeof barcodes / sizeof barcodes[0]; i++)
        assert_int_equal(
            cm_is_normal_barcode((cm_slice){barcodes[i].id, (int)strlen(barcodes[i].id)}),
            barcodes[i].is_normal);
    struct {
        const char *value;
        int ok;
        unsigned cnv;
    } values[] = {{"-2", 0, CM_CNV_HOMOZYGOUS_DELETION},
                  {"-1.5", 0, CM_CNV_DELETION},
                  {"-1", 0, CM_CNV_DELETION},
                  {"0", 0, 0},
                  {"1", 0, CM_CNV_GAIN},
                  {"2", 0, CM_CNV_AMPLIFICATION},
                  {" 2", 0, CM_CNV_AMPLIFICATION},
                  {"3", -1, 0},
                  {"-3", -1, 0},
                  {"amp", -1, 0},
                  {"1.5", -1, 0}};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        unsigned cnv = 99;
        int got = cm_cbioportal_cna_class((cm_slice){values[i].value, (int)strlen(values[i].value)},
                                          &cnv);
        assert_int_equal(got, values[i].ok);
        if (got == 0)
            assert_int_equal(cnv, values[i].cnv);
    }
}

typedef struct event_text {
    const char *sample, *gene, *partner;
    unsigned cnv;
    int in_frame;
} event_text;

/// Reads every row of a file and compares its events, in order, with the expected ones.
static const cm_cbioportal_stats *expect_events(cm_cbioportal_reader *reader,
                                                const event_text *expected, size_t n_expected)
{
    cm_error err;
    cm_error_clear(&err);
    const cm_cbioportal_event *events;
    size_t n, k = 0;
    int got;
    while ((got = cm_cbioportal_next(reader, &events, &n, &err)) > 0)
        for (size_t i = 0; i < n; i++, k++) {
            assert_true(k < n_expected);
            const cm_alteration *a = &events[i].alteration;
            assert_true(cm_slice_equals(events[i].sample, expected[k].sample));
            assert_true(cm_slice_equals(a->gene, expected[k].gene));
            assert_int_equal(a->sample, -1);
            if (expected[k].partner) {
                assert_int_equal(a->kind, CM_ALTERATION_FUSION);
                assert_true(cm_slice_equals(a->partner, expected[k].partner));
                assert_int_equal(a->in_frame, expected[k].in_frame);
            } else {
                assert_int_equal(a->kind, CM_ALTERATION_COPY_NUMBER);
                assert_int_equal(a->cnv, expected[k].cnv);
                assert_true(isnan(a->copy_number));
            }
        }
    assert_int_equal(got, 0);
    assert_int_equal(k, n_expected);
    return cm_cbioportal_get_stats(reader);
}

static void test_copy_number_wide(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_cbioportal_reader *reader = cm_cbioportal_open(BASKET "/data_CNA.txt", 0, &err);
    assert_non_null(reader);
    assert_int_equal(cm_cbioportal_reader_kind(reader), CM_CBIOPORTAL_CNA_WIDE);
    const event_text expected[] = {
        {"P01-T", "ERBB2", NULL, CM_CNV_AMPLIFICATION, 0},
        {"P02-T", "ERBB2", NULL, CM_CNV_GAIN, 0},
        {"P08-T", "ERBB2", NULL, CM_CNV_AMPLIFICATION, 0},
        {"P03-T", "CDKN2A", NULL, CM_CNV_DELETION, 0},
        {"P07-T", "CDKN2A", NULL, CM_CNV_HOMOZYGOUS_DELETION, 0},
        {"P04-T", "BRCA2", NULL, CM_CNV_DELETION, 0}, // -1.5
        {"P10-T", "BRCA2", NULL, CM_CNV_HOMOZYGOUS_DELETION, 0},
        {"P04-T", "MET", NULL, CM_CNV_GAIN, 0}, // P06-T is NA
        {"P03-T", "TP53", NULL, CM_CNV_HOMOZYGOUS_DELETION, 0},
    };
    const cm_cbioportal_stats *stats = expect_events(reader, expected, 9);
    assert_int_equal(stats->rows, 6);
    assert_int_equal(stats->events, 9);
    assert_int_equal(stats->cna_no_gene, 1); // a row with an Entrez id only
    cm_cbioportal_close(reader);

    // The gene filter: only ERBB2 rows are read.
    reader = cm_cbioportal_open(BASKET "/data_CNA.txt", 0, &err);
    const char *genes[] = {"ERBB2"};
    assert_int_equal(cm_cbioportal_set_gene_filter(reader, genes, 1), 0);
    stats = expect_events(reader, expected, 3);
    assert_int_equal(stats->prefiltered, 4);
    cm_cbioportal_close(reader);
}

static void test_copy_number_long(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_cbioportal_reader *reader = cm_cbioportal_open(LONG_CNA "/data_cna.txt", 0, &err);
    assert_non_null(reader);
    assert_int_equal(cm_cbioportal_reader_kind(reader), CM_CBIOPORTAL_CNA_LONG);
    const event_text expected[] = {
        {"TCGA-BH-A18P-01", "ERBB2", NULL, CM_CNV_AMPLIFICATION, 0},
        {"TCGA-B5-A0JV-01", "PTEN", NULL, CM_CNV_HOMOZYGOUS_DELETION, 0},
        {"TCGA-B5-A0JV-01", "CDKN2A", NULL, CM_CNV_DELETION, 0}, // "CDKN2A|p16", -1.5
        {"TCGA-B5-A0JV-11", "CDK4", NULL, CM_CNV_AMPLIFICATION, 0},
    };
    const cm_cbioportal_stats *stats = expect_events(reader, expected, 4);
    assert_int_equal(stats->rows, 7); // the comment line is not a row
    assert_int_equal(stats->cna_no_gene, 1);
    cm_cbioportal_close(reader);
}

static void test_structural_variants(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_cbioportal_reader *reader = cm_cbioportal_open(BASKET "/data_sv.txt", 0, &err);
    assert_non_null(reader);
    assert_int_equal(cm_cbioportal_reader_kind(reader), CM_CBIOPORTAL_SV);
    const cm_cbioportal_event *events;
    size_t n;
    assert_int_equal(cm_cbioportal_next(reader, &events, &n, &err), 1);
    assert_int_equal(n, 1);
    const cm_alteration *a = &events[0].alteration;
    assert_true(cm_slice_equals(events[0].sample, "P03-T"));
    assert_true(cm_slice_equals(a->gene, "EML4"));
    assert_true(cm_slice_equals(a->partner, "ALK"));
    assert_int_equal(a->in_frame, 1); // Site2_Effect_On_Frame In_frame
    assert_true(cm_slice_equals(a->chrom, "2"));
    assert_int_equal(a->pos, 42492091);
    assert_int_equal(a->is_five_prime, -1);
    const event_text rest[] = {
        {"P06-T", "NCOA4", "RET", 0, 1},
        {"P04-T", "TMPRSS2", "ERG", 0, 0}, // Out-of-frame
        {"P10-T", "ETV6", "intergenic", 0, -1},
    };
    const cm_cbioportal_stats *stats = expect_events(reader, rest, 3);
    assert_int_equal(stats->rows, 5);
    assert_int_equal(stats->sv_same_gene, 1); // EGFR-EGFR: within one gene
    cm_cbioportal_close(reader);
}

static void test_fusion_file(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_cbioportal_reader *reader = cm_cbioportal_open(LONG_CNA "/data_fusions.txt", 0, &err);
    assert_non_null(reader);
    assert_int_equal(cm_cbioportal_reader_kind(reader), CM_CBIOPORTAL_FUSION);
    const cm_cbioportal_event *events;
    size_t n;
    assert_int_equal(cm_cbioportal_next(reader, &events, &n, &err), 1);
    assert_int_equal(n, 1);
    assert_true(cm_slice_equals(events[0].alteration.gene, "ROS1"));
    assert_true(cm_slice_equals(events[0].alteration.partner, "CD74"));
    assert_int_equal(events[0].alteration.is_five_prime, 0);
    assert_int_equal(events[0].alteration.in_frame, 1);
    assert_int_equal(cm_cbioportal_next(reader, &events, &n, &err), 1);
    assert_true(cm_slice_equals(events[0].alteration.gene, "CD74"));
    assert_true(cm_slice_equals(events[0].alteration.partner, "ROS1"));
    assert_int_equal(events[0].alteration.is_five_prime, 1);
    assert_int_equal(cm_cbioportal_next(reader, &events, &n, &err), 1);
    assert_int_equal(n, 0); // ALK-intragenic
    assert_int_equal(cm_cbioportal_next(reader, &events, &n, &err), 0);
    assert_int_equal(cm_cbioportal_get_stats(reader)->sv_same_gene, 1);
    cm_cbioportal_close(reader);
}

static void test_datahub_files(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_cbioportal_files files;
    // The meta files decide: data_mutations_extended.txt, which none names, is not read.
    assert_int_equal(cm_cbioportal_find_files(DATAHUB, &files, &err), 0);
    assert_true(ends_with(files.clinical_sample, "/datahub-basket/data_clinical_sample.txt"));
    assert_true(ends_with(files.clinical_patient, "/datahub-basket/data_clinical_patient.txt"));
    assert_int_equal(files.n_more_clinical, 1);
    assert_true(ends_with(files.more_clinical[0], "/datahub-basket/data_clinical_supp_msi.txt"));
    assert_int_equal(files.n_mutations, 1);
    assert_true(ends_with(files.mutations[0], "/datahub-basket/data_mutations.txt"));
    assert_null(files.mutation_filters[0]); // no variant_classification_filter: the default
    assert_int_equal(files.n_copy_number, 1);
    assert_true(ends_with(files.copy_number[0], "/datahub-basket/data_cna.txt"));
    assert_int_equal(files.n_structural, 1);
    assert_true(ends_with(files.structural[0], "/datahub-basket/data_sv.txt"));
    const char *ignored[] = {"case_lists/", "data_cna_hg19.seg", "data_gene_panel_matrix.txt",
                             "data_mutations_extended.txt", "data_timeline_treatment.txt"};
    assert_int_equal(files.n_ignored, 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(files.ignored[i], ignored[i]);
    cm_cbioportal_files_free(&files);
    // Without meta files nothing is listed as ignored but what is no usual name.
    assert_int_equal(cm_cbioportal_find_files(LONG_CNA, &files, &err), 0);
    assert_int_equal(files.n_ignored, 0);
    assert_null(files.mutation_filters[0]);
    cm_cbioportal_files_free(&files);
}

/// Makes a study folder of the given files (name, text pairs, NULL-terminated); returns its
/// path (static buffer).
static const char *make_study(const char *const *files)
{
    static char folder[64];
    strcpy(folder, "/tmp/cm_test_study_XXXXXX");
    assert_non_null(mkdtemp(folder));
    for (size_t i = 0; files[i]; i += 2) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", folder, files[i]);
        FILE *fp = fopen(path, "w");
        assert_non_null(fp);
        fputs(files[i + 1], fp);
        fclose(fp);
    }
    return folder;
}

static void remove_study(const char *folder, const char *const *files)
{
    char path[128];
    for (size_t i = 0; files[i]; i += 2) {
        snprintf(path, sizeof path, "%s/%s", folder, files[i]);
        unlink(path);
    }
    rmdir(folder);
}

static void test_meta_types(void **state)
{
    (void)state;
    // MIXED_ATTRIBUTES is the clinical sample file of older studies; a TIMELINE file is
    // CLINICAL too and not read; the mutation meta's filter is kept, even when empty; a meta
    // file's keys may carry blanks and CRLF line ends; FUSION is the older SV type.
    const char *const files[] = {
        "meta_clinical.txt",
        "genetic_alteration_type: CLINICAL\r\ndatatype: MIXED_ATTRIBUTES\r\n"
        "data_filename: data_clinical.txt\r\n",
        "data_clinical.txt",
        "#Sample\n#s\n#STRING\n#1\nSAMPLE_ID\tONCOTREE_CODE\nS1\tLUAD\n",
        "meta_a_timeline.txt",
        "genetic_alteration_type: CLINICAL\ndatatype: TIMELINE\ndata_filename: data_timeline.txt\n",
        "data_timeline.txt",
        "PATIENT_ID\tSTART_DATE\tSTOP_DATE\tEVENT_TYPE\nP1\t0\t\tSPECIMEN\n",
        "meta_mutations.txt",
        "genetic_alteration_type: MUTATION_EXTENDED\ndatatype: MAF\n"
        "variant_classification_filter:\ndata_filename: data_mutations_extended.txt\n",
        "data_mutations_extended.txt",
        "Hugo_Symbol\tTumor_Sample_Barcode\nBRAF\tS1\n",
        "meta_mutations_b.txt",
        "genetic_alteration_type : MUTATION_EXTENDED\ndatatype: MAF\n"
        "variant_classification_filter: Silent, Intron\ndata_filename:  other.maf \n",
        "other.maf",
        "Hugo_Symbol\tTumor_Sample_Barcode\nBRAF\tS1\n",
        "meta_fusions.txt",
        "genetic_alteration_type: FUSION\ndatatype: FUSION\ndata_filename: data_fusions.txt\n",
        "data_fusions.txt",
        "Hugo_Symbol\tEntrez_Gene_Id\tCenter\tTumor_Sample_Barcode\tFusion\n",
        "README",
        "not a data file\n",
        NULL};
    const char *folder = make_study(files);
    cm_error err;
    cm_error_clear(&err);
    cm_cbioportal_files found;
    assert_int_equal(cm_cbioportal_find_files(folder, &found, &err), 0);
    assert_true(ends_with(found.clinical_sample, "/data_clinical.txt"));
    assert_int_equal(found.n_more_clinical, 0);
    assert_null(found.clinical_patient);
    assert_int_equal(found.n_mutations, 2);
    assert_true(ends_with(found.mutations[0], "/data_mutations_extended.txt"));
    assert_string_equal(found.mutation_filters[0], "");
    assert_true(ends_with(found.mutations[1], "/other.maf"));
    assert_string_equal(found.mutation_filters[1], "Silent, Intron");
    assert_int_equal(found.n_structural, 1);
    assert_int_equal(found.n_ignored, 2);
    assert_string_equal(found.ignored[0], "README");
    assert_string_equal(found.ignored[1], "data_timeline.txt");
    cm_cbioportal_files_free(&found);
    remove_study(folder, files);
}

static void test_clinical_supplementary(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_clinical clinical;
    const char *more[] = {DATAHUB "/data_clinical_supp_msi.txt"};
    assert_int_equal(cm_clinical_load_files(&clinical, DATAHUB "/data_clinical_sample.txt", more, 1,
                                            DATAHUB "/data_clinical_patient.txt", &err),
                     0);
    assert_int_equal(clinical.n, 14);
    // The main file's MSI_TYPE Stable stands; the supplementary MSI-H does not replace it.
    assert_int_equal(sample_named(&clinical, "P01-T")->msi, CM_MSI_STABLE);
    assert_string_equal(sample_named(&clinical, "P01-T")->oncotree_code, "coad");
    // MSI_SCORE and MSI_TYPE NA: the supplementary file's MSS and MSI-H.
    assert_int_equal(sample_named(&clinical, "P03-T")->msi, CM_MSI_STABLE);
    assert_int_equal(sample_named(&clinical, "P09-T")->msi, CM_MSI_HIGH);
    // Their cells are the supplementary file's (MSI_STATUS, column 2); P01-T's the main file's.
    assert_cell(sample_named(&clinical, "P03-T")->msi_cell, "data_clinical_supp_msi.txt", 6, 2);
    assert_cell(sample_named(&clinical, "P09-T")->msi_cell, "data_clinical_supp_msi.txt", 7, 2);
    assert_cell(sample_named(&clinical, "P01-T")->msi_cell, "data_clinical_sample.txt", 6, 9);
    // MSI_SCORE 24.1, MSI_TYPE Instable; TMB; SAMPLE_TYPE Normal.
    assert_int_equal(sample_named(&clinical, "TCGA-AB-1234-01")->msi, CM_MSI_HIGH);
    assert_true(sample_named(&clinical, "TCGA-AB-1234-01")->tmb == 48.3);
    assert_int_equal(sample_named(&clinical, "P05-N")->is_normal, 1);
    // ONCOTREE_CODE NA: no code; the type names are kept as written.
    const cm_clinical_sample *p06 = sample_named(&clinical, "P06-T");
    assert_null(p06->oncotree_code);
    assert_string_equal(p06->cancer_type, "Cancer of Unknown Primary");
    assert_true(isnan(sample_named(&clinical, "P06-T")->age)); // [Not Available]
    assert_true(sample_named(&clinical, "P09-T")->age == 1);
    cm_clinical_free(&clinical);
}

static void test_row_width(void **state)
{
    (void)state;
    const char *const files[] = {
        "data_clinical_sample.txt",
        "#a\tb\n#a\tb\n#STRING\tSTRING\n#1\t1\nSAMPLE_ID\tONCOTREE_CODE\nS1\tLUAD\t\t\n"
        "S2\tLUAD\tIDC\n",
        "data_cna.txt", "Hugo_Symbol\tEntrez_Gene_Id\tS1\tS2\nERBB2\t2064\t2\t0\nBRAF\t673\t0\n",
        NULL};
    const char *folder = make_study(files);
    char path[128];
    cm_error err;
    cm_error_clear(&err);
    cm_clinical clinical;
    snprintf(path, sizeof path, "%s/data_clinical_sample.txt", folder);
    // Empty fields after the last column are tolerated (line 6); a third value is not (line 7).
    assert_int_equal(cm_clinical_load(&clinical, path, NULL, &err), -1);
    assert_int_equal(err.line, 7);
    assert_string_equal(err.message, "3 tab-separated fields, the header has 2 columns");
    snprintf(path, sizeof path, "%s/data_cna.txt", folder);
    cm_cbioportal_reader *reader = cm_cbioportal_open(path, 0, &err);
    assert_non_null(reader);
    const cm_cbioportal_event *events;
    size_t n;
    assert_int_equal(cm_cbioportal_next(reader, &events, &n, &err), 1);
    assert_int_equal(n, 1);
    assert_int_equal(cm_cbioportal_next(reader, &events, &n, &err), -1);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.message, "3 tab-separated fields, the header has 4 columns");
    cm_cbioportal_close(reader);
    remove_study(folder, files);
}

static void test_datahub_rows(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    // The long form with driver columns: the Entrez-only row of P11-T is ERBB2 once the map
    // knows 2064 (here from the file's own first row), and no call for NA or 0.
    cm_entrez_map *map = cm_entrez_map_new();
    assert_non_null(map);
    cm_cbioportal_reader *reader = cm_cbioportal_open(DATAHUB "/data_cna.txt", 0, &err);
    assert_non_null(reader);
    cm_cbioportal_set_entrez_map(reader, map);
    const event_text cna[] = {
        {"P03-T", "ERBB2", NULL, CM_CNV_AMPLIFICATION, 0},
        {"P04-T", "ERBB2", NULL, CM_CNV_GAIN, 0},
        {"P04-T", "CDKN2A", NULL, CM_CNV_HOMOZYGOUS_DELETION, 0},
        {"P05-N", "ERBB2", NULL, CM_CNV_AMPLIFICATION, 0},
        {"P11-T", "ERBB2", NULL, CM_CNV_AMPLIFICATION, 0},
        {"P12-T", "MYC", NULL, CM_CNV_AMPLIFICATION, 0},
    };
    const cm_cbioportal_stats *stats = expect_events(reader, cna, 6);
    assert_int_equal(stats->cna_no_gene, 0);
    cm_cbioportal_close(reader);
    assert_true(cm_slice_equals(cm_entrez_map_get(map, (cm_slice){"2064", 4}), "ERBB2"));
    assert_true(cm_slice_equals(cm_entrez_map_get(map, (cm_slice){" 4609 ", 6}), "MYC"));
    assert_int_equal(cm_entrez_map_get(map, (cm_slice){"7157", 4}).len, 0);
    assert_int_equal(cm_entrez_map_get(map, (cm_slice){"NA", 2}).len, 0);
    // The first pair stands; ids that are no number, symbols that are none, are not learnt.
    assert_int_equal(cm_entrez_map_add(map, (cm_slice){"2064", 4}, (cm_slice){"HER2", 4}), 0);
    assert_true(cm_slice_equals(cm_entrez_map_get(map, (cm_slice){"2064", 4}), "ERBB2"));
    assert_int_equal(cm_entrez_map_add(map, (cm_slice){"0", 1}, (cm_slice){"X", 1}), 0);
    assert_int_equal(cm_entrez_map_add(map, (cm_slice){"7157", 4}, (cm_slice){"NA", 2}), 0);
    assert_int_equal(cm_entrez_map_get(map, (cm_slice){"0", 1}).len, 0);
    assert_int_equal(cm_entrez_map_get(map, (cm_slice){"7157", 4}).len, 0);
    // Without a map the Entrez-only row is counted.
    reader = cm_cbioportal_open(DATAHUB "/data_cna.txt", 0, &err);
    stats = expect_events(reader, (const event_text[]){cna[0], cna[1], cna[2], cna[3], cna[5]}, 5);
    assert_int_equal(stats->cna_no_gene, 1);
    cm_cbioportal_close(reader);
    cm_entrez_map_free(map);

    // data_sv.txt: the GERMLINE row is skipped; the row with no Site1 gene is NTRK1 with an
    // intergenic partner; EGFR-EGFR is within one gene.
    reader = cm_cbioportal_open(DATAHUB "/data_sv.txt", 0, &err);
    assert_non_null(reader);
    const event_text sv[] = {
        {"P09-T", "ETV6", "NTRK3", 0, 1},
        {"P12-T", "NTRK1", "intergenic", 0, -1},
    };
    stats = expect_events(reader, sv, 2);
    assert_int_equal(stats->rows, 4);
    assert_int_equal(stats->sv_germline, 1);
    assert_int_equal(stats->sv_same_gene, 1);
    cm_cbioportal_close(reader);
}

static void test_open_errors(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    assert_null(cm_cbioportal_open(BASKET "/data_clinical_sample.txt", 0, &err));
    assert_true(strncmp(err.message, "not a copy-number or structural-variant file", 44) == 0);
    assert_int_equal(err.line, 5);
    assert_null(cm_cbioportal_open(BASKET "/no_such_file.txt", 0, &err));
    assert_string_equal(err.message, "cannot open: No such file or directory");
    // A wide matrix whose header has an empty sample column (found by fuzzing: its calls
    // named no sample).
    char path[] = "/tmp/cm_test_cbioportal_XXXXXX";
    int fd = mkstemp(path);
    const char text[] = "Hugo_Symbol\tEntrez_Gene_Id\tS1\t\tS3\nERBB2\t2064\t2\t2\t0\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    assert_null(cm_cbioportal_open(path, 0, &err));
    unlink(path);
    assert_string_equal(err.message, "a sample column without a sample id in the header");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_files),
        cmocka_unit_test(test_is_study),
        cmocka_unit_test(test_clinical),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_copy_number_wide),
        cmocka_unit_test(test_copy_number_long),
        cmocka_unit_test(test_structural_variants),
        cmocka_unit_test(test_fusion_file),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_datahub_files),
        cmocka_unit_test(test_meta_types),
        cmocka_unit_test(test_clinical_supplementary),
        cmocka_unit_test(test_row_width),
        cmocka_unit_test(test_datahub_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
