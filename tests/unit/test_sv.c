/*
 * Unit tests of the reader's structural records (src/vcf/sv.c through
 * vcf.h): where a copy number comes from (FORMAT/CN as Integer or Float,
 * INFO/CN, CNVkit's fold changes), which genes a segment names (INFO/GENE,
 * GENES, the BED, nothing), breakend pairing by MATEID and by bracket
 * position, the caller's GENEA/GENEB, and the errors (negative CN, orphan
 * MATEID, bad BED lines) with their file and line.
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

#include <htslib/hts.h>

#include "cohortmatch/vcf.h"

#define HEADER                                                                                     \
    "##fileformat=VCFv4.2\n"                                                                       \
    "##contig=<ID=chr1,length=248956422>\n"                                                        \
    "##contig=<ID=chr2,length=242193529>\n"                                                        \
    "##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"SV type\">\n"                            \
    "##INFO=<ID=END,Number=1,Type=Integer,Description=\"End\">\n"                                  \
    "##INFO=<ID=CN,Number=1,Type=Integer,Description=\"Copy number\">\n"                           \
    "##INFO=<ID=GENE,Number=.,Type=String,Description=\"Genes\">\n"                                \
    "##INFO=<ID=GENES,Number=.,Type=String,Description=\"Genes\">\n"                               \
    "##INFO=<ID=FOLD_CHANGE,Number=1,Type=Float,Description=\"Fold change\">\n"                    \
    "##INFO=<ID=FOLD_CHANGE_LOG,Number=1,Type=Float,Description=\"log2 fold change\">\n"           \
    "##INFO=<ID=MATEID,Number=.,Type=String,Description=\"Mate\">\n"                               \
    "##INFO=<ID=GENEA,Number=1,Type=String,Description=\"5' gene\">\n"                             \
    "##INFO=<ID=GENEB,Number=1,Type=String,Description=\"3' gene\">\n"                             \
    "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"                             \
    "##FORMAT=<ID=CN,Number=1,Type=Float,Description=\"Copy number\">\n"                           \
    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS\n"

static char temp_dir[256];
static int temp_count;

static int make_temp_dir(void **state)
{
    (void)state;
    snprintf(temp_dir, sizeof temp_dir, "/tmp/cm_test_sv_XXXXXX");
    return mkdtemp(temp_dir) ? 0 : -1;
}

static int remove_temp_dir(void **state)
{
    (void)state;
    char command[512];
    snprintf(command, sizeof command, "rm -rf '%s'", temp_dir);
    return system(command) == 0 ? 0 : -1;
}

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

static cm_vcf_reader *open_text(const char *records, const char *bed, cm_error *err)
{
    char text[8192];
    snprintf(text, sizeof text, "%s%s", HEADER, records);
    cm_vcf_options options = {NULL, 0, 0, CM_ANNOTATION_NONE, NULL, NULL, 0};
    options.genes_bed = bed ? write_temp(bed, ".bed") : NULL;
    cm_error_clear(err);
    return cm_vcf_open(write_temp(text, ".vcf"), &options, err);
}

static void assert_slice(cm_slice slice, const char *text)
{
    char buffer[256];
    snprintf(buffer, sizeof buffer, "%.*s", slice.len, slice.s ? slice.s : "");
    assert_string_equal(buffer, text);
}

static void test_copy_number_sources(void **state)
{
    (void)state;
    cm_error err;
    cm_vcf_reader *r = open_text(
        "chr1\t100\t.\tN\t<DUP>\t.\tPASS\tSVTYPE=DUP;END=200;GENE=ERBB2\tGT:CN\t0/1:7.5\n"
        "chr1\t300\t.\tN\t<DUP>\t.\tPASS\tSVTYPE=DUP;END=400;CN=9;GENES=MYC,PVT1\tGT\t0/1\n"
        "chr1\t500\t.\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=600;FOLD_CHANGE_LOG=-1;GENE=PTEN\tGT\t0/"
        "1\n"
        "chr1\t700\t.\tN\t<DUP>\t.\tPASS\tSVTYPE=DUP;END=800;FOLD_CHANGE=3;GENE=MET\tGT\t0/1\n"
        "chr1\t900\t.\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=950;GENE=RB1\tGT\t1/1\n"
        "chr1\t1000\t.\tN\t<CN0>\t.\tPASS\tSVTYPE=CNV;END=1100\tGT:CN\t1/1:0\n",
        "chr1\t1049\t1200\tCDKN2A\nchr1\t1050\t1060\tCDKN2B\nchr2\t1000\t1100\tOTHER\n", &err);
    assert_non_null(r);
    const cm_alteration *a;
    size_t n;
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_int_equal(n, 1);
    assert_int_equal(a[0].kind, CM_ALTERATION_COPY_NUMBER);
    assert_slice(a[0].gene, "ERBB2");
    assert_true(a[0].copy_number == 7.5);
    assert_int_equal(a[0].cnv, 0);
    assert_true(isnan(a[0].vaf));
    assert_int_equal(a[0].depth, -1);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_int_equal(n, 2);
    assert_slice(a[0].gene, "MYC");
    assert_slice(a[1].gene, "PVT1");
    assert_true(a[1].copy_number == 9);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_true(fabs(a[0].copy_number - 1.0) < 1e-9); // 2 x 2^-1
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_true(fabs(a[0].copy_number - 6.0) < 1e-6); // 2 x 3
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_slice(a[0].gene, "RB1");
    assert_true(isnan(a[0].copy_number)); // an SV caller's <DEL>: no copy number
    assert_int_equal(a[0].is_homozygous, 1);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_int_equal(n, 2); // the BED genes that overlap 1000..1100 on chr1
    assert_slice(a[0].gene, "CDKN2A");
    assert_slice(a[1].gene, "CDKN2B");
    assert_true(a[0].copy_number == 0);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 0);
    cm_vcf_close(r);
}

// umccrise's SIMPLE_ANN entries that name one gene: an exon deletion (AstraZeneca's EXON_DEL
// with its exons and transcript, umccr's exon_loss without them) is the gene's exon loss; the
// rest (a break upstream of a gene, a detail that names no exons) is counted.
static void test_simple_ann_exon_deletions(void **state)
{
    (void)state;
    char text[4096];
    snprintf(text, sizeof text, "%s",
             "##fileformat=VCFv4.2\n"
             "##contig=<ID=chr13,length=114364328>\n"
             "##INFO=<ID=SVTYPE,Number=1,Type=String,Description=\"SV type\">\n"
             "##INFO=<ID=END,Number=1,Type=Integer,Description=\"End\">\n"
             "##INFO=<ID=SIMPLE_ANN,Number=.,Type=String,Description=\"Simplified structural "
             "variant annotation: 'SVTYPE | ANNOTATION | GENE(s) | TRANSCRIPT | DETAIL (exon "
             "losses, KNOWN_FUSION, ON_PRIORITY_LIST, NOT_PRIORITISED) | PRIORITY (1-4)'\">\n"
             "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
             "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS\n"
             "chr13\t32900000\t.\tN\t<DEL>\t.\tPASS\tSVTYPE=DEL;END=32920000;SIMPLE_ANN="
             "DEL|EXON_DEL|BRCA2|NM_000059|Exon10-12del|2,"
             "DEL|exon_loss|RB1|ENST00000267163&ENST00000650461|key_gene|2,"
             "DEL|UPSTREAM_GENE_VARIANT|N4BP2L1|ENST00000380250|NOT_PRIORITISED|3,"
             "DEL|EXON_DEL|BRCA2|NM_000059|Exon12-10del|2,"
             "DEL|EXON_DEL|PDS5B|NM_015032|Exon7del\tGT\t0/1\n");
    cm_vcf_options options = {NULL, 0, 0, CM_ANNOTATION_NONE, NULL, NULL, 0};
    cm_error err;
    cm_error_clear(&err);
    cm_vcf_reader *r = cm_vcf_open(write_temp(text, ".vcf"), &options, &err);
    assert_non_null(r);
    const cm_alteration *a;
    size_t n;
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_int_equal(n, 3);
    static const struct {
        const char *gene, *transcript;
        int exon, exon_last;
    } want[] = {{"BRCA2", "NM_000059", 10, 12}, {"RB1", "", 0, 0}, {"PDS5B", "NM_015032", 7, 0}};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(a[i].kind, CM_ALTERATION_SMALL);
        assert_slice(a[i].gene, want[i].gene);
        assert_slice(a[i].transcript, want[i].transcript);
        assert_int_equal(a[i].exon, want[i].exon);
        assert_int_equal(a[i].exon_last, want[i].exon_last);
        assert_true(a[i].consequence == CM_SO_BIT(CM_SO_EXON_LOSS_VARIANT));
        assert_slice(a[i].partner, "");
        assert_slice(a[i].messages, "SIMPLE_ANN");
        assert_slice(a[i].alt, "<DEL>");
        assert_int_equal(a[i].pos, 32900000);
    }
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 0);
    const cm_vcf_stats *stats = cm_vcf_get_stats(r);
    assert_int_equal(stats->skipped[CM_VCF_SKIP_SIMPLE_ANN_NOT_READ], 2);
    assert_int_equal(stats->skipped[CM_VCF_SKIP_COPY_NUMBER_NO_GENE], 1);
    cm_vcf_close(r);
}

static void test_breakends(void **state)
{
    (void)state;
    cm_error err;
    cm_vcf_reader *r = open_text(
        // A caller's 5'/3' genes on a MATEID pair: one fusion, at the second mate.
        "chr1\t100\tb1\tA\tA[chr2:500[\t.\tPASS\tSVTYPE=BND;MATEID=b2;GENEA=EML4;GENEB=ALK\tGT\t0/"
        "1\n"
        "chr1\t150\t.\tN\t<DUP>\t.\tPASS\tSVTYPE=DUP;END=200\tGT\t0/1\n"
        "chr2\t500\tb2\tC\t]chr1:100]C\t.\tPASS\tSVTYPE=BND;MATEID=b1;GENEA=EML4;GENEB=ALK\tGT\t0/"
        "1\n"
        // Bracket pairing without ids: the genes from the BED at each mate.
        "chr1\t1000\t.\tG\t[chr2:2000[G\t.\tPASS\tSVTYPE=BND\tGT\t0/1\n"
        "chr2\t2000\t.\tT\t[chr1:1000[T\t.\tPASS\tSVTYPE=BND\tGT\t0/1\n"
        // A breakend whose bracket mate never comes: counted at the end.
        "chr2\t3000\t.\tT\tT]chr1:9999]\t.\tPASS\tSVTYPE=BND\tGT\t0/1\n",
        "chr1\t990\t1010\tTPM3\t0\t-\nchr2\t1990\t2010\tNTRK1\t0\t+\n", &err);
    assert_non_null(r);
    const cm_alteration *a;
    size_t n;
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_int_equal(n, 0);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1); // the <DUP> names no gene
    assert_int_equal(n, 0);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_int_equal(n, 1);
    assert_int_equal(a[0].kind, CM_ALTERATION_FUSION);
    assert_slice(a[0].gene, "EML4");
    assert_slice(a[0].partner, "ALK");
    assert_int_equal(a[0].is_five_prime, 1);
    assert_int_equal(a[0].in_frame, -1);
    assert_int_equal(a[0].pos, 500);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_int_equal(n, 0);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_int_equal(n, 1);
    // Both mates keep their right side ([p[t): TPM3 (-) gives its 5' part, NTRK1 (+) its 3'
    // part, as in the TPM3-NTRK1 fusion.
    assert_slice(a[0].gene, "TPM3");
    assert_slice(a[0].partner, "NTRK1");
    assert_int_equal(a[0].is_five_prime, 1);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 0);
    const cm_vcf_stats *stats = cm_vcf_get_stats(r);
    assert_int_equal(stats->skipped[CM_VCF_SKIP_COPY_NUMBER_NO_GENE], 1);
    assert_int_equal(stats->skipped[CM_VCF_SKIP_UNPAIRED_BREAKEND], 1);
    cm_vcf_close(r);
}

static void test_uncalled_genotypes(void **state)
{
    (void)state;
    // A CNV caller that writes no called GT: the sample with a copy number of its own carries
    // the segment, the one without does not.
    // HEADER ends with the one sample column "S"; this file has two, T and N.
    char text[4096];
    size_t header_len = strlen(HEADER) - strlen("S\n");
    snprintf(
        text, sizeof text, "%.*sT\tN\n%s", (int)header_len, HEADER,
        "chr1\t100\t.\tN\t<DUP>\t.\tPASS\tSVTYPE=DUP;END=200;GENE=ERBB2\tGT:CN\t./.:9\t./.:.\n");
    cm_vcf_options options = {NULL, 0, 0, CM_ANNOTATION_NONE, NULL, NULL, 0};
    cm_error err;
    cm_error_clear(&err);
    cm_vcf_reader *r = cm_vcf_open(write_temp(text, ".vcf"), &options, &err);
    assert_non_null(r);
    const cm_alteration *a;
    size_t n;
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_int_equal(n, 1);
    assert_int_equal(a[0].sample, 0);
    assert_true(a[0].copy_number == 9);
    assert_int_equal(cm_vcf_get_stats(r)->not_carried, 1);
    cm_vcf_close(r);
}

static void test_errors(void **state)
{
    (void)state;
    cm_error err;
    const cm_alteration *a;
    size_t n;
    cm_vcf_reader *r = open_text(
        "chr1\t100\t.\tN\t<DUP>\t.\tPASS\tSVTYPE=DUP;END=200;GENE=X;CN=-1\tGT\t0/1\n", NULL, &err);
    assert_non_null(r);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), -1);
    assert_int_equal(err.line, 17);
    assert_string_equal(err.message, "INFO/CN -1 is not a copy number (>= 0)");
    cm_vcf_close(r);

    r = open_text("chr1\t100\tb1\tA\tA[chr2:500[\t.\tPASS\tSVTYPE=BND;MATEID=b2\tGT\t0/1\n"
                  "chr1\t200\t.\tA\tT\t.\tPASS\t.\tGT\t0/1\n",
                  NULL, &err);
    assert_non_null(r);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), 1);
    assert_int_equal(cm_vcf_next(r, &a, &n, &err), -1);
    assert_int_equal(err.line, 17);
    assert_string_equal(err.message, "breakend 'b1' names MATEID 'b2', which is not in the file");
    cm_vcf_close(r);

    assert_null(open_text("", "chr1\t10\n", &err));
    assert_int_equal(err.line, 1);
    assert_null(open_text("", "# genes\nchr1\tx\t20\tG\n", &err));
    assert_int_equal(err.line, 2);
    assert_string_equal(err.message,
                        "start 'x' and end '20' are not whole numbers with start <= end");
    assert_null(open_text("", "chr1\t30\t20\tG\n", &err));
}

int main(void)
{
    hts_set_log_level(HTS_LOG_OFF);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_number_sources),
        cmocka_unit_test(test_breakends),
        cmocka_unit_test(test_simple_ann_exon_deletions),
        cmocka_unit_test(test_uncalled_genotypes),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
