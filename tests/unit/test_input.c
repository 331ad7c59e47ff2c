/*
 * Unit tests of the input layer (src/input/): recognising every format from
 * its content on the real files in testdata/ (never by name), folders, the
 * VCF wrapper (samples, the source of each alteration) and the PURPLE purity
 * reader (facts with their sources, exact values, errors with file:line).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cohortmatch/input.h"

#define DATA(name) CM_TESTDATA_DIR "/" name

static cm_input_format detect(const char *path)
{
    cm_input_format format = CM_INPUT_FORMAT_COUNT;
    cm_error err;
    cm_error_clear(&err);
    if (cm_input_detect(path, &format, &err) != 0)
        fail_msg("%s: %s", path, err.message);
    return format;
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    fclose(fp);
}

static void test_detect_real_files(void **state)
{
    (void)state;
    assert_int_equal(detect(DATA("pvactools/annotated.expression.vcf.gz")), CM_INPUT_VCF);
    assert_int_equal(detect(DATA("demo/patient.vcf")), CM_INPUT_VCF);
    assert_int_equal(detect(DATA("hmftools/TUMOR_SAMPLE.purple.somatic.vcf.gz")), CM_INPUT_VCF);
    assert_int_equal(detect(DATA("hmftools/tumor_sample.purple.purity.tsv")),
                     CM_INPUT_PURPLE_PURITY);
    assert_int_equal(detect(DATA("hmftools/TUMOR_SAMPLE.linx.fusion.tsv")), CM_INPUT_LINX_FUSIONS);
    assert_int_equal(detect(DATA("hmftools/real.orange.json")), CM_INPUT_ORANGE);
    // Text that is none of them: a BED file, a sample sheet, a rule file.
    assert_int_equal(detect(DATA("sv/genes.bed")), CM_INPUT_UNKNOWN);
    assert_int_equal(detect(DATA("reference/drup.samples.tsv")), CM_INPUT_UNKNOWN);
    assert_int_equal(detect(CM_SOURCE_DIR "/rules/drup.yaml"), CM_INPUT_UNKNOWN);
    assert_int_equal(detect("-"), CM_INPUT_VCF);
}

// The content decides, whatever the name; a header with CRLF, a byte-order mark, BCF magic.
static void test_detect_content(void **state)
{
    (void)state;
    char dir[] = "/tmp/cm-detect-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/patient.vcf", dir);
    const char purity[] =
        "\xEF\xBB\xBFpurity\tnormFactor\tploidy\tmsStatus\ttmbPerMb\r\n1\t1\t2\tMSS\t3\r\n";
    write_file(path, purity, sizeof purity - 1);
    assert_int_equal(detect(path), CM_INPUT_PURPLE_PURITY);
    const char cvo[] = "TruSight Oncology 500 - Combined Variant Output\t\t\r\n";
    write_file(path, cvo, sizeof cvo - 1);
    assert_int_equal(detect(path), CM_INPUT_TSO500);
    const char dragen[] =
        "DRAGEN TruSight Oncology 500 v2.6.2 Analysis Software - Combined Variant Output\n";
    write_file(path, dragen, sizeof dragen - 1);
    assert_int_equal(detect(path), CM_INPUT_TSO500);
    const char drivers[] = "chromosome\tchromosomeBand\tgene\ttranscript\tisCanonical\tdriver\t"
                           "category\tlikelihoodMethod\tdriverLikelihood\tminCopyNumber\n";
    write_file(path, drivers, sizeof drivers - 1);
    assert_int_equal(detect(path), CM_INPUT_PURPLE_DRIVERS);
    const char genes[] = "chromosome\tstart\tend\tgene\tminCopyNumber\tmaxCopyNumber\n";
    write_file(path, genes, sizeof genes - 1);
    assert_int_equal(detect(path), CM_INPUT_PURPLE_GENE_COPY_NUMBER);
    const char bcf[] = "BCF\2\2rest";
    write_file(path, bcf, sizeof bcf - 1);
    assert_int_equal(detect(path), CM_INPUT_VCF);
    const char json[] = " {\"other\": {\"purple\": 1}}";
    write_file(path, json, sizeof json - 1);
    assert_int_equal(detect(path), CM_INPUT_UNKNOWN);
    // Empty and missing files, a folder.
    write_file(path, "", 0);
    cm_input_format format;
    cm_error err;
    assert_int_equal(cm_input_detect(path, &format, &err), -1);
    assert_string_equal(err.message, "empty file");
    assert_int_equal(cm_input_detect("/nonexistent/x.tsv", &format, &err), -1);
    assert_string_equal(err.message, "cannot open: No such file or directory");
    assert_int_equal(cm_input_detect(dir, &format, &err), -1);
    assert_string_equal(err.message, "a folder, not a file");
    unlink(path);
    rmdir(dir);
}

// A folder: recognised files in name order, the others apart, hidden files and folders left out.
static void test_folder(void **state)
{
    (void)state;
    char dir[] = "/tmp/cm-folder-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[160];
    const char purity[] = "purity\tploidy\ttmbPerMb\tmsStatus\n0.5\t2\t3\tMSS\n";
    const char *names[] = {"b.purity.tsv", "a.tsv", "notes.txt", ".hidden.tsv", "empty"};
    const char *texts[] = {purity, purity, "hello\n", purity, ""};
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        write_file(path, texts[i], strlen(texts[i]));
    }
    snprintf(path, sizeof path, "%s/sub", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    char **paths, **unrecognised;
    size_t n, n_unrecognised;
    cm_error err;
    assert_int_equal(cm_input_list_folder(dir, 1, &paths, &n, &unrecognised, &n_unrecognised, &err),
                     0);
    assert_int_equal(n, 2);
    assert_string_equal(strrchr(paths[0], '/'), "/a.tsv");
    assert_string_equal(strrchr(paths[1], '/'), "/b.purity.tsv");
    assert_int_equal(n_unrecognised, 2);
    assert_string_equal(strrchr(unrecognised[0], '/'), "/empty");
    assert_string_equal(strrchr(unrecognised[1], '/'), "/notes.txt");
    cm_input_free_paths(paths, n);
    cm_input_free_paths(unrecognised, n_unrecognised);
    // Without detection (a forced format): every file.
    assert_int_equal(cm_input_list_folder(dir, 0, &paths, &n, &unrecognised, &n_unrecognised, &err),
                     0);
    assert_int_equal(n, 4);
    assert_int_equal(n_unrecognised, 0);
    cm_input_free_paths(paths, n);
    cm_input_free_paths(unrecognised, n_unrecognised);
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/sub", dir);
    rmdir(path);
    rmdir(dir);
}

static void test_format_names(void **state)
{
    (void)state;
    for (int i = 1; i < CM_INPUT_FORMAT_COUNT; i++) {
        cm_input_format format;
        assert_int_equal(cm_input_format_parse(cm_input_format_name((cm_input_format)i), &format),
                         0);
        assert_int_equal(format, i);
    }
    cm_input_format format;
    assert_int_equal(cm_input_format_parse("unknown", &format), -1);
    assert_int_equal(cm_input_format_parse("VCF", &format), -1);
    assert_string_equal(cm_input_format_name(CM_INPUT_PURPLE_PURITY), "purple-purity");
}

// The real PURPLE purity file: its facts with exact values and sources, one unnamed sample.
static void test_purple_purity(void **state)
{
    (void)state;
    cm_error err;
    cm_input_options options;
    memset(&options, 0, sizeof options);
    options.index = 3;
    cm_input *input =
        cm_input_open(DATA("hmftools/tumor_sample.purple.purity.tsv"), &options, &err);
    if (!input)
        fail_msg("%s", err.message);
    assert_int_equal(cm_input_get_format(input), CM_INPUT_PURPLE_PURITY);
    assert_int_equal(cm_input_n_samples(input), 1);
    assert_null(cm_input_sample_name(input, 0));
    const cm_alteration *alterations;
    size_t n;
    assert_int_equal(cm_input_next(input, &alterations, &n, &err), 0);
    size_t n_facts;
    const cm_input_fact *facts = cm_input_facts(input, &n_facts);
    assert_int_equal(n_facts, 4);
    const char *want[][3] = {
        {"purity", "0.9900", "tumor_sample.purple.purity.tsv:purity"},
        {"ploidy", "3.1000", "tumor_sample.purple.purity.tsv:ploidy"},
        {"tmb", "13.7219", "tumor_sample.purple.purity.tsv:tmbPerMb"},
        {"msi", "stable", "tumor_sample.purple.purity.tsv:msStatus"},
    };
    for (size_t i = 0; i < n_facts; i++) {
        assert_int_equal(facts[i].sample, 0);
        assert_string_equal(facts[i].name, want[i][0]);
        assert_string_equal(facts[i].value, want[i][1]);
        assert_string_equal(facts[i].where, want[i][2]);
    }
    const cm_input_stats *stats = cm_input_get_stats(input);
    assert_int_equal(stats->records, 1);
    assert_int_equal(stats->alterations, 0);
    assert_int_equal(cm_input_genome_build(input), CM_BUILD_UNKNOWN);
    assert_null(cm_input_vcf_reader(input));
    cm_input_close(input);
}

static void purity_error(const char *text, const char *message, int line)
{
    char path[] = "/tmp/cm-purity-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, text, strlen(text));
    cm_error err;
    cm_error_clear(&err);
    cm_input_options options;
    memset(&options, 0, sizeof options);
    options.format = CM_INPUT_PURPLE_PURITY;
    cm_input *input = cm_input_open(path, &options, &err);
    assert_null(input);
    assert_string_equal(err.message, message);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, line);
    unlink(path);
}

static void test_purple_purity_errors(void **state)
{
    (void)state;
    purity_error("purity\tploidy\n", "no data row (a PURPLE purity file has one)", 0);
    purity_error("purity\tploidy\n0.5\t2\n0.6\t2\n",
                 "a second data row (a PURPLE purity file has one)", 3);
    purity_error("purity\tmsStatus\n0.5\tMSS\n",
                 "a PURPLE purity header needs the columns purity and ploidy", 1);
    purity_error("purity\tploidy\n0.5\n", "1 columns, the header has 2", 2);
    purity_error("purity\tploidy\n1.5\t2\n", "purity '1.5' is not between 0 and 1", 2);
    purity_error("purity\tploidy\ttmbPerMb\n0.5\t2\t-3\n",
                 "tmbPerMb '-3' is not a non-negative number", 2);
    purity_error("purity\tploidy\tmsStatus\n0.5\t2\tMSI-H\n",
                 "msStatus 'MSI-H' is not MSI, MSS or UNKNOWN", 2);
    purity_error("purity\tploidy\n0.5\tx\n", "ploidy 'x' is not a non-negative number", 2);
}

// A VCF through the input layer: its samples, and each alteration's input index and line.
static void test_vcf_input(void **state)
{
    (void)state;
    cm_error err;
    cm_input_options options;
    memset(&options, 0, sizeof options);
    options.index = 2;
    options.vcf.samples = "S2,S1";
    cm_input *input = cm_input_open(DATA("e2e/scenarios.vcf"), &options, &err);
    if (!input)
        fail_msg("%s", err.message);
    assert_int_equal(cm_input_get_format(input), CM_INPUT_VCF);
    assert_int_equal(cm_input_n_samples(input), 2);
    assert_string_equal(cm_input_sample_name(input, 0), "S2");
    assert_string_equal(cm_input_sample_name(input, 1), "S1");
    assert_non_null(cm_input_vcf_reader(input));
    const cm_alteration *alterations;
    size_t n, total = 0;
    int got, saw_braf = 0;
    while ((got = cm_input_next(input, &alterations, &n, &err)) > 0)
        for (size_t i = 0; i < n; i++, total++) {
            assert_int_equal(alterations[i].input, 2);
            assert_true(alterations[i].line > 0);
            if (cm_slice_equals(alterations[i].gene, "BRAF") && alterations[i].sample == 1 &&
                alterations[i].pos == 140753336) {
                assert_int_equal(alterations[i].line, 19);
                saw_braf = 1;
            }
        }
    assert_int_equal(got, 0);
    assert_true(saw_braf);
    const cm_input_stats *stats = cm_input_get_stats(input);
    assert_int_equal(stats->alterations, total);
    assert_true(stats->records > 0);
    assert_int_equal(stats->n_skipped, CM_VCF_SKIP_COUNT);
    assert_string_equal(stats->skipped[0].name, "spanning_deletion");
    cm_input_close(input);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect_real_files),
        cmocka_unit_test(test_detect_content),
        cmocka_unit_test(test_folder),
        cmocka_unit_test(test_format_names),
        cmocka_unit_test(test_purple_purity),
        cmocka_unit_test(test_purple_purity_errors),
        cmocka_unit_test(test_vcf_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
