/*
 * Unit tests of the SnpEff ANN parser (src/annot/ann.c behind annot.h): the
 * quoted field list of the header, the full-ALT Allele mapping, -cancer
 * "ALT-REF" entries (counted, skipped), Rank as exon or intron by effect,
 * HGVS.p 3-letter with %3B decoding, ERRORS / WARNINGS / INFO kept, gene
 * fusions as gene + partner, intergenic and interaction entries without a
 * gene, every transcript preferred. Record text is copied to a heap buffer of
 * exactly its length so that a sanitizer build catches a read past it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cohortmatch/annot.h"

#define SNPEFF_HEADER                                                                              \
    "Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | "    \
    "Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / "        \
    "cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / "    \
    "INFO' "

typedef struct fixture {
    cm_annotation_parser *parser;
    char *text;
    const cm_alteration *entries;
    size_t n;
    cm_annotation_counts counts;
} fixture;

static int parse(fixture *f, const char *text, const char *alleles_text)
{
    char copy[256];
    char *alleles[8];
    int n_alleles = 0;
    snprintf(copy, sizeof copy, "%s", alleles_text);
    for (char *p = strtok(copy, ","); p && n_alleles < 8; p = strtok(NULL, ","))
        alleles[n_alleles++] = p;
    free(f->text);
    size_t len = strlen(text);
    f->text = malloc(len ? len : 1);
    memcpy(f->text, text, len);
    memset(&f->counts, 0, sizeof f->counts);
    cm_error err;
    cm_error_clear(&err);
    return cm_annotation_parse(f->parser, f->text, len, alleles, n_alleles, NULL, &f->entries,
                               &f->n, &f->counts, &err);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    cm_error err;
    cm_error_clear(&err);
    assert_int_equal(cm_annotation_detect("ANN", SNPEFF_HEADER), CM_ANNOTATION_SNPEFF);
    f->parser = cm_annotation_parser_new(CM_ANNOTATION_SNPEFF, "ANN", SNPEFF_HEADER, "t.vcf", &err);
    assert_non_null(f->parser);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cm_annotation_parser_free(f->parser);
    free(f->text);
    free(f);
    return 0;
}

static void assert_slice(cm_slice slice, const char *text)
{
    char buffer[256];
    snprintf(buffer, sizeof buffer, "%.*s", slice.len, slice.s ? slice.s : "");
    assert_string_equal(buffer, text);
}

static void test_header_fields(void **state)
{
    fixture *f = *state;
    assert_int_equal(cm_annotation_parser_n_fields(f->parser), 16);
    assert_string_equal(cm_annotation_parser_field_name(f->parser, 0), "Allele");
    assert_string_equal(cm_annotation_parser_field_name(f->parser, 15), "ERRORS / WARNINGS / INFO");
    assert_int_equal(cm_annotation_parser_field_index(f->parser, "HGVS.p"), 10);
}

static void test_missense_exon_rank(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f,
                           "T|missense_variant|MODERATE|BRAF|ENSG00000157764|transcript|"
                           "ENST00000646891|protein_coding|15/18|c.1799T>A|p.Val600Glu|1919/6459|"
                           "1799/2301|600/766||WARNING_TRANSCRIPT_INCOMPLETE",
                           "A,T"),
                     0);
    assert_int_equal(f->n, 1);
    const cm_alteration *a = &f->entries[0];
    assert_int_equal(a->allele, 1);
    assert_slice(a->gene, "BRAF");
    assert_slice(a->transcript, "ENST00000646891");
    assert_int_equal(a->protein.kind, CM_PROTEIN_SUBSTITUTION);
    assert_int_equal(a->protein.start, 600);
    assert_int_equal(a->protein.start_residue, 'V');
    assert_string_equal(a->protein.alt, "E");
    assert_int_equal(a->exon, 15);
    assert_int_equal(a->exon_count, 18);
    assert_int_equal(a->intron, 0);
    assert_slice(a->messages, "WARNING_TRANSCRIPT_INCOMPLETE");
    assert_int_equal(a->transcript_flags, 0);
    assert_int_equal(a->is_preferred, 1);
}

static void test_intron_rank_and_splice(void **state)
{
    fixture *f = *state;
    assert_int_equal(
        parse(f,
              "G|intron_variant|MODIFIER|MET|ENSG00000105976|transcript|ENST00000397752|"
              "protein_coding|14/20|c.3028+50A>G||||||,"
              "G|splice_donor_variant&intron_variant|HIGH|MET|ENSG00000105976|"
              "transcript|ENST00000318493|protein_coding|13/20|c.3082+1G>A||||||,"
              "G|splice_region_variant&synonymous_variant|LOW|MET|ENSG00000105976|"
              "transcript|ENST00000436117|protein_coding|14/21|c.3081C>G|p.Gln1027Gln||"
              "|||",
              "A,G"),
        0);
    assert_int_equal(f->n, 3);
    assert_int_equal(f->entries[0].intron, 14);
    assert_int_equal(f->entries[0].intron_count, 20);
    assert_int_equal(f->entries[0].exon, 0);
    assert_int_equal(f->entries[1].intron, 13);
    assert_int_equal(f->entries[1].exon, 0);
    assert_int_equal(f->entries[2].exon, 14);
    assert_int_equal(f->entries[2].intron, 0);
    assert_int_equal(f->entries[2].protein.kind, CM_PROTEIN_SYNONYMOUS);
}

static void test_cancer_pairs_and_unmatched(void **state)
{
    fixture *f = *state;
    // -cancer: "G-C" compares ALT G with ALT C; it is counted, not read.
    assert_int_equal(parse(f,
                           "C|missense_variant|MODERATE|KRAS|E|transcript|T1|protein_coding|2/5|"
                           "c.35G>C|p.Gly12Ala||||,"
                           "G|missense_variant|MODERATE|KRAS|E|transcript|T1|protein_coding|2/5|"
                           "c.35G>A|p.Gly12Asp||||,"
                           "G-C|missense_variant|MODERATE|KRAS|E|transcript|T1|protein_coding|2/5|"
                           "c.35C>A|p.Ala12Asp||||,"
                           "TT|missense_variant|MODERATE|KRAS|E|transcript|T1|protein_coding|2/5|"
                           "c.35G>A|p.Gly12Asp||||",
                           "A,C,G"),
                     0);
    assert_int_equal(f->n, 2);
    assert_int_equal(f->entries[0].allele, 1);
    assert_int_equal(f->entries[1].allele, 2);
    assert_string_equal(f->entries[1].protein.alt, "D");
    assert_int_equal(f->counts.references, 1);
    assert_int_equal(f->counts.allele_unmatched, 1);

    // A deletion keeps its one-base ALT; a complex indel loses the bases shared with REF.
    assert_int_equal(
        parse(f,
              "TTTGAT|intron_variant|MODIFIER|TMTC2|E|transcript|T|protein_coding|3/11|"
              "c.1483+9915del||||||,"
              "A|frameshift_variant|HIGH|MUC16|E|transcript|T|protein_coding|2/84|"
              "c.9524del|p.Ala3175fs||||",
              "GCGCCTCC,GTTTGAT,A"),
        0);
    assert_int_equal(f->n, 2);
    assert_int_equal(f->entries[0].allele, 1);
    assert_int_equal(f->entries[1].allele, 2);
    assert_int_equal(f->counts.allele_unmatched, 0);
}

static void test_fusion_and_intergenic(void **state)
{
    fixture *f = *state;
    const char *alt = "T]9:122278193]";
    char text[1024];
    snprintf(text, sizeof text,
             "%s|bidirectional_gene_fusion|HIGH|KLHL23&RP11-295D22.1|ENSG00000213160&"
             "ENSG00000260970|transcript|ENST00000272797|protein_coding||t(2%%3B9)(%%3B)(c.*3705)|"
             "t(2%%3B9)(ENST00000272797:Met1%%3BENST00000565320:Met1_Arg39)|||||,"
             "%s|intergenic_region|MODIFIER|TFAP2B-PKHD1|TFAP2B-PKHD1|intergenic_region|"
             "TFAP2B-PKHD1|||n.1_2ins||||||,"
             "%s|structural_interaction_variant|HIGH|TP53|ENSG00000141510|interaction|"
             "1TSR:A_175-B_249|protein_coding|5/11|c.524G>A||||||",
             alt, alt, alt);
    char alleles[64];
    snprintf(alleles, sizeof alleles, "T,%s", alt);
    assert_int_equal(parse(f, text, alleles), 0);
    assert_int_equal(f->n, 3);
    assert_slice(f->entries[0].gene, "KLHL23");
    assert_slice(f->entries[0].partner, "RP11-295D22.1");
    assert_slice(f->entries[0].hgvsc, "t(2;9)(;)(c.*3705)");
    assert_int_equal(f->entries[1].gene.len, 0);
    assert_int_equal(f->entries[1].transcript.len, 0);
    assert_int_equal(f->entries[2].gene.len, 0);
}

static void test_required_fields(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    assert_null(cm_annotation_parser_new(CM_ANNOTATION_SNPEFF, "ANN",
                                         "Functional annotations: 'Allele | Gene_Name'", "t.vcf",
                                         &err));
    assert_string_equal(err.message,
                        "INFO/ANN: the SnpEff field list in the header has no Annotation field");
}

static void test_kind_parse(void **state)
{
    (void)state;
    cm_annotation_kind kind;
    assert_int_equal(cm_annotation_kind_parse("ann", &kind), 0);
    assert_int_equal(kind, CM_ANNOTATION_SNPEFF);
    assert_int_equal(cm_annotation_kind_parse("csq", &kind), 0);
    assert_int_equal(kind, CM_ANNOTATION_VEP);
    assert_int_equal(cm_annotation_kind_parse("bcsq", &kind), 0);
    assert_int_equal(kind, CM_ANNOTATION_BCSQ);
    assert_int_equal(cm_annotation_kind_parse("vep", &kind), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_header_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missense_exon_rank, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intron_rank_and_splice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancer_pairs_and_unmatched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fusion_and_intergenic, setup, teardown),
        cmocka_unit_test(test_required_fields),
        cmocka_unit_test(test_kind_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
