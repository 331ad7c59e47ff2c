/*
 * Unit tests of the VEP CSQ parser (src/annot/csq.c behind annot.h): the
 * header's Format list in any order and with extra fields, the required
 * fields, allele mapping (VEP's trimmed indel alleles, multi-allelic mixes,
 * ALLELE_NUM), URL decoding, EXON/INTRON, transcript flags, the
 * preferred-transcript marking and the protein fallback. Every record's text
 * is copied into a heap buffer of exactly its length, so a sanitizer build
 * catches a read past it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cohortmatch/annot.h"

#define VEP_PREFIX "Consequence annotations from Ensembl VEP. Format: "
#define FORMAT                                                                                     \
    "Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp|"  \
    "Protein_position|Amino_acids|CANONICAL|MANE_SELECT|PICK"

typedef struct fixture {
    cm_annotation_parser *parser;
    char *text;
    const cm_alteration *entries;
    size_t n;
    cm_annotation_counts counts;
    cm_error err;
} fixture;

static cm_annotation_parser *new_parser(const char *description)
{
    cm_error err;
    cm_error_clear(&err);
    cm_annotation_parser *parser =
        cm_annotation_parser_new(CM_ANNOTATION_VEP, "CSQ", description, "test.vcf", &err);
    if (!parser)
        fail_msg("parser: %s", err.message);
    return parser;
}

// Parses text for a record whose alleles are given as "REF,ALT1,ALT2". Returns the parse status.
static int parse(fixture *f, const char *text, const char *alleles_text)
{
    char alleles_copy[256];
    char *alleles[8];
    int n_alleles = 0;
    snprintf(alleles_copy, sizeof alleles_copy, "%s", alleles_text);
    for (char *p = strtok(alleles_copy, ","); p && n_alleles < 8; p = strtok(NULL, ","))
        alleles[n_alleles++] = p;
    uint8_t skipped[8] = {0};
    for (int i = 1; i < n_alleles; i++)
        skipped[i] = strcmp(alleles[i], "*") == 0;
    free(f->text);
    size_t len = strlen(text);
    f->text = malloc(len ? len : 1);
    memcpy(f->text, text, len);
    memset(&f->counts, 0, sizeof f->counts);
    cm_error_clear(&f->err);
    int ret = cm_annotation_parse(f->parser, f->text, len, alleles, n_alleles, skipped, &f->entries,
                                  &f->n, &f->counts, &f->err);
    // The alleles are only read during the call; nothing may keep pointers to them.
    return ret;
}

static void done(fixture *f)
{
    cm_annotation_parser_free(f->parser);
    free(f->text);
}

static void assert_slice(cm_slice slice, const char *text)
{
    if (!cm_slice_equals(slice, text))
        fail_msg("expected '%s', got '%.*s'", text, slice.len, slice.s ? slice.s : "");
}

static void test_detect(void **state)
{
    (void)state;
    assert_int_equal(cm_annotation_detect("CSQ", VEP_PREFIX FORMAT), CM_ANNOTATION_VEP);
    assert_int_equal(cm_annotation_detect("ANN", "\"" VEP_PREFIX FORMAT "\""), CM_ANNOTATION_VEP);
    assert_int_equal(cm_annotation_detect("ANN", "Functional annotations: 'Allele | Annotation | "
                                                 "Annotation_Impact | Gene_Name'"),
                     CM_ANNOTATION_SNPEFF);
    assert_int_equal(cm_annotation_detect("BCSQ", "Haplotype-aware consequence annotation from "
                                                  "BCFtools/csq, see http://x for details. Format: "
                                                  "Consequence|gene|transcript"),
                     CM_ANNOTATION_BCSQ);
    assert_int_equal(cm_annotation_detect("DP", "Approximate read depth"), CM_ANNOTATION_NONE);
    assert_true(cm_annotation_is_supported(CM_ANNOTATION_VEP));
    assert_true(cm_annotation_is_supported(CM_ANNOTATION_SNPEFF));
    assert_true(cm_annotation_is_supported(CM_ANNOTATION_BCSQ));
    assert_false(cm_annotation_is_supported(CM_ANNOTATION_NONE));
}

static void test_format_reordered_with_extra_fields(void **state)
{
    (void)state;
    fixture f = {0};
    f.parser = new_parser("\"" VEP_PREFIX "LoFtool|Consequence|SYMBOL|CADD_PHRED|Feature|Allele|"
                          "HGVSp|EXON\"");
    assert_int_equal(cm_annotation_parser_n_fields(f.parser), 8);
    assert_string_equal(cm_annotation_parser_field_name(f.parser, 0), "LoFtool");
    assert_string_equal(cm_annotation_parser_field_name(f.parser, 7), "EXON");
    assert_null(cm_annotation_parser_field_name(f.parser, 8));
    assert_int_equal(cm_annotation_parser_field_index(f.parser, "Allele"), 5);
    assert_int_equal(cm_annotation_parser_field_index(f.parser, "Gene"), -1);
    assert_string_equal(cm_annotation_parser_tag(f.parser), "CSQ");

    assert_int_equal(parse(&f,
                           "0.3|missense_variant|BRAF|25.1|ENST00000646891|T|"
                           "ENSP00000493543.1:p.Val640Glu|15/18",
                           "A,T"),
                     0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.entries[0].allele, 1);
    assert_slice(f.entries[0].gene, "BRAF");
    assert_slice(f.entries[0].transcript, "ENST00000646891");
    assert_slice(f.entries[0].hgvsp, "p.Val640Glu");
    assert_true(f.entries[0].consequence == CM_SO_BIT(CM_SO_MISSENSE_VARIANT));
    assert_int_equal(f.entries[0].protein.kind, CM_PROTEIN_SUBSTITUTION);
    assert_int_equal(f.entries[0].protein.start, 640);
    assert_int_equal(f.entries[0].exon, 15);
    assert_int_equal(f.entries[0].exon_count, 18);
    done(&f);
}

static void expect_missing(const char *format, const char *field)
{
    cm_error err;
    cm_error_clear(&err);
    char description[512];
    snprintf(description, sizeof description, VEP_PREFIX "%s", format);
    cm_annotation_parser *parser =
        cm_annotation_parser_new(CM_ANNOTATION_VEP, "CSQ", description, "in.vcf", &err);
    assert_null(parser);
    char expected[128];
    snprintf(expected, sizeof expected, "INFO/CSQ: the VEP Format in the header has no %s field",
             field);
    assert_string_equal(err.message, expected);
    assert_string_equal(err.file, "in.vcf");
}

static void test_required_fields(void **state)
{
    (void)state;
    expect_missing("Consequence|SYMBOL|Feature", "Allele");
    expect_missing("Allele|SYMBOL|Feature", "Consequence");
    expect_missing("Allele|Consequence|Gene|Feature", "SYMBOL");
    cm_error err;
    cm_error_clear(&err);
    assert_null(cm_annotation_parser_new(CM_ANNOTATION_SNPEFF, "ANN",
                                         "Functional annotations: "
                                         "'Allele | Annotation'",
                                         "in.vcf", &err));
    assert_string_equal(err.message,
                        "INFO/ANN: the SnpEff field list in the header has no Gene_Name field");
}

// One entry per allele text, for allele mapping tests: returns the mapped allele of entry i.
static int mapped(fixture *f, size_t i)
{
    assert_true(i < f->n);
    return f->entries[i].allele;
}

static void test_allele_mapping_biallelic(void **state)
{
    (void)state;
    fixture f = {0};
    f.parser = new_parser(VEP_PREFIX "Allele|Consequence|SYMBOL|Feature");
    // SNV
    assert_int_equal(parse(&f, "T|missense_variant|BRAF|ENST1", "A,T"), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(mapped(&f, 0), 1);
    // MNV: same length, no base dropped
    assert_int_equal(parse(&f, "GT|missense_variant|BRAF|ENST1", "AC,GT"), 0);
    assert_int_equal(f.n, 1);
    // MNV sharing its first base: still not an indel, so VEP keeps it whole
    assert_int_equal(parse(&f, "ATG|missense_variant|BRAF|ENST1", "ACG,ATG"), 0);
    assert_int_equal(f.n, 1);
    // Insertion A -> AG: VEP writes G
    assert_int_equal(parse(&f, "G|frameshift_variant|BRAF|ENST1", "A,AG"), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(mapped(&f, 0), 1);
    // Deletion AG -> A: VEP writes -
    assert_int_equal(parse(&f, "-|frameshift_variant|BRAF|ENST1", "AG,A"), 0);
    assert_int_equal(f.n, 1);
    // The untrimmed form does not match a trimmed allele: counted, not kept
    assert_int_equal(parse(&f, "AG|frameshift_variant|BRAF|ENST1", "A,AG"), 0);
    assert_int_equal(f.n, 0);
    assert_int_equal(f.counts.allele_unmatched, 1);
    // Complex indel without a shared first base is written whole
    assert_int_equal(parse(&f, "TC|frameshift_variant|BRAF|ENST1", "G,TC"), 0);
    assert_int_equal(f.n, 1);
    // A structural variant: VEP writes its class
    assert_int_equal(parse(&f, "deletion|transcript_ablation|CDKN2A|ENST1", "N,<DEL>"), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(mapped(&f, 0), 1);
    assert_int_equal(parse(&f, "duplication|transcript_amplification|ERBB2|ENST1", "N,<DUP>"), 0);
    assert_int_equal(f.n, 1);
    // ... but with two ALTs the class does not say which
    assert_int_equal(parse(&f, "deletion|transcript_ablation|CDKN2A|ENST1", "N,<DEL>,<DUP>"), 0);
    assert_int_equal(f.n, 0);
    assert_int_equal(f.counts.allele_unmatched, 1);
    done(&f);
}

// VEP's Allele for a breakend ALT, by release (docs/alterations.md "Fusions"): "BND" before 110,
// the ALT string in 110-111, the reference breakend "REF." / ".REF" for the record's own
// features from 112 on, with the mate's features under the ALT string; 113 numbers them 0 / 1.
static void test_breakend_alleles(void **state)
{
    (void)state;
    fixture f = {0};
    f.parser = new_parser(VEP_PREFIX "Allele|Consequence|SYMBOL|Feature");
    // 110-111: the ALT string, whole (not trimmed like an indel although it shares REF's base)
    assert_int_equal(parse(&f, "G]chr2:42264000]|intron_variant|ALK|ENST1", "G,G]chr2:42264000]"),
                     0);
    assert_int_equal(f.n, 1);
    assert_int_equal(mapped(&f, 0), 1);
    assert_int_equal(f.entries[0].is_mate_breakend, 0);
    // before 110: "BND", for the one breakend ALT of the record
    assert_int_equal(parse(&f, "BND|intron_variant|ALK|ENST1", "G,G]chr2:42264000]"), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(mapped(&f, 0), 1);
    assert_int_equal(parse(&f, "BND|intron_variant|ALK|ENST1", "G,G]chr2:1],G]chr3:1]"), 0);
    assert_int_equal(f.n, 0);
    assert_int_equal(f.counts.allele_unmatched, 1);
    // 112: "G." is the record's own breakend, the ALT string the mate's
    assert_int_equal(parse(&f,
                           "G.|intron_variant&feature_truncation|ALK|ENST1,"
                           "G]chr2:42264000]|feature_truncation|EML4|ENST2",
                           "G,G]chr2:42264000]"),
                     0);
    assert_int_equal(f.n, 2);
    assert_int_equal(mapped(&f, 0), 1);
    assert_int_equal(mapped(&f, 1), 1);
    assert_slice(f.entries[0].gene, "ALK");
    assert_int_equal(f.entries[0].is_mate_breakend, 0);
    assert_slice(f.entries[1].gene, "EML4");
    assert_int_equal(f.entries[1].is_mate_breakend, 1);
    // ".G" when the join is before the base; "N." as VEP's notes write it
    assert_int_equal(parse(&f, ".G|intron_variant|CD74|ENST1", "G,]chr6:117330000]G"), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(mapped(&f, 0), 1);
    assert_int_equal(parse(&f, "N.|intron_variant|ALK|ENST1", "G,G]chr2:42264000]"), 0);
    assert_int_equal(f.n, 1);
    // another base is no reference breakend
    assert_int_equal(parse(&f, "T.|intron_variant|ALK|ENST1", "G,G]chr2:42264000]"), 0);
    assert_int_equal(f.n, 0);
    assert_int_equal(f.counts.allele_unmatched, 1);
    // A record whose own side is in no gene writes no "G." entry: the header's release tells
    assert_int_equal(
        parse(&f, "G]chr2:42264000]|feature_truncation|EML4|ENST2", "G,G]chr2:42264000]"), 0);
    assert_int_equal(f.entries[0].is_mate_breakend, 0);
    cm_annotation_parser_set_release(f.parser, 112);
    assert_int_equal(
        parse(&f, "G]chr2:42264000]|feature_truncation|EML4|ENST2", "G,G]chr2:42264000]"), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.entries[0].is_mate_breakend, 1);
    done(&f);

    // 113: ALLELE_NUM 0 for the reference breakend, 1 for the mate's
    f = (fixture){0};
    f.parser = new_parser(VEP_PREFIX "Allele|Consequence|SYMBOL|Feature|ALLELE_NUM");
    assert_int_equal(parse(&f,
                           "A.|intron_variant|ROS1|ENST1|0,"
                           "A[chr5:150405000[|feature_truncation|CD74|ENST2|1",
                           "A,A[chr5:150405000["),
                     0);
    assert_int_equal(f.n, 2);
    assert_int_equal(mapped(&f, 0), 1);
    assert_int_equal(f.entries[0].is_mate_breakend, 0);
    assert_int_equal(f.entries[1].is_mate_breakend, 1);
    // ALLELE_NUM 0 on a record without a breakend stays unmatched
    assert_int_equal(parse(&f, "T|missense_variant|BRAF|ENST1|0", "A,T"), 0);
    assert_int_equal(f.n, 0);
    assert_int_equal(f.counts.allele_unmatched, 1);
    done(&f);
}

static void test_allele_mapping_multiallelic(void **state)
{
    (void)state;
    fixture f = {0};
    f.parser = new_parser(VEP_PREFIX "Allele|Consequence|SYMBOL|Feature");
    // Two SNVs
    assert_int_equal(parse(&f, "C|missense_variant|G1|T1,T|stop_gained|G1|T1", "A,C,T"), 0);
    assert_int_equal(f.n, 2);
    assert_int_equal(mapped(&f, 0), 1);
    assert_int_equal(mapped(&f, 1), 2);
    // SNV + insertion: first bases differ (G, C), so nothing is trimmed: C and GC
    assert_int_equal(parse(&f, "C|missense_variant|G1|T1,GC|frameshift_variant|G1|T1", "G,C,GC"),
                     0);
    assert_int_equal(f.n, 2);
    assert_int_equal(mapped(&f, 0), 1);
    assert_int_equal(mapped(&f, 1), 2);
    // Insertion + deletion sharing G: TT and -
    assert_int_equal(
        parse(&f, "-|frameshift_variant|G1|T1,TT|frameshift_variant|G1|T1", "GT,GTT,G"), 0);
    assert_int_equal(f.n, 2);
    assert_int_equal(mapped(&f, 0), 2);
    assert_int_equal(mapped(&f, 1), 1);
    // Deletion + SNV-like substitution of the first base: no shared first base
    assert_int_equal(
        parse(&f, "C|intron_variant|G1|T1,TTTTA|intron_variant|G1|T1", "CTTTA,C,TTTTA"), 0);
    assert_int_equal(f.n, 2);
    assert_int_equal(mapped(&f, 0), 1);
    assert_int_equal(mapped(&f, 1), 2);
    // A spanning deletion does not stop the trim; its entries are dropped without a count
    assert_int_equal(parse(&f, "-|frameshift_variant|G1|T1,*|intron_variant|G1|T1", "AT,A,*"), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(mapped(&f, 0), 1);
    assert_int_equal(f.counts.allele_unmatched, 0);
    // An allele that is in no ALT
    assert_int_equal(parse(&f, "C|missense_variant|G1|T1,G|missense_variant|G1|T1", "A,C,T"), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.counts.allele_unmatched, 1);
    done(&f);
}

static void test_allele_num(void **state)
{
    (void)state;
    fixture f = {0};
    f.parser = new_parser(VEP_PREFIX "Allele|Consequence|SYMBOL|Feature|ALLELE_NUM");
    // ALLELE_NUM wins over the Allele text (VEP --minimal can rewrite alleles).
    assert_int_equal(parse(&f, "X|missense_variant|G1|T1|2,Y|missense_variant|G1|T1|1", "A,C,T"),
                     0);
    assert_int_equal(f.n, 2);
    assert_int_equal(mapped(&f, 0), 2);
    assert_int_equal(mapped(&f, 1), 1);
    // 0 (the reference) and numbers past the last ALT map to nothing, and are counted
    assert_int_equal(parse(&f, "A|missense_variant|G1|T1|0,C|missense_variant|G1|T1|3", "A,C,T"),
                     0);
    assert_int_equal(f.n, 0);
    assert_int_equal(f.counts.allele_unmatched, 2);
    // Empty ALLELE_NUM falls back to the text
    assert_int_equal(parse(&f, "T|missense_variant|G1|T1|", "A,C,T"), 0);
    assert_int_equal(mapped(&f, 0), 2);
    // Not a number: an error
    assert_int_equal(parse(&f, "T|missense_variant|G1|T1|two", "A,C,T"), -1);
    assert_string_equal(f.err.message, "INFO/CSQ entry 1: ALLELE_NUM 'two' is not a number");
    done(&f);
}

static void test_fields(void **state)
{
    (void)state;
    fixture f = {0};
    f.parser = new_parser(VEP_PREFIX FORMAT);
    assert_int_equal(parse(&f,
                           "A|synonymous_variant|LOW|OR4F16|ENSG00000284662|Transcript|"
                           "ENST00000332831.5|protein_coding|1/1||ENST00000332831.5:c.570C>T|"
                           "ENSP00000329982.2:p.Thr190%3D|190|T|YES|NM_001005277.1|1,"
                           "A|intron_variant&non_coding_transcript_variant|MODIFIER|OR4F16|"
                           "ENSG00000284662|Transcript|ENST00000419394.2|processed_transcript||"
                           "3/3|ENST00000419394.2:n.480+17600C>T||||||,"
                           "A|regulatory_region_variant|MODIFIER|NOTAGENE||RegulatoryFeature|"
                           "ENSR00000918327|CTCF_binding_site|||||||||,"
                           "A|splice_acceptor_variant&coding_sequence_variant|HIGH|EGFR||"
                           "Transcript|ENST2|protein_coding|2-3/28||||||||",
                           "G,A"),
                     0);
    assert_int_equal(f.n, 4);
    const cm_alteration *a = &f.entries[0];
    assert_slice(a->gene, "OR4F16");
    assert_slice(a->transcript, "ENST00000332831.5");
    assert_slice(a->hgvsc, "c.570C>T");
    assert_slice(a->hgvsp, "p.Thr190="); // %3D decoded, the ENSP prefix dropped
    assert_int_equal(a->protein.kind, CM_PROTEIN_SYNONYMOUS);
    assert_int_equal(a->protein.start, 190);
    assert_int_equal(a->exon, 1);
    assert_int_equal(a->exon_count, 1);
    assert_int_equal(a->intron, 0);
    assert_int_equal(a->transcript_flags,
                     CM_TRANSCRIPT_CANONICAL | CM_TRANSCRIPT_MANE_SELECT | CM_TRANSCRIPT_PICK);
    a = &f.entries[1];
    assert_true(a->consequence ==
                (CM_SO_BIT(CM_SO_INTRON_VARIANT) | CM_SO_BIT(CM_SO_NON_CODING_TRANSCRIPT_VARIANT)));
    assert_slice(a->hgvsc, "n.480+17600C>T");
    assert_int_equal(a->hgvsp.len, 0);
    assert_int_equal(a->protein.kind, CM_PROTEIN_NONE);
    assert_int_equal(a->intron, 3);
    assert_int_equal(a->intron_count, 3);
    assert_int_equal(a->exon, 0);
    assert_int_equal(a->transcript_flags, 0);
    // A regulatory feature never carries a gene, whatever SYMBOL says
    a = &f.entries[2];
    assert_int_equal(a->gene.len, 0);
    assert_slice(a->transcript, "ENSR00000918327");
    assert_int_equal(a->is_preferred, 1);
    // A deletion over two exons: the first is kept
    a = &f.entries[3];
    assert_int_equal(a->exon, 2);
    assert_int_equal(a->exon_count, 28);
    assert_int_equal(f.counts.unknown_terms, 0);
    done(&f);
}

static void test_old_mane_column_and_unknown_terms(void **state)
{
    (void)state;
    fixture f = {0};
    f.parser = new_parser(VEP_PREFIX "Allele|Consequence|SYMBOL|Feature|CANONICAL|MANE");
    assert_int_equal(parse(&f, "T|missense_variant&made_up_term|KRAS|ENST1|YES|NM_004985.5", "C,T"),
                     0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.entries[0].transcript_flags,
                     CM_TRANSCRIPT_CANONICAL | CM_TRANSCRIPT_MANE_SELECT);
    assert_true(f.entries[0].consequence & CM_SO_BIT(CM_SO_OTHER));
    assert_int_equal(f.counts.unknown_terms, 1);
    done(&f);
}

static void test_protein_from_position(void **state)
{
    (void)state;
    fixture f = {0};
    f.parser = new_parser(VEP_PREFIX FORMAT);
    assert_int_equal(parse(&f,
                           "A|missense_variant|MODERATE|MSH6|ENSG1|Transcript|ENST00000234420.9|"
                           "protein_coding|8/10||||1255|D/N|||",
                           "G,A"),
                     0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.entries[0].hgvsp.len, 0);
    assert_int_equal(f.entries[0].protein.kind, CM_PROTEIN_SUBSTITUTION);
    assert_int_equal(f.entries[0].protein.start, 1255);
    assert_int_equal(f.entries[0].protein.start_residue, 'D');
    assert_string_equal(f.entries[0].protein.alt, "N");
    done(&f);
}

static void test_preferred(void **state)
{
    (void)state;
    fixture f = {0};
    f.parser = new_parser(VEP_PREFIX "Allele|Consequence|SYMBOL|Gene|Feature|CANONICAL|"
                                     "MANE_SELECT|PICK");
    assert_int_equal(parse(&f,
                           // gene A: MANE beats canonical and pick
                           "T|missense_variant|A|GA|A1||NM_1|,T|missense_variant|A|GA|A2|YES||1,"
                           "T|missense_variant|A|GA|A3|||,"
                           // gene B: canonical beats pick
                           "T|missense_variant|B|GB|B1|||1,T|missense_variant|B|GB|B2|YES||,"
                           // gene C: pick only
                           "T|missense_variant|C|GC|C1|||1,T|missense_variant|C|GC|C2|||,"
                           // gene D: no flags, every transcript
                           "T|missense_variant|D|GD|D1|||,T|missense_variant|D|GD|D2|||,"
                           // no symbol: grouped by gene id
                           "T|intron_variant||GE|E1|YES||,T|intron_variant||GE|E2|||,"
                           // gene A on the other ALT: its own group
                           "G|missense_variant|A|GA|A4|||,"
                           // intergenic: no gene, no id: preferred on its own
                           "T|intergenic_variant||||||",
                           "C,T,G"),
                     0);
    const char *expected_preferred[] = {"A1", "B2", "C1", "D1", "D2", "E1", "A4", ""};
    size_t n_preferred = 0;
    for (size_t i = 0; i < f.n; i++) {
        if (!f.entries[i].is_preferred)
            continue;
        assert_true(n_preferred < 8);
        if (expected_preferred[n_preferred][0])
            assert_slice(f.entries[i].transcript, expected_preferred[n_preferred]);
        else
            assert_int_equal(f.entries[i].transcript.len, 0);
        n_preferred++;
    }
    assert_int_equal(n_preferred, 8);
    assert_int_equal(f.n, 13);
    done(&f);
}

static void test_malformed(void **state)
{
    (void)state;
    fixture f = {0};
    f.parser = new_parser(VEP_PREFIX "Allele|Consequence|SYMBOL|Feature");
    assert_int_equal(parse(&f, "T|missense_variant|A|A1,T|missense_variant|A|A1|extra", "C,T"), -1);
    assert_string_equal(f.err.message, "INFO/CSQ entry 2 has 5 fields, the header declares 4");
    // Fewer fields than declared: an error too (issue 7), never a silent shift of fields
    assert_int_equal(parse(&f, "T|missense_variant", "C,T"), -1);
    assert_string_equal(f.err.message, "INFO/CSQ entry 1 has 2 fields, the header declares 4");
    assert_int_equal(parse(&f, "T|missense_variant|A|A1,T|missense_variant|A", "C,T"), -1);
    assert_string_equal(f.err.message, "INFO/CSQ entry 2 has 3 fields, the header declares 4");
    // Empty entries (a trailing comma) are ignored
    assert_int_equal(parse(&f, "T|missense_variant|A|A1,", "C,T"), 0);
    assert_int_equal(f.n, 1);
    assert_int_equal(f.counts.allele_unmatched, 0);
    done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_format_reordered_with_extra_fields),
        cmocka_unit_test(test_required_fields),
        cmocka_unit_test(test_allele_mapping_biallelic),
        cmocka_unit_test(test_allele_mapping_multiallelic),
        cmocka_unit_test(test_breakend_alleles),
        cmocka_unit_test(test_allele_num),
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_old_mane_column_and_unknown_terms),
        cmocka_unit_test(test_protein_from_position),
        cmocka_unit_test(test_preferred),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
