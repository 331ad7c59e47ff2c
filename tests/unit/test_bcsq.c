/*
 * Unit tests of the bcftools csq BCSQ parser (src/annot/bcsq.c behind
 * annot.h) and of cm_protein_change_from_bcsq() (src/hgvs.c): the header's
 * Format list, amino_acid_change forms (substitution, synonymous, stop,
 * in-frame deletion and insertion, frameshift), '@POS' and '*' entries
 * (counted, skipped), multi-allelic records mapped by dna_change, and the
 * entry ordinals the FORMAT/BCSQ bitmask indexes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cohortmatch/annot.h"
#include "cohortmatch/hgvs.h"

#define BCSQ_HEADER                                                                                \
    "Local consequence annotation from BCFtools/csq, see "                                         \
    "http://samtools.github.io/bcftools/howtos/csq-calling.html for details. Format: "             \
    "Consequence|gene|transcript|biotype|strand|amino_acid_change|dna_change"

static void assert_short(const cm_protein_change *change, const char *want)
{
    kstring_t s = {0, 0, NULL};
    cm_protein_change_format_short(change, &s);
    assert_string_equal(s.s ? s.s : "", want);
    free(s.s);
}

static void from_bcsq(const char *text, int is_frameshift, cm_protein_kind kind,
                      const char *short_form)
{
    cm_protein_change change;
    int ret = cm_protein_change_from_bcsq(text, strlen(text), is_frameshift, &change);
    assert_int_equal(change.kind, kind);
    if (kind == CM_PROTEIN_UNPARSED) {
        assert_int_equal(ret, -1);
        return;
    }
    assert_int_equal(ret, 0);
    assert_short(&change, short_form);
}

static void test_protein_forms(void **state)
{
    (void)state;
    from_bcsq("600V>600E", 0, CM_PROTEIN_SUBSTITUTION, "V600E");
    from_bcsq("12G>12D", 0, CM_PROTEIN_SUBSTITUTION, "G12D");
    from_bcsq("60S", 0, CM_PROTEIN_SYNONYMOUS, "S60=");
    from_bcsq("210S>210*", 0, CM_PROTEIN_NONSENSE, "S210*");
    from_bcsq("745KELREA>745K", 0, CM_PROTEIN_DELETION, "E746_A750del");
    from_bcsq("746ELREA>746E", 0, CM_PROTEIN_DELETION, "L747_A750del");
    from_bcsq("770DN>770DNSVD", 0, CM_PROTEIN_INSERTION, "N771_772insSVD");
    from_bcsq("746ELREAT>746-", 0, CM_PROTEIN_UNPARSED, "");
    from_bcsq("226VGLHFWTM*>226VDSTFGQC", 1, CM_PROTEIN_FRAMESHIFT, "G227Dfs");
    from_bcsq("1982SNQLSLKGNLL*>1982RIDLVCLKHIE..", 1, CM_PROTEIN_FRAMESHIFT, "S1982Rfs");
    from_bcsq("1M>1I", 0, CM_PROTEIN_START_LOST, "M1?");
    from_bcsq("600V>601E", 0, CM_PROTEIN_UNPARSED, "");
    from_bcsq("V600E", 0, CM_PROTEIN_UNPARSED, "");
    from_bcsq("600v>600E", 0, CM_PROTEIN_UNPARSED, "");
    from_bcsq("", 0, CM_PROTEIN_NONE, "");
}

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
    assert_int_equal(cm_annotation_detect("BCSQ", BCSQ_HEADER), CM_ANNOTATION_BCSQ);
    f->parser = cm_annotation_parser_new(CM_ANNOTATION_BCSQ, "BCSQ", BCSQ_HEADER, "t.vcf", &err);
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

static void test_entries(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f,
                           "missense|BRAF|ENST00000646891|protein_coding|-|600V>600E|140753336A>T,"
                           "non_coding|BRAF-AS1||lincRNA",
                           "A,T"),
                     0);
    assert_int_equal(f->n, 2);
    const cm_alteration *a = &f->entries[0];
    assert_int_equal(a->allele, 1);
    assert_slice(a->gene, "BRAF");
    assert_slice(a->transcript, "ENST00000646891");
    assert_int_equal(a->consequence, CM_SO_BIT(CM_SO_MISSENSE_VARIANT));
    assert_short(&a->protein, "V600E");
    assert_slice(a->hgvsp, "600V>600E");
    assert_int_equal(a->exon, 0);
    assert_int_equal(a->is_preferred, 1);
    assert_int_equal(cm_annotation_entry_ordinal(f->parser, 0), 0);
    assert_int_equal(cm_annotation_entry_ordinal(f->parser, 1), 1);
    assert_int_equal(cm_annotation_entry_ordinal(f->parser, 2), -1);
    assert_int_equal(f->entries[1].consequence, CM_SO_BIT(CM_SO_NON_CODING_TRANSCRIPT_VARIANT));
}

static void test_references_skipped(void **state)
{
    fixture *f = *state;
    // The compound consequence lives at 1799727; '*' is downstream of a frameshift.
    assert_int_equal(parse(f,
                           "@1799727,*missense|G|T1|protein_coding|+|400S>400R|1801988C>T,"
                           "synonymous|G|T2|protein_coding|+|437T|1802558C>T",
                           "C,T"),
                     0);
    assert_int_equal(f->n, 1);
    assert_int_equal(f->counts.references, 2);
    assert_slice(f->entries[0].transcript, "T2");
    assert_int_equal(cm_annotation_entry_ordinal(f->parser, 0), 2);
}

static void test_multi_allelic(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f,
                           "missense|KRAS|T|protein_coding|-|12G>12D|25245350C>T,"
                           "missense|KRAS|T|protein_coding|-|12G>12A|25245350C>G,"
                           "missense|KRAS|T|protein_coding|-|12G>12V|25245350C>A",
                           "C,G,T"),
                     0);
    assert_int_equal(f->n, 2);
    assert_int_equal(f->entries[0].allele, 2);
    assert_int_equal(f->entries[1].allele, 1);
    assert_short(&f->entries[1].protein, "G12A");
    assert_int_equal(f->counts.allele_unmatched, 1);
}

// Issue 7 (fuzzing, UBSan): a short entry without dna_change on a multi-allelic record
// computed NULL + 0 while looking for its allele. It maps to no ALT and is counted.
static void test_multi_allelic_short_entry(void **state)
{
    fixture *f = *state;
    assert_int_equal(parse(f,
                           "non_coding|RP11-34P13.7||lincRNA,"
                           "missense|KRAS|T|protein_coding|-|12G>12D|25245350C>T",
                           "C,G,T"),
                     0);
    assert_int_equal(f->n, 1);
    assert_int_equal(f->entries[0].allele, 2);
    assert_int_equal(f->counts.allele_unmatched, 1);
}

static void test_required_fields(void **state)
{
    (void)state;
    cm_error err;
    cm_error_clear(&err);
    assert_null(cm_annotation_parser_new(
        CM_ANNOTATION_BCSQ, "BCSQ", "BCFtools/csq Format: Consequence|transcript", "t.vcf", &err));
    assert_string_equal(err.message,
                        "INFO/BCSQ: the bcftools csq Format in the header has no gene field");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_protein_forms),
        cmocka_unit_test_setup_teardown(test_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_references_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multi_allelic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multi_allelic_short_entry, setup, teardown),
        cmocka_unit_test(test_required_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
