/*
 * Unit tests of the PAVE IMPACT parser (src/annot/pave.c behind annot.h): recognition from
 * the header PURPLE writes, the real IMPACT values of hmftools' TUMOR_SAMPLE somatic VCF
 * (missense with a 3-letter HGVS p., synonymous, intron, intergenic), OtherReportableEffects
 * in both item forms, and the values Hartwig's reader treats as no impact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cohortmatch/annot.h"
#include "cohortmatch/hgvs.h"

// The Description PURPLE 4.0 / PAVE 1.6 write (testdata/hmftools/TUMOR_SAMPLE.purple.somatic).
#define PAVE_HEADER                                                                                \
    "Variant Impact [Gene, Transcript, CanonicalEffect, CanonicalCodingEffect, SpliceRegion, "     \
    "HgvsCodingImpact, HgvsProteinImpact, OtherReportableEffects, WorstCodingEffect, "             \
    "GenesAffected]"

static char *text_of(cm_slice s)
{
    static char buffers[4][256];
    static int next;
    char *b = buffers[next++ % 4];
    snprintf(b, sizeof buffers[0], "%.*s", s.len, s.s ? s.s : "");
    return b;
}

static char *short_of(const cm_protein_change *change)
{
    static char buffer[64];
    kstring_t s = {0, 0, NULL};
    cm_protein_change_format_short(change, &s);
    snprintf(buffer, sizeof buffer, "%s", s.s ? s.s : "");
    free(s.s);
    return buffer;
}

typedef struct parsed {
    cm_annotation_parser *parser;
    char text[512];
    const cm_alteration *entries;
    size_t n;
    cm_annotation_counts counts;
} parsed;

static void parse(parsed *p, const char *value, int n_alleles)
{
    cm_error err;
    cm_error_clear(&err);
    if (!p->parser)
        p->parser =
            cm_annotation_parser_new(CM_ANNOTATION_PAVE, "IMPACT", PAVE_HEADER, "x.vcf", &err);
    assert_non_null(p->parser);
    snprintf(p->text, sizeof p->text, "%s", value);
    char ref[] = "C", alt[] = "T", alt2[] = "G";
    char *alleles[] = {ref, alt, alt2};
    if (cm_annotation_parse(p->parser, p->text, strlen(p->text), alleles, n_alleles, NULL,
                            &p->entries, &p->n, &p->counts, &err) != 0)
        fail_msg("%s", err.message);
}

static void test_detect(void **state)
{
    (void)state;
    assert_int_equal(cm_annotation_detect("IMPACT", PAVE_HEADER), CM_ANNOTATION_PAVE);
    assert_int_equal(cm_annotation_detect("IMPACT", "\"" PAVE_HEADER "\""), CM_ANNOTATION_PAVE);
    // PAVE_TI (every transcript) and an IMPACT of another tool are not PAVE's IMPACT.
    assert_int_equal(cm_annotation_detect("PAVE_TI", "Transcript impact [Gene|GeneName|...]"),
                     CM_ANNOTATION_NONE);
    assert_int_equal(cm_annotation_detect("IMPACT", "Predicted impact"), CM_ANNOTATION_NONE);
    cm_annotation_kind kind;
    assert_int_equal(cm_annotation_kind_parse("pave", &kind), 0);
    assert_int_equal(kind, CM_ANNOTATION_PAVE);
    assert_string_equal(cm_annotation_kind_name(CM_ANNOTATION_PAVE), "PAVE");
    assert_true(cm_annotation_is_supported(CM_ANNOTATION_PAVE));
}

// The real values of the TUMOR_SAMPLE somatic VCF.
static void test_real_values(void **state)
{
    (void)state;
    parsed p;
    memset(&p, 0, sizeof p);
    parse(&p,
          "EGFR,ENST00000275493,missense_variant,MISSENSE,false,c.2369C>T,p.Thr790Met,,"
          "MISSENSE,2",
          2);
    assert_int_equal(p.n, 1);
    const cm_alteration *a = &p.entries[0];
    assert_int_equal(a->allele, 1);
    assert_string_equal(text_of(a->gene), "EGFR");
    assert_string_equal(text_of(a->transcript), "ENST00000275493");
    assert_string_equal(text_of(a->hgvsc), "c.2369C>T");
    assert_string_equal(text_of(a->hgvsp), "p.Thr790Met");
    assert_int_equal(a->consequence, CM_SO_BIT(CM_SO_MISSENSE_VARIANT));
    assert_int_equal(a->protein.kind, CM_PROTEIN_SUBSTITUTION);
    assert_string_equal(short_of(&a->protein), "T790M");
    assert_int_equal(a->transcript_flags, CM_TRANSCRIPT_CANONICAL);
    assert_int_equal(a->is_preferred, 1);

    parse(&p,
          "NOC2L,ENST00000327044,synonymous_variant,SYNONYMOUS,false,c.1654C>T,p.Leu552=,,"
          "SYNONYMOUS,1",
          2);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.entries[0].protein.kind, CM_PROTEIN_SYNONYMOUS);
    assert_string_equal(short_of(&p.entries[0].protein), "L552=");

    parse(&p, "TTLL10,ENST00000379290,intron_variant,NONE,false,c.-27-1945C>T,,,NONE,2", 2);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.entries[0].consequence, CM_SO_BIT(CM_SO_INTRON_VARIANT));
    assert_int_equal(p.entries[0].protein.kind, CM_PROTEIN_NONE);
    assert_string_equal(text_of(p.entries[0].hgvsc), "c.-27-1945C>T");

    // Intergenic: no gene, no entry (the allele is unannotated).
    parse(&p, ",,,NONE,false,,,,NONE,1", 2);
    assert_int_equal(p.n, 0);
    assert_int_equal(p.counts.unknown_terms, 0);
    cm_annotation_parser_free(p.parser);
}

// Splice region flag, SO terms joined by '&', the other reportable transcripts (6-item form
// naming another gene, old 5-item form of the same gene: not preferred beside the canonical).
static void test_other_effects(void **state)
{
    (void)state;
    parsed p;
    memset(&p, 0, sizeof p);
    parse(&p,
          "CDKN2A,ENST00000304494,splice_acceptor_variant&intron_variant,SPLICE,true,c.151-1G>T,"
          "p.?,ENST00000579755|c.194-1G>T|p.?|splice_acceptor_variant|SPLICE--CDKN2B-AS1|"
          "ENST00000428597|n.100G>T||non_coding_transcript_exon_variant|NONE,SPLICE,3",
          2);
    assert_int_equal(p.n, 3);
    assert_string_equal(text_of(p.entries[0].gene), "CDKN2A");
    assert_int_equal(p.entries[0].consequence, CM_SO_BIT(CM_SO_SPLICE_ACCEPTOR_VARIANT) |
                                                   CM_SO_BIT(CM_SO_INTRON_VARIANT) |
                                                   CM_SO_BIT(CM_SO_SPLICE_REGION_VARIANT));
    assert_int_equal(p.entries[0].protein.kind, CM_PROTEIN_UNKNOWN);
    assert_int_equal(p.entries[0].is_preferred, 1);
    assert_string_equal(text_of(p.entries[1].gene), "CDKN2A");
    assert_string_equal(text_of(p.entries[1].transcript), "ENST00000579755");
    assert_string_equal(text_of(p.entries[1].hgvsc), "c.194-1G>T");
    assert_int_equal(p.entries[1].consequence, CM_SO_BIT(CM_SO_SPLICE_ACCEPTOR_VARIANT));
    assert_int_equal(p.entries[1].transcript_flags, 0);
    assert_int_equal(p.entries[1].is_preferred, 0);
    assert_string_equal(text_of(p.entries[2].gene), "CDKN2B-AS1");
    assert_string_equal(text_of(p.entries[2].transcript), "ENST00000428597");
    assert_int_equal(p.entries[2].is_preferred, 1);
    cm_annotation_parser_free(p.parser);
}

// Not ten values: no impact, as Hartwig's reader. A multi-allelic record: its IMPACT names no
// ALT (counted as unmatched).
static void test_no_impact(void **state)
{
    (void)state;
    parsed p;
    memset(&p, 0, sizeof p);
    parse(&p,
          "EGFR,ENST00000275493,missense_variant,MISSENSE,false,c.2369C>T,p.Thr790Met,,MISSENSE",
          2);
    assert_int_equal(p.n, 0);
    parse(&p, "EGFR,ENST00000275493,missense_variant,MISSENSE,false,c.2369C>T,p.Thr790Met,,,,1", 2);
    assert_int_equal(p.n, 0);
    parse(&p, "", 2);
    assert_int_equal(p.n, 0);
    assert_int_equal(p.counts.allele_unmatched, 0);
    parse(&p,
          "EGFR,ENST00000275493,missense_variant,MISSENSE,false,c.2369C>T,p.Thr790Met,,"
          "MISSENSE,2",
          3);
    assert_int_equal(p.n, 0);
    assert_int_equal(p.counts.allele_unmatched, 1);
    cm_annotation_parser_free(p.parser);
}

static void test_bad_other_effect(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    cm_annotation_parser *parser =
        cm_annotation_parser_new(CM_ANNOTATION_PAVE, "IMPACT", PAVE_HEADER, "x.vcf", &err);
    assert_non_null(parser);
    char text[] = "A,T1,missense_variant,MISSENSE,false,c.1A>T,p.Met1Leu,T2|c.1A>T,MISSENSE,1";
    char ref[] = "A", alt[] = "T";
    char *alleles[] = {ref, alt};
    const cm_alteration *entries;
    size_t n;
    cm_annotation_counts counts = {0, 0, 0};
    assert_int_equal(cm_annotation_parse(parser, text, strlen(text), alleles, 2, NULL, &entries, &n,
                                         &counts, &err),
                     -1);
    assert_string_equal(err.message,
                        "INFO/IMPACT: OtherReportableEffects item 'T2|c.1A>T' has 2 parts, not "
                        "Gene|Transcript|HGVSc|HGVSp|Effects|CodingEffect");
    cm_annotation_parser_free(parser);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),           cmocka_unit_test(test_real_values),
        cmocka_unit_test(test_other_effects),    cmocka_unit_test(test_no_impact),
        cmocka_unit_test(test_bad_other_effect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
