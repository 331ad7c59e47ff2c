/*
 * Report writers: the exact bytes of the JSON, TSV and text reports for a
 * small hand-built result (two candidates, two arms ruled out), number
 * formatting, missing values, unparsed protein text, and that the JSON
 * parses and follows docs/schema/result.schema.json.
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
#include <jansson.h>

#include "cohortmatch/oncotree.h"
#include "cohortmatch/profile.h"
#include "cohortmatch/report.h"
#include "rules_fixture.h"

static const char protocol_yaml[] =
    "cohortmatch: 1\n"
    "protocol:\n"
    "  id: TEST\n"
    "  name: Report test protocol\n"
    "  version: \"2025-06\"\n"
    "  source: https://example.org/test\n"
    "alterations:\n"
    "  BRAF_V600: {gene: BRAF, protein: V600}\n"
    "  RAS_HOTSPOT:\n"
    "    any:\n"
    "      - {gene: [KRAS, NRAS], protein: [G12, G13, Q61]}\n"
    "  ERBB2_AMP: {gene: ERBB2, copy_number: {min: 6}}\n"
    "  TMB_HIGH: {tmb: {min: 10}}\n"
    "arms:\n"
    "  - id: VEM-COBI-BRAF\n"
    "    drugs: [vemurafenib, cobimetinib]\n"
    "    match: BRAF_V600\n"
    "    exclude: [RAS_HOTSPOT]\n"
    "    tumour_types: {include: [SOLID], exclude: [MEL]}\n"
    "    evidence: {escat: IIIA, oncokb: \"3A\"}\n"
    "    source: \"NCT02925234; van der Velden et al., Nature 2019\"\n"
    "    cohorts:\n"
    "      - {tumour_type: NSCLC, status: open, stage: 2, enrolled: 14, target: 24}\n"
    "  - id: PEMBRO-TMB\n"
    "    drugs: [pembrolizumab]\n"
    "    match: TMB_HIGH\n"
    "    evidence: {escat: IC}\n"
    "  - id: PANI-RAS-WT\n"
    "    drugs: [panitumumab]\n"
    "    match: {gene: EGFR, cnv: amplification}\n"
    "    exclude: [RAS_HOTSPOT]\n"
    "  - id: TRAS-PERT-ERBB2\n"
    "    drugs: [trastuzumab, pertuzumab]\n"
    "    match: ERBB2_AMP\n"
    "    cohorts:\n"
    "      - {tumour_type: LUAD, status: closed, note: \"stage 1: 0/8 benefit\"}\n";

static cm_slice slice(const char *text)
{
    return (cm_slice){text, text ? (int)strlen(text) : 0};
}

typedef struct fixture {
    cm_oncotree *tree;
    cm_ruleset *rules;
    const cm_protocol *protocol;
    cm_sample_profile profile;
    cm_alteration braf, kras, erbb2;
    cm_evidence_item braf_items[1], tmb_items[1], kras_items[1], erbb2_items[1];
    char *braf_notes[1];
    cm_candidate candidates[2];
    cm_ruled_out ruled_out[2];
    cm_sample_result result;
    const cm_sample_result *results[1];
    cm_count skipped[3];
    cm_report_input inputs[2];
    cm_report report;
} fixture;

static const cm_arm *arm_named(const fixture *f, const char *id)
{
    for (int i = 0; i < f->protocol->n_arms; i++)
        if (strcmp(f->protocol->arms[i].id, id) == 0)
            return &f->protocol->arms[i];
    fail_msg("no arm %s", id);
    return NULL;
}

static int sample_leaf(const cm_ruleset *rules)
{
    for (size_t i = 0; i < cm_ruleset_n_leaves(rules); i++)
        if (cm_ruleset_leaf(rules, (int)i)->scope == CM_LEAF_SAMPLE)
            return (int)i;
    fail_msg("no sample-level leaf");
    return -1;
}

static void small_variant(cm_alteration *a, const char *gene, const char *chrom, long long pos,
                          const char *ref, const char *alt, const char *transcript,
                          const char *hgvsc, const char *hgvsp, double vaf, int depth)
{
    cm_alteration_init(a);
    a->kind = CM_ALTERATION_SMALL;
    a->gene = slice(gene);
    a->chrom = slice(chrom);
    a->pos = pos;
    a->ref = slice(ref);
    a->alt = slice(alt);
    a->transcript = slice(transcript);
    a->hgvsc = slice(hgvsc);
    a->hgvsp = slice(hgvsp);
    cm_protein_change_parse(hgvsp, strlen(hgvsp), &a->protein);
    a->consequence = CM_SO_BIT(CM_SO_MISSENSE_VARIANT);
    a->vaf = vaf;
    a->depth = depth;
    a->transcript_flags = CM_TRANSCRIPT_MANE_SELECT;
    a->is_preferred = 1;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->rules = load_test_rules(&f->tree, "test.yaml", protocol_yaml, sizeof protocol_yaml - 1, 0);
    f->protocol = cm_ruleset_protocol(f->rules, 0);
    cm_error err;
    cm_error_clear(&err);

    // Facts from every origin: the command line (tumour type, age), a sample sheet (sex), two
    // files that disagree on TMB (the first read wins, the other is a conflict) and a named
    // biomarker read from a file.
    cm_sample_profile *p = &f->profile;
    assert_int_equal(cm_profile_init(p, "TUMOR"), 0);
    assert_int_equal(
        cm_profile_offer(p, f->tree, "tumour_type", "LUAD", CM_ORIGIN_COMMAND_LINE, NULL, &err), 0);
    assert_int_equal(cm_profile_offer(p, f->tree, "age", "63", CM_ORIGIN_COMMAND_LINE, NULL, &err),
                     0);
    assert_int_equal(cm_profile_offer(p, f->tree, "sex", "female", CM_ORIGIN_SAMPLE_SHEET,
                                      "samples.tsv:2", &err),
                     0);
    assert_int_equal(cm_profile_offer(p, f->tree, "tmb", "12.5", CM_ORIGIN_FILE,
                                      "tumor.purple.purity.tsv:tmbPerMb", &err),
                     0);
    assert_int_equal(cm_profile_offer(p, f->tree, "purity", "0.99", CM_ORIGIN_FILE,
                                      "tumor.purple.purity.tsv:purity", &err),
                     0);
    assert_int_equal(cm_profile_offer(p, f->tree, "tmb", "11.2", CM_ORIGIN_FILE,
                                      "CombinedVariantOutput.tsv:Total TMB", &err),
                     0);

    // 0.31000000000000005 on purpose: reports must print 0.31.
    small_variant(&f->braf, "BRAF", "chr7", 140753336, "A", "T", "ENST00000646891.2", "c.1799T>A",
                  "ENSP00000493543.1:p.Val600Glu", 0.1 + 0.21, 230);
    f->braf.exon = 15;
    f->braf.exon_count = 18;
    f->braf.vaf_source = CM_VAF_ALLELE_FRACTION; // the caller's AF; AD 161,69 gives 0.3
    f->braf.vaf_ad = 0.3;
    f->braf.line = 57;
    small_variant(&f->kras, "KRAS", "chr12", 25245350, "C", "T", "ENST00000311936.8", "c.35G>A",
                  "p.Gly12Asp", 0.05234, 412);
    f->kras.vaf_source = CM_VAF_READ_COUNTS; // no FORMAT/AF: the VAF is AD's
    f->kras.vaf_ad = 0.05234;
    f->kras.line = 60;
    cm_alteration_init(&f->erbb2);
    f->erbb2.kind = CM_ALTERATION_COPY_NUMBER;
    f->erbb2.gene = slice("ERBB2");
    f->erbb2.chrom = slice("chr17");
    f->erbb2.pos = 39687914;
    f->erbb2.copy_number = 8.5;
    f->erbb2.cnv = CM_CNV_AMPLIFICATION;
    f->erbb2.consequence = CM_SO_BIT(CM_SO_TRANSCRIPT_AMPLIFICATION);

    f->braf_items[0] = (cm_evidence_item){&f->braf, "BRAF_V600", 0};
    f->tmb_items[0] = (cm_evidence_item){NULL, "TMB_HIGH", sample_leaf(f->rules)};
    f->kras_items[0] = (cm_evidence_item){&f->kras, "RAS_HOTSPOT", 1};
    f->erbb2_items[0] = (cm_evidence_item){&f->erbb2, "ERBB2_AMP", 2};
    f->braf_notes[0] = "KRAS p.Gly13Asp (RAS_HOTSPOT) at VAF 0.02 is below the quality gates "
                       "and did not exclude this arm; confirm before the board";

    const cm_arm *vem = arm_named(f, "VEM-COBI-BRAF");
    f->candidates[0] = (cm_candidate){
        .arm = vem,
        .cohort = &vem->cohorts[0],
        .status = CM_COHORT_OPEN,
        .cohort_tumour_type = vem->cohorts[0].tumour_type,
        .matched = f->braf_items,
        .n_matched = 1,
        .notes = f->braf_notes,
        .n_notes = 1,
    };
    f->candidates[1] = (cm_candidate){
        .arm = arm_named(f, "PEMBRO-TMB"),
        .cohort = NULL,
        .status = CM_COHORT_NEW,
        .cohort_tumour_type = "LUAD",
        .matched = f->tmb_items,
        .n_matched = 1,
    };
    const cm_arm *tras = arm_named(f, "TRAS-PERT-ERBB2");
    f->ruled_out[0] = (cm_ruled_out){
        .arm = arm_named(f, "PANI-RAS-WT"),
        .reason = CM_REASON_EXCLUDED_BY_ALTERATION,
        .detail = "KRAS p.Gly12Asp (RAS_HOTSPOT)",
        .matched = f->kras_items,
        .n_matched = 1,
    };
    f->ruled_out[1] = (cm_ruled_out){
        .arm = tras,
        .reason = CM_REASON_COHORT_CLOSED,
        .detail = "cohort LUAD closed: stage 1: 0/8 benefit",
        .matched = f->erbb2_items,
        .n_matched = 1,
    };
    f->result = (cm_sample_result){.profile = &f->profile,
                                   .candidates = f->candidates,
                                   .n_candidates = 2,
                                   .ruled_out = f->ruled_out,
                                   .n_ruled_out = 2};
    f->results[0] = &f->result;
    f->skipped[0] = (cm_count){"filtered", 120};
    f->skipped[1] = (cm_count){"below_vaf", 3};
    f->skipped[2] = (cm_count){"below_depth", 0};
    f->inputs[0] = (cm_report_input){"data/patient.vcf.gz", "vcf", 120393};
    f->inputs[1] = (cm_report_input){"data/tumor.purple.purity.tsv", "purple-purity", 1};
    f->report = (cm_report){
        .vcf_path = "data/patient.vcf.gz",
        .inputs = f->inputs,
        .n_inputs = 2,
        .rules = f->rules,
        .samples = f->results,
        .n_samples = 1,
        .records = 120394,
        .alterations = 350211,
        .skipped = f->skipped,
        .n_skipped = 3,
    };
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cm_profile_clear(&f->profile);
    cm_ruleset_free(f->rules);
    cm_oncotree_free(f->tree);
    free(f);
    return 0;
}

/// Writes the report into a string; the caller frees it.
static char *render(const cm_report *report, cm_report_format format)
{
    char *buffer = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&buffer, &size);
    assert_non_null(fp);
    cm_error err;
    cm_error_clear(&err);
    int status = cm_report_write(report, format, fp, &err);
    assert_int_equal(fclose(fp), 0);
    if (status != 0)
        fail_msg("cm_report_write: %s", err.message);
    return buffer;
}

static void assert_output(const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "--- got ---\n%s--- want ---\n%s--- end ---\n", got, want);
        fail_msg("output differs");
    }
}

/* ---- cm_report_format_number and cm_report_format_parse ---- */

static void check_number(double value, const char *want)
{
    kstring_t out = {0, 0, NULL};
    cm_report_format_number(value, &out);
    assert_string_equal(out.s, want);
    free(out.s);
}

static void test_format_number(void **state)
{
    (void)state;
    check_number(0.31, "0.31");
    check_number(0.1 + 0.21, "0.31");
    check_number(0.05234, "0.0523");
    check_number(1, "1");
    check_number(0, "0");
    check_number(12.5, "12.5");
    check_number(0.00004, "0");
    check_number(-0.00001, "0");
    check_number(-2.25, "-2.25");
    check_number(123456.78901, "123456.789");
    check_number(NAN, ".");
    check_number(INFINITY, ".");
}

static void test_format_parse(void **state)
{
    (void)state;
    cm_report_format format = CM_REPORT_TEXT;
    assert_int_equal(cm_report_format_parse("json", &format), 0);
    assert_int_equal(format, CM_REPORT_JSON);
    assert_int_equal(cm_report_format_parse("tsv", &format), 0);
    assert_int_equal(format, CM_REPORT_TSV);
    assert_int_equal(cm_report_format_parse("text", &format), 0);
    assert_int_equal(format, CM_REPORT_TEXT);
    assert_int_equal(cm_report_format_parse("html", &format), 0);
    assert_int_equal(format, CM_REPORT_HTML);
    assert_int_equal(cm_report_format_parse("xml", &format), -1);
    assert_int_equal(cm_report_format_parse("JSON", &format), -1);
    assert_int_equal(cm_report_format_parse(NULL, &format), -1);
}

/* ---- The three formats, byte for byte ---- */

// BEGIN EXPECTED (tests/unit/test_report.c fixture; docs/output.md shows the same)
static const char expected_json[] =
    "{\n"
    "  \"schema_version\": 1,\n"
    "  \"cohortmatch_version\": \"0.1.0\",\n"
    "  \"inputs\": {\n"
    "    \"vcf\": \"data/patient.vcf.gz\",\n"
    "    \"oncotree\": \"oncotree_2025_10_03\",\n"
    "    \"rules\": [\n"
    "      {\n"
    "        \"path\": \"test.yaml\",\n"
    "        \"protocol\": \"TEST\",\n"
    "        \"version\": \"2025-06\",\n"
    "        \"sha256\": \"a1d89dd8bc562b6cf07a4bc03ff11858ad5ce4eb0f149bd895b538bd57018c68\"\n"
    "      }\n"
    "    ],\n"
    "    \"files\": [\n"
    "      {\n"
    "        \"path\": \"data/patient.vcf.gz\",\n"
    "        \"format\": \"vcf\",\n"
    "        \"records\": 120393\n"
    "      },\n"
    "      {\n"
    "        \"path\": \"data/tumor.purple.purity.tsv\",\n"
    "        \"format\": \"purple-purity\",\n"
    "        \"records\": 1\n"
    "      }\n"
    "    ],\n"
    "    \"ignored\": []\n"
    "  },\n"
    "  \"samples\": [\n"
    "    {\n"
    "      \"sample\": \"TUMOR\",\n"
    "      \"tumour_type\": \"LUAD\",\n"
    "      \"tmb\": 12.5,\n"
    "      \"tmb_source\": \"given\",\n"
    "      \"msi\": null,\n"
    "      \"mmr\": null,\n"
    "      \"age\": 63.0,\n"
    "      \"sex\": \"female\",\n"
    "      \"facts\": {\n"
    "        \"tumour_type\": {\n"
    "          \"value\": \"LUAD\",\n"
    "          \"source\": \"command line\",\n"
    "          \"origin\": \"command line\"\n"
    "        },\n"
    "        \"tmb\": {\n"
    "          \"value\": 12.5,\n"
    "          \"source\": \"tumor.purple.purity.tsv:tmbPerMb\",\n"
    "          \"origin\": \"file\"\n"
    "        },\n"
    "        \"age\": {\n"
    "          \"value\": 63.0,\n"
    "          \"source\": \"command line\",\n"
    "          \"origin\": \"command line\"\n"
    "        },\n"
    "        \"sex\": {\n"
    "          \"value\": \"female\",\n"
    "          \"source\": \"samples.tsv:2\",\n"
    "          \"origin\": \"sample sheet\"\n"
    "        },\n"
    "        \"purity\": {\n"
    "          \"value\": 0.99,\n"
    "          \"source\": \"tumor.purple.purity.tsv:purity\",\n"
    "          \"origin\": \"file\"\n"
    "        }\n"
    "      },\n"
    "      \"conflicts\": [\n"
    "        {\n"
    "          \"fact\": \"tmb\",\n"
    "          \"value\": \"12.5\",\n"
    "          \"source\": \"tumor.purple.purity.tsv:tmbPerMb\",\n"
    "          \"other_value\": \"11.2\",\n"
    "          \"other_source\": \"CombinedVariantOutput.tsv:Total TMB\"\n"
    "        }\n"
    "      ],\n"
    "      \"candidates\": [\n"
    "        {\n"
    "          \"protocol\": \"TEST\",\n"
    "          \"arm\": \"VEM-COBI-BRAF\",\n"
    "          \"drugs\": [\n"
    "            \"vemurafenib\",\n"
    "            \"cobimetinib\"\n"
    "          ],\n"
    "          \"cohort\": {\n"
    "            \"tumour_type\": \"NSCLC\",\n"
    "            \"status\": \"open\",\n"
    "            \"stage\": 2,\n"
    "            \"enrolled\": 14,\n"
    "            \"target\": 24,\n"
    "            \"progress\": {\n"
    "              \"enrolled\": 14,\n"
    "              \"target\": 24,\n"
    "              \"stage\": 2,\n"
    "              \"text\": \"14 of 24, stage 2\"\n"
    "            }\n"
    "          },\n"
    "          \"evidence\": {\n"
    "            \"escat\": \"IIIA\",\n"
    "            \"oncokb\": \"3A\"\n"
    "          },\n"
    "          \"source\": \"NCT02925234; van der Velden et al., Nature 2019\",\n"
    "          \"matched\": [\n"
    "            {\n"
    "              \"kind\": \"small\",\n"
    "              \"gene\": \"BRAF\",\n"
    "              \"hgvsp\": \"p.Val600Glu\",\n"
    "              \"protein\": \"V600E\",\n"
    "              \"transcript\": \"ENST00000646891.2\",\n"
    "              \"consequence\": [\n"
    "                \"missense_variant\"\n"
    "              ],\n"
    "              \"hgvsc\": \"c.1799T>A\",\n"
    "              \"exon\": 15,\n"
    "              \"intron\": null,\n"
    "              \"chrom\": \"chr7\",\n"
    "              \"pos\": 140753336,\n"
    "              \"ref\": \"A\",\n"
    "              \"alt\": \"T\",\n"
    "              \"vaf\": 0.31,\n"
    "              \"vaf_source\": \"AF\",\n"
    "              \"vaf_ad\": 0.3,\n"
    "              \"depth\": 230,\n"
    "              \"filter_pass\": true,\n"
    "              \"named\": \"BRAF_V600\",\n"
    "              \"source\": \"patient.vcf.gz:57\"\n"
    "            }\n"
    "          ],\n"
    "          \"biomarkers\": [],\n"
    "          \"notes\": [\n"
    "            \"KRAS p.Gly13Asp (RAS_HOTSPOT) at VAF 0.02 is below the quality gates and did "
    "not exclude this arm; confirm before the board\"\n"
    "          ],\n"
    "          \"country\": null,\n"
    "          \"network\": null,\n"
    "          \"criteria\": \"stated\",\n"
    "          \"criteria_note\": null,\n"
    "          \"group\": 1,\n"
    "          \"cross_border\": null\n"
    "        },\n"
    "        {\n"
    "          \"protocol\": \"TEST\",\n"
    "          \"arm\": \"PEMBRO-TMB\",\n"
    "          \"drugs\": [\n"
    "            \"pembrolizumab\"\n"
    "          ],\n"
    "          \"cohort\": {\n"
    "            \"tumour_type\": \"LUAD\",\n"
    "            \"status\": \"new\"\n"
    "          },\n"
    "          \"evidence\": {\n"
    "            \"escat\": \"IC\"\n"
    "          },\n"
    "          \"source\": null,\n"
    "          \"matched\": [],\n"
    "          \"biomarkers\": [\n"
    "            {\n"
    "              \"biomarker\": \"tmb\",\n"
    "              \"value\": 12.5,\n"
    "              \"named\": \"TMB_HIGH\",\n"
    "              \"source\": \"tumor.purple.purity.tsv:tmbPerMb\"\n"
    "            }\n"
    "          ],\n"
    "          \"notes\": [],\n"
    "          \"country\": null,\n"
    "          \"network\": null,\n"
    "          \"criteria\": \"stated\",\n"
    "          \"criteria_note\": null,\n"
    "          \"group\": 2,\n"
    "          \"cross_border\": null\n"
    "        }\n"
    "      ],\n"
    "      \"groups\": [\n"
    "        {\n"
    "          \"group\": 1,\n"
    "          \"drugs\": [\n"
    "            \"vemurafenib\",\n"
    "            \"cobimetinib\"\n"
    "          ],\n"
    "          \"triggers\": [\n"
    "            \"BRAF p.Val600Glu (V600E)\"\n"
    "          ],\n"
    "          \"members\": [\n"
    "            {\n"
    "              \"candidate\": 0,\n"
    "              \"protocol\": \"TEST\",\n"
    "              \"arm\": \"VEM-COBI-BRAF\",\n"
    "              \"country\": null,\n"
    "              \"cohort\": {\n"
    "                \"tumour_type\": \"NSCLC\",\n"
    "                \"status\": \"open\",\n"
    "                \"stage\": 2,\n"
    "                \"enrolled\": 14,\n"
    "                \"target\": 24,\n"
    "                \"progress\": {\n"
    "                  \"enrolled\": 14,\n"
    "                  \"target\": 24,\n"
    "                  \"stage\": 2,\n"
    "                  \"text\": \"14 of 24, stage 2\"\n"
    "                }\n"
    "              },\n"
    "              \"criteria\": \"stated\",\n"
    "              \"cross_border\": null\n"
    "            }\n"
    "          ]\n"
    "        },\n"
    "        {\n"
    "          \"group\": 2,\n"
    "          \"drugs\": [\n"
    "            \"pembrolizumab\"\n"
    "          ],\n"
    "          \"triggers\": [\n"
    "            \"TMB 12.5 mut/Mb\"\n"
    "          ],\n"
    "          \"members\": [\n"
    "            {\n"
    "              \"candidate\": 1,\n"
    "              \"protocol\": \"TEST\",\n"
    "              \"arm\": \"PEMBRO-TMB\",\n"
    "              \"country\": null,\n"
    "              \"cohort\": {\n"
    "                \"tumour_type\": \"LUAD\",\n"
    "                \"status\": \"new\"\n"
    "              },\n"
    "              \"criteria\": \"stated\",\n"
    "              \"cross_border\": null\n"
    "            }\n"
    "          ]\n"
    "        }\n"
    "      ],\n"
    "      \"ruled_out\": [\n"
    "        {\n"
    "          \"protocol\": \"TEST\",\n"
    "          \"arm\": \"PANI-RAS-WT\",\n"
    "          \"reason\": \"excluded_by_alteration\",\n"
    "          \"detail\": \"KRAS p.Gly12Asp (RAS_HOTSPOT)\",\n"
    "          \"matched\": [\n"
    "            {\n"
    "              \"kind\": \"small\",\n"
    "              \"gene\": \"KRAS\",\n"
    "              \"hgvsp\": \"p.Gly12Asp\",\n"
    "              \"protein\": \"G12D\",\n"
    "              \"transcript\": \"ENST00000311936.8\",\n"
    "              \"consequence\": [\n"
    "                \"missense_variant\"\n"
    "              ],\n"
    "              \"hgvsc\": \"c.35G>A\",\n"
    "              \"exon\": null,\n"
    "              \"intron\": null,\n"
    "              \"chrom\": \"chr12\",\n"
    "              \"pos\": 25245350,\n"
    "              \"ref\": \"C\",\n"
    "              \"alt\": \"T\",\n"
    "              \"vaf\": 0.0523,\n"
    "              \"vaf_source\": \"AD\",\n"
    "              \"vaf_ad\": 0.0523,\n"
    "              \"depth\": 412,\n"
    "              \"filter_pass\": true,\n"
    "              \"named\": \"RAS_HOTSPOT\",\n"
    "              \"source\": \"patient.vcf.gz:60\"\n"
    "            }\n"
    "          ]\n"
    "        },\n"
    "        {\n"
    "          \"protocol\": \"TEST\",\n"
    "          \"arm\": \"TRAS-PERT-ERBB2\",\n"
    "          \"reason\": \"cohort_closed\",\n"
    "          \"detail\": \"cohort LUAD closed: stage 1: 0/8 benefit\",\n"
    "          \"matched\": [\n"
    "            {\n"
    "              \"kind\": \"copy_number\",\n"
    "              \"gene\": \"ERBB2\",\n"
    "              \"hgvsp\": null,\n"
    "              \"protein\": null,\n"
    "              \"transcript\": null,\n"
    "              \"consequence\": [\n"
    "                \"transcript_amplification\"\n"
    "              ],\n"
    "              \"hgvsc\": null,\n"
    "              \"exon\": null,\n"
    "              \"intron\": null,\n"
    "              \"chrom\": \"chr17\",\n"
    "              \"pos\": 39687914,\n"
    "              \"ref\": null,\n"
    "              \"alt\": null,\n"
    "              \"vaf\": null,\n"
    "              \"vaf_source\": null,\n"
    "              \"vaf_ad\": null,\n"
    "              \"depth\": null,\n"
    "              \"filter_pass\": true,\n"
    "              \"named\": \"ERBB2_AMP\",\n"
    "              \"copy_number\": 8.5,\n"
    "              \"cnv\": \"amplification\",\n"
    "              \"source\": \"patient.vcf.gz\"\n"
    "            }\n"
    "          ]\n"
    "        }\n"
    "      ]\n"
    "    }\n"
    "  ],\n"
    "  \"stats\": {\n"
    "    \"records\": 120394,\n"
    "    \"alterations\": 350211,\n"
    "    \"skipped\": {\n"
    "      \"filtered\": 120,\n"
    "      \"below_vaf\": 3,\n"
    "      \"below_depth\": 0\n"
    "    }\n"
    "  }\n"
    "}\n";

static const char expected_tsv[] =
    "sample\ttumour_type\tprotocol\tarm\tdrugs\tcohort_tumour_type\tcohort_status\tescat\tonc"
    "okb\tgene\tprotein\thgvsp\ttranscript\tconsequence\thgvsc\tchrom\tpos\tref\talt\tvaf\tde"
    "pth\tnamed\tkind\texon\tcopy_number\tcnv\tpartner\tin_frame\tgroup\tcountry\tnetwork\tcr"
    "oss_border\tcriteria\tcohort_progress\tcohort_updated\tsource\tnotes\n"
    "TUMOR\tLUAD\tTEST\tVEM-COBI-BRAF\tvemurafenib,cobimetinib\tNSCLC\topen\tIIIA\t3A\tBRAF\t"
    "V600E\tp.Val600Glu\tENST00000646891.2\tmissense_variant\tc.1799T>A\tchr7\t140753336\tA\t"
    "T\t0.31\t230\tBRAF_V600\tsmall\t15\t.\t.\t.\t.\t1\t.\t.\t.\tstated\t14 of 24, stage 2\t."
    "\tpatient.vcf.gz:57\tKRAS p.Gly13Asp (RAS_HOTSPOT) at VAF 0.02 is below the quality gate"
    "s and did not exclude this arm; confirm before the board; conflict tmb: 12.5 (tumor.purp"
    "le.purity.tsv:tmbPerMb) used; 11.2 (CombinedVariantOutput.tsv:Total TMB) differs\n"
    "TUMOR\tLUAD\tTEST\tPEMBRO-TMB\tpembrolizumab\tLUAD\tnew\tIC\t.\t.\t.\t.\t.\t.\t.\t.\t.\t"
    ".\t.\t.\t.\tTMB_HIGH\t.\t.\t.\t.\t.\t.\t2\t.\t.\t.\tstated\t.\t.\ttumor.purple.purity.ts"
    "v:tmbPerMb\tconflict tmb: 12.5 (tumor.purple.purity.tsv:tmbPerMb) used; 11.2 (CombinedVa"
    "riantOutput.tsv:Total TMB) differs\n";

static const char expected_text[] =
    "Sample TUMOR: LUAD (Lung Adenocarcinoma); TMB 12.5 mut/Mb; age 63; female; purity 0.99\n"
    "    sources: TMB: tumor.purple.purity.tsv:tmbPerMb; sex: samples.tsv:2; purity:\n"
    "      tumor.purple.purity.tsv:purity\n"
    "    note: sources disagree on tmb: 12.5 (tumor.purple.purity.tsv:tmbPerMb) used; 11.2\n"
    "        (CombinedVariantOutput.tsv:Total TMB) differs\n"
    "\n"
    "Treatment options (2): the same drugs for the same alteration, across trials\n"
    "  option 1: vemurafenib + cobimetinib for BRAF p.Val600Glu (V600E)\n"
    "    - [1] TEST VEM-COBI-BRAF: cohort NSCLC: open, 14 of 24, stage 2\n"
    "  option 2: pembrolizumab for TMB 12.5 mut/Mb\n"
    "    - [2] TEST PEMBRO-TMB: new cohort LUAD (first patient opens it)\n"
    "\n"
    "Candidates (2)\n"
    "  1. vemurafenib + cobimetinib  [TEST/VEM-COBI-BRAF]\n"
    "     trial TEST; option 1\n"
    "     cohort NSCLC: open, 14 of 24, stage 2\n"
    "     evidence: ESCAT IIIA, OncoKB 3A; source: NCT02925234; van der Velden et al., Nature "
    "2019\n"
    "     BRAF p.Val600Glu (V600E), ENST00000646891.2, exon 15/18, VAF 31%, depth 230, from\n"
    "       patient.vcf.gz:57 [BRAF_V600]\n"
    "     excluding alterations not detected: RAS_HOTSPOT\n"
    "     note: KRAS p.Gly13Asp (RAS_HOTSPOT) at VAF 0.02 is below the quality gates and did no"
    "t exclude\n"
    "       this arm; confirm before the board\n"
    "  2. pembrolizumab  [TEST/PEMBRO-TMB]\n"
    "     trial TEST; option 2\n"
    "     new cohort LUAD (first patient opens it)\n"
    "     evidence: ESCAT IC\n"
    "     TMB 12.5 mut/Mb, from tumor.purple.purity.tsv:tmbPerMb [TMB_HIGH]\n"
    "\n"
    "Ruled out (2)\n"
    "  - TEST/PANI-RAS-WT: excluded by an alteration: KRAS p.Gly12Asp (RAS_HOTSPOT)\n"
    "  - TEST/TRAS-PERT-ERBB2: cohort closed: cohort LUAD closed: stage 1: 0/8 benefit\n"
    "\n"
    "120394 records read, 350211 alterations; skipped: filtered 120, below_vaf 3\n";

// END EXPECTED

static void test_json_exact(void **state)
{
    fixture *f = *state;
    char *got = render(&f->report, CM_REPORT_JSON);
    assert_output(got, expected_json);
    free(got);
}

static void test_tsv_exact(void **state)
{
    fixture *f = *state;
    char *got = render(&f->report, CM_REPORT_TSV);
    assert_output(got, expected_tsv);
    free(got);
}

static void test_text_exact(void **state)
{
    fixture *f = *state;
    char *got = render(&f->report, CM_REPORT_TEXT);
    assert_output(got, expected_text);
    free(got);
}

static void test_text_width(void **state)
{
    fixture *f = *state;
    // A detail with a word longer than a line: cut, never wider than 100 columns.
    char detail[400];
    memset(detail, 'x', 150);
    strcpy(detail + 150, " and then some words that have to wrap onto a next line of the report");
    f->ruled_out[0].detail = detail;
    char *got = render(&f->report, CM_REPORT_TEXT);
    for (char *line = got, *end; *line; line = end + 1) {
        end = strchr(line, '\n');
        assert_non_null(end);
        assert_true(end - line <= 100);
    }
    assert_null(strstr(got, "wild-type"));
    free(got);
}

/* ---- JSON validity and missing values ---- */

static json_t *render_json(const cm_report *report)
{
    char *text = render(report, CM_REPORT_JSON);
    json_error_t error;
    json_t *root = json_loads(text, 0, &error);
    if (!root)
        fail_msg("invalid JSON: %s at line %d", error.text, error.line);
    assert_int_equal(text[strlen(text) - 1], '\n');
    free(text);
    return root;
}

static void test_json_parses(void **state)
{
    fixture *f = *state;
    json_t *root = render_json(&f->report);
    assert_int_equal(json_integer_value(json_object_get(root, "schema_version")), 1);
    json_t *sample = json_array_get(json_object_get(root, "samples"), 0);
    json_t *braf = json_array_get(
        json_object_get(json_array_get(json_object_get(sample, "candidates"), 0), "matched"), 0);
    assert_true(json_is_real(json_object_get(braf, "vaf")));
    assert_true(json_real_value(json_object_get(braf, "vaf")) == 0.31);
    assert_string_equal(json_string_value(json_object_get(braf, "vaf_source")), "AF");
    assert_true(json_real_value(json_object_get(braf, "vaf_ad")) == 0.3);
    json_decref(root);
}

// VAF and depth unknown, protein text the parser could not read, no transcript.
static void test_missing_values(void **state)
{
    fixture *f = *state;
    f->braf.vaf = NAN;
    f->braf.vaf_ad = NAN;
    f->braf.vaf_source = CM_VAF_UNKNOWN;
    f->braf.depth = -1;
    f->braf.transcript = slice(NULL);
    f->braf.exon = 0;
    f->braf.hgvsp = slice("p.Val600Glu?weird");
    cm_protein_change_parse(f->braf.hgvsp.s, (size_t)f->braf.hgvsp.len, &f->braf.protein);
    assert_int_equal(f->braf.protein.kind, CM_PROTEIN_UNPARSED);
    // A sample whose only fact is its tumour type.
    cm_error err;
    cm_profile_clear(&f->profile);
    assert_int_equal(cm_profile_init(&f->profile, "TUMOR"), 0);
    assert_int_equal(cm_profile_offer(&f->profile, f->tree, "tumour_type", "LUAD",
                                      CM_ORIGIN_COMMAND_LINE, NULL, &err),
                     0);

    json_t *root = render_json(&f->report);
    json_t *sample = json_array_get(json_object_get(root, "samples"), 0);
    assert_true(json_is_null(json_object_get(sample, "tmb")));
    assert_true(json_is_null(json_object_get(sample, "tmb_source")));
    assert_true(json_is_null(json_object_get(sample, "age")));
    assert_true(json_is_null(json_object_get(sample, "sex")));
    json_t *braf = json_array_get(
        json_object_get(json_array_get(json_object_get(sample, "candidates"), 0), "matched"), 0);
    assert_true(json_is_null(json_object_get(braf, "vaf")));
    assert_true(json_is_null(json_object_get(braf, "vaf_source")));
    assert_true(json_is_null(json_object_get(braf, "vaf_ad")));
    assert_true(json_is_null(json_object_get(braf, "depth")));
    assert_true(json_is_null(json_object_get(braf, "transcript")));
    assert_true(json_is_null(json_object_get(braf, "exon")));
    assert_true(json_is_null(json_object_get(braf, "protein")));
    assert_string_equal(json_string_value(json_object_get(braf, "hgvsp")), "p.Val600Glu?weird");
    json_decref(root);

    char *tsv = render(&f->report, CM_REPORT_TSV);
    const char *row = strstr(tsv, "\nTUMOR\tLUAD\tTEST\tVEM-COBI-BRAF\t");
    assert_non_null(row);
    assert_non_null(strstr(row,
                           "\tBRAF\t.\tp.Val600Glu?weird\t.\tmissense_variant\tc.1799T>A\t"
                           "chr7\t140753336\tA\tT\t.\t.\tBRAF_V600\tsmall\t.\t.\t.\t.\t.\t1\t"));
    assert_non_null(strstr(row, "\tpatient.vcf.gz:57\tKRAS p.Gly13Asp (RAS_HOTSPOT)"));
    free(tsv);

    char *text = render(&f->report, CM_REPORT_TEXT);
    assert_non_null(strstr(text, "Sample TUMOR: LUAD (Lung Adenocarcinoma)\n\n"));
    assert_non_null(
        strstr(text, "     BRAF p.Val600Glu?weird, from patient.vcf.gz:57 [BRAF_V600]\n"));
    assert_non_null(strstr(text, "     TMB . mut/Mb [TMB_HIGH]\n"));
    free(text);
}

// A fusion's own keys, and a candidate without any evidence item.
static void test_fusion_and_bare_candidate(void **state)
{
    fixture *f = *state;
    cm_alteration fusion;
    cm_alteration_init(&fusion);
    fusion.kind = CM_ALTERATION_FUSION;
    fusion.gene = slice("ALK");
    fusion.partner = slice("EML4");
    fusion.is_five_prime = 0;
    fusion.in_frame = 1;
    fusion.consequence = CM_SO_BIT(CM_SO_GENE_FUSION);
    cm_evidence_item item = {&fusion, NULL, 0};
    f->candidates[0].matched = &item;
    f->candidates[1].matched = NULL;
    f->candidates[1].n_matched = 0;

    json_t *root = render_json(&f->report);
    json_t *candidates =
        json_object_get(json_array_get(json_object_get(root, "samples"), 0), "candidates");
    json_t *alk = json_array_get(json_object_get(json_array_get(candidates, 0), "matched"), 0);
    assert_string_equal(json_string_value(json_object_get(alk, "kind")), "fusion");
    assert_string_equal(json_string_value(json_object_get(alk, "partner")), "EML4");
    assert_true(json_is_true(json_object_get(alk, "in_frame")));
    assert_true(json_is_null(json_object_get(alk, "named")));
    assert_null(json_object_get(alk, "copy_number"));
    assert_int_equal(json_array_size(json_object_get(json_array_get(candidates, 1), "matched")), 0);
    json_decref(root);

    char *tsv = render(&f->report, CM_REPORT_TSV);
    assert_non_null(strstr(tsv, "\tALK\t.\t.\t.\tgene_fusion\t.\t.\t.\t.\t.\t.\t.\t.\tfusion\t.\t."
                                "\t.\tEML4\tyes\t"));
    assert_non_null(strstr(tsv, "\tpatient.vcf.gz\tKRAS")); // source, then the notes
    // oncokb and the 19 alteration columns are all ".".
    char bare[256] = "\tPEMBRO-TMB\tpembrolizumab\tLUAD\tnew\tIC";
    for (int i = 0; i < 20; i++)
        strcat(bare, "\t.");
    strcat(bare, "\t"); // then the network columns
    assert_non_null(strstr(tsv, bare));
    free(tsv);

    char *text = render(&f->report, CM_REPORT_TEXT);
    assert_non_null(strstr(text, "     EML4::ALK fusion, in frame, from patient.vcf.gz\n"));
    free(text);
}

static void test_no_candidates(void **state)
{
    fixture *f = *state;
    f->result.n_candidates = 0;
    f->result.n_ruled_out = 0;
    f->skipped[0].value = 0;
    f->skipped[1].value = 0;
    char *text = render(&f->report, CM_REPORT_TEXT);
    assert_output(text,
                  "Sample TUMOR: LUAD (Lung Adenocarcinoma); TMB 12.5 mut/Mb; age 63; "
                  "female; purity 0.99\n"
                  "    sources: TMB: tumor.purple.purity.tsv:tmbPerMb; sex: samples.tsv:2; "
                  "purity:\n"
                  "      tumor.purple.purity.tsv:purity\n"
                  "    note: sources disagree on tmb: 12.5 (tumor.purple.purity.tsv:tmbPerMb) "
                  "used; 11.2\n"
                  "        (CombinedVariantOutput.tsv:Total TMB) differs\n"
                  "\n"
                  "No candidate arms.\n"
                  "\n"
                  "120394 records read, 350211 alterations; nothing skipped\n");
    free(text);
    char *tsv = render(&f->report, CM_REPORT_TSV);
    assert_null(strchr(strchr(tsv, '\n') + 1, '\n'));
    free(tsv);
}

/* ---- The JSON against docs/schema/result.schema.json ---- */

static void test_json_schema(void **state)
{
    fixture *f = *state;
    if (system("python3 -c 'import jsonschema' 2>/dev/null") != 0)
        skip();
    char path[] = "/tmp/cohortmatch-report-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_non_null(fp);
    cm_error err;
    assert_int_equal(cm_report_write(&f->report, CM_REPORT_JSON, fp, &err), 0);
    assert_int_equal(fclose(fp), 0);
    char command[2048];
    snprintf(command, sizeof command, "python3 %s/tests/schema/check_schema.py %s", CM_SOURCE_DIR,
             path);
    int status = system(command);
    unlink(path);
    assert_int_equal(status, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_number),
        cmocka_unit_test(test_format_parse),
        cmocka_unit_test_setup_teardown(test_json_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tsv_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_width, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_parses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fusion_and_bare_candidate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_candidates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_schema, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
