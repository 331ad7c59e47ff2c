/*
 * Unit tests of the VCF reader (src/vcf/reader.c): sample selection
 * (##tumor_sample, -s, sites-only), the per-sample facts (which ALT a sample
 * carries, VAF from AF or AD, depth from DP or AD, zygosity, FILTER), skipped
 * alleles, the genome build, and the errors with their line numbers. Each
 * test writes a small VCF to a temporary file; one converts it to BCF and to
 * BGZF with htslib to check that the three formats read the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <math.h>

#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/vcf.h>

#include "cohortmatch/vcf.h"

#define HEADER_START                                                                               \
    "##fileformat=VCFv4.2\n"                                                                       \
    "##contig=<ID=chr1,length=248956422>\n"                                                        \
    "##FILTER=<ID=PASS,Description=\"All filters passed\">\n"                                      \
    "##FILTER=<ID=LowQual,Description=\"Low quality\">\n"                                          \
    "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from Ensembl VEP. " \
    "Format: Allele|Consequence|SYMBOL|Feature|CANONICAL\">\n"                                     \
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"                             \
    "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">\n"                      \
    "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
#define AF_A "##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"VAF per ALT\">\n"
#define AF_1 "##FORMAT=<ID=AF,Number=1,Type=Float,Description=\"VAF\">\n"
#define AF_R "##FORMAT=<ID=AF,Number=R,Type=Float,Description=\"Fraction per allele\">\n"
#define COLUMNS "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT"

static char temp_dir[256];
static int temp_count;

static int setup(void **state)
{
    (void)state;
    snprintf(temp_dir, sizeof temp_dir, "/tmp/cm_test_vcf.XXXXXX");
    if (!mkdtemp(temp_dir))
        return -1;
    hts_set_log_level(HTS_LOG_OFF);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char command[512];
    snprintf(command, sizeof command, "rm -rf '%s'", temp_dir);
    return system(command) == 0 ? 0 : -1;
}

// Writes text to a new temporary file; returns its path (static storage, rotating).
static const char *write_temp(const char *text, const char *suffix)
{
    static char paths[4][512];
    char *path = paths[temp_count % 4];
    snprintf(path, 512, "%s/t%d%s", temp_dir, temp_count++, suffix);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

static cm_vcf_reader *open_text(const char *text, const char *samples, cm_error *err)
{
    cm_vcf_options options = {samples, 0, 0, CM_ANNOTATION_NONE, NULL, NULL, 0};
    cm_error_clear(err);
    return cm_vcf_open(write_temp(text, ".vcf"), &options, err);
}

// Reads one record; fails the test on an error.
static size_t next(cm_vcf_reader *reader, const cm_alteration **alterations)
{
    cm_error err;
    cm_error_clear(&err);
    size_t n = 0;
    int ret = cm_vcf_next(reader, alterations, &n, &err);
    if (ret != 1)
        fail_msg("cm_vcf_next returned %d: %s:%d: %s", ret, err.file, err.line, err.message);
    return n;
}

static void assert_slice(cm_slice slice, const char *text)
{
    if (!cm_slice_equals(slice, text))
        fail_msg("expected '%s', got '%.*s'", text, slice.len, slice.s ? slice.s : "");
}

static void test_samples_tumor_sample_header(void **state)
{
    (void)state;
    const char *text = HEADER_START AF_A "##tumor_sample=TUMOUR\n" COLUMNS "\tNORMAL\tTUMOUR\n"
                                         "chr1\t100\t.\tA\tT\t.\tPASS\tCSQ=T|missense_variant|KRAS|"
                                         "ENST1|YES\tGT:AD\t0/1:10,2\t0/1:10,10\n";
    cm_error err;
    cm_vcf_reader *reader = open_text(text, NULL, &err);
    assert_non_null(reader);
    assert_int_equal(cm_vcf_n_samples(reader), 1);
    assert_string_equal(cm_vcf_sample_name(reader, 0), "TUMOUR");
    assert_int_equal(cm_vcf_genome_build(reader), CM_BUILD_GRCH38);
    assert_int_equal(cm_vcf_annotation_kind(reader), CM_ANNOTATION_VEP);
    assert_string_equal(cm_vcf_annotation_tag(reader), "CSQ");
    const cm_alteration *a;
    assert_int_equal(next(reader, &a), 1);
    assert_int_equal(a[0].sample, 0);
    assert_true(fabs(a[0].vaf - 0.5) < 1e-9);
    cm_vcf_close(reader);

    // -s picks samples in the order given, even the normal
    reader = open_text(text, "TUMOUR,NORMAL", &err);
    assert_non_null(reader);
    assert_int_equal(cm_vcf_n_samples(reader), 2);
    assert_string_equal(cm_vcf_sample_name(reader, 1), "NORMAL");
    assert_int_equal(next(reader, &a), 2);
    assert_int_equal(a[0].sample, 0);
    assert_int_equal(a[1].sample, 1);
    assert_true(fabs(a[1].vaf - 2.0 / 12) < 1e-9);
    cm_vcf_close(reader);

    reader = open_text(text, "TUMOUR,BLOOD", &err);
    assert_null(reader);
    assert_string_equal(err.message,
                        "-s: sample 'BLOOD' is not a sample of the file (samples: NORMAL, TUMOUR)");
    assert_int_equal(err.line, 0);
    reader = open_text(text, "TUMOUR,TUMOUR", &err);
    assert_null(reader);
    assert_string_equal(err.message, "sample 'TUMOUR' is selected twice");
}

static void test_samples_default_and_sites_only(void **state)
{
    (void)state;
    cm_error err;
    cm_vcf_reader *reader = open_text(HEADER_START COLUMNS "\tA\tB\n", NULL, &err);
    assert_non_null(reader);
    assert_int_equal(cm_vcf_n_samples(reader), 2);
    assert_string_equal(cm_vcf_sample_name(reader, 0), "A");
    assert_string_equal(cm_vcf_sample_name(reader, 1), "B");
    assert_null(cm_vcf_sample_name(reader, 2));
    const cm_alteration *a;
    size_t n;
    assert_int_equal(cm_vcf_next(reader, &a, &n, &err), 0); // no records
    cm_vcf_close(reader);

    // Sites-only: one pseudo-sample ".", which carries every ALT; GRCh37 from the contig.
    const char *sites = "##fileformat=VCFv4.2\n"
                        "##contig=<ID=1,length=249250621>\n"
                        "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"VEP. Format: "
                        "Allele|Consequence|SYMBOL|Feature\">\n"
                        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                        "1\t100\t.\tA\tT,C\t.\t.\tCSQ=C|missense_variant|NRAS|ENST2\n";
    reader = open_text(sites, NULL, &err);
    assert_non_null(reader);
    assert_int_equal(cm_vcf_n_samples(reader), 1);
    assert_string_equal(cm_vcf_sample_name(reader, 0), ".");
    assert_int_equal(cm_vcf_genome_build(reader), CM_BUILD_GRCH37);
    assert_int_equal(next(reader, &a), 2);
    // T has no annotation entry: one alteration without gene; C has NRAS.
    assert_int_equal(a[0].allele, 1);
    assert_int_equal(a[0].gene.len, 0);
    assert_int_equal(a[0].is_preferred, 1);
    assert_int_equal(a[1].allele, 2);
    assert_slice(a[1].gene, "NRAS");
    assert_true(isnan(a[1].vaf));
    assert_int_equal(a[1].depth, -1);
    assert_int_equal(a[1].is_pass, 1);
    assert_int_equal(cm_vcf_get_stats(reader)->unannotated, 1);
    cm_vcf_close(reader);

    reader = open_text(sites, ".", &err);
    assert_non_null(reader);
    cm_vcf_close(reader);
    reader = open_text(sites, "TUMOR", &err);
    assert_null(reader);
    assert_string_equal(err.message,
                        "-s: sample 'TUMOR' is not a sample of the file (it has none)");
}

static void test_tumor_sample_not_in_file(void **state)
{
    (void)state;
    cm_error err;
    cm_vcf_reader *reader =
        open_text(HEADER_START "##tumor_sample=T1\n" COLUMNS "\tNORMAL\tTUMOUR\n", NULL, &err);
    assert_null(reader);
    assert_string_equal(
        err.message,
        "the header's ##tumor_sample 'T1' is not a sample of the file (samples: NORMAL, TUMOUR)");
}

// Reads the one record of a file with one sample S; returns its alterations.
static size_t one_record(const char *header_extra, const char *format, const char *sample,
                         const char *alt, cm_vcf_reader **reader, const cm_alteration **a)
{
    char text[4096];
    snprintf(text, sizeof text,
             HEADER_START "%s" COLUMNS "\tS\n"
                          "chr1\t100\t.\tA\t%s\t.\tPASS\t.\t%s\t%s\n",
             header_extra, alt, format, sample);
    cm_error err;
    *reader = open_text(text, NULL, &err);
    assert_non_null(*reader);
    return next(*reader, a);
}

static void test_vaf_and_depth(void **state)
{
    (void)state;
    cm_vcf_reader *reader;
    const cm_alteration *a;
    // AF Number=A on a multi-allelic record: per ALT; DP given
    assert_int_equal(one_record(AF_A, "GT:AF:AD:DP", "1/2:0.25,0.5:10,5,10:40", "T,C", &reader, &a),
                     2);
    assert_true(fabs(a[0].vaf - 0.25) < 1e-6);
    assert_true(fabs(a[1].vaf - 0.5) < 1e-6);
    assert_int_equal(a[0].depth, 40);
    assert_int_equal(a[0].is_homozygous, 0);
    cm_vcf_close(reader);
    // AF Number=1 on a biallelic record: the one value
    assert_int_equal(one_record(AF_1, "GT:AF:AD", "0/1:0.125:10,5", "T", &reader, &a), 1);
    assert_true(fabs(a[0].vaf - 0.125) < 1e-6);
    assert_int_equal(a[0].depth, 15); // no DP: the sum of AD
    cm_vcf_close(reader);
    // AF Number=R: the reference's value comes first
    assert_int_equal(one_record(AF_R, "GT:AF", "1/2:0.5,0.2,0.3", "T,C", &reader, &a), 2);
    assert_true(fabs(a[0].vaf - 0.2) < 1e-6);
    assert_true(fabs(a[1].vaf - 0.3) < 1e-6);
    cm_vcf_close(reader);
    // AF Number=1 on a multi-allelic record is ambiguous: AD is used
    assert_int_equal(one_record(AF_1, "GT:AF:AD", "1/2:0.9:10,5,5", "T,C", &reader, &a), 2);
    assert_true(fabs(a[0].vaf - 0.25) < 1e-9);
    cm_vcf_close(reader);
    // No AF: AD[allele] / sum(AD); DP missing ('.') falls back to the AD sum
    assert_int_equal(one_record("", "GT:AD:DP", "0/1:30,10:.", "T", &reader, &a), 1);
    assert_true(fabs(a[0].vaf - 0.25) < 1e-9);
    assert_int_equal(a[0].depth, 40);
    cm_vcf_close(reader);
    // AF missing ('.') falls back to AD too
    assert_int_equal(one_record(AF_A, "GT:AF:AD", "0/1:.:30,10", "T", &reader, &a), 1);
    assert_true(fabs(a[0].vaf - 0.25) < 1e-9);
    cm_vcf_close(reader);
    // Nothing: VAF unknown, depth unknown
    assert_int_equal(one_record("", "GT", "0/1", "T", &reader, &a), 1);
    assert_true(isnan(a[0].vaf));
    assert_int_equal(a[0].depth, -1);
    cm_vcf_close(reader);
    // DP only
    assert_int_equal(one_record("", "GT:DP", "1/1:57", "T", &reader, &a), 1);
    assert_true(isnan(a[0].vaf));
    assert_int_equal(a[0].depth, 57);
    assert_int_equal(a[0].is_homozygous, 1);
    cm_vcf_close(reader);
    // AD all zero: VAF unknown rather than a division by zero
    assert_int_equal(one_record("", "GT:AD", "0/1:0,0", "T", &reader, &a), 1);
    assert_true(isnan(a[0].vaf));
    assert_int_equal(a[0].depth, 0);
    cm_vcf_close(reader);
}

// Which value the VAF is, and what AD says beside it (docs/alterations.md, "VAF and depth").
static void test_vaf_source(void **state)
{
    (void)state;
    cm_vcf_reader *reader;
    const cm_alteration *a;
    // Mutect2-like: AF 0.058 from the caller's model, AD 577,23 (23/600 = 0.0383): AF is used,
    // AD's fraction is kept beside it
    assert_int_equal(one_record(AF_A, "GT:AD:AF:DP", "0/1:577,23:0.058:600", "T", &reader, &a), 1);
    assert_int_equal(a[0].vaf_source, CM_VAF_ALLELE_FRACTION);
    assert_true(fabs(a[0].vaf - 0.058) < 1e-6);
    assert_true(fabs(a[0].vaf_ad - 23.0 / 600) < 1e-12);
    assert_string_equal(cm_vaf_source_name(a[0].vaf_source), "AF");
    cm_vcf_close(reader);
    // Multi-allelic: each ALT's own AD over the sum of AD
    assert_int_equal(one_record(AF_A, "GT:AF:AD", "1/2:0.25,0.5:10,5,10", "T,C", &reader, &a), 2);
    assert_int_equal(a[1].vaf_source, CM_VAF_ALLELE_FRACTION);
    assert_true(fabs(a[0].vaf_ad - 0.2) < 1e-12);
    assert_true(fabs(a[1].vaf_ad - 0.4) < 1e-12);
    cm_vcf_close(reader);
    // No AF: the VAF is AD's, and vaf_ad the same value
    assert_int_equal(one_record("", "GT:AD", "0/1:30,10", "T", &reader, &a), 1);
    assert_int_equal(a[0].vaf_source, CM_VAF_READ_COUNTS);
    assert_true(fabs(a[0].vaf - 0.25) < 1e-12);
    assert_true(a[0].vaf_ad == a[0].vaf);
    assert_string_equal(cm_vaf_source_name(a[0].vaf_source), "AD");
    cm_vcf_close(reader);
    // AF Number=1 on a multi-allelic record is ambiguous: AD's
    assert_int_equal(one_record(AF_1, "GT:AF:AD", "1/2:0.9:10,5,5", "T,C", &reader, &a), 2);
    assert_int_equal(a[0].vaf_source, CM_VAF_READ_COUNTS);
    cm_vcf_close(reader);
    // AF without AD: AF's, nothing beside it
    assert_int_equal(one_record(AF_A, "GT:AF", "0/1:0.3", "T", &reader, &a), 1);
    assert_int_equal(a[0].vaf_source, CM_VAF_ALLELE_FRACTION);
    assert_true(isnan(a[0].vaf_ad));
    cm_vcf_close(reader);
    // AD all zero and no AF: no VAF, no source
    assert_int_equal(one_record("", "GT:AD", "0/1:0,0", "T", &reader, &a), 1);
    assert_int_equal(a[0].vaf_source, CM_VAF_UNKNOWN);
    assert_true(isnan(a[0].vaf_ad));
    assert_null(cm_vaf_source_name(a[0].vaf_source));
    cm_vcf_close(reader);
    // Nothing at all
    assert_int_equal(one_record("", "GT", "0/1", "T", &reader, &a), 1);
    assert_int_equal(a[0].vaf_source, CM_VAF_UNKNOWN);
    cm_vcf_close(reader);
}

static void test_carries(void **state)
{
    (void)state;
    cm_vcf_reader *reader;
    const cm_alteration *a;
    // GT 0/0: no alteration, even with reads for the ALT
    assert_int_equal(one_record("", "GT:AD", "0/0:30,2", "T", &reader, &a), 0);
    assert_int_equal(cm_vcf_get_stats(reader)->not_carried, 1);
    cm_vcf_close(reader);
    // GT 0/2: only the second ALT
    assert_int_equal(one_record("", "GT:AD", "0/2:30,0,9", "T,C", &reader, &a), 1);
    assert_int_equal(a[0].allele, 2);
    assert_slice(a[0].alt, "C");
    cm_vcf_close(reader);
    // No call: the reads decide
    assert_int_equal(one_record("", "GT:AD", "./.:30,0,9", "T,C", &reader, &a), 1);
    assert_int_equal(a[0].allele, 2);
    cm_vcf_close(reader);
    assert_int_equal(one_record(AF_A, "AF", "0,0.3", "T,C", &reader, &a), 1);
    assert_int_equal(a[0].allele, 2);
    cm_vcf_close(reader);
    // No GT, AF or AD at all: the record is the evidence
    assert_int_equal(one_record("", "DP", "30", "T", &reader, &a), 1);
    assert_int_equal(a[0].depth, 30);
    cm_vcf_close(reader);
    // Haploid call: one copy, not homozygous
    assert_int_equal(one_record("", "GT", "1", "T", &reader, &a), 1);
    assert_int_equal(a[0].is_homozygous, 0);
    cm_vcf_close(reader);
    // Phased hom-alt
    assert_int_equal(one_record("", "GT", "1|1", "T", &reader, &a), 1);
    assert_int_equal(a[0].is_homozygous, 1);
    cm_vcf_close(reader);
}

static void test_filter_and_skipped_alleles(void **state)
{
    (void)state;
    const char *text = HEADER_START COLUMNS "\tS\n"
                                            "chr1\t100\t.\tA\tT\t.\tLowQual\t.\tGT\t0/1\n"
                                            "chr1\t101\t.\tA\tT\t.\t.\t.\tGT\t0/1\n"
                                            "chr1\t102\t.\tA\tT,*\t.\tPASS\t.\tGT\t1/2\n"
                                            "chr1\t103\t.\tA\t<DEL>\t.\tPASS\t.\tGT\t0/1\n"
                                            "chr1\t104\t.\tA\tT,<NON_REF>\t.\tPASS\t.\tGT\t0/1\n"
                                            "chr1\t105\t.\tA\tA[chr1:200[\t.\tPASS\t.\tGT\t0/1\n"
                                            "chr1\t106\t.\tA\t.\t.\tPASS\t.\tGT\t0/0\n"
                                            "\n";
    cm_error err;
    cm_vcf_reader *reader = open_text(text, NULL, &err);
    assert_non_null(reader);
    const cm_alteration *a;
    assert_int_equal(next(reader, &a), 1);
    assert_int_equal(a[0].is_pass, 0);
    assert_int_equal(next(reader, &a), 1);
    assert_int_equal(a[0].is_pass, 1);
    assert_int_equal(next(reader, &a), 1);
    assert_int_equal(a[0].is_pass, 1);
    assert_slice(a[0].alt, "T");
    assert_int_equal(next(reader, &a), 0);
    assert_int_equal(next(reader, &a), 1);
    assert_int_equal(next(reader, &a), 0);
    assert_int_equal(next(reader, &a), 0);
    size_t n;
    assert_int_equal(cm_vcf_next(reader, &a, &n, &err), 0); // the blank last line is no record
    const cm_vcf_stats *stats = cm_vcf_get_stats(reader);
    assert_int_equal(stats->records, 7);
    assert_int_equal(stats->alterations, 4);
    assert_int_equal(stats->skipped[CM_VCF_SKIP_SPANNING_DELETION], 1);
    // <DEL> names no gene; the breakend's mate (chr1:200) never comes.
    assert_int_equal(stats->skipped[CM_VCF_SKIP_SYMBOLIC], 0);
    assert_int_equal(stats->skipped[CM_VCF_SKIP_COPY_NUMBER_NO_GENE], 1);
    assert_int_equal(stats->skipped[CM_VCF_SKIP_UNPAIRED_BREAKEND], 1);
    assert_int_equal(stats->skipped[CM_VCF_SKIP_NON_REF], 1);
    assert_int_equal(stats->skipped[CM_VCF_SKIP_NO_ALT], 1);
    assert_string_equal(cm_vcf_skip_name(CM_VCF_SKIP_SYMBOLIC), "symbolic_allele");
    assert_string_equal(cm_vcf_skip_name(CM_VCF_SKIP_CSQ_ALLELE_UNMATCHED), "csq_allele_unmatched");
    cm_vcf_close(reader);
}

static void test_annotation_joined(void **state)
{
    (void)state;
    const char *text = HEADER_START COLUMNS
        "\tS\n"
        "chr1\t100\t.\tAG\tA,AGG\t.\tPASS\tCSQ=-|frameshift_variant|BRCA2|E1|YES,"
        "-|intron_variant|X|E2|,G|frameshift_variant|BRCA2|E1|YES,"
        "GG|frameshift_variant|BRCA2|E1|YES\tGT:AD\t1/2:10,5,5\n";
    cm_error err;
    cm_vcf_reader *reader = open_text(text, NULL, &err);
    assert_non_null(reader);
    const cm_alteration *a;
    assert_int_equal(next(reader, &a), 3);
    assert_int_equal(a[0].allele, 1);
    assert_slice(a[0].gene, "BRCA2");
    assert_slice(a[0].chrom, "chr1");
    assert_int_equal(a[0].pos, 100);
    assert_slice(a[0].ref, "AG");
    assert_slice(a[0].alt, "A");
    assert_int_equal(a[0].is_preferred, 1);
    assert_true(fabs(a[0].vaf - 0.25) < 1e-9);
    assert_slice(a[1].gene, "X");
    assert_int_equal(a[2].allele, 2);
    assert_slice(a[2].alt, "AGG");
    assert_int_equal(cm_vcf_get_stats(reader)->skipped[CM_VCF_SKIP_CSQ_ALLELE_UNMATCHED], 1);
    cm_vcf_close(reader);
}

static void expect_record_error(const char *header_extra, const char *line, int line_number,
                                const char *message)
{
    char text[4096];
    snprintf(text, sizeof text, HEADER_START "%s" COLUMNS "\tS\n%s\n", header_extra, line);
    cm_error err;
    cm_vcf_reader *reader = open_text(text, NULL, &err);
    assert_non_null(reader);
    const cm_alteration *a;
    size_t n;
    cm_error_clear(&err);
    assert_int_equal(cm_vcf_next(reader, &a, &n, &err), -1);
    assert_int_equal(err.line, line_number);
    assert_string_equal(err.message, message);
    assert_non_null(strstr(err.file, temp_dir));
    cm_vcf_close(reader);
}

static void test_record_errors(void **state)
{
    (void)state;
    // HEADER_START and #CHROM are 9 lines: the record is line 10 (11 with the AF line).
    expect_record_error(AF_A, "chr1\t100\t.\tA\tT\t.\tPASS\t.\tGT:AF\t0/1:1.3", 11,
                        "FORMAT/AF 1.3 for sample S is not between 0 and 1");
    expect_record_error(AF_A, "chr1\t100\t.\tA\tT\t.\tPASS\t.\tGT:AF\t0/1:-0.1", 11,
                        "FORMAT/AF -0.1 for sample S is not between 0 and 1");
    expect_record_error("", "chr1\t100\t.\tA\tT\t.\tPASS\t.\tGT:AD\t0/1:3,x", 10,
                        "FORMAT/AD value 'x' for sample S is not a number");
    expect_record_error("", "chr1\t100\t.\tA\tT\t.\tPASS\t.\tGT:AD\t0/1:-3,2", 10,
                        "FORMAT/AD -3 for sample S is negative");
    expect_record_error("", "chr1\t100\t.\tA\tT\t.\tPASS\t.\tGT:DP\t0/1:1.5", 10,
                        "FORMAT/DP value '1.5' for sample S is not a number");
    expect_record_error("", "chr1\t100\t.\tA\tT\tgood\tPASS\t.\tGT\t0/1", 10,
                        "QUAL 'good' is not a number");
    expect_record_error("", "chr1\t100\t.\tA\tT\t.\tPASS", 10,
                        "expected 10 tab-separated columns (8 fixed, FORMAT and 1 sample), "
                        "found 7");
    expect_record_error("", "chr1\tx100\t.\tA\tT\t.\tPASS\t.\tGT\t0/1", 10,
                        "POS 'x100' is not a number");
    expect_record_error("", "##late=header\tx", 10, "a header line after the first record");
    expect_record_error("", "chr1\t100\t.\tA\tT\t.\tPASS\tCSQ=T|missense_variant|A|B|C|D\tGT\t0/1",
                        10, "INFO/CSQ entry 1 has 6 fields, the header declares 5");
}

// Issue 7 (found by the bad-input corpus): a value htslib refuses in the second sample's
// column was reported as "invalid character in a field htslib could not parse", because the
// explanation cut the line after the first sample.
static void test_record_errors_later_sample(void **state)
{
    (void)state;
    const char *text = HEADER_START AF_A COLUMNS "\tNORMAL\tTUMOUR\n"
                                                 "chr1\t100\t.\tA\tT\t.\tPASS\t.\tGT:AD:AF:DP\t"
                                                 "0/0:40,0:0:40\t0/1:80,40:0.33:deep\n"
                                                 "chr1\t200\t.\tA\tT\t.\tPASS\t.\tGT:AD\t"
                                                 "0/0:40,0\t0/1:80,40.5\n";
    cm_error err;
    cm_vcf_reader *reader = open_text(text, NULL, &err);
    assert_non_null(reader);
    const cm_alteration *a;
    size_t n;
    assert_int_equal(cm_vcf_next(reader, &a, &n, &err), -1);
    assert_int_equal(err.line, 11);
    assert_string_equal(err.message, "FORMAT/DP value 'deep' for sample TUMOUR is not a number");
    cm_vcf_close(reader);

    // The same with the second record alone, behind a good one.
    const char *second = HEADER_START AF_A COLUMNS "\tNORMAL\tTUMOUR\n"
                                                   "chr1\t200\t.\tA\tT\t.\tPASS\t.\tGT:AD\t"
                                                   "0/0:40,0\t0/1:80,40\n"
                                                   "chr1\t300\t.\tA\tT\t.\tPASS\t.\tGT:AD\t"
                                                   "0/0:40,0\t0/1:80,40.5\n";
    reader = open_text(second, NULL, &err);
    assert_non_null(reader);
    assert_int_equal(cm_vcf_next(reader, &a, &n, &err), 1);
    assert_int_equal(cm_vcf_next(reader, &a, &n, &err), -1);
    assert_int_equal(err.line, 12);
    assert_string_equal(err.message, "FORMAT/AD value '40.5' for sample TUMOUR is not a number");
    cm_vcf_close(reader);
}

static void test_open_errors(void **state)
{
    (void)state;
    cm_error err;
    cm_vcf_options options = {NULL, 0, 1, CM_ANNOTATION_NONE, NULL, NULL, 0};
    cm_error_clear(&err);
    assert_null(cm_vcf_open("/nonexistent/x.vcf", &options, &err));
    assert_string_equal(err.file, "/nonexistent/x.vcf");
    assert_string_equal(err.message, "cannot open: No such file or directory");

    const char *plain = write_temp("chrom\tpos\nchr1\t3\n", ".txt");
    assert_null(cm_vcf_open(plain, &options, &err));
    assert_string_equal(err.message,
                        "not a VCF or BCF file (text without a ##fileformat=VCF first line)");

    // Binary content htslib does not recognise: it fails with ENOEXEC, which is no reason
    // to print "Exec format error" (issue 7).
    const char *binary = write_temp("\x7f"
                                    "ELF\x02\x01\x01garbage\xff\xfe",
                                    ".vcf");
    assert_null(cm_vcf_open(binary, &options, &err));
    assert_string_equal(err.message, "not a VCF or BCF file (unrecognised content)");

    const char *empty = write_temp("", ".vcf");
    assert_null(cm_vcf_open(empty, &options, &err));
    assert_string_equal(err.message, "not a VCF or BCF file (empty)");

    const char *no_chrom = write_temp("##fileformat=VCFv4.2\n##contig=<ID=1>\n", ".vcf");
    assert_null(cm_vcf_open(no_chrom, &options, &err));
    assert_string_equal(err.message, "the header has no #CHROM line");

    const char *unannotated = write_temp("##fileformat=VCFv4.2\n" COLUMNS "\tS\n", ".vcf");
    assert_null(cm_vcf_open(unannotated, &options, &err));
    assert_string_equal(err.message, "no annotation in the header (VEP CSQ, SnpEff ANN, "
                                     "bcftools csq BCSQ or PAVE IMPACT expected)");
    options.require_annotation = 0;
    cm_vcf_reader *reader = cm_vcf_open(unannotated, &options, &err);
    assert_non_null(reader);
    assert_int_equal(cm_vcf_annotation_kind(reader), CM_ANNOTATION_NONE);
    assert_null(cm_vcf_annotation_tag(reader));
    assert_int_equal(cm_vcf_genome_build(reader), CM_BUILD_UNKNOWN);
    cm_vcf_close(reader);
    cm_vcf_close(NULL);
}

// Copies a text VCF to BGZF and to BCF with htslib; every format must give the same alterations,
// and a BCF error names the record instead of a line.
static void test_bgzf_and_bcf(void **state)
{
    (void)state;
    const char *text =
        HEADER_START AF_A COLUMNS "\tS\n"
                                  "chr1\t100\t.\tA\tT\t.\tPASS\tCSQ=T|missense_variant|"
                                  "KRAS|ENST1|YES\tGT:AD:AF\t0/1:10,10:0.5\n"
                                  "chr1\t200\t.\tA\tT\t.\tPASS\t.\tGT:AD:AF\t0/1:10,10:1.5\n";
    const char *vcf = write_temp(text, ".vcf");
    char gz[600], bcf[600];
    snprintf(gz, sizeof gz, "%s.gz", vcf);
    snprintf(bcf, sizeof bcf, "%s.bcf", vcf);
    BGZF *out = bgzf_open(gz, "w");
    assert_non_null(out);
    assert_true(bgzf_write(out, text, strlen(text)) == (ssize_t)strlen(text));
    assert_int_equal(bgzf_close(out), 0);

    htsFile *in = hts_open(vcf, "r");
    bcf_hdr_t *hdr = bcf_hdr_read(in);
    htsFile *bout = hts_open(bcf, "wb");
    assert_int_equal(bcf_hdr_write(bout, hdr), 0);
    bcf1_t *rec = bcf_init();
    while (bcf_read(in, hdr, rec) == 0)
        assert_int_equal(bcf_write(bout, hdr, rec), 0);
    bcf_destroy(rec);
    bcf_hdr_destroy(hdr);
    hts_close(in);
    hts_close(bout);

    const char *paths[] = {vcf, gz, bcf};
    for (int i = 0; i < 3; i++) {
        cm_error err;
        cm_error_clear(&err);
        cm_vcf_options options = {NULL, 2, 1, CM_ANNOTATION_NONE, NULL, NULL, 0};
        cm_vcf_reader *reader = cm_vcf_open(paths[i], &options, &err);
        assert_non_null(reader);
        const cm_alteration *a;
        assert_int_equal(next(reader, &a), 1);
        assert_slice(a[0].gene, "KRAS");
        assert_true(fabs(a[0].vaf - 0.5) < 1e-6);
        assert_int_equal(a[0].depth, 20);
        assert_int_equal(cm_vcf_line(reader), i < 2 ? 11 : 0);
        size_t n;
        assert_int_equal(cm_vcf_next(reader, &a, &n, &err), -1);
        if (i < 2) {
            assert_int_equal(err.line, 12);
            assert_string_equal(err.message, "FORMAT/AF 1.5 for sample S is not between 0 and 1");
        } else {
            assert_int_equal(err.line, 0);
            assert_string_equal(
                err.message, "record chr1:200: FORMAT/AF 1.5 for sample S is not between 0 and 1");
        }
        cm_vcf_close(reader);
    }

    // A BGZF file cut short: the end-of-file marker is missing.
    FILE *fp = fopen(gz, "rb");
    char buffer[65536];
    size_t len = fread(buffer, 1, sizeof buffer, fp);
    fclose(fp);
    fp = fopen(gz, "wb");
    fwrite(buffer, 1, len - 30, fp);
    fclose(fp);
    cm_error err;
    cm_vcf_options options = {NULL, 0, 1, CM_ANNOTATION_NONE, NULL, NULL, 0};
    assert_null(cm_vcf_open(gz, &options, &err));
    assert_string_equal(err.message, "truncated file: the BGZF end-of-file marker is missing");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples_tumor_sample_header),
        cmocka_unit_test(test_samples_default_and_sites_only),
        cmocka_unit_test(test_tumor_sample_not_in_file),
        cmocka_unit_test(test_vaf_and_depth),
        cmocka_unit_test(test_vaf_source),
        cmocka_unit_test(test_carries),
        cmocka_unit_test(test_filter_and_skipped_alleles),
        cmocka_unit_test(test_annotation_joined),
        cmocka_unit_test(test_record_errors),
        cmocka_unit_test(test_record_errors_later_sample),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_bgzf_and_bcf),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
