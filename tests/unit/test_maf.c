/*
 * Unit tests of the MAF reader (src/input/maf.c) on the real vcf2maf MAFs in
 * testdata/maf/ (a VEP-annotated GRCh38 MAF and two TCGA MAFs without
 * annotation columns), and on small MAFs written here for each rule: column
 * lookup by name, comments, the Variant_Classification table, the choice of
 * the tumour allele, read counts, protein columns in order, fusions, skips,
 * the gene filter, and every error with its line and column.
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

#include "cohortmatch/maf.h"

#define MAF_DIR CM_TESTDATA_DIR "/maf/"

static int slice_is(cm_slice slice, const char *text)
{
    return cm_slice_equals(slice, text);
}

/// Writes text to a temporary file; returns its path (static buffer, one at a time).
static const char *write_temp(const char *text)
{
    static char path[64];
    strcpy(path, "/tmp/cm_test_maf_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t len = strlen(text);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

/// Reads row after row until the given line; fails if it gives no alteration.
static const cm_alteration *row_at(cm_maf_reader *reader, long line, cm_maf_row *row)
{
    cm_error err;
    cm_error_clear(&err);
    while (cm_maf_next(reader, row, &err) > 0)
        if (row->line == line)
            return row->alteration;
    fail_msg("no row at line %ld", line);
    return NULL;
}

static void test_vcf2maf_annotated(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_maf_reader *reader = cm_maf_open(MAF_DIR "test_b38_output.maf", 0, &err);
    assert_non_null(reader);
    cm_maf_row row;
    // Line 3: RUNX1 p.L429R, t_ref_count ".", t_depth 54, t_alt_count 21.
    const cm_alteration *a = row_at(reader, 3, &row);
    assert_non_null(a);
    assert_true(slice_is(row.sample, "TUMOR"));
    assert_true(slice_is(row.normal, "NORMAL"));
    assert_int_equal(a->kind, CM_ALTERATION_SMALL);
    assert_true(slice_is(a->gene, "RUNX1"));
    assert_true(slice_is(a->chrom, "21"));
    assert_int_equal(a->pos, 34792292);
    assert_true(slice_is(a->ref, "A"));
    assert_true(slice_is(a->alt, "C"));
    assert_true(slice_is(a->transcript, "ENST00000675419"));
    assert_true(slice_is(a->hgvsc, "c.1286T>G"));
    assert_true(slice_is(a->hgvsp, "p.L429R"));
    assert_int_equal(a->protein.kind, CM_PROTEIN_SUBSTITUTION);
    assert_int_equal(a->protein.start, 429);
    assert_int_equal(a->protein.start_residue, 'L');
    assert_string_equal(a->protein.alt, "R");
    assert_int_equal(a->consequence, CM_SO_BIT(CM_SO_MISSENSE_VARIANT));
    assert_int_equal(a->exon, 9);
    assert_int_equal(a->exon_count, 9);
    assert_int_equal(a->depth, 54);
    assert_true(fabs(a->vaf - 21.0 / 54.0) < 1e-12);
    assert_int_equal(a->vaf_source, CM_VAF_READ_COUNTS); // read counts: "AD" in the reports
    assert_true(a->vaf_ad == a->vaf);
    assert_int_equal(a->is_pass, 1);
    assert_int_equal(a->is_preferred, 1);
    assert_int_equal(a->transcript_flags, CM_TRANSCRIPT_CANONICAL);
    assert_int_equal(a->strand, -1);
    assert_int_equal(a->sample, -1);
    assert_int_equal(cm_maf_genome_build(reader), CM_BUILD_GRCH38);
    // Line 6: Splice_Site, HGVSp_Short "p.X168_splice": no protein change, not an error.
    a = row_at(reader, 6, &row);
    assert_non_null(a);
    assert_int_equal(a->protein.kind, CM_PROTEIN_NONE);
    assert_true(slice_is(a->hgvsp, "p.X168_splice"));
    assert_int_equal(a->consequence, CM_SO_BIT(CM_SO_SPLICE_DONOR_VARIANT));
    assert_true(slice_is(a->ref, "-"));
    assert_true(slice_is(a->alt, "CCTCTT"));
    // Line 8: an insertion written the MAF way (no anchor base), a frameshift.
    a = row_at(reader, 8, &row);
    assert_int_equal(a->protein.kind, CM_PROTEIN_FRAMESHIFT);
    assert_int_equal(a->protein.start, 139);
    assert_int_equal(a->protein.new_stop, 5);
    assert_true(slice_is(a->ref, "-"));
    assert_true(slice_is(a->alt, "G"));
    // Line 16: ERG p.M1? start lost.
    a = row_at(reader, 16, &row);
    assert_int_equal(a->protein.kind, CM_PROTEIN_START_LOST);
    assert_int_equal(a->consequence, CM_SO_BIT(CM_SO_START_LOST));
    // Line 27, the last: ICOSLG p.W54* stop gained.
    a = row_at(reader, 27, &row);
    assert_int_equal(a->protein.kind, CM_PROTEIN_NONSENSE);
    assert_int_equal(a->protein.start, 54);
    assert_int_equal(cm_maf_next(reader, &row, &err), 0);
    const cm_maf_stats *stats = cm_maf_get_stats(reader);
    assert_int_equal(stats->rows, 25);
    assert_int_equal(stats->alterations, 25);
    assert_int_equal(stats->prefiltered, 0);
    assert_int_equal(stats->unknown_classifications, 0);
    cm_maf_close(reader);
}

static void test_tcga_without_annotation(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_maf_reader *reader = cm_maf_open(MAF_DIR "TCGA-B5-A0JV-01.ucec.maf", 0, &err);
    assert_non_null(reader);
    cm_maf_row row;
    // Line 179: KRAS 12:25398284 C>T, Missense_Mutation; no protein columns at all.
    const cm_alteration *a = row_at(reader, 179, &row);
    assert_non_null(a);
    assert_true(slice_is(row.sample, "TCGA-B5-A0JV-01A-11D-A10B-09"));
    assert_true(slice_is(row.normal, "TCGA-B5-A0JV-10A-01W-A10C-09"));
    assert_true(slice_is(a->gene, "KRAS"));
    assert_true(slice_is(a->chrom, "12"));
    assert_int_equal(a->pos, 25398284);
    assert_true(slice_is(a->ref, "C"));
    assert_true(slice_is(a->alt, "T"));
    assert_int_equal(a->consequence, CM_SO_BIT(CM_SO_MISSENSE_VARIANT));
    assert_int_equal(a->protein.kind, CM_PROTEIN_NONE);
    assert_int_equal(a->hgvsp.len, 0);
    assert_true(isnan(a->vaf));
    assert_int_equal(a->depth, -1);
    assert_int_equal(a->vaf_source, CM_VAF_UNKNOWN);
    assert_true(isnan(a->vaf_ad));
    assert_int_equal(cm_maf_genome_build(reader), CM_BUILD_GRCH37);
    while (cm_maf_next(reader, &row, &err) > 0)
        ;
    assert_int_equal(cm_maf_get_stats(reader)->rows, 294);
    cm_maf_close(reader);
}

static void test_gene_filter(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_maf_reader *reader = cm_maf_open(MAF_DIR "TCGA-BH-A18P-01.brca.maf", 0, &err);
    const char *genes[] = {"ERBB2", "PIK3R1"};
    int64_t positions[] = {7579472}; // a TP53 row, kept by its position alone
    assert_int_equal(cm_maf_set_gene_filter(reader, genes, 2, positions, 1), 0);
    cm_maf_row row;
    int got, n_alterations = 0, n_rows = 0;
    while ((got = cm_maf_next(reader, &row, &err)) > 0) {
        n_rows++;
        assert_true(slice_is(row.sample, "TCGA-BH-A18P-01A-11D-A12B-09"));
        if (!row.alteration)
            continue;
        n_alterations++;
        assert_true(slice_is(row.alteration->gene, "ERBB2") ||
                    slice_is(row.alteration->gene, "PIK3R1") || row.alteration->pos == 7579472);
    }
    assert_int_equal(got, 0);
    const cm_maf_stats *stats = cm_maf_get_stats(reader);
    assert_int_equal(n_rows, 315);
    assert_int_equal(stats->rows, 315);
    assert_int_equal(stats->alterations, (uint64_t)n_alterations);
    assert_int_equal(stats->prefiltered + stats->alterations, 315);
    assert_true(n_alterations >= 2);
    cm_maf_close(reader);
}

static const char header[] =
    "#version 2.4\n"
    "Hugo_Symbol\tEntrez_Gene_Id\tNCBI_Build\tChromosome\tStart_Position\tVariant_Classification"
    "\tReference_Allele\tTumor_Seq_Allele1\tTumor_Seq_Allele2\tTumor_Sample_Barcode\t"
    "HGVSp_Short\tHGVSp\tt_ref_count\tt_alt_count\tMutation_Status\tHGVSc\n";

/// Opens a MAF of the header above plus rows; returns the reader.
static cm_maf_reader *open_rows(const char *rows)
{
    static char text[8192];
    snprintf(text, sizeof text, "%s%s", header, rows);
    cm_error err;
    cm_error_clear(&err);
    const char *path = write_temp(text);
    cm_maf_reader *reader = cm_maf_open(path, 0, &err);
    unlink(path); // the open file stays readable
    assert_non_null(reader);
    return reader;
}

static void test_rows(void **state)
{
    (void)state;
    cm_maf_reader *reader = open_rows(
        "BRAF\t673\tGRCh37\t7\t140453136\tMissense_Mutation\tA\tA\tT\tS1\tV600E\t\t90\t10\t"
        "Somatic\t\n"
        "# a comment between rows\n"
        "KRAS\t3845\tGRCh37\t12\t25398284\tMissense_Mutation\tC\tT\tC\tS1\t\t"
        "p.Gly12Asp\t.\t.\t\t\n"
        "Unknown\t0\tGRCh37\t1\t100\tIGR\tA\tA\tG\tS2\t\t\t\t\t\t\n"
        "EGFR\t1956\tGRCh37\t7\t55249071\tMissense_Mutation\tC\tC\tT\tS2\tp.T790M\t\t5\t5"
        "\tLOH\t\n"
        "TP53\t7157\tGRCh37\t17\t7577121\tSplice_Site\tC\tC\tT\tS2\tp.X331_splice\t\t1"
        "\t3\tSomatic\tc.994-1G>A\n"
        "ALK\t238\tGRCh37\t2\t29446394\tFusion\t\t\t\tS3\tEML4-ALK fusion\t\t\t\t\t\n"
        "ALK\t238\tGRCh37\t2\t29446394\tFusion\t\t\t\tS3\tALK-intragenic\t\t\t\t\t\n"
        "PIK3CA\t5290\tGRCh37\t3\t178936082\tMissense_Mutation\tG\tG\tA\tS4\tMUTATED\t\t"
        "\t\t\t\n"
        "NRAS\t4893\tGRCh37\t1\t115256530\tNew_Class\tG\tG\tT\tS4\tp.Q61K\t\t\t\t\t\n");
    cm_error err;
    cm_error_clear(&err);
    cm_maf_row row;
    // A p.-less HGVSp_Short, VAF from the two counts.
    assert_int_equal(cm_maf_next(reader, &row, &err), 1);
    const cm_alteration *a = row.alteration;
    assert_int_equal(row.line, 3);
    assert_true(slice_is(a->hgvsp, "V600E"));
    assert_int_equal(a->protein.kind, CM_PROTEIN_SUBSTITUTION);
    assert_int_equal(a->protein.start, 600);
    assert_int_equal(a->depth, 100);
    assert_true(fabs(a->vaf - 0.1) < 1e-12);
    // Allele2 equals the reference: the tumour allele is Allele1. HGVSp_Short empty: HGVSp.
    assert_int_equal(cm_maf_next(reader, &row, &err), 1);
    a = row.alteration;
    assert_int_equal(row.line, 5);
    assert_true(slice_is(a->alt, "T"));
    assert_true(slice_is(a->hgvsp, "p.Gly12Asp"));
    assert_int_equal(a->protein.start, 12);
    assert_string_equal(a->protein.alt, "D");
    assert_true(isnan(a->vaf));
    // Hugo_Symbol Unknown: intergenic, skipped.
    assert_int_equal(cm_maf_next(reader, &row, &err), 1);
    assert_null(row.alteration);
    assert_true(slice_is(row.sample, "S2"));
    // Mutation_Status LOH: cBioPortal loads none of these.
    assert_int_equal(cm_maf_next(reader, &row, &err), 1);
    assert_null(row.alteration);
    // Splice_Site with c.994-1G>A: the acceptor side only.
    assert_int_equal(cm_maf_next(reader, &row, &err), 1);
    a = row.alteration;
    assert_int_equal(a->consequence, CM_SO_BIT(CM_SO_SPLICE_ACCEPTOR_VARIANT));
    assert_int_equal(a->protein.kind, CM_PROTEIN_NONE);
    assert_true(fabs(a->vaf - 0.75) < 1e-12);
    // An older cBioPortal "Fusion" row: ALK with EML4, ALK the 3' gene.
    assert_int_equal(cm_maf_next(reader, &row, &err), 1);
    a = row.alteration;
    assert_int_equal(a->kind, CM_ALTERATION_FUSION);
    assert_true(slice_is(a->gene, "ALK"));
    assert_true(slice_is(a->partner, "EML4"));
    assert_int_equal(a->is_five_prime, 0);
    assert_int_equal(a->in_frame, -1);
    // An intragenic "fusion" is not one.
    assert_int_equal(cm_maf_next(reader, &row, &err), 1);
    assert_null(row.alteration);
    // "MUTATED": a change without protein text.
    assert_int_equal(cm_maf_next(reader, &row, &err), 1);
    assert_int_equal(row.alteration->protein.kind, CM_PROTEIN_NONE);
    assert_int_equal(row.alteration->consequence, CM_SO_BIT(CM_SO_MISSENSE_VARIANT));
    // A class outside the table: consequence "other", counted.
    assert_int_equal(cm_maf_next(reader, &row, &err), 1);
    assert_int_equal(row.alteration->consequence, CM_SO_BIT(CM_SO_OTHER));
    assert_int_equal(row.alteration->protein.kind, CM_PROTEIN_SUBSTITUTION);
    assert_int_equal(cm_maf_next(reader, &row, &err), 0);
    const cm_maf_stats *stats = cm_maf_get_stats(reader);
    assert_int_equal(stats->rows, 9);
    assert_int_equal(stats->alterations, 6);
    assert_int_equal(stats->skipped[CM_MAF_SKIP_NO_GENE], 1);
    assert_int_equal(stats->skipped[CM_MAF_SKIP_MUTATION_STATUS], 1);
    assert_int_equal(stats->skipped[CM_MAF_SKIP_FUSION_SAME_GENE], 1);
    assert_int_equal(stats->unknown_classifications, 1);
    assert_string_equal(cm_maf_skip_name(CM_MAF_SKIP_NO_GENE), "maf_no_gene");
    cm_maf_close(reader);
}

/// The one error a MAF of one row gives.
static void expect_row_error(const char *row_text, const char *message)
{
    cm_maf_reader *reader = open_rows(row_text);
    cm_error err;
    cm_error_clear(&err);
    cm_maf_row row;
    int got;
    while ((got = cm_maf_next(reader, &row, &err)) > 0)
        ;
    assert_int_equal(got, -1);
    kstring_t text = {0, 0, NULL};
    cm_error_format(&err, &text);
    // The temporary file's name differs per run: compare from the line number on.
    const char *at = strchr(text.s, ':');
    assert_non_null(at);
    assert_string_equal(at + 1, message);
    free(text.s);
    cm_maf_close(reader);
}

static void test_row_errors(void **state)
{
    (void)state;
    expect_row_error("BRAF\t673\tGRCh37\t7\t14045313x\tMissense_Mutation\tA\tA\tT\tS1\tV600E\t\t"
                     "\t\t\t\n",
                     "3:5: Start_Position '14045313x' is not a position (a whole number above 0)");
    expect_row_error("BRAF\t673\tGRCh37\t7\t140453136\tMissense_Mutation\tA\tA\tT\tS1\tValine600"
                     "\t\t\t\t\t\n",
                     "3:11: HGVSp_Short 'Valine600' is not a protein change (HGVS p. notation)");
    expect_row_error("BRAF\t673\tGRCh37\t7\t140453136\tMissense_Mutation\tA\tA\tT\t\tV600E\t\t\t"
                     "\t\t\n",
                     "3:10: empty Tumor_Sample_Barcode");
    expect_row_error("BRAF\t673\tGRCh37\t7\t140453136\tMissense_Mutation\tA\tA\tT\tS1\tV600E\t\t"
                     "-3\t\t\t\n",
                     "3:13: t_ref_count '-3' is not a read count");
    expect_row_error("BRAF\t673\tGRCh37\t7\t140453136\tMissense_Mutation\tA\tA\tT\tS1\tV600E\t\t"
                     "\t\t\t\n"
                     "KRAS\t3845\tGRCh38\t12\t25245350\tMissense_Mutation\tC\tC\tT\tS1\tG12D\t\t"
                     "\t\t\t\n",
                     "4:3: NCBI_Build 'GRCh38' differs from line 3's (GRCh37)");
}

static void test_open_errors(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    const char *path = write_temp("#version 2.4\nHugo_Symbol\tChromosome\n");
    assert_null(cm_maf_open(path, 0, &err));
    unlink(path);
    assert_string_equal(err.message, "not a MAF: the header has no Tumor_Sample_Barcode column");
    assert_int_equal(err.line, 2);
    path = write_temp("#only comments\n");
    assert_null(cm_maf_open(path, 0, &err));
    unlink(path);
    assert_string_equal(err.message, "empty MAF: no header line");
    assert_null(cm_maf_open("/nonexistent/cohort.maf", 0, &err));
    assert_string_equal(err.message, "cannot open: No such file or directory");
}

static void test_is_header(void **state)
{
    (void)state;
    const char *maf = "Hugo_Symbol\tEntrez_Gene_Id\tTumor_Sample_Barcode";
    assert_int_equal(cm_maf_is_header(maf, strlen(maf)), 1);
    const char *vcf = "#CHROM\tPOS\tID\tREF\tALT";
    assert_int_equal(cm_maf_is_header(vcf, strlen(vcf)), 0);
    const char *lower = "hugo_symbol\ttumor_sample_barcode";
    assert_int_equal(cm_maf_is_header(lower, strlen(lower)), 1);
}

static void test_classification_table(void **state)
{
    (void)state;
    struct {
        const char *name;
        cm_consequence terms;
    } expected[] = {
        {"Missense_Mutation", CM_SO_BIT(CM_SO_MISSENSE_VARIANT)},
        {"Nonsense_Mutation", CM_SO_BIT(CM_SO_STOP_GAINED)},
        {"Frame_Shift_Del", CM_SO_BIT(CM_SO_FRAMESHIFT_VARIANT)},
        {"Frame_Shift_Ins", CM_SO_BIT(CM_SO_FRAMESHIFT_VARIANT)},
        {"In_Frame_Del", CM_SO_BIT(CM_SO_INFRAME_DELETION)},
        {"In_Frame_Ins", CM_SO_BIT(CM_SO_INFRAME_INSERTION)},
        {"Splice_Site",
         CM_SO_BIT(CM_SO_SPLICE_DONOR_VARIANT) | CM_SO_BIT(CM_SO_SPLICE_ACCEPTOR_VARIANT)},
        {"Translation_Start_Site", CM_SO_BIT(CM_SO_START_LOST)},
        {"Nonstop_Mutation", CM_SO_BIT(CM_SO_STOP_LOST)},
        {"Silent", CM_SO_BIT(CM_SO_SYNONYMOUS_VARIANT)},
        {"Splice_Region", CM_SO_BIT(CM_SO_SPLICE_REGION_VARIANT)},
        {"Intron", CM_SO_BIT(CM_SO_INTRON_VARIANT)},
        {"RNA", CM_SO_BIT(CM_SO_NON_CODING_TRANSCRIPT_EXON_VARIANT)},
        {"5'UTR", CM_SO_BIT(CM_SO_FIVE_PRIME_UTR_VARIANT)},
        {"3'UTR", CM_SO_BIT(CM_SO_THREE_PRIME_UTR_VARIANT)},
        {"5'Flank", CM_SO_BIT(CM_SO_UPSTREAM_GENE_VARIANT)},
        {"3'Flank", CM_SO_BIT(CM_SO_DOWNSTREAM_GENE_VARIANT)},
        {"IGR", CM_SO_BIT(CM_SO_INTERGENIC_VARIANT)},
        {"Targeted_Region", CM_SO_BIT(CM_SO_SEQUENCE_VARIANT)},
        {"De_novo_Start_OutOfFrame",
         CM_SO_BIT(CM_SO_FIVE_PRIME_UTR_PREMATURE_START_CODON_GAIN_VARIANT)},
        {"missense_mutation", 0}, // the specification's spelling only
        {"Fusion", 0},            // a fusion row, not a consequence
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        assert_int_equal(
            cm_maf_classification_consequence(expected[i].name, strlen(expected[i].name)),
            expected[i].terms);
}

/// Reads every row; returns how many gave an alteration, the genes of those in order in genes.
static int read_genes(cm_maf_reader *reader, char *genes, size_t size)
{
    cm_error err;
    cm_error_clear(&err);
    cm_maf_row row;
    int n = 0, got;
    genes[0] = '\0';
    while ((got = cm_maf_next(reader, &row, &err)) > 0)
        if (row.alteration) {
            size_t len = strlen(genes);
            snprintf(genes + len, size - len, "%s%.*s", n ? "," : "", row.alteration->gene.len,
                     row.alteration->gene.s);
            n++;
        }
    assert_int_equal(got, 0);
    return n;
}

// Rows for the status and importer-filter tests: one per rule (columns of the header above).
static const char status_rows[] =
    "BRAF\t673\tGRCh37\t7\t140453136\tMissense_Mutation\tA\tA\tT\tS1\tp.V600E\t\t90\t10\t"
    "Germline\t\n"
    "BRAF\t673\tGRCh37\t7\t140453136\tMissense_Mutation\tA\tA\tT\tS2\tp.V600E\t\t90\t10\t"
    "germline (constitutional)\t\n"
    "EGFR\t1956\tGRCh37\t7\t55249071\tMissense_Mutation\tC\tC\tT\tS3\tp.T790M\t\t5\t5\t"
    "LOH \t\n"
    "EGFR\t1956\tGRCh37\t7\t55249071\tMissense_Mutation\tC\tC\tT\tS4\tp.T790M\t\t5\t5\t"
    "none\t\n"
    "KRAS\t3845\tGRCh37\t12\t25398284\tMissense_Mutation\tC\tC\tT\tS5\tG12D\t\tNA\tNA\t"
    "Unknown\t\n"
    "ERBB2\t2064\tGRCh37\t17\t37881000\tSilent\tG\tG\tA\tS6\tp.V777=\t\t9\t1\tSomatic\t\n"
    "ERBB2\t2064\tGRCh37\t17\t37870000\tIntron\tG\tG\tA\tS6\t\t\t9\t1\tSomatic\t\n"
    "TERT\t7015\tGRCh37\t5\t1295228\t5'Flank\tG\tG\tA\tS7\tPromoter\t\t9\t1\tSomatic\t\n"
    "BRAF\t673\tGRCh37\t7\t140624503\t5'Flank\tG\tG\tA\tS7\t\t\t9\t1\tSomatic\t\n"
    "ERBB2\t2064\tGRCh37\t17\t37880000\tRNA\tG\tG\tA\tS8\t\t\t9\t1\tSomatic\t\n"
    "ERBB2\t2064\tGRCh37\t17\t37880000\tlincRNA\tG\tG\tA\tS8\t\t\t9\t1\tSomatic\t\n"
    "ERBB2\t2064\tGRCh37\tchr17\t37868208\tMissense_Mutation\tC\tC\tT\tS9\tp.S310F\t\t9\t1\t"
    "Somatic\t\n"
    "ERBB2\t2064\tGRCh37\tGL000192.1\t100\tMissense_Mutation\tC\tC\tT\tS9\tp.S310F\t\t9\t1\t"
    "Somatic\t\n";

static void test_status_and_importer_filter(void **state)
{
    (void)state;
    char genes[512];
    // A MAF read as a file: the status rules apply, the importer filter does not.
    cm_maf_reader *reader = open_rows(status_rows);
    assert_int_equal(read_genes(reader, genes, sizeof genes), 9);
    assert_string_equal(genes, "KRAS,ERBB2,ERBB2,TERT,BRAF,ERBB2,ERBB2,ERBB2,ERBB2");
    const cm_maf_stats *stats = cm_maf_get_stats(reader);
    assert_int_equal(stats->skipped[CM_MAF_SKIP_GERMLINE], 2); // "Germline", "germline (...)"
    assert_int_equal(stats->skipped[CM_MAF_SKIP_MUTATION_STATUS], 2); // "LOH ", "none"
    assert_int_equal(stats->skipped[CM_MAF_SKIP_CLASSIFICATION], 0);
    assert_int_equal(stats->skipped[CM_MAF_SKIP_CHROMOSOME], 0);
    cm_maf_close(reader);

    // A study's mutation file: cBioPortal's default filter drops Silent, Intron, RNA and the
    // 5'Flank row of BRAF (not TERT's: "Promoter" is no protein change and no error), and
    // the row on an unplaced contig; lincRNA and "chr17" are kept.
    reader = open_rows(status_rows);
    assert_int_equal(cm_maf_set_importer_filter(reader, NULL), 0);
    assert_int_equal(read_genes(reader, genes, sizeof genes), 4);
    assert_string_equal(genes, "KRAS,TERT,ERBB2,ERBB2");
    stats = cm_maf_get_stats(reader);
    assert_int_equal(stats->skipped[CM_MAF_SKIP_CLASSIFICATION], 4);
    assert_int_equal(stats->skipped[CM_MAF_SKIP_CHROMOSOME], 1);
    assert_int_equal(stats->skipped[CM_MAF_SKIP_GERMLINE], 2);
    assert_string_equal(cm_maf_skip_name(CM_MAF_SKIP_CLASSIFICATION),
                        "maf_filtered_classification");
    assert_string_equal(cm_maf_skip_name(CM_MAF_SKIP_GERMLINE), "maf_germline");
    assert_string_equal(cm_maf_skip_name(CM_MAF_SKIP_VALIDATION_STATUS), "maf_validation_status");
    assert_string_equal(cm_maf_skip_name(CM_MAF_SKIP_CHROMOSOME), "maf_invalid_chromosome");
    cm_maf_close(reader);

    // The meta file's variant_classification_filter replaces the default: whole values, any
    // case, blanks around them aside.
    reader = open_rows(status_rows);
    assert_int_equal(cm_maf_set_importer_filter(reader, " silent, lincRNA ,Missense"), 0);
    assert_int_equal(read_genes(reader, genes, sizeof genes), 6);
    assert_string_equal(genes, "KRAS,ERBB2,TERT,BRAF,ERBB2,ERBB2");
    assert_int_equal(cm_maf_get_stats(reader)->skipped[CM_MAF_SKIP_CLASSIFICATION], 2);
    cm_maf_close(reader);

    // Written but empty: nothing is filtered by class (the chromosome still is).
    reader = open_rows(status_rows);
    assert_int_equal(cm_maf_set_importer_filter(reader, ""), 0);
    assert_int_equal(read_genes(reader, genes, sizeof genes), 8);
    assert_int_equal(cm_maf_get_stats(reader)->skipped[CM_MAF_SKIP_CLASSIFICATION], 0);
    cm_maf_close(reader);
}

static void test_validation_status(void **state)
{
    (void)state;
    static const char text[] =
        "Hugo_Symbol\tTumor_Sample_Barcode\tVariant_Classification\tHGVSp_Short\t"
        "Validation_Status\tMutation_Status\n"
        "BRAF\tS1\tMissense_Mutation\tV600E\tWildtype\tSomatic\n"
        "BRAF\tS2\tMissense_Mutation\tV600E\tRedacted\t\n"
        "BRAF\tS3\tMissense_Mutation\tV600E\tValid\t\n"
        "BRAF\tS4\tMissense_Mutation\tV600E\tInvalid\tSomatic\n"
        "BRAF\tS5\tMissense_Mutation\tV600E\tUntested\tSomatic\n";
    cm_error err;
    cm_error_clear(&err);
    const char *path = write_temp(text);
    cm_maf_reader *reader = cm_maf_open(path, 0, &err);
    unlink(path);
    assert_non_null(reader);
    cm_maf_row row;
    const char *kept[] = {"S3", "S4", "S5"};
    size_t n = 0;
    while (cm_maf_next(reader, &row, &err) > 0)
        if (row.alteration) {
            assert_true(n < 3);
            assert_true(slice_is(row.sample, kept[n++]));
            assert_true(slice_is(row.gene, "BRAF"));
            assert_int_equal(row.entrez.len, 0); // no Entrez_Gene_Id column
        }
    assert_int_equal(n, 3);
    assert_int_equal(cm_maf_get_stats(reader)->skipped[CM_MAF_SKIP_VALIDATION_STATUS], 2);
    cm_maf_close(reader);
}

static void test_splice_side(void **state)
{
    (void)state;
    const cm_consequence donor = CM_SO_BIT(CM_SO_SPLICE_DONOR_VARIANT),
                         acceptor = CM_SO_BIT(CM_SO_SPLICE_ACCEPTOR_VARIANT);
    struct {
        const char *hgvsc;
        cm_consequence side;
    } cases[] = {
        {"c.993+2T>G", donor},
        {"ENST00000269305.4:c.993+1G>A", donor},
        {"c.504_508+1dup", donor},
        {"c.994-1G>A", acceptor},
        {"c.994-2A>G", acceptor},
        {"c.994-3C>T", 0},  // splice region, not the site
        {"c.993+12T>G", 0}, // deep in the intron
        {"c.-5C>T", 0},     // 5' UTR, not an intron offset
        {"c.1799T>A", 0},   // exonic: HGVSc does not say
        {"", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cm_slice hgvsc = {cases[i].hgvsc, (int)strlen(cases[i].hgvsc)};
        assert_int_equal(cm_maf_splice_site_side(hgvsc), cases[i].side);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vcf2maf_annotated), cmocka_unit_test(test_tcga_without_annotation),
        cmocka_unit_test(test_gene_filter),       cmocka_unit_test(test_rows),
        cmocka_unit_test(test_row_errors),        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_is_header),         cmocka_unit_test(test_classification_table),
        cmocka_unit_test(test_splice_side),       cmocka_unit_test(test_status_and_importer_filter),
        cmocka_unit_test(test_validation_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
