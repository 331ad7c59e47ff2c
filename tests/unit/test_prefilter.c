/*
 * Unit tests of the reader's record prefilter (src/vcf/prefilter.c, set with
 * cm_vcf_set_gene_filter()): on testdata/prefilter/traps.vcf and the
 * generated benchmark sample, read as VCF and as BCF, a reader with the
 * filter must count exactly what a reader without it counts, return the same
 * alterations for the genes and positions it was given, and skip the records
 * it may skip (and only those).
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

#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include "cohortmatch/vcf.h"

static const char *const genes[] = {"BRAF", "KRAS"};
static const int64_t positions[] = {1000};

// Reads the whole file; appends one line per alteration of a filtered gene or position to
// out, and returns the statistics.
static cm_vcf_stats read_all(const char *path, int filtered, kstring_t *out)
{
    cm_error err;
    cm_error_clear(&err);
    cm_vcf_reader *reader = cm_vcf_open(path, NULL, &err);
    assert_non_null(reader);
    if (filtered)
        assert_int_equal(cm_vcf_set_gene_filter(reader, genes, 2, positions, 1), 0);
    const cm_alteration *alterations;
    size_t n;
    int got;
    while ((got = cm_vcf_next(reader, &alterations, &n, &err)) > 0)
        for (size_t i = 0; i < n; i++) {
            const cm_alteration *a = &alterations[i];
            int wanted = a->pos == positions[0];
            for (size_t g = 0; g < 2; g++)
                wanted |= a->gene.len == (int)strlen(genes[g]) &&
                          memcmp(a->gene.s, genes[g], strlen(genes[g])) == 0;
            if (wanted)
                ksprintf(out, "%d %.*s %lld %.*s %.*s %g %d %d %d\n", a->sample, a->gene.len,
                         a->gene.s, (long long)a->pos, a->transcript.len, a->transcript.s,
                         a->hgvsp.len, a->hgvsp.s, a->vaf, a->depth, a->is_pass, a->is_preferred);
        }
    assert_int_equal(got, 0);
    cm_vcf_stats stats = *cm_vcf_get_stats(reader);
    cm_vcf_close(reader);
    return stats;
}

static void check_same(const char *path, uint64_t expect_prefiltered)
{
    kstring_t full = {0, 0, NULL}, fast = {0, 0, NULL};
    cm_vcf_stats a = read_all(path, 0, &full), b = read_all(path, 1, &fast);
    assert_int_equal(a.prefiltered, 0);
    if (expect_prefiltered != (uint64_t)-1)
        assert_int_equal(b.prefiltered, expect_prefiltered);
    else
        assert_true(b.prefiltered > 0);
    assert_int_equal(a.records, b.records);
    assert_int_equal(a.alterations, b.alterations);
    assert_int_equal(a.unannotated, b.unannotated);
    assert_int_equal(a.not_carried, b.not_carried);
    for (int cause = 0; cause < CM_VCF_SKIP_COUNT; cause++)
        assert_int_equal(a.skipped[cause], b.skipped[cause]);
    assert_string_equal(full.s ? full.s : "", fast.s ? fast.s : "");
    free(full.s);
    free(fast.s);
}

// Writes path as BCF into a temporary file with htslib; returns its name (caller frees).
static char *to_bcf(const char *path)
{
    char *name = strdup("/tmp/cm_prefilter_XXXXXX");
    int fd = mkstemp(name);
    assert_true(fd >= 0);
    close(fd);
    htsFile *in = hts_open(path, "r"), *out = hts_open(name, "wb");
    assert_non_null(in);
    assert_non_null(out);
    bcf_hdr_t *hdr = bcf_hdr_read(in);
    assert_int_equal(bcf_hdr_write(out, hdr), 0);
    bcf1_t *rec = bcf_init();
    while (bcf_read(in, hdr, rec) == 0)
        assert_int_equal(bcf_write(out, hdr, rec), 0);
    bcf_destroy(rec);
    bcf_hdr_destroy(hdr);
    hts_close(in);
    hts_close(out);
    return name;
}

static void test_traps_vcf(void **state)
{
    (void)state;
    // Skipped: BRAF only as a substring (1), the multi-allelic '*' record (5), the 0/0
    // tumour (7), no annotation (9), KRASP1 with KRAS in another INFO key (11). Parsed: BRAF
    // in any entry (2, 3, 12 is KRAS), the `variant:` position (4), an entry whose allele
    // names no ALT (6), a missing GT (8), the symbolic <DEL> (10).
    check_same(CM_TESTDATA_DIR "/prefilter/traps.vcf", 5);
}

static void test_traps_bcf(void **state)
{
    (void)state;
    char *bcf = to_bcf(CM_TESTDATA_DIR "/prefilter/traps.vcf");
    check_same(bcf, 5);
    unlink(bcf);
    free(bcf);
}

static void test_undeclared_vcf(void **state)
{
    (void)state;
    // Skipped: all declared (1), and once earlier records have made htslib declare them, an
    // INFO key (6), a FILTER (7), a FORMAT key (8), a contig (9). Parsed: the first record
    // with an undeclared INFO key (2), FILTER (3), contig (4) or FORMAT key (5), an INFO key
    // declared only for FORMAT and an empty key (10), BRAF (11).
    check_same(CM_TESTDATA_DIR "/prefilter/undeclared.vcf", 5);
}

static void test_gt_vcf_and_bcf(void **state)
{
    (void)state;
    // The tumour in the second column. Skipped: carried by the tumour (1), by the normal
    // only (2), both ALTs of a multi-allelic record (4). Parsed: GT second in FORMAT (3), no
    // call in the tumour (5).
    check_same(CM_TESTDATA_DIR "/prefilter/gt.vcf", 3);
    char *bcf = to_bcf(CM_TESTDATA_DIR "/prefilter/gt.vcf");
    check_same(bcf, 3);
    unlink(bcf);
    free(bcf);
}

static void test_real_vep_output(void **state)
{
    (void)state;
    // Real VEP 105 output (pvactools), as BGZF: mostly genes without rules.
    check_same(CM_TESTDATA_DIR "/pvactools/annotated.expression.vcf.gz", (uint64_t)-1);
    check_same(CM_TESTDATA_DIR "/bcftools/split-vep.vcf", (uint64_t)-1);
}

int main(void)
{
    hts_set_log_level(HTS_LOG_OFF);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_traps_vcf),       cmocka_unit_test(test_traps_bcf),
        cmocka_unit_test(test_undeclared_vcf),  cmocka_unit_test(test_gt_vcf_and_bcf),
        cmocka_unit_test(test_real_vep_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
