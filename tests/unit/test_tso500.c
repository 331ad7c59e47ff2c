/*
 * Unit tests of the TSO500 CombinedVariantOutput.tsv reader (src/input/tso500.c)
 * on the two hand-made fixtures (testdata/tso500/: LocalApp 2.2 with CRLF and
 * tab padding, DRAGEN 2.6 with sections in another order) and on small files
 * written here for each quirk: exact alterations and facts with their sources,
 * the MSI cut-offs, gene pairs, skipped rows by cause, errors with file:line.
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

typedef struct read_back {
    cm_owned_alteration items[64];
    size_t n;
} read_back;

static cm_input *open_input(const char *path)
{
    cm_error err;
    cm_error_clear(&err);
    cm_input_options options;
    memset(&options, 0, sizeof options);
    options.index = 2;
    cm_input *input = cm_input_open(path, &options, &err);
    if (!input)
        fail_msg("%s: %s", path, err.message);
    return input;
}

static void read_all(cm_input *input, read_back *out)
{
    memset(out, 0, sizeof *out);
    cm_error err;
    cm_error_clear(&err);
    const cm_alteration *batch;
    size_t n;
    int got;
    while ((got = cm_input_next(input, &batch, &n, &err)) > 0)
        for (size_t i = 0; i < n; i++) {
            assert_true(out->n < 64);
            assert_int_equal(cm_alteration_copy(&batch[i], &out->items[out->n++]), 0);
        }
    if (got < 0)
        fail_msg("%s", err.message);
}

static void free_all(read_back *back)
{
    for (size_t i = 0; i < back->n; i++)
        cm_owned_alteration_free(&back->items[i]);
}

static void assert_slice(cm_slice slice, const char *text)
{
    if (!cm_slice_equals(slice, text))
        fail_msg("'%.*s' != '%s'", slice.len, slice.s ? slice.s : "", text);
}

static const char *fact_value(cm_input *input, const char *name, const char **where)
{
    size_t n;
    const cm_input_fact *facts = cm_input_facts(input, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(facts[i].name, name) == 0) {
            if (where)
                *where = facts[i].where;
            return facts[i].value;
        }
    return NULL;
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

static void test_localapp(void **state)
{
    (void)state;
    const char *path = DATA("tso500/localapp-2.2.CombinedVariantOutput.tsv");
    cm_input_format format;
    cm_error err;
    cm_error_clear(&err);
    assert_int_equal(cm_input_detect(path, &format, &err), 0);
    assert_int_equal(format, CM_INPUT_TSO500);
    cm_input *input = open_input(path);
    assert_int_equal(cm_input_get_format(input), CM_INPUT_TSO500);
    assert_int_equal(cm_input_n_samples(input), 1);
    assert_string_equal(cm_input_sample_name(input, 0), "CL-AcroMetrix_P");
    assert_int_equal(cm_input_genome_build(input), CM_BUILD_GRCH37);
    read_back back;
    read_all(input, &back);
    assert_int_equal(back.n, 17);

    // [Gene Amplifications] EGFR 1.509: the caller's amplification, 2 x fold change copies.
    const cm_alteration *a = &back.items[0].alteration;
    assert_int_equal(a->kind, CM_ALTERATION_COPY_NUMBER);
    assert_slice(a->gene, "EGFR");
    assert_true(fabs(a->copy_number - 3.018) < 1e-9);
    assert_int_equal(a->cnv, CM_CNV_AMPLIFICATION);
    assert_int_equal(a->line, 29);
    assert_int_equal(a->input, 2);
    assert_slice(a->key, "Gene Amplifications");

    // [Splice Variants] MET exon 14 skipping and EGFRvIII (exons 2-7).
    a = &back.items[2].alteration;
    assert_int_equal(a->kind, CM_ALTERATION_SMALL);
    assert_slice(a->gene, "MET");
    assert_int_equal(a->exon, 14);
    assert_int_equal(a->exon_count, 21);
    assert_int_equal(a->consequence, CM_SO_BIT(CM_SO_EXON_LOSS_VARIANT));
    assert_slice(a->chrom, "chr7");
    assert_int_equal(a->pos, 116411708);
    assert_slice(a->messages, "RNA splice variant: exon 14/21 skipped");
    assert_true(isnan(a->vaf));
    assert_int_equal(a->depth, -1);
    a = &back.items[3].alteration;
    assert_slice(a->gene, "EGFR");
    assert_int_equal(a->exon, 2);
    assert_int_equal(a->exon_count, 28);

    // [Fusions] EML4-ALK; CD74-ROS1;GOPC gives both 3' genes.
    a = &back.items[4].alteration;
    assert_int_equal(a->kind, CM_ALTERATION_FUSION);
    assert_slice(a->gene, "EML4");
    assert_slice(a->partner, "ALK");
    assert_int_equal(a->is_five_prime, 1);
    assert_int_equal(a->in_frame, -1);
    assert_int_equal(a->line, 39);
    assert_int_equal(a->messages.len, 0);
    assert_slice(back.items[5].alteration.gene, "CD74");
    assert_slice(back.items[5].alteration.partner, "ROS1");
    assert_slice(back.items[6].alteration.partner, "GOPC");
    assert_slice(back.items[6].alteration.messages,
                 "Gene Pair 'CD74-ROS1;GOPC' lists 2 gene pairs: one row each");

    // [Small Variants] BRAF V600E with everything the row gives.
    a = &back.items[7].alteration;
    assert_int_equal(a->kind, CM_ALTERATION_SMALL);
    assert_slice(a->gene, "BRAF");
    assert_slice(a->chrom, "chr7");
    assert_int_equal(a->pos, 140453136);
    assert_slice(a->ref, "A");
    assert_slice(a->alt, "T");
    assert_slice(a->transcript, "NM_004333.4");
    assert_slice(a->hgvsc, "c.1799T>A");
    assert_slice(a->hgvsp, "p.(Val600Glu)");
    assert_int_equal(a->protein.kind, CM_PROTEIN_SUBSTITUTION);
    assert_int_equal(a->protein.start, 600);
    assert_int_equal(a->protein.start_residue, 'V');
    assert_string_equal(a->protein.alt, "E");
    assert_int_equal(a->protein.is_predicted, 1);
    assert_int_equal(a->consequence, CM_SO_BIT(CM_SO_MISSENSE_VARIANT));
    assert_int_equal(a->exon, 15);
    assert_int_equal(a->exon_count, 18);
    assert_true(fabs(a->vaf - 0.15) < 1e-12);
    assert_int_equal(a->vaf_source, CM_VAF_ALLELE_FRACTION);
    assert_int_equal(a->depth, 778);
    assert_int_equal(a->is_pass, 1);
    assert_int_equal(a->is_preferred, 1);
    assert_int_equal(a->line, 44);
    // Consequences joined by ':'.
    a = &back.items[11].alteration;
    assert_slice(a->gene, "AKT1");
    assert_int_equal(a->consequence,
                     CM_SO_BIT(CM_SO_MISSENSE_VARIANT) | CM_SO_BIT(CM_SO_SPLICE_REGION_VARIANT));
    // Nonsense and frameshift in 3-letter HGVS.
    a = &back.items[12].alteration;
    assert_int_equal(a->protein.kind, CM_PROTEIN_NONSENSE);
    assert_int_equal(a->protein.start, 1294);
    a = &back.items[13].alteration;
    assert_int_equal(a->protein.kind, CM_PROTEIN_FRAMESHIFT);
    assert_int_equal(a->protein.new_stop, 31);
    // Synonymous: the protein is inside the C-dot, "c.639A>G(p.(Arg213=))".
    a = &back.items[15].alteration;
    assert_slice(a->gene, "TP53");
    assert_slice(a->transcript, "NM_000546.5");
    assert_slice(a->hgvsc, "c.639A>G");
    assert_slice(a->hgvsp, "p.(Arg213=)");
    assert_int_equal(a->protein.kind, CM_PROTEIN_SYNONYMOUS);
    assert_int_equal(a->protein.start, 213);
    // Off-panel: no gene, no c./p., still an alteration.
    a = &back.items[16].alteration;
    assert_int_equal(a->gene.len, 0);
    assert_int_equal(a->transcript.len, 0);
    assert_int_equal(a->protein.kind, CM_PROTEIN_NONE);
    assert_int_equal(a->consequence, 0);
    assert_int_equal(a->depth, 655);
    free_all(&back);

    const char *where = NULL;
    assert_string_equal(fact_value(input, "tmb", &where), "238.5");
    assert_string_equal(where, "localapp-2.2.CombinedVariantOutput.tsv:18:[TMB] Total TMB");
    assert_string_equal(fact_value(input, "msi", &where), "stable");
    assert_string_equal(
        where, "localapp-2.2.CombinedVariantOutput.tsv:25:[MSI] Percent Unstable MSI Sites");
    assert_string_equal(fact_value(input, "msi_percent_unstable", NULL), "4.42");
    assert_string_equal(fact_value(input, "msi_usable_sites", NULL), "113");
    assert_null(fact_value(input, "msi_not_called", NULL));
    size_t n_facts;
    cm_input_facts(input, &n_facts);
    assert_int_equal(n_facts, 4);
    const cm_input_stats *stats = cm_input_get_stats(input);
    assert_int_equal(stats->records, 18);
    assert_int_equal(stats->alterations, 17);
    assert_int_equal(skipped(input, "tso500_na_row"), 0);
    assert_int_equal(skipped(input, "tso500_section_not_read"), 2);
    cm_input_close(input);
}

static void test_dragen(void **state)
{
    (void)state;
    cm_input *input = open_input(DATA("tso500/dragen-2.6.CombinedVariantOutput.tsv"));
    // Pair ID NA: the DNA sample names the file.
    assert_string_equal(cm_input_sample_name(input, 0), "PT-0417-D01");
    read_back back;
    read_all(input, &back);
    assert_int_equal(back.n, 7);
    const cm_alteration *a = &back.items[1].alteration;
    assert_slice(a->gene, "EGFR");
    assert_int_equal(a->protein.kind, CM_PROTEIN_DELETION);
    assert_int_equal(a->protein.start, 746);
    assert_int_equal(a->protein.end, 750);
    assert_int_equal(a->consequence, CM_SO_BIT(CM_SO_INFRAME_DELETION));
    assert_int_equal(a->exon, 19);
    assert_int_equal(a->line, 14); // a blank line inside the table is skipped
    // [Copy Number Variants]: <DUP> with absolute copies, <DUP> without, <DEL> at 0 and 1.
    a = &back.items[3].alteration;
    assert_slice(a->gene, "ERBB2");
    assert_true(a->copy_number == 9);
    assert_int_equal(a->cnv, CM_CNV_AMPLIFICATION);
    a = &back.items[4].alteration;
    assert_slice(a->gene, "MET");
    assert_true(fabs(a->copy_number - 4.4) < 1e-9);
    assert_int_equal(a->cnv, CM_CNV_AMPLIFICATION);
    a = &back.items[5].alteration;
    assert_slice(a->gene, "CDKN2A");
    assert_true(a->copy_number == 0);
    assert_int_equal(a->cnv, CM_CNV_HOMOZYGOUS_DELETION);
    a = &back.items[6].alteration;
    assert_slice(a->gene, "PTEN");
    assert_true(a->copy_number == 1);
    assert_int_equal(a->cnv, CM_CNV_DELETION);
    assert_slice(a->key, "Copy Number Variants");
    free_all(&back);
    // 14.29 % of 112 usable sites: between the cut-offs, no msi fact, a note why.
    assert_null(fact_value(input, "msi", NULL));
    assert_string_equal(
        fact_value(input, "msi_not_called", NULL),
        "14.29 % unstable MSI sites is between 10 % (stable) and 20 % (high): not called");
    assert_string_equal(fact_value(input, "tmb", NULL), "12.6");
    const char *where;
    assert_string_equal(fact_value(input, "gis", &where), "47");
    assert_string_equal(where, "dragen-2.6.CombinedVariantOutput.tsv:28:[GIS] Genomic Instability "
                               "Score");
    assert_int_equal(skipped(input, "tso500_na_row"), 1);
    assert_int_equal(skipped(input, "tso500_section_not_read"), 2);
    cm_input_close(input);
}

/* ---- Small files for each quirk ---- */

static char dir[] = "/tmp/cm-tso500-XXXXXX";

static const char *write_cvo(const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/CombinedVariantOutput.tsv", dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

// Opens text as a TSO500 file (the format forced, as --input-format tso500 does).
static cm_input *open_forced(const char *text, cm_error *err)
{
    cm_error_clear(err);
    cm_input_options options;
    memset(&options, 0, sizeof options);
    options.format = CM_INPUT_TSO500;
    return cm_input_open(write_cvo(text), &options, err);
}

static cm_input *open_text(const char *text)
{
    cm_error err;
    cm_input *input = open_forced(text, &err);
    if (!input)
        fail_msg("%s", err.message);
    return input;
}

static void msi_case(const char *usable, const char *percent, const char *msi, const char *note)
{
    char text[512];
    snprintf(text, sizeof text,
             "[MSI]\n%s%s%sPercent Unstable MSI Sites\t%s\n[TMB]\nTotal TMB\tNA\n",
             usable ? "Usable MSI Sites\t" : "", usable ? usable : "", usable ? "\n" : "", percent);
    cm_input *input = open_text(text);
    const char *got = fact_value(input, "msi", NULL);
    if (msi)
        assert_string_equal(got, msi);
    else
        assert_null(got);
    got = fact_value(input, "msi_not_called", NULL);
    if (note)
        assert_string_equal(got, note);
    else
        assert_null(got);
    // TMB written as NA (DNA not run): no tmb fact.
    assert_null(fact_value(input, "tmb", NULL));
    assert_null(cm_input_sample_name(input, 0));
    cm_input_close(input);
}

// PRONTO's cut-offs: fewer than 40 usable sites not evaluable, <= 10 % stable, >= 20 % high.
static void test_msi_cutoffs(void **state)
{
    (void)state;
    msi_case("113", "4.42", "stable", NULL);
    msi_case("40", "10", "stable", NULL);
    msi_case("40", "20", "high", NULL);
    msi_case("121", "35.54", "high", NULL);
    msi_case("121", "10.01", NULL,
             "10.01 % unstable MSI sites is between 10 % (stable) and 20 % (high): not called");
    msi_case("121", "19.99", NULL,
             "19.99 % unstable MSI sites is between 10 % (stable) and 20 % (high): not called");
    msi_case("39", "50", NULL, "39 usable MSI sites, fewer than 40: not evaluable");
    msi_case(NULL, "50", NULL,
             "50 % unstable MSI sites, but the file gives no number of usable sites (at least 40 "
             "are needed)");
    msi_case("NA", "NA", NULL, NULL);
}

static void fusion_case(const char *pair, const char *expected, const char *note)
{
    char text[512];
    snprintf(text, sizeof text,
             "[Fusions]\nGene Pair\tBreakpoint 1\tBreakpoint 2\n%s\tchr1:100\tchr2:200\n", pair);
    cm_input *input = open_text(text);
    read_back back;
    read_all(input, &back);
    char got[512] = "";
    for (size_t i = 0; i < back.n; i++) {
        const cm_alteration *a = &back.items[i].alteration;
        size_t len = strlen(got);
        snprintf(got + len, sizeof got - len, "%s%.*s>%.*s", i ? " " : "", a->gene.len, a->gene.s,
                 a->partner.len, a->partner.s ? a->partner.s : "");
        assert_int_equal(a->is_five_prime, a->partner.len > 0 ? 1 : -1);
        if (note)
            assert_slice(a->messages, note);
        else
            assert_int_equal(a->messages.len, 0);
        assert_int_equal(a->pos, 100);
    }
    assert_string_equal(got, expected);
    free_all(&back);
    cm_input_close(input);
}

static void test_gene_pairs(void **state)
{
    (void)state;
    fusion_case("EML4-ALK", "EML4>ALK", NULL);
    fusion_case("NKX2-1-ROS1", "NKX2-1>ROS1", NULL);
    fusion_case("HLA-A-ROS1", "HLA-A>ROS1", NULL);
    fusion_case("TMPRSS2-ERG", "TMPRSS2>ERG", NULL);
    fusion_case("FGFR3-AS1-TACC3", "FGFR3-AS1>TACC3", NULL);
    fusion_case("CD74-ROS1;GOPC", "CD74>ROS1 CD74>GOPC",
                "Gene Pair 'CD74-ROS1;GOPC' lists 2 gene pairs: one row each");
    fusion_case("PAX8/AC016683.6-PPARG", "PAX8>PPARG AC016683.6>PPARG",
                "Gene Pair 'PAX8/AC016683.6-PPARG' lists 2 gene pairs: one row each");
    // No '-' that parts two genes: the genes, partner unknown.
    fusion_case("PPARG/AC016683.6;PAX8", "PPARG> AC016683.6> PAX8>",
                "Gene Pair 'PPARG/AC016683.6;PAX8' names no 5'-3' pair: partner unknown");
    // Two '-' that could each part the pair: every reading, said so.
    fusion_case("ABC-DEF-GHI", "ABC>DEF-GHI ABC-DEF>GHI",
                "Gene Pair 'ABC-DEF-GHI' can be split 2 ways: every reading given");
}

// CRLF, tab padding, blank lines, a BOM, sections in any order, NA rows, unknown sections.
static void test_quirks(void **state)
{
    (void)state;
    cm_input *input =
        open_text("\xEF\xBB\xBFTruSight Oncology 500 - Combined Variant Output\t\t\r\n"
                  "\t\t\t\r\n"
                  "[Small Variants]\t\t\r\n"
                  "NA\t\t\r\n"
                  "[Gene Amplifications]\r\n"
                  "Gene\tFold Change\t\t\r\n"
                  "NA\r\n"
                  "[Fusions]\r\n"
                  "NA\tNA\tNA\r\n"
                  "[New Section]\r\n"
                  "Key\tValue\r\n"
                  "[Analysis Details]\r\n"
                  "Sample ID\tS-1\t\t\r\n"
                  "[Gene Amplifications]\r\n"
                  "Gene\tFold Change\r\n"
                  "\t2.5\r\n"
                  "MYC\tNA\r\n"
                  "MYC\t  2.5 \t\t\r\n");
    assert_string_equal(cm_input_sample_name(input, 0), "S-1");
    read_back back;
    read_all(input, &back);
    assert_int_equal(back.n, 1);
    assert_slice(back.items[0].alteration.gene, "MYC");
    assert_true(back.items[0].alteration.copy_number == 5);
    assert_int_equal(back.items[0].alteration.line, 18);
    free_all(&back);
    assert_int_equal(skipped(input, "tso500_na_row"), 3);
    assert_int_equal(skipped(input, "tso500_section_not_read"), 1);
    assert_int_equal(skipped(input, "tso500_no_gene"), 1);
    assert_int_equal(skipped(input, "tso500_no_fold_change"), 1);
    assert_int_equal(cm_input_get_stats(input)->records, 7);
    cm_input_close(input);
}

// An exon cell of another form: the row is kept with no exon and a note, never dropped.
static void test_exon_note(void **state)
{
    (void)state;
    cm_input *input = open_text("[Small Variants]\nGene\tChromosome\tGenomic Position\tReference "
                                "Call\tAlternative Call\tAffected Exon(s)\n"
                                "BRAF\tchr7\t140453136\tA\tT\texon15\n"
                                "BRAF\tchr7\t140453136\tA\tT\t15\n");
    read_back back;
    read_all(input, &back);
    assert_int_equal(back.n, 2);
    assert_int_equal(back.items[0].alteration.exon, 0);
    assert_int_equal(back.items[0].alteration.exon_count, 0);
    assert_slice(back.items[0].alteration.messages,
                 "Affected Exon(s) 'exon15' not read (not 15/31 or 2-3/28)");
    assert_int_equal(back.items[1].alteration.exon, 15);
    assert_int_equal(back.items[1].alteration.exon_count, 0);
    assert_int_equal(back.items[1].alteration.messages.len, 0);
    free_all(&back);
    cm_input_close(input);
}

static void error_case(const char *text, const char *message, int line)
{
    cm_error err;
    cm_input *input = open_forced(text, &err);
    if (input) {
        const cm_alteration *batch;
        size_t n;
        int got;
        while ((got = cm_input_next(input, &batch, &n, &err)) > 0)
            ;
        cm_input_close(input);
        assert_int_equal(got, -1);
    }
    assert_string_equal(err.message, message);
    assert_int_equal(err.line, line);
}

static void test_errors(void **state)
{
    (void)state;
    const char *small = "[Analysis Details]\nPair ID\tP\n[Small Variants]\nGene\tChromosome\t"
                        "Genomic Position\tReference Call\tAlternative Call\tAllele Frequency\t"
                        "Depth\tP-Dot Notation\tC-Dot Notation\tConsequence(s)\tAffected Exon(s)\n";
    char text[1024];
    snprintf(text, sizeof text, "%sBRAF\tchr7\t14045313x\tA\tT\t0.15\t778\t\t\t\t\n", small);
    error_case(text, "Genomic Position '14045313x' is not a position (a whole number above 0)", 5);
    snprintf(text, sizeof text, "%sBRAF\tchr7\t140453136\tA\tT\t15\t778\t\t\t\t\n", small);
    error_case(text, "Allele Frequency '15' is not a number from 0 to 1", 5);
    snprintf(text, sizeof text, "%sBRAF\tchr7\t140453136\tA\tT\t0.15\t-1\t\t\t\t\n", small);
    error_case(text, "Depth '-1' is not a whole number of at least 0", 5);
    error_case("[Small Variants]\nGene\tChromosome\tPosition\n",
               "the [Small Variants] header has no 'Genomic Position' column", 2);
    error_case("[TMB]\nTotal TMB\thigh\n", "Total TMB 'high' is not a number of at least 0", 2);
    error_case("[TMB]\nTotal TMB\t3\nTotal TMB\t4\n", "a second 'Total TMB' (line 2 has one)", 3);
    error_case("[MSI]\nUsable MSI Sites\t100\nPercent Unstable MSI Sites\t120\n",
               "Percent Unstable MSI Sites '120' is not a number from 0 to 100", 3);
    error_case("[MSI]\nUsable MSI Sites\t10.5\n",
               "Usable MSI Sites '10.5' is not a whole number of at least 0", 2);
    error_case("[MSI]\nUsable MSI Sites\t10\nTotal MSI Sites Unstable\t11\n",
               "Total MSI Sites Unstable '11' is more than the Usable MSI Sites '10'", 3);
    error_case("[Gene Amplifications]\nGene\tFold Change\nERBB2\t-2\n",
               "Fold Change '-2' is not a number above 0", 3);
    error_case("[Copy Number Variants]\nGene\tFold Change\tCopy Number Variant\nERBB2\t2\t<INV>\n",
               "Copy Number Variant '<INV>' is not <DUP> or <DEL>", 3);
    error_case("[Splice Variants]\nGene\tAffected Exon\nMET\tfourteen\n",
               "Affected Exon 'fourteen' is not an exon (14/21, 2-7/28)", 3);
    // Forced on a file with no section at all.
    cm_error err;
    assert_null(open_forced("Gene\tFold Change\nERBB2\t2\n", &err));
    assert_string_equal(err.message, "no [Section] line: not a TSO500 CombinedVariantOutput.tsv");
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/CombinedVariantOutput.tsv", dir);
    unlink(path);
    rmdir(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_localapp),    cmocka_unit_test(test_dragen),
        cmocka_unit_test(test_msi_cutoffs), cmocka_unit_test(test_gene_pairs),
        cmocka_unit_test(test_quirks),      cmocka_unit_test(test_exon_note),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
