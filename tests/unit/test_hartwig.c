/*
 * Unit tests of the Hartwig table readers (src/input/purple.c gene copy number and driver
 * catalog, src/input/linx.c): the real LINX file of hmftools' test run in both layouts, the
 * PURPLE fixtures of the same sample (testdata/README.md), exact alterations, skip counts,
 * the link between the catalog and the gene table, and every error with its file and line.
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

#include "cohortmatch/input.h"

#define DATA(name) CM_TESTDATA_DIR "/" name

static char *text_of(cm_slice s)
{
    static char buffers[4][256];
    static int next;
    char *b = buffers[next++ % 4];
    snprintf(b, sizeof buffers[0], "%.*s", s.len, s.s ? s.s : "");
    return b;
}

static cm_input *open_input(const char *path, cm_input_format format)
{
    cm_error err;
    cm_error_clear(&err);
    cm_input_options options;
    memset(&options, 0, sizeof options);
    options.format = format;
    options.index = 2;
    cm_input *input = cm_input_open(path, &options, &err);
    if (!input)
        fail_msg("%s: %s", path, err.message);
    return input;
}

// Reads every alteration of an input into one line each: "gene|partner|five|frame|line|msg"
// for fusions, "gene|transcript|copies|cnv|line|msg" for copy number.
static size_t read_all(cm_input *input, char lines[][128], size_t max)
{
    cm_error err;
    cm_error_clear(&err);
    const cm_alteration *batch;
    size_t n, count = 0;
    int got;
    while ((got = cm_input_next(input, &batch, &n, &err)) == 1)
        for (size_t i = 0; i < n; i++) {
            const cm_alteration *a = &batch[i];
            assert_true(count < max);
            assert_int_equal(a->sample, 0);
            assert_int_equal(a->input, 2);
            if (a->kind == CM_ALTERATION_SMALL) // an exon deletion or duplication
                snprintf(lines[count++], 128, "%s|%s|%d-%d|%llx|%d|%d|%s", text_of(a->gene),
                         text_of(a->transcript), a->exon, a->exon_last,
                         (unsigned long long)a->consequence, a->in_frame, a->line,
                         text_of(a->messages));
            else if (a->kind == CM_ALTERATION_FUSION)
                snprintf(lines[count++], 128, "%s|%s|%d|%d|%d|%s", text_of(a->gene),
                         text_of(a->partner), a->is_five_prime, a->in_frame, a->line,
                         text_of(a->messages));
            else
                snprintf(lines[count++], 128, "%s|%s|%g|%u|%d|%s", text_of(a->gene),
                         text_of(a->transcript), a->copy_number, a->cnv, a->line,
                         text_of(a->messages));
        }
    if (got < 0)
        fail_msg("%s", err.message);
    return count;
}

static uint64_t skipped(cm_input *input, const char *cause)
{
    const cm_input_stats *stats = cm_input_get_stats(input);
    for (size_t i = 0; i < stats->n_skipped; i++)
        if (strcmp(stats->skipped[i].name, cause) == 0)
            return stats->skipped[i].value;
    fail_msg("no skip cause %s", cause);
    return 0;
}

static const char *const linx_want[] = {
    "TMPRSS2|ERG|1|1|3|KNOWN_PAIR",
    "MIA2|BRAF|1|1|4|PROMISCUOUS_3",
    "FGFR2|CDYL|1|1|5|PROMISCUOUS_5",
};

// The real LINX 1.2x file and the same rows as the current writer writes them (no
// geneStart/geneEnd: partners from the name): the same fusions; DMD_DMD (one gene, not
// reported) is counted.
static void test_linx_real_both_layouts(void **state)
{
    (void)state;
    const char *paths[] = {DATA("hmftools/TUMOR_SAMPLE.linx.fusion.tsv"),
                           DATA("hmftools/TUMOR_SAMPLE.head.linx.fusion.tsv")};
    for (size_t p = 0; p < 2; p++) {
        cm_input *input = open_input(paths[p], CM_INPUT_UNKNOWN);
        assert_int_equal(cm_input_get_format(input), CM_INPUT_LINX_FUSIONS);
        assert_int_equal(cm_input_n_samples(input), 1);
        assert_null(cm_input_sample_name(input, 0));
        char lines[8][128];
        size_t n = read_all(input, lines, 8);
        assert_int_equal(n, 3);
        for (size_t i = 0; i < n; i++)
            assert_string_equal(lines[i], linx_want[i]);
        const cm_input_stats *stats = cm_input_get_stats(input);
        assert_int_equal(stats->records, 4);
        assert_int_equal(stats->alterations, 3);
        assert_int_equal(skipped(input, "linx_same_gene"), 1);
        assert_int_equal(skipped(input, "linx_not_reported"), 0);
        assert_int_equal(skipped(input, "linx_no_gene"), 0);
        cm_input_close(input);
    }
}

// LINX EXON_DEL_DUP rows (testdata/README.md: built on the real file's header, from hmftools'
// known EXON_DEL_DUP conventions), in both layouts: MET exon 14 skipping (fused exons 13 -> 15:
// exon 14 lost), EGFRvIII (1 -> 8: exons 2-7 lost), the EGFR kinase-domain duplication
// (25 -> 18: exons 18-25 twice); KIT 11 -> 11 with both breakends in exon 11 loses no whole
// exon (counted); an unreported MET_MET and the real DMD_DMD are counted as before.
static void test_linx_exon_del_dup(void **state)
{
    (void)state;
    const char *paths[] = {DATA("hmftools/exon-del-dup.linx.fusion.tsv"),
                           DATA("hmftools/exon-del-dup.head.linx.fusion.tsv")};
    char want[3][128];
    unsigned long long loss = CM_SO_BIT(CM_SO_EXON_LOSS_VARIANT);
    unsigned long long dup = CM_SO_BIT(CM_SO_DUPLICATION) | CM_SO_BIT(CM_SO_FEATURE_ELONGATION);
    for (size_t p = 0; p < 2; p++) {
        const char *met = p ? "" : "ENST00000318493", *egfr = p ? "" : "ENST00000275493";
        snprintf(want[0], 128, "MET|%s|14-14|%llx|1|3|EXON_DEL_DUP", met, loss);
        snprintf(want[1], 128, "EGFR|%s|2-7|%llx|1|4|EXON_DEL_DUP", egfr, loss);
        snprintf(want[2], 128, "EGFR|%s|18-25|%llx|1|5|EXON_DEL_DUP", egfr, dup);
        cm_input *input = open_input(paths[p], CM_INPUT_UNKNOWN);
        assert_int_equal(cm_input_get_format(input), CM_INPUT_LINX_FUSIONS);
        char lines[8][128];
        assert_int_equal(read_all(input, lines, 8), 3);
        for (size_t i = 0; i < 3; i++)
            assert_string_equal(lines[i], want[i]);
        assert_int_equal(cm_input_get_stats(input)->records, 6);
        assert_int_equal(skipped(input, "linx_same_gene"), 2);
        assert_int_equal(skipped(input, "linx_exon_del_dup_partial"), 1);
        assert_int_equal(skipped(input, "linx_not_reported"), 0);
        cm_input_close(input);
    }
}

static char *write_temp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/cm-hartwig-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

#define LINX_HEAD                                                                                  \
    "fivePrimeBreakendId\tthreePrimeBreakendId\tname\treported\treportedType\tphased\n"

// Frames, intergenic sides, unreported rows.
static void test_linx_frames_and_sides(void **state)
{
    (void)state;
    char *path = write_temp(LINX_HEAD "1\t2\tEML4_ALK\ttrue\tKNOWN_PAIR\tSKIPPED_EXONS\n"
                                      "3\t4\tCD74_ROS1\ttrue\tKNOWN_PAIR\tOUT_OF_FRAME\n"
                                      "5\t6\t_MYC\ttrue\tIG_PROMISCUOUS\tINFRAME\n"
                                      "7\t8\tBCR_\ttrue\tPROMISCUOUS_5\tINFRAME\n"
                                      "9\t10\tNTRK1_LMNA\tfalse\tNONE\tINFRAME\n"
                                      "\n"
                                      "11\t12\t_\ttrue\tNONE\tINFRAME\n");
    cm_input *input = open_input(path, CM_INPUT_LINX_FUSIONS);
    char lines[8][128];
    size_t n = read_all(input, lines, 8);
    assert_int_equal(n, 4);
    assert_string_equal(lines[0], "EML4|ALK|1|1|2|KNOWN_PAIR");
    assert_string_equal(lines[1], "CD74|ROS1|1|0|3|KNOWN_PAIR");
    assert_string_equal(lines[2], "MYC|intergenic|0|1|4|IG_PROMISCUOUS");
    assert_string_equal(lines[3], "BCR|intergenic|1|1|5|PROMISCUOUS_5");
    assert_int_equal(cm_input_get_stats(input)->records, 6);
    assert_int_equal(skipped(input, "linx_not_reported"), 1);
    assert_int_equal(skipped(input, "linx_no_gene"), 1);
    cm_input_close(input);
    unlink(path);
}

static void open_error(const char *text, cm_input_format format, const char *message, int line)
{
    char *path = write_temp(text);
    cm_error err;
    cm_error_clear(&err);
    cm_input_options options;
    memset(&options, 0, sizeof options);
    options.format = format;
    cm_input *input = cm_input_open(path, &options, &err);
    if (input) {
        const cm_alteration *batch;
        size_t n;
        int got;
        while ((got = cm_input_next(input, &batch, &n, &err)) == 1)
            ;
        assert_int_equal(got, -1);
        cm_input_close(input);
    }
    assert_string_equal(err.message, message);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, line);
    unlink(path);
}

static void test_linx_errors(void **state)
{
    (void)state;
    open_error("name\treported\n", CM_INPUT_LINX_FUSIONS,
               "a LINX fusion header needs the columns name, reported and phased", 1);
    open_error("name\treported\tphased\tgeneStart\n", CM_INPUT_LINX_FUSIONS,
               "a LINX fusion header has geneStart and geneEnd, or neither", 1);
    open_error(LINX_HEAD "1\t2\tEML4_ALK\tyes\tKNOWN_PAIR\tINFRAME\n", CM_INPUT_LINX_FUSIONS,
               "reported 'yes' is not true or false", 2);
    open_error(LINX_HEAD "1\t2\tEML4_ALK\ttrue\tKNOWN_PAIR\tIN_FRAME\n", CM_INPUT_LINX_FUSIONS,
               "phased 'IN_FRAME' is not INFRAME, SKIPPED_EXONS or OUT_OF_FRAME", 2);
    open_error(LINX_HEAD "1\t2\tEML4-ALK\ttrue\tKNOWN_PAIR\tINFRAME\n", CM_INPUT_LINX_FUSIONS,
               "fusion name 'EML4-ALK' is not GENEUP_GENEDOWN", 2);
    open_error(LINX_HEAD "1\t2\tA_B_C\ttrue\tKNOWN_PAIR\tINFRAME\n", CM_INPUT_LINX_FUSIONS,
               "fusion name 'A_B_C' is not GENEUP_GENEDOWN", 2);
    open_error(LINX_HEAD "1\t2\tEML4_ALK\ttrue\n", CM_INPUT_LINX_FUSIONS,
               "4 columns, the header has 6", 2);
    open_error("", CM_INPUT_LINX_FUSIONS, "empty LINX fusion file", 0);
    // A reported EXON_DEL_DUP row needs its fused exons.
    open_error(LINX_HEAD "1\t2\tMET_MET\ttrue\tEXON_DEL_DUP\tINFRAME\n", CM_INPUT_LINX_FUSIONS,
               "an EXON_DEL_DUP row needs the columns fusedExonUp and fusedExonDown", 2);
    open_error("name\treported\treportedType\tphased\tfusedExonUp\tfusedExonDown\n"
               "MET_MET\ttrue\tEXON_DEL_DUP\tINFRAME\t13\tx\n",
               CM_INPUT_LINX_FUSIONS, "fusedExonDown 'x' is not an exon number", 2);
    open_error("name\treported\treportedType\tphased\tfusedExonUp\tfusedExonDown\n"
               "MET_MET\ttrue\tEXON_DEL_DUP\tINFRAME\t-1\t15\n",
               CM_INPUT_LINX_FUSIONS, "fusedExonUp '-1' is not an exon number", 2);
}

static const char *const genes_want[] = {
    "NOC2L|ENST00000327044|2.81|0|2|",  "TTLL10|ENST00000379290|2.81|0|3|",
    "UBE2J2|ENST00000400930|2.81|0|4|", "SFTPB|ENST00000393822|3.14|0|5|",
    "EGFR|ENST00000275493|65.86|0|6|",  "PTEN|ENST00000371953|0|0|7|",
};

// Both gene-table layouts (current hmf-common, PURPLE 2.x): the same genes and copies (the
// minimum over the gene), no class (the matcher's thresholds give it), chromosome and start.
static void test_gene_copy_number_layouts(void **state)
{
    (void)state;
    const char *paths[] = {DATA("hmftools/TUMOR_SAMPLE.purple.cnv.gene.tsv"),
                           DATA("hmftools/TUMOR_SAMPLE.purple2.cnv.gene.tsv")};
    for (size_t p = 0; p < 2; p++) {
        cm_input *input = open_input(paths[p], CM_INPUT_UNKNOWN);
        assert_int_equal(cm_input_get_format(input), CM_INPUT_PURPLE_GENE_COPY_NUMBER);
        char lines[8][128];
        assert_int_equal(read_all(input, lines, 8), 6);
        for (size_t i = 0; i < 6; i++)
            assert_string_equal(lines[i], genes_want[i]);
        assert_int_equal(cm_input_get_stats(input)->records, 6);
        cm_input_close(input);
    }
    // The genome fields of one row.
    cm_input *input = open_input(DATA("hmftools/TUMOR_SAMPLE.purple.cnv.gene.tsv"), 0);
    const cm_alteration *batch;
    size_t n;
    cm_error err;
    assert_int_equal(cm_input_next(input, &batch, &n, &err), 1);
    assert_int_equal(n, 1);
    assert_string_equal(text_of(batch[0].chrom), "1");
    assert_int_equal(batch[0].pos, 879584);
    assert_int_equal(batch[0].kind, CM_ALTERATION_COPY_NUMBER);
    assert_true(isnan(batch[0].vaf));
    cm_input_close(input);
}

// The catalog's copy-number calls; the other drivers counted. With the gene table linked,
// the catalog's gene (PTEN) leaves the table: one event, one alteration.
static void test_drivers_and_link(void **state)
{
    (void)state;
    cm_input *inputs[2];
    inputs[0] = open_input(DATA("hmftools/TUMOR_SAMPLE.purple.cnv.gene.tsv"), 0);
    inputs[1] = open_input(DATA("hmftools/TUMOR_SAMPLE.purple.driver.catalog.somatic.tsv"), 0);
    assert_int_equal(cm_input_get_format(inputs[1]), CM_INPUT_PURPLE_DRIVERS);
    cm_error err;
    assert_int_equal(cm_input_link(inputs, 2, &err), 0);
    char lines[8][128];
    assert_int_equal(read_all(inputs[0], lines, 8), 5);
    assert_string_equal(lines[4], "EGFR|ENST00000275493|65.86|0|6|");
    assert_int_equal(skipped(inputs[0], "called_by_driver_catalog"), 1);
    assert_int_equal(read_all(inputs[1], lines, 8), 1);
    char want[128];
    snprintf(want, sizeof want, "PTEN|ENST00000371953|0|%u|4|DEL", CM_CNV_HOMOZYGOUS_DELETION);
    assert_string_equal(lines[0], want);
    assert_int_equal(skipped(inputs[1], "driver_not_copy_number"), 2);
    assert_int_equal(cm_input_get_stats(inputs[1])->records, 3);
    cm_input_close(inputs[0]);
    cm_input_close(inputs[1]);
}

#define DRIVER_HEAD                                                                                \
    "chromosome\tgene\ttranscript\tisCanonical\tdriver\tlikelihoodMethod\treportedStatus\t"        \
    "driverLikelihood\tminCopyNumber\tmaxCopyNumber\n"

// AMP takes the minimum, PARTIAL_AMP the maximum; unreported and non-canonical rows counted.
static void test_driver_calls(void **state)
{
    (void)state;
    char *path = write_temp(
        DRIVER_HEAD "17\tERBB2\tENST00000269571\ttrue\tAMP\tAMP\tREPORTED\t1\t24.1\t30.5\n"
                    "8\tMYC\tENST00000377970\ttrue\tPARTIAL_AMP\tAMP\tREPORTED\t1\t3.2\t14\n"
                    "9\tCDKN2A\tENST00000579755\tfalse\tDEL\tDEL\tREPORTED\t1\t0.1\t0.2\n"
                    "12\tKRAS\tENST00000256078\ttrue\tAMP\tAMP\tNOT_REPORTED\t1\t9\t9\n");
    cm_input *input = open_input(path, CM_INPUT_PURPLE_DRIVERS);
    char lines[8][128], want[2][128];
    assert_int_equal(read_all(input, lines, 8), 2);
    snprintf(want[0], 128, "ERBB2|ENST00000269571|24.1|%u|2|AMP", CM_CNV_AMPLIFICATION);
    snprintf(want[1], 128, "MYC|ENST00000377970|14|%u|3|PARTIAL_AMP", CM_CNV_AMPLIFICATION);
    assert_string_equal(lines[0], want[0]);
    assert_string_equal(lines[1], want[1]);
    assert_int_equal(skipped(input, "non_canonical_transcript"), 1);
    assert_int_equal(skipped(input, "driver_not_reported"), 1);
    cm_input_close(input);
    unlink(path);
}

#define GENE_HEAD "chromosome\tstart\tend\tgene\tminCopyNumber\tmaxCopyNumber\tisCanonical\n"

static void test_purple_table_errors(void **state)
{
    (void)state;
    cm_input_format genes = CM_INPUT_PURPLE_GENE_COPY_NUMBER, drivers = CM_INPUT_PURPLE_DRIVERS;
    open_error("chromosome\tgene\tminCopyNumber\n", genes,
               "a PURPLE gene copy-number header needs the columns gene, minCopyNumber and "
               "maxCopyNumber",
               1);
    open_error(GENE_HEAD "1\t1\t2\tA\tx\t2\ttrue\n", genes, "minCopyNumber 'x' is not a number", 2);
    open_error(GENE_HEAD "1\t1\t2\tA\t3\t2\ttrue\n", genes,
               "maxCopyNumber '2' is below minCopyNumber '3'", 2);
    open_error(GENE_HEAD "1\t1\t2\tA\t1\t2\tyes\n", genes, "isCanonical 'yes' is not true or false",
               2);
    open_error(GENE_HEAD "1\t1\t2\t\t1\t2\ttrue\n", genes, "empty gene", 2);
    open_error(GENE_HEAD "1\t1\t2\tA\t1\n", genes, "5 columns, the header has 7", 2);
    open_error("gene\tdriver\n", drivers,
               "a PURPLE driver catalog header needs the columns gene, driver, minCopyNumber and "
               "maxCopyNumber",
               1);
    open_error(DRIVER_HEAD "1\tA\tT\ttrue\tAMP\tAMP\tREPORTED\t1\tinf\t2\n", drivers,
               "minCopyNumber 'inf' is not a number", 2);
    open_error("", drivers, "empty PURPLE driver catalog", 0);
    // A negative copy number (PURPLE writes them for deleted regions) is kept as written.
    char *path = write_temp(GENE_HEAD "9\t1\t2\tCDKN2A\t-0.0123\t0.5\ttrue\n"
                                      "9\t1\t2\tCDKN2A\t-0.0123\t0.5\tfalse\n");
    cm_input *input = open_input(path, genes);
    char lines[4][128];
    assert_int_equal(read_all(input, lines, 4), 1);
    assert_string_equal(lines[0], "CDKN2A||-0.0123|0|2|");
    assert_int_equal(skipped(input, "non_canonical_transcript"), 1);
    cm_input_close(input);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linx_real_both_layouts),
        cmocka_unit_test(test_linx_exon_del_dup),
        cmocka_unit_test(test_linx_frames_and_sides),
        cmocka_unit_test(test_linx_errors),
        cmocka_unit_test(test_gene_copy_number_layouts),
        cmocka_unit_test(test_drivers_and_link),
        cmocka_unit_test(test_driver_calls),
        cmocka_unit_test(test_purple_table_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
