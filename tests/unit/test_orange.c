/*
 * Unit tests of the ORANGE JSON reader (src/input/orange.c) on the real
 * hmftools file (COLO829, today's datamodel) and the two older generations
 * built from ACTIN's test files (2022: flat purple keys, canonical* variant
 * keys, reportableGainsLosses; ORANGE 2.3: purple.fit/characteristics,
 * allSomaticVariants + reportableSomaticVariants, allSomaticGainsLosses):
 * exact facts with their sources, exact alterations with their keys, skip
 * counts by cause, and errors that name the file and the key.
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

/// What a file gives, copied: its alterations (owned) and the input itself (facts, stats).
typedef struct read_result {
    cm_input *input;
    cm_owned_alteration alterations[32];
    size_t n;
} read_result;

static void read_all(const char *path, cm_input_format format, read_result *out)
{
    memset(out, 0, sizeof *out);
    cm_error err;
    cm_error_clear(&err);
    cm_input_options options;
    memset(&options, 0, sizeof options);
    options.format = format;
    options.index = 2;
    out->input = cm_input_open(path, &options, &err);
    if (!out->input)
        fail_msg("%s: %s:%d:%d: %s", path, err.file, err.line, err.column, err.message);
    const cm_alteration *batch;
    size_t n;
    int got;
    while ((got = cm_input_next(out->input, &batch, &n, &err)) > 0)
        for (size_t i = 0; i < n; i++) {
            assert_true(out->n < 32);
            assert_int_equal(cm_alteration_copy(&batch[i], &out->alterations[out->n++]), 0);
        }
    if (got < 0)
        fail_msg("%s: %s: %s", path, err.file, err.message);
}

static void free_result(read_result *result)
{
    for (size_t i = 0; i < result->n; i++)
        cm_owned_alteration_free(&result->alterations[i]);
    cm_input_close(result->input);
}

static void assert_slice(cm_slice slice, const char *text)
{
    char copy[256];
    snprintf(copy, sizeof copy, "%.*s", slice.len, slice.s ? slice.s : "");
    assert_string_equal(copy, text);
}

// The facts, one "name=value@where" per line.
static void assert_facts(const cm_input *input, const char *expected)
{
    size_t n;
    const cm_input_fact *facts = cm_input_facts(input, &n);
    char text[2048] = "";
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(facts[i].sample, 0);
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "%s=%s@%s\n", facts[i].name, facts[i].value,
                 facts[i].where);
    }
    assert_string_equal(text, expected);
}

// The skip counts, "name=count " each.
static void assert_skipped(cm_input *input, uint64_t records, const char *expected)
{
    const cm_input_stats *stats = cm_input_get_stats(input);
    assert_int_equal(stats->records, records);
    char text[512] = "";
    for (size_t i = 0; i < stats->n_skipped; i++) {
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "%s=%llu ", stats->skipped[i].name,
                 (unsigned long long)stats->skipped[i].value);
    }
    assert_string_equal(text, expected);
}

static const char *const no_skips = "germline_variant=0 gain_del_unknown_interpretation=0 "
                                    "fusion_without_genes=0 listed_twice=0 fusion_same_gene=0 ";

// hmftools' real.orange.json (COLO829, trimmed to one entry per list), recognised by content.
static void test_real_file(void **state)
{
    (void)state;
    read_result r;
    read_all(DATA("hmftools/real.orange.json"), CM_INPUT_UNKNOWN, &r);
    assert_int_equal(cm_input_get_format(r.input), CM_INPUT_ORANGE);
    assert_int_equal(cm_input_n_samples(r.input), 1);
    assert_string_equal(cm_input_sample_name(r.input, 0), "Test");
    assert_int_equal(cm_input_genome_build(r.input), CM_BUILD_GRCH37);
    assert_facts(r.input, "purity=0.99@real.orange.json:purple.fit.purity\n"
                          "ploidy=3.1@real.orange.json:purple.fit.ploidy\n"
                          "tmb=13.7219@real.orange.json:purple.characteristics."
                          "tumorMutationalBurdenPerMb\n"
                          "msi=stable@real.orange.json:purple.characteristics."
                          "microsatelliteStatus\n"
                          "hrd=proficient@real.orange.json:chord.hrStatus\n"
                          "hrd_value=0@real.orange.json:chord.hrdValue\n"
                          "signatures=uv@real.orange.json:sigAllocations\n"
                          "purple_qc=PASS@real.orange.json:purple.fit.qc.status\n");
    // Its one fusion, DMD_DMD (reportedType NONE: exons 67 to 70 of one gene), is no fusion and
    // no exon event: counted (before, it was read as a DMD-DMD fusion a rule could match).
    assert_int_equal(r.n, 2);
    const cm_alteration *v = &r.alterations[0].alteration;
    assert_int_equal(v->kind, CM_ALTERATION_SMALL);
    assert_int_equal(v->sample, 0);
    assert_int_equal(v->input, 2);
    assert_int_equal(v->line, 0);
    assert_slice(v->key, "purple.somaticVariants[0]");
    assert_slice(v->chrom, "2");
    assert_int_equal(v->pos, 198266779);
    assert_slice(v->ref, "G");
    assert_slice(v->alt, "A");
    assert_slice(v->gene, "SF3B1");
    assert_slice(v->transcript, "ENST00000335508");
    assert_int_equal(v->transcript_flags, CM_TRANSCRIPT_CANONICAL);
    assert_int_equal(v->is_preferred, 1);
    assert_slice(v->hgvsc, "c.2153C>T");
    assert_slice(v->hgvsp, "p.Pro718Leu");
    assert_int_equal(v->protein.kind, CM_PROTEIN_SUBSTITUTION);
    assert_int_equal(v->protein.start, 718);
    assert_string_equal(v->protein.alt, "L");
    assert_true(v->consequence == CM_SO_BIT(CM_SO_MISSENSE_VARIANT));
    assert_int_equal(v->depth, 107);
    assert_true(fabs(v->vaf - 70.0 / 107.0) < 1e-12);
    assert_int_equal(v->vaf_source, CM_VAF_READ_COUNTS);
    assert_int_equal(v->is_pass, 1);
    const cm_alteration *cn = &r.alterations[1].alteration;
    assert_int_equal(cn->kind, CM_ALTERATION_COPY_NUMBER);
    assert_slice(cn->key, "purple.somaticGainsDels[0]");
    assert_slice(cn->gene, "PTEN");
    assert_slice(cn->chrom, "10");
    assert_int_equal(cn->cnv, CM_CNV_HOMOZYGOUS_DELETION);
    assert_true(cn->copy_number == 0.0);
    assert_skipped(r.input, 3,
                   "germline_variant=0 gain_del_unknown_interpretation=0 "
                   "fusion_without_genes=0 listed_twice=0 fusion_same_gene=1 ");
    free_result(&r);
}

// real.orange.json with LINX EXON_DEL_DUP entries added (testdata/README.md): MET exon 14
// skipping (fused exons 13 -> 15), EGFRvIII (1 -> 8), the EGFR kinase-domain duplication
// (25 -> 18) as small alterations with their exons and consequence; KIT 11 -> 11 within exon
// 11 (no whole exon lost or gained) and DMD_DMD (not EXON_DEL_DUP) counted.
static void test_exon_del_dup(void **state)
{
    (void)state;
    read_result r;
    read_all(DATA("hmftools/exon-del-dup.orange.json"), CM_INPUT_UNKNOWN, &r);
    assert_int_equal(r.n, 5);
    static const struct {
        const char *gene, *key;
        int exon, exon_last;
        cm_consequence consequence;
    } want[] = {
        {"MET", "linx.fusions[1]", 14, 14, CM_SO_BIT(CM_SO_EXON_LOSS_VARIANT)},
        {"EGFR", "linx.fusions[2]", 2, 7, CM_SO_BIT(CM_SO_EXON_LOSS_VARIANT)},
        {"EGFR", "linx.fusions[3]", 18, 25,
         CM_SO_BIT(CM_SO_DUPLICATION) | CM_SO_BIT(CM_SO_FEATURE_ELONGATION)},
    };
    for (size_t i = 0; i < 3; i++) {
        const cm_alteration *a = &r.alterations[2 + i].alteration;
        assert_int_equal(a->kind, CM_ALTERATION_SMALL);
        assert_slice(a->gene, want[i].gene);
        assert_slice(a->key, want[i].key);
        assert_int_equal(a->exon, want[i].exon);
        assert_int_equal(a->exon_last, want[i].exon_last);
        assert_true(a->consequence == want[i].consequence);
        assert_int_equal(a->in_frame, 1);
        assert_slice(a->messages, "EXON_DEL_DUP");
        assert_slice(a->partner, "");
        assert_int_equal(a->chrom.len, 0);
    }
    assert_slice(r.alterations[2].alteration.transcript, "ENST00000318493");
    assert_skipped(r.input, 7,
                   "germline_variant=0 gain_del_unknown_interpretation=0 "
                   "fusion_without_genes=0 listed_twice=0 fusion_same_gene=2 ");
    free_result(&r);
}

// The 2022 generation (ACTIN's orange/real.orange.json, trimmed): flat purple keys, flat
// canonical* variant keys with SO effects, reportableGainsLosses with minCopies, no genome.
static void test_2022_generation(void **state)
{
    (void)state;
    read_result r;
    read_all(DATA("hmftools/actin-2022.orange.json"), CM_INPUT_UNKNOWN, &r);
    assert_int_equal(cm_input_get_format(r.input), CM_INPUT_ORANGE);
    assert_string_equal(cm_input_sample_name(r.input, 0), "ACTN01029999T");
    assert_int_equal(cm_input_genome_build(r.input), CM_BUILD_UNKNOWN);
    assert_facts(r.input, "purity=0.99@actin-2022.orange.json:purple.purity\n"
                          "ploidy=3.1@actin-2022.orange.json:purple.ploidy\n"
                          "tmb=13.7131864288213@actin-2022.orange.json:purple."
                          "tumorMutationalBurdenPerMb\n"
                          "msi=stable@actin-2022.orange.json:purple.microsatelliteStatus\n"
                          "hrd=proficient@actin-2022.orange.json:chord.hrStatus\n"
                          "hrd_value=0@actin-2022.orange.json:chord.hrdValue\n");
    assert_int_equal(r.n, 6);
    static const char *const genes[] = {"SF3B1", "TP63", "TERT", "BRAF", "CDKN2A"};
    for (size_t i = 0; i < 5; i++) {
        char key[64];
        snprintf(key, sizeof key, "purple.reportableSomaticVariants[%zu]", i);
        assert_slice(r.alterations[i].alteration.key, key);
        assert_slice(r.alterations[i].alteration.gene, genes[i]);
    }
    const cm_alteration *braf = &r.alterations[3].alteration;
    assert_slice(braf->chrom, "7");
    assert_int_equal(braf->pos, 140453136);
    assert_slice(braf->transcript, "ENST00000288602");
    assert_slice(braf->hgvsc, "c.1799T>A");
    assert_slice(braf->hgvsp, "p.Val600Glu");
    assert_int_equal(braf->protein.start, 600);
    assert_string_equal(braf->protein.alt, "E");
    assert_true(braf->consequence == CM_SO_BIT(CM_SO_MISSENSE_VARIANT));
    assert_int_equal(braf->depth, 221);
    assert_true(fabs(braf->vaf - 150.0 / 221.0) < 1e-12);
    const cm_alteration *cdkn2a = &r.alterations[4].alteration;
    assert_slice(cdkn2a->ref, "CCG");
    assert_slice(cdkn2a->alt, "C");
    assert_true(cdkn2a->consequence == CM_SO_BIT(CM_SO_FRAMESHIFT_VARIANT));
    assert_int_equal(cdkn2a->protein.kind, CM_PROTEIN_FRAMESHIFT);
    const cm_alteration *tert = &r.alterations[2].alteration;
    assert_true(tert->consequence == CM_SO_BIT(CM_SO_UPSTREAM_GENE_VARIANT));
    assert_int_equal(tert->protein.kind, CM_PROTEIN_NONE);
    const cm_alteration *pten = &r.alterations[5].alteration;
    assert_slice(pten->key, "purple.reportableGainsLosses[0]");
    assert_int_equal(pten->cnv, CM_CNV_HOMOZYGOUS_DELETION);
    assert_true(pten->copy_number == 0.0);
    assert_skipped(r.input, 6, no_skips);
    free_result(&r);
}

// ORANGE 2.3 (ACTIN's serialization/real.v2.3.orange.json, trimmed): each variant and the PTEN
// loss are listed twice (all + reportable) and read once.
static void test_v2_generation(void **state)
{
    (void)state;
    read_result r;
    read_all(DATA("hmftools/actin-v2.3.orange.json"), CM_INPUT_UNKNOWN, &r);
    assert_int_equal(cm_input_genome_build(r.input), CM_BUILD_GRCH37);
    assert_facts(r.input, "purity=0.99@actin-v2.3.orange.json:purple.fit.purity\n"
                          "ploidy=3.1@actin-v2.3.orange.json:purple.fit.ploidy\n"
                          "tmb=13.7394@actin-v2.3.orange.json:purple.characteristics."
                          "tumorMutationalBurdenPerMb\n"
                          "msi=stable@actin-v2.3.orange.json:purple.characteristics."
                          "microsatelliteStatus\n"
                          "hrd=proficient@actin-v2.3.orange.json:chord.hrStatus\n"
                          "hrd_value=0@actin-v2.3.orange.json:chord.hrdValue\n"
                          "signatures=uv@actin-v2.3.orange.json:sigAllocations\n"
                          "purple_qc=PASS@actin-v2.3.orange.json:purple.fit.qc.status\n");
    assert_int_equal(r.n, 6);
    assert_slice(r.alterations[0].alteration.key, "purple.allSomaticVariants[0]");
    assert_slice(r.alterations[4].alteration.hgvsp, "p.Ala68fs");
    assert_slice(r.alterations[2].alteration.hgvsc, "c.-125_-124delCCinsTT");
    assert_slice(r.alterations[5].alteration.key, "purple.allSomaticGainsLosses[0]");
    assert_slice(r.alterations[5].alteration.transcript, "ENST00000371953");
    assert_skipped(r.input, 12,
                   "germline_variant=0 gain_del_unknown_interpretation=0 fusion_without_genes=0 "
                   "listed_twice=6 fusion_same_gene=0 ");
    free_result(&r);
}

static char scratch[64];

static const char *write_json(const char *text)
{
    snprintf(scratch, sizeof scratch, "/tmp/cm-orange-XXXXXX");
    int fd = mkstemp(scratch);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return scratch;
}

// The older fusion keys (geneStart/geneEnd, with LINX's real TMPRSS2_ERG, MIA2_BRAF and
// FGFR2_CDYL rows), frames, an intergenic side, the words of MSI and CHORD, APOBEC summed over
// Sig2 and Sig13, germline entries, an interpretation ORANGE never wrote, a near-reportable gain,
// a fusion listed twice and another of the same gene pair.
static void test_keys_of_each_generation(void **state)
{
    (void)state;
    const char *path = write_json(
        "{\"sampleId\": \"S\", \"refGenomeVersion\": \"V38\",\n"
        " \"purple\": {\"purity\": 0.5, \"ploidy\": 2, \"microsatelliteStatus\": \"MSI\",\n"
        "  \"tumorMutationalBurdenPerMb\": 42, \"qc\": {\"status\": [\"WARN_DELETED_GENES\", "
        "\"FAIL_NO_TUMOR\"]},\n"
        "  \"allGermlineVariants\": [{\"gene\": \"BRCA2\", \"chromosome\": \"13\", \"position\": "
        "32914438, \"ref\": \"T\", \"alt\": \"C\"}],\n"
        "  \"reportableGermlineVariants\": [{\"gene\": \"BRCA2\", \"chromosome\": \"13\", "
        "\"position\": 32914438, \"ref\": \"T\", \"alt\": \"C\"}],\n"
        "  \"allSomaticGainsDels\": [{\"gene\": \"ERBB2\", \"interpretation\": \"PARTIAL_GAIN\", "
        "\"minCopies\": 2.1, \"maxCopies\": 25.5},\n"
        "   {\"gene\": \"MYC\", \"interpretation\": \"AMPLIFIED_SOMEHOW\", \"minCopies\": 9}],\n"
        "  \"nearReportableSomaticGains\": [{\"gene\": \"CCND1\", \"interpretation\": "
        "\"FULL_GAIN\", \"minCopyNumber\": 5.5, \"maxCopyNumber\": 5.9}]},\n"
        " \"linx\": {\"reportableFusions\": [\n"
        "  {\"geneStart\": \"TMPRSS2\", \"geneEnd\": \"ERG\", \"geneTranscriptStart\": "
        "\"ENST00000398585\", \"phased\": \"INFRAME\"},\n"
        "  {\"geneStart\": \"MIA2\", \"geneEnd\": \"BRAF\", \"phased\": \"SKIPPED_EXONS\"}],\n"
        "  \"unreportedFusions\": [\n"
        "  {\"geneStart\": \"FGFR2\", \"geneEnd\": \"CDYL\", \"phased\": \"OUT_OF_FRAME\"},\n"
        "  {\"geneStart\": \"\", \"geneEnd\": \"ALK\"},\n"
        "  {\"geneStart\": \"\", \"geneEnd\": \"\"},\n"
        "  {\"geneStart\": \"TMPRSS2\", \"geneEnd\": \"ERG\", \"geneTranscriptStart\": "
        "\"ENST00000398585\", \"phased\": \"INFRAME\"},\n"
        "  {\"geneStart\": \"TMPRSS2\", \"geneEnd\": \"ERG\", \"phased\": \"OUT_OF_FRAME\"}]},\n"
        " \"chord\": {\"hrStatus\": \"HR_DEFICIENT\", \"hrdValue\": 0.93},\n"
        " \"sigAllocations\": [{\"signature\": \"Sig2\", \"percent\": 0.06},\n"
        "  {\"signature\": \"Sig13\", \"percent\": 0.05}, {\"signature\": \"Sig3\", "
        "\"percent\": 0.3}]}\n");
    read_result r;
    read_all(path, CM_INPUT_UNKNOWN, &r);
    const char *name = strrchr(path, '/') + 1;
    char expected[1024];
    snprintf(expected, sizeof expected,
             "purity=0.5@%s:purple.purity\nploidy=2@%s:purple.ploidy\n"
             "tmb=42@%s:purple.tumorMutationalBurdenPerMb\nmsi=high@%s:purple."
             "microsatelliteStatus\nhrd=deficient@%s:chord.hrStatus\nhrd_value=0.93@%s:chord."
             "hrdValue\nsignatures=apobec@%s:sigAllocations\nsignatures=hrd@%s:sigAllocations\n"
             "purple_qc=WARN_DELETED_GENES@%s:purple.qc.status\n"
             "purple_qc=FAIL_NO_TUMOR@%s:purple.qc.status\n",
             name, name, name, name, name, name, name, name, name, name);
    assert_facts(r.input, expected);
    assert_int_equal(cm_input_genome_build(r.input), CM_BUILD_GRCH38);
    assert_int_equal(r.n, 7);
    const cm_alteration *erbb2 = &r.alterations[0].alteration;
    assert_slice(erbb2->gene, "ERBB2");
    assert_int_equal(erbb2->cnv, CM_CNV_AMPLIFICATION);
    assert_true(erbb2->copy_number == 25.5); // a partial gain: the gene's maximum
    const cm_alteration *ccnd1 = &r.alterations[1].alteration;
    assert_slice(ccnd1->key, "purple.nearReportableSomaticGains[0]");
    assert_int_equal(ccnd1->cnv, 0); // under PURPLE's threshold: the protocol's thresholds decide
    assert_true(ccnd1->copy_number == 5.5);
    const cm_alteration *tmprss2 = &r.alterations[2].alteration;
    assert_slice(tmprss2->gene, "TMPRSS2");
    assert_slice(tmprss2->partner, "ERG");
    assert_slice(tmprss2->transcript, "ENST00000398585");
    assert_int_equal(tmprss2->in_frame, 1);
    assert_int_equal(tmprss2->is_five_prime, 1);
    assert_slice(tmprss2->key, "linx.reportableFusions[0]");
    assert_int_equal(r.alterations[3].alteration.in_frame, 1); // SKIPPED_EXONS
    assert_slice(r.alterations[4].alteration.gene, "FGFR2");
    assert_int_equal(r.alterations[4].alteration.in_frame, 0);
    const cm_alteration *alk = &r.alterations[5].alteration;
    assert_slice(alk->gene, "intergenic");
    assert_slice(alk->partner, "ALK");
    assert_int_equal(alk->in_frame, -1);
    assert_slice(alk->key, "linx.unreportedFusions[1]");
    // The reportable TMPRSS2_ERG listed again is read once; another fusion of the same pair
    // (out of frame) is its own alteration.
    const cm_alteration *again = &r.alterations[6].alteration;
    assert_slice(again->key, "linx.unreportedFusions[4]");
    assert_slice(again->gene, "TMPRSS2");
    assert_int_equal(again->in_frame, 0);
    assert_skipped(r.input, 12,
                   "germline_variant=1 gain_del_unknown_interpretation=1 fusion_without_genes=1 "
                   "listed_twice=2 fusion_same_gene=0 ");
    free_result(&r);
    unlink(path);
}

// What is not given: UNKNOWN MSI, an undetermined CHORD status (and its score), signatures
// none of which reaches a tenth, a panel without CHORD (null).
static void test_not_given(void **state)
{
    (void)state;
    const char *path = write_json(
        "{\"purple\": {\"fit\": {\"purity\": 1, \"ploidy\": 2.05}, \"characteristics\": "
        "{\"microsatelliteStatus\": \"UNKNOWN\"}},\n"
        " \"chord\": {\"hrStatus\": \"CANNOT_BE_DETERMINED\", \"hrdValue\": 0.2},\n"
        " \"sigAllocations\": [{\"signature\": \"Sig7\", \"percent\": 0.09}, {\"signature\": "
        "\"MISALLOC\", \"percent\": 0.91}], \"isofox\": null}");
    read_result r;
    read_all(path, CM_INPUT_ORANGE, &r);
    assert_null(cm_input_sample_name(r.input, 0));
    const char *name = strrchr(path, '/') + 1;
    char expected[512];
    snprintf(expected, sizeof expected,
             "purity=1@%s:purple.fit.purity\nploidy=2.05@%s:purple.fit.ploidy\n"
             "signatures=none@%s:sigAllocations\n",
             name, name, name);
    assert_facts(r.input, expected);
    assert_int_equal(r.n, 0);
    free_result(&r);
    path = write_json("{\"purple\": {}, \"chord\": null, \"sigAllocations\": []}");
    read_all(path, CM_INPUT_ORANGE, &r);
    assert_facts(r.input, "");
    free_result(&r);
    unlink(path);
}

static void orange_error(const char *text, const char *key, int line, int column,
                         const char *message)
{
    const char *path = write_json(text);
    cm_error err;
    cm_error_clear(&err);
    cm_input_options options;
    memset(&options, 0, sizeof options);
    options.format = CM_INPUT_ORANGE;
    cm_input *input = cm_input_open(path, &options, &err);
    const cm_alteration *batch;
    size_t n;
    if (input) {
        int got;
        while ((got = cm_input_next(input, &batch, &n, &err)) > 0)
            ;
        assert_int_equal(got, -1);
        cm_input_close(input);
    }
    char file[128];
    snprintf(file, sizeof file, "%s%s%s", path, key ? ":" : "", key ? key : "");
    assert_string_equal(err.file, file);
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
    assert_string_equal(err.message, message);
    unlink(path);
}

static void test_errors(void **state)
{
    (void)state;
    // Not JSON, or JSON cut short: jansson's message with the line and column.
    orange_error("purity\tploidy\n", NULL, 1, 6, "'[' or '{' expected near 'purity'");
    orange_error("{\"purple\": {\"fit\": {\"purity\": 0.5,}}}", NULL, 1, 35,
                 "string or '}' expected near '}'");
    orange_error("{\"purple\": {}, \"purple\": {}}", NULL, 1, 23,
                 "duplicate object key near '\"purple\"'");
    orange_error("{\"purple\": {}}\n{\"x\": 1}", NULL, 2, 1, "end of file expected near '{'");
    orange_error("[1, 2]", NULL, 0, 0, "an array, not an ORANGE object");
    orange_error("{\"sampleId\": \"S\"}", "purple", 0, 0,
                 "missing (an ORANGE file has PURPLE's results)");
    // A key of the wrong type or out of range.
    orange_error("{\"purple\": {\"fit\": {\"purity\": \"0.5\"}}}", "purple.fit.purity", 0, 0,
                 "a string, not a number");
    orange_error("{\"purple\": {\"fit\": {\"purity\": 1.5}}}", "purple.fit.purity", 0, 0,
                 "purity 1.5 is not between 0 and 1");
    orange_error("{\"purple\": {\"fit\": []}}", "purple.fit", 0, 0, "an array, not an object");
    orange_error("{\"purple\": {\"characteristics\": {\"microsatelliteStatus\": \"MSI-H\"}}}",
                 "purple.characteristics.microsatelliteStatus", 0, 0,
                 "'MSI-H' is not MSI, MSS or UNKNOWN");
    orange_error("{\"purple\": {}, \"chord\": {\"hrStatus\": true}}", "chord.hrStatus", 0, 0,
                 "a boolean, not a string");
    orange_error("{\"purple\": {}, \"refGenomeVersion\": \"V36\"}", "refGenomeVersion", 0, 0,
                 "not V37 or V38");
    orange_error("{\"purple\": {\"somaticVariants\": {}}}", "purple.somaticVariants", 0, 0,
                 "an object, not an array");
    orange_error("{\"purple\": {\"somaticVariants\": [7]}}", "purple.somaticVariants[0]", 0, 0,
                 "a number, not an object");
    orange_error("{\"purple\": {\"somaticVariants\": [{\"chromosome\": \"7\", \"position\": "
                 "\"140453136\", \"ref\": \"A\", \"alt\": \"T\"}]}}",
                 "purple.somaticVariants[0].position", 0, 0, "a string, not an integer");
    orange_error("{\"purple\": {\"somaticVariants\": [{\"chromosome\": \"7\", \"ref\": \"A\", "
                 "\"alt\": \"T\"}]}}",
                 "purple.somaticVariants[0].position", 0, 0,
                 "missing (a variant needs its position)");
    orange_error("{\"purple\": {\"somaticVariants\": [{\"chromosome\": \"7\", \"position\": 5, "
                 "\"ref\": \"A\", \"alt\": \"T\", \"tumorDepth\": {\"totalReadCount\": 5, "
                 "\"alleleReadCount\": 6}}]}}",
                 "purple.somaticVariants[0].tumorDepth.alleleReadCount", 0, 0,
                 "not between 0 and totalReadCount");
    orange_error("{\"purple\": {\"somaticGainsDels\": [{\"gene\": \"PTEN\", \"interpretation\": "
                 "\"FULL_DEL\", \"minCopyNumber\": -1}]}}",
                 "purple.somaticGainsDels[0].minCopyNumber", 0, 0, "not a non-negative number");
    orange_error("{\"purple\": {}, \"linx\": {\"fusions\": [{\"geneUp\": 3}]}}",
                 "linx.fusions[0].geneUp", 0, 0, "a number, not a string");
    // An EXON_DEL_DUP entry needs its fused exons, as exon numbers.
    orange_error("{\"purple\": {}, \"linx\": {\"fusions\": [{\"geneUp\": \"MET\", \"geneDown\": "
                 "\"MET\", \"reportedType\": \"EXON_DEL_DUP\", \"fusedExonUp\": 13}]}}",
                 "linx.fusions[0].fusedExonDown", 0, 0,
                 "missing (an EXON_DEL_DUP fusion needs it)");
    orange_error("{\"purple\": {}, \"linx\": {\"fusions\": [{\"geneUp\": \"MET\", \"geneDown\": "
                 "\"MET\", \"reportedType\": \"EXON_DEL_DUP\", \"fusedExonUp\": 0, "
                 "\"fusedExonDown\": 15}]}}",
                 "linx.fusions[0].fusedExonUp", 0, 0, "not an exon number");
    orange_error("{\"purple\": {}, \"linx\": {\"fusions\": [{\"geneUp\": \"MET\", \"geneDown\": "
                 "\"MET\", \"type\": \"EXON_DEL_DUP\", \"fusedExonUp\": \"13\", "
                 "\"fusedExonDown\": 15}]}}",
                 "linx.fusions[0].fusedExonUp", 0, 0, "a string, not an integer");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_file),     cmocka_unit_test(test_2022_generation),
        cmocka_unit_test(test_v2_generation), cmocka_unit_test(test_keys_of_each_generation),
        cmocka_unit_test(test_not_given),     cmocka_unit_test(test_errors),
        cmocka_unit_test(test_exon_del_dup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
