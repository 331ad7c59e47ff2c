/*
 * Unit tests of the HGVS protein module: the p. parser on what VEP and SnpEff
 * write, the rebuild from VEP's Protein_position/Amino_acids, both printed
 * forms and their round trips, and the rule patterns with their matching
 * semantics. Every parse reads from a heap buffer of exactly the text's
 * length (no NUL), so a sanitizer build catches any read past the slice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cohortmatch/hgvs.h"

// Parses text from a copy that has no NUL after it.
static int parse_slice(const char *text, size_t len, cm_protein_change *out)
{
    char *copy = malloc(len > 0 ? len : 1);
    assert_non_null(copy);
    if (len > 0)
        memcpy(copy, text, len);
    int rc = cm_protein_change_parse(copy, len, out);
    free(copy);
    return rc;
}

static int parse(const char *text, cm_protein_change *out)
{
    return parse_slice(text, strlen(text), out);
}

static int from_vep(const char *position, const char *amino_acids, cm_protein_change *out)
{
    size_t position_len = strlen(position), amino_acids_len = strlen(amino_acids);
    char *p = malloc(position_len + 1), *a = malloc(amino_acids_len + 1);
    assert_non_null(p);
    assert_non_null(a);
    memcpy(p, position, position_len);
    memcpy(a, amino_acids, amino_acids_len);
    int rc = cm_protein_change_from_vep(p, position_len, a, amino_acids_len, out);
    free(p);
    free(a);
    return rc;
}

static void assert_same_change(const cm_protein_change *a, const cm_protein_change *b,
                               int compare_predicted)
{
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->start, b->start);
    assert_int_equal(a->end, b->end);
    assert_int_equal(a->start_residue, b->start_residue);
    assert_int_equal(a->end_residue, b->end_residue);
    assert_string_equal(a->alt, b->alt);
    assert_int_equal(a->new_stop, b->new_stop);
    assert_int_equal(a->is_truncated, b->is_truncated);
    if (compare_predicted)
        assert_int_equal(a->is_predicted, b->is_predicted);
}

static void assert_fields(const cm_protein_change *c, cm_protein_kind kind, int32_t start,
                          int32_t end, char start_residue, char end_residue, const char *alt,
                          int32_t new_stop, int is_predicted)
{
    assert_int_equal(c->kind, kind);
    assert_int_equal(c->start, start);
    assert_int_equal(c->end, end);
    assert_int_equal(c->start_residue, start_residue);
    assert_int_equal(c->end_residue, end_residue);
    assert_string_equal(c->alt, alt);
    assert_int_equal(c->new_stop, new_stop);
    assert_int_equal(c->is_predicted, is_predicted);
}

static void assert_formats(const cm_protein_change *c, const char *short_form,
                           const char *hgvs_form)
{
    kstring_t s = {0, 0, NULL};
    cm_protein_change_format_short(c, &s);
    assert_string_equal(s.s != NULL ? s.s : "", short_form);
    s.l = 0;
    cm_protein_change_format_hgvs(c, &s);
    assert_string_equal(s.s != NULL ? s.s : "", hgvs_form);
    free(s.s);
}

// Both printed forms parse back to the same change (the short form drops the
// parentheses, so is_predicted is not compared there).
static void assert_round_trips(const cm_protein_change *c)
{
    kstring_t s = {0, 0, NULL};
    cm_protein_change again;
    cm_protein_change_format_short(c, &s);
    assert_int_equal(parse_slice(s.s, s.l, &again), 0);
    assert_same_change(c, &again, 0);
    s.l = 0;
    cm_protein_change_format_hgvs(c, &s);
    assert_int_equal(parse_slice(s.s, s.l, &again), 0);
    assert_same_change(c, &again, 1);
    free(s.s);
}

static void check_parse(const char *text, cm_protein_kind kind, int32_t start, int32_t end,
                        char start_residue, char end_residue, const char *alt, int32_t new_stop,
                        int is_predicted, const char *short_form, const char *hgvs_form)
{
    cm_protein_change c;
    assert_int_equal(parse(text, &c), 0);
    assert_fields(&c, kind, start, end, start_residue, end_residue, alt, new_stop, is_predicted);
    assert_int_equal(c.is_truncated, 0);
    assert_formats(&c, short_form, hgvs_form);
    assert_round_trips(&c);
}

static void check_rejected(const char *text)
{
    cm_protein_change c;
    memset(&c, 0x5a, sizeof c);
    assert_int_equal(parse(text, &c), -1);
    assert_fields(&c, CM_PROTEIN_UNPARSED, 0, 0, '\0', '\0', "", 0, 0);
    assert_int_equal(c.is_truncated, 0);
    assert_formats(&c, "", "");
}

#define PARSE_TEST(name, text, kind, start, end, sres, eres, alt, stop, pred, short_form, hgvs)    \
    static void name(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        check_parse(text, CM_PROTEIN_##kind, start, end, sres, eres, alt, stop, pred, short_form,  \
                    hgvs);                                                                         \
    }

#define REJECT_TEST(name, text)                                                                    \
    static void name(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        check_rejected(text);                                                                      \
    }

// Substitutions, in every spelling annotators use.
PARSE_TEST(parse_substitution_three_letter, "p.Val600Glu", SUBSTITUTION, 600, 600, 'V', '\0', "E",
           0, 0, "V600E", "p.Val600Glu")
PARSE_TEST(parse_substitution_one_letter, "V600E", SUBSTITUTION, 600, 600, 'V', '\0', "E", 0, 0,
           "V600E", "p.Val600Glu")
PARSE_TEST(parse_substitution_one_letter_with_p, "p.V600E", SUBSTITUTION, 600, 600, 'V', '\0', "E",
           0, 0, "V600E", "p.Val600Glu")
PARSE_TEST(parse_substitution_three_letter_without_p, "Val600Glu", SUBSTITUTION, 600, 600, 'V',
           '\0', "E", 0, 0, "V600E", "p.Val600Glu")
PARSE_TEST(parse_substitution_predicted, "p.(Val600Glu)", SUBSTITUTION, 600, 600, 'V', '\0', "E", 0,
           1, "V600E", "p.(Val600Glu)")
PARSE_TEST(parse_substitution_ensembl_prefix, "ENSP00000288602.7:p.Val600Glu", SUBSTITUTION, 600,
           600, 'V', '\0', "E", 0, 0, "V600E", "p.Val600Glu")
PARSE_TEST(parse_substitution_refseq_prefix_predicted, "NP_004324.2:p.(Val600Glu)", SUBSTITUTION,
           600, 600, 'V', '\0', "E", 0, 1, "V600E", "p.(Val600Glu)")
PARSE_TEST(parse_substitution_kras_g12c, "p.Gly12Cys", SUBSTITUTION, 12, 12, 'G', '\0', "C", 0, 0,
           "G12C", "p.Gly12Cys")
PARSE_TEST(parse_substitution_selenocysteine, "p.Sec46Cys", SUBSTITUTION, 46, 46, 'U', '\0', "C", 0,
           0, "U46C", "p.Sec46Cys")
PARSE_TEST(parse_substitution_pyrrolysine_one_letter, "O12K", SUBSTITUTION, 12, 12, 'O', '\0', "K",
           0, 0, "O12K", "p.Pyl12Lys")
PARSE_TEST(parse_substitution_unknown_alt_residue, "p.Val12Xaa", SUBSTITUTION, 12, 12, 'V', '\0',
           "X", 0, 0, "V12X", "p.Val12Xaa")
PARSE_TEST(parse_substitution_unknown_ref_residue, "X12V", SUBSTITUTION, 12, 12, 'X', '\0', "V", 0,
           0, "X12V", "p.Xaa12Val")
PARSE_TEST(parse_substitution_mixed_spelling, "p.Val600E", SUBSTITUTION, 600, 600, 'V', '\0', "E",
           0, 0, "V600E", "p.Val600Glu")
PARSE_TEST(parse_substitution_largest_codon, "p.V2147483647E", SUBSTITUTION, 2147483647, 2147483647,
           'V', '\0', "E", 0, 0, "V2147483647E", "p.Val2147483647Glu")

// Synonymous, including VEP's URL-encoded '='.
PARSE_TEST(parse_synonymous, "p.Val600=", SYNONYMOUS, 600, 600, 'V', '\0', "", 0, 0,
           "V600=", "p.Val600=")
PARSE_TEST(parse_synonymous_url_encoded, "p.Val600%3D", SYNONYMOUS, 600, 600, 'V', '\0', "", 0, 0,
           "V600=", "p.Val600=")
PARSE_TEST(parse_synonymous_url_encoded_with_prefix, "ENSP00000288602.7:p.Val600%3D", SYNONYMOUS,
           600, 600, 'V', '\0', "", 0, 0, "V600=", "p.Val600=")
PARSE_TEST(parse_synonymous_whole_protein, "p.=", SYNONYMOUS, 0, 0, '\0', '\0', "", 0, 0, "=",
           "p.=")
PARSE_TEST(parse_synonymous_whole_protein_predicted, "p.(=)", SYNONYMOUS, 0, 0, '\0', '\0', "", 0,
           1, "=", "p.(=)")
PARSE_TEST(parse_synonymous_whole_protein_url_encoded, "p.%3D", SYNONYMOUS, 0, 0, '\0', '\0', "", 0,
           0, "=", "p.=")
PARSE_TEST(parse_synonymous_stop_retained, "p.Ter757=", SYNONYMOUS, 757, 757, '*', '\0', "", 0, 0,
           "*757=", "p.Ter757=")
PARSE_TEST(parse_synonymous_old_snpeff_spelling, "p.Leu54Leu", SYNONYMOUS, 54, 54, 'L', '\0', "", 0,
           0, "L54=", "p.Leu54=")
PARSE_TEST(parse_synonymous_stop_to_stop, "p.Ter757Ter", SYNONYMOUS, 757, 757, '*', '\0', "", 0, 0,
           "*757=", "p.Ter757=")
PARSE_TEST(parse_synonymous_range, "p.Lys745_Leu746=", SYNONYMOUS, 745, 746, 'K', 'L', "", 0, 0,
           "K745_L746=", "p.Lys745_Leu746=")

// Nonsense.
PARSE_TEST(parse_nonsense_ter, "p.Arg213Ter", NONSENSE, 213, 213, 'R', '\0', "*", 0, 0, "R213*",
           "p.Arg213Ter")
PARSE_TEST(parse_nonsense_star, "p.Arg213*", NONSENSE, 213, 213, 'R', '\0', "*", 0, 0, "R213*",
           "p.Arg213Ter")
PARSE_TEST(parse_nonsense_one_letter, "R213*", NONSENSE, 213, 213, 'R', '\0', "*", 0, 0, "R213*",
           "p.Arg213Ter")
PARSE_TEST(parse_nonsense_predicted, "p.(Trp24Ter)", NONSENSE, 24, 24, 'W', '\0', "*", 0, 1, "W24*",
           "p.(Trp24Ter)")

// Deletions, insertions, delins, duplications.
PARSE_TEST(parse_deletion_range, "p.Glu746_Ala750del", DELETION, 746, 750, 'E', 'A', "", 0, 0,
           "E746_A750del", "p.Glu746_Ala750del")
PARSE_TEST(parse_deletion_single, "p.Gly12del", DELETION, 12, 12, 'G', '\0', "", 0, 0, "G12del",
           "p.Gly12del")
PARSE_TEST(parse_deletion_one_letter, "E746_A750del", DELETION, 746, 750, 'E', 'A', "", 0, 0,
           "E746_A750del", "p.Glu746_Ala750del")
PARSE_TEST(parse_deletion_listing_residues, "p.Gly12delGly", DELETION, 12, 12, 'G', '\0', "", 0, 0,
           "G12del", "p.Gly12del")
PARSE_TEST(parse_deletion_listing_range_residues, "p.Glu746_Ala750delGluLeuArgGluAla", DELETION,
           746, 750, 'E', 'A', "", 0, 0, "E746_A750del", "p.Glu746_Ala750del")
PARSE_TEST(parse_deletion_same_codon_twice, "p.Val600_Val600del", DELETION, 600, 600, 'V', '\0', "",
           0, 0, "V600del", "p.Val600del")
PARSE_TEST(parse_insertion, "p.Asp770_Asn771insSerValAsp", INSERTION, 770, 771, 'D', 'N', "SVD", 0,
           0, "D770_N771insSVD", "p.Asp770_Asn771insSerValAsp")
PARSE_TEST(parse_insertion_one_letter, "D770_N771insSVD", INSERTION, 770, 771, 'D', 'N', "SVD", 0,
           0, "D770_N771insSVD", "p.Asp770_Asn771insSerValAsp")
PARSE_TEST(parse_insertion_predicted, "p.(Asp770_Asn771insGly)", INSERTION, 770, 771, 'D', 'N', "G",
           0, 1, "D770_N771insG", "p.(Asp770_Asn771insGly)")
PARSE_TEST(parse_delins_range, "p.Leu747_Pro753delinsSer", DELINS, 747, 753, 'L', 'P', "S", 0, 0,
           "L747_P753delinsS", "p.Leu747_Pro753delinsSer")
PARSE_TEST(parse_delins_single, "p.Cys28delinsTrpVal", DELINS, 28, 28, 'C', '\0', "WV", 0, 0,
           "C28delinsWV", "p.Cys28delinsTrpVal")
PARSE_TEST(parse_delins_one_letter, "L747_P753delinsS", DELINS, 747, 753, 'L', 'P', "S", 0, 0,
           "L747_P753delinsS", "p.Leu747_Pro753delinsSer")
PARSE_TEST(parse_duplication_range, "p.Ala767_Val769dup", DUPLICATION, 767, 769, 'A', 'V', "", 0, 0,
           "A767_V769dup", "p.Ala767_Val769dup")
PARSE_TEST(parse_duplication_single, "p.Gly12dup", DUPLICATION, 12, 12, 'G', '\0', "", 0, 0,
           "G12dup", "p.Gly12dup")

// Frameshifts.
PARSE_TEST(parse_frameshift_vep, "p.Arg97ProfsTer23", FRAMESHIFT, 97, 97, 'R', '\0', "P", 23, 0,
           "R97Pfs*23", "p.Arg97ProfsTer23")
PARSE_TEST(parse_frameshift_one_letter, "p.R97Pfs*23", FRAMESHIFT, 97, 97, 'R', '\0', "P", 23, 0,
           "R97Pfs*23", "p.Arg97ProfsTer23")
PARSE_TEST(parse_frameshift_short_snpeff, "p.Arg97fs", FRAMESHIFT, 97, 97, 'R', '\0', "", 0, 0,
           "R97fs", "p.Arg97fs")
PARSE_TEST(parse_frameshift_short_one_letter, "p.R97fs", FRAMESHIFT, 97, 97, 'R', '\0', "", 0, 0,
           "R97fs", "p.Arg97fs")
PARSE_TEST(parse_frameshift_unknown_stop, "p.Arg97fsTer?", FRAMESHIFT, 97, 97, 'R', '\0', "", -1, 0,
           "R97fs*?", "p.Arg97fsTer?")
PARSE_TEST(parse_frameshift_unknown_stop_star, "p.R97Pfs*?", FRAMESHIFT, 97, 97, 'R', '\0', "P", -1,
           0, "R97Pfs*?", "p.Arg97ProfsTer?")
PARSE_TEST(parse_frameshift_old_x_stop, "p.R97PfsX23", FRAMESHIFT, 97, 97, 'R', '\0', "P", 23, 0,
           "R97Pfs*23", "p.Arg97ProfsTer23")
PARSE_TEST(parse_frameshift_new_residue_no_stop, "p.Arg97Profs", FRAMESHIFT, 97, 97, 'R', '\0', "P",
           0, 0, "R97Pfs", "p.Arg97Profs")
PARSE_TEST(parse_frameshift_predicted, "p.(Arg97ProfsTer23)", FRAMESHIFT, 97, 97, 'R', '\0', "P",
           23, 1, "R97Pfs*23", "p.(Arg97ProfsTer23)")

// Extensions, start lost, unknown.
PARSE_TEST(parse_extension_c_terminal, "p.Ter757LeuextTer12", EXTENSION, 757, 757, '*', '\0', "L",
           12, 0, "*757Lext*12", "p.Ter757LeuextTer12")
PARSE_TEST(parse_extension_c_terminal_one_letter, "p.*757Lext*12", EXTENSION, 757, 757, '*', '\0',
           "L", 12, 0, "*757Lext*12", "p.Ter757LeuextTer12")
PARSE_TEST(parse_extension_unknown_stop, "p.Ter110GlnextTer?", EXTENSION, 110, 110, '*', '\0', "Q",
           -1, 0, "*110Qext*?", "p.Ter110GlnextTer?")
PARSE_TEST(parse_extension_snpeff_mixed, "p.Ter110Glnext*?", EXTENSION, 110, 110, '*', '\0', "Q",
           -1, 0, "*110Qext*?", "p.Ter110GlnextTer?")
PARSE_TEST(parse_extension_n_terminal, "p.Met1ext-5", EXTENSION, 1, 1, 'M', '\0', "", -5, 0,
           "M1ext-5", "p.Met1ext-5")
PARSE_TEST(parse_extension_n_terminal_one_upstream, "p.Met1ext-1", EXTENSION, 1, 1, 'M', '\0', "",
           -1, 0, "M1ext-1", "p.Met1ext-1")
PARSE_TEST(parse_extension_n_terminal_new_residue, "p.Met1Valext-12", EXTENSION, 1, 1, 'M', '\0',
           "V", -12, 0, "M1Vext-12", "p.Met1Valext-12")
PARSE_TEST(parse_extension_from_stop_substitution, "p.Ter757Leu", EXTENSION, 757, 757, '*', '\0',
           "L", 0, 0, "*757Lext", "p.Ter757Leuext")
PARSE_TEST(parse_start_lost, "p.Met1?", START_LOST, 1, 1, 'M', '\0', "", 0, 0, "M1?", "p.Met1?")
PARSE_TEST(parse_start_lost_predicted, "p.(Met1?)", START_LOST, 1, 1, 'M', '\0', "", 0, 1, "M1?",
           "p.(Met1?)")
PARSE_TEST(parse_unknown, "p.?", UNKNOWN, 0, 0, '\0', '\0', "", 0, 0, "?", "p.?")
PARSE_TEST(parse_unknown_predicted, "p.(?)", UNKNOWN, 0, 0, '\0', '\0', "", 0, 1, "?", "p.(?)")
PARSE_TEST(parse_no_protein, "p.0", UNKNOWN, 0, 0, '\0', '\0', "", 0, 0, "?", "p.?")
PARSE_TEST(parse_no_protein_uncertain, "p.0?", UNKNOWN, 0, 0, '\0', '\0', "", 0, 0, "?", "p.?")

// Text that is not a protein change.
REJECT_TEST(reject_p_alone, "p.")
REJECT_TEST(reject_codon_without_change, "p.Val600")
REJECT_TEST(reject_end_before_start, "p.Ala750_Glu746del")
REJECT_TEST(reject_codon_zero, "p.Val0Glu")
REJECT_TEST(reject_codon_overflow, "p.V2147483648E")
REJECT_TEST(reject_codon_far_overflow, "p.V99999999999999999999E")
REJECT_TEST(reject_unknown_ref_amino_acid, "p.Bxx600Glu")
REJECT_TEST(reject_unknown_alt_amino_acid, "p.V600Z")
REJECT_TEST(reject_ambiguity_code, "p.Asx12Gly")
REJECT_TEST(reject_trailing_junk, "p.Val600GluX")
REJECT_TEST(reject_trailing_space, "p.V600E ")
REJECT_TEST(reject_trailing_semicolon, "p.Val600Glu;")
REJECT_TEST(reject_unbalanced_parenthesis, "p.(Val600Glu")
REJECT_TEST(reject_stray_parenthesis, "p.Val600Glu)")
REJECT_TEST(reject_empty_parentheses, "p.()")
REJECT_TEST(reject_insertion_single_codon, "p.Asp770insSer")
REJECT_TEST(reject_insertion_not_adjacent, "p.Asp770_Ser772insGly")
REJECT_TEST(reject_insertion_without_residues, "p.Asp770_Asn771ins")
REJECT_TEST(reject_delins_without_residues, "p.Glu746_Ala750delins")
REJECT_TEST(reject_question_mark_not_at_start, "p.Val600?")
REJECT_TEST(reject_frameshift_stop_without_count, "p.Arg97fsTer")
REJECT_TEST(reject_frameshift_stop_zero, "p.Arg97fs*0")
REJECT_TEST(reject_frameshift_range, "p.Glu746_Ala750fs")
REJECT_TEST(reject_extension_not_from_stop, "p.Val600ext*5")
REJECT_TEST(reject_n_terminal_extension_not_codon_one, "p.Met2ext-5")
REJECT_TEST(reject_lowercase_one_letter, "v600e")
REJECT_TEST(reject_coding_dna, "c.1799T>A")
REJECT_TEST(reject_allele_brackets, "p.[Ser44Arg;Trp46Arg]")
REJECT_TEST(reject_deleted_residues_mismatch, "p.Gly12delAla")
REJECT_TEST(reject_deleted_residue_count_mismatch, "p.Glu746_Ala750delGluAla")
REJECT_TEST(reject_prefix_only, "ENSP00000288602.7:")
REJECT_TEST(reject_same_codon_two_residues, "p.Val600_Glu600del")
REJECT_TEST(reject_vcf_missing_dot, ".")
REJECT_TEST(reject_negative_codon, "p.Val-600Glu")

static void parse_empty_is_none(void **state)
{
    (void)state;
    cm_protein_change c;
    memset(&c, 0x5a, sizeof c);
    assert_int_equal(cm_protein_change_parse("", 0, &c), 0);
    assert_fields(&c, CM_PROTEIN_NONE, 0, 0, '\0', '\0', "", 0, 0);
    memset(&c, 0x5a, sizeof c);
    assert_int_equal(cm_protein_change_parse(NULL, 0, &c), 0);
    assert_int_equal(c.kind, CM_PROTEIN_NONE);
    assert_formats(&c, "", "");
}

static void parse_null_arguments(void **state)
{
    (void)state;
    cm_protein_change c;
    assert_int_equal(cm_protein_change_parse("V600E", 5, NULL), -1);
    assert_int_equal(cm_protein_change_parse(NULL, 5, &c), -1);
    assert_int_equal(c.kind, CM_PROTEIN_UNPARSED);
}

// The text is a slice of an INFO field: the parser stops at len, whatever follows.
static void parse_slice_ignores_trailing_bytes(void **state)
{
    (void)state;
    static const char info[] = "ENSP00000288602.7:p.Val600Glu|missense|junk:p.Gly12Cys";
    cm_protein_change c;
    assert_int_equal(cm_protein_change_parse(info, strlen("ENSP00000288602.7:p.Val600Glu"), &c), 0);
    assert_fields(&c, CM_PROTEIN_SUBSTITUTION, 600, 600, 'V', '\0', "E", 0, 0);
    // Cutting inside the change gives what the slice says, or nothing.
    assert_int_equal(parse_slice("p.Val600Glu", 9, &c), 0); // "p.Val600G"
    assert_fields(&c, CM_PROTEIN_SUBSTITUTION, 600, 600, 'V', '\0', "G", 0, 0);
    assert_int_equal(parse_slice("p.Val600Glu", 8, &c), -1); // "p.Val600"
    assert_int_equal(c.kind, CM_PROTEIN_UNPARSED);
    assert_int_equal(parse_slice("p.Val600%3D", 10, &c), -1);       // "p.Val600%3"
    assert_int_equal(parse_slice("p.Arg97ProfsTer23", 15, &c), -1); // "...fsTer"
    assert_int_equal(parse_slice("p.(Val600Glu)", 12, &c), -1);     // no ')'
    assert_int_equal(parse_slice("V600E123", 5, &c), 0);
    assert_fields(&c, CM_PROTEIN_SUBSTITUTION, 600, 600, 'V', '\0', "E", 0, 0);
    // The ':' that makes a prefix must lie inside the slice.
    assert_int_equal(parse_slice("V600E:junk", 5, &c), 0);
    assert_int_equal(c.kind, CM_PROTEIN_SUBSTITUTION);
}

// Every prefix of every valid text parses or fails cleanly, reading only its slice.
static void parse_every_prefix_is_safe(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "ENSP00000288602.7:p.(Val600Glu)",
        "p.Glu746_Ala750delGluLeuArgGluAla",
        "p.Asp770_Asn771insSerValAsp",
        "p.Arg97ProfsTer23",
        "p.Ter757LeuextTer12",
        "p.Met1ext-5",
        "p.Val600%3D",
        "p.(Met1?)",
        "p.R97Pfs*?",
        "p.Leu747_Pro753delinsSer",
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        size_t len = strlen(texts[t]);
        for (size_t cut = 0; cut <= len; cut++) {
            cm_protein_change c;
            int rc = parse_slice(texts[t], cut, &c);
            if (cut == 0)
                assert_int_equal(c.kind, CM_PROTEIN_NONE);
            else if (rc != 0)
                assert_int_equal(c.kind, CM_PROTEIN_UNPARSED);
            else
                assert_true(c.kind != CM_PROTEIN_UNPARSED && c.kind != CM_PROTEIN_NONE);
        }
        cm_protein_change c;
        assert_int_equal(parse_slice(texts[t], len, &c), 0);
    }
}

// Random bytes from the parser's alphabet: no crash, no read past the slice,
// and a result that is either a change or UNPARSED.
static void parse_random_bytes_is_safe(void **state)
{
    (void)state;
    static const char alphabet[] = "pPcC.:()_=%3D?*-0123456789AVLGEKRTMSaelrufsxtidn\0";
    uint32_t seed = 12345;
    char text[24];
    for (int round = 0; round < 20000; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 16) % sizeof text;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        cm_protein_change c;
        int rc = parse_slice(text, len, &c);
        assert_true(rc == 0 || c.kind == CM_PROTEIN_UNPARSED);
        if (rc == 0 && c.kind != CM_PROTEIN_NONE) {
            assert_true(c.start >= 0 && c.end >= c.start);
            assert_round_trips(&c);
        }
    }
}

static void parse_long_insertion_is_truncated(void **state)
{
    (void)state;
    cm_protein_change c;
    const char *text = "p.D770_N771insAAAAAAAAAACCCCCCCCCCGGGGGGGGGGTTTTTTTTTT"; // 40 residues
    assert_int_equal(parse(text, &c), 0);
    assert_int_equal(c.kind, CM_PROTEIN_INSERTION);
    assert_string_equal(c.alt, "AAAAAAAAAACCCCCCCCCCGGGGGGGGGGTT");
    assert_int_equal(strlen(c.alt), CM_PROTEIN_MAX_RESIDUES);
    assert_int_equal(c.is_truncated, 1);
}

static void parse_long_three_letter_delins_is_truncated(void **state)
{
    (void)state;
    char text[256] = "p.Leu747_Pro753delins";
    for (int i = 0; i < 33; i++)
        strcat(text, i == 32 ? "Trp" : "Gly");
    cm_protein_change c;
    assert_int_equal(parse(text, &c), 0);
    assert_int_equal(c.kind, CM_PROTEIN_DELINS);
    assert_string_equal(c.alt, "GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG");
    assert_int_equal(c.is_truncated, 1);
}

static void parse_insertion_of_exactly_max_residues_is_whole(void **state)
{
    (void)state;
    cm_protein_change c;
    assert_int_equal(parse("D770_N771insAAAAAAAAAACCCCCCCCCCGGGGGGGGGGTT", &c), 0);
    assert_int_equal(strlen(c.alt), CM_PROTEIN_MAX_RESIDUES);
    assert_int_equal(c.is_truncated, 0);
    assert_round_trips(&c);
}

// VEP without --hgvs: Protein_position + Amino_acids.
static void check_vep(const char *position, const char *amino_acids, cm_protein_kind kind,
                      int32_t start, int32_t end, char start_residue, char end_residue,
                      const char *alt, int32_t new_stop, const char *short_form,
                      const char *hgvs_form)
{
    cm_protein_change c;
    assert_int_equal(from_vep(position, amino_acids, &c), 0);
    assert_fields(&c, kind, start, end, start_residue, end_residue, alt, new_stop, 0);
    assert_formats(&c, short_form, hgvs_form);
}

static void check_vep_rejected(const char *position, const char *amino_acids)
{
    cm_protein_change c;
    memset(&c, 0x5a, sizeof c);
    assert_int_equal(from_vep(position, amino_acids, &c), -1);
    assert_fields(&c, CM_PROTEIN_UNPARSED, 0, 0, '\0', '\0', "", 0, 0);
}

#define VEP_TEST(name, position, aa, kind, start, end, sres, eres, alt, stop, short_form, hgvs)    \
    static void name(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        check_vep(position, aa, CM_PROTEIN_##kind, start, end, sres, eres, alt, stop, short_form,  \
                  hgvs);                                                                           \
    }

#define VEP_REJECT_TEST(name, position, aa)                                                        \
    static void name(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        check_vep_rejected(position, aa);                                                          \
    }

VEP_TEST(vep_substitution, "600", "V/E", SUBSTITUTION, 600, 600, 'V', '\0', "E", 0, "V600E",
         "p.Val600Glu")
VEP_TEST(vep_synonymous, "600", "V", SYNONYMOUS, 600, 600, 'V', '\0', "", 0, "V600=", "p.Val600=")
VEP_TEST(vep_synonymous_stop, "757", "*", SYNONYMOUS, 757, 757, '*', '\0', "", 0,
         "*757=", "p.Ter757=")
VEP_TEST(vep_nonsense, "213", "R/*", NONSENSE, 213, 213, 'R', '\0', "*", 0, "R213*", "p.Arg213Ter")
VEP_TEST(vep_deletion, "746-750", "ELREA/-", DELETION, 746, 750, 'E', 'A', "", 0, "E746_A750del",
         "p.Glu746_Ala750del")
VEP_TEST(vep_deletion_trimmed, "745-750", "KELREA/K", DELETION, 746, 750, 'E', 'A', "", 0,
         "E746_A750del", "p.Glu746_Ala750del")
VEP_TEST(vep_deletion_common_suffix, "746-751", "ELREAT/T", DELETION, 746, 750, 'E', 'A', "", 0,
         "E746_A750del", "p.Glu746_Ala750del")
VEP_TEST(vep_delins_common_prefix_and_suffix, "745-751", "KELREAT/KQT", DELINS, 746, 750, 'E', 'A',
         "Q", 0, "E746_A750delinsQ", "p.Glu746_Ala750delinsGln")
VEP_TEST(vep_insertion_common_suffix, "770", "D/SVDD", INSERTION, 769, 770, '\0', 'D', "SVD", 0,
         "769_D770insSVD", "p.769_Asp770insSerValAsp")
VEP_TEST(vep_deletion_repeat_is_3_prime, "12-13", "GG/G", DELETION, 13, 13, 'G', '\0', "", 0,
         "G13del", "p.Gly13del")
VEP_TEST(vep_insertion_between_codons, "770-771", "-/SVD", INSERTION, 770, 771, '\0', '\0', "SVD",
         0, "770_771insSVD", "p.770_771insSerValAsp")
VEP_TEST(vep_insertion_inside_codon, "770", "D/DSVD", INSERTION, 770, 771, 'D', '\0', "SVD", 0,
         "D770_771insSVD", "p.Asp770_771insSerValAsp")
VEP_TEST(vep_frameshift, "97", "R/X", FRAMESHIFT, 97, 97, 'R', '\0', "", 0, "R97fs", "p.Arg97fs")
VEP_TEST(vep_frameshift_two_residues, "97", "KL/X", FRAMESHIFT, 97, 97, 'K', '\0', "", 0, "K97fs",
         "p.Lys97fs")
VEP_TEST(vep_frameshift_with_new_residue, "97-98", "RK/PX", FRAMESHIFT, 97, 97, 'R', '\0', "P", 0,
         "R97Pfs", "p.Arg97Profs")
VEP_TEST(vep_delins, "747-753", "LREATSP/S", DELINS, 747, 753, 'L', 'P', "S", 0, "L747_P753delinsS",
         "p.Leu747_Pro753delinsSer")
VEP_TEST(vep_delins_trimmed, "746-753", "ELREATSP/ES", DELINS, 747, 753, 'L', 'P', "S", 0,
         "L747_P753delinsS", "p.Leu747_Pro753delinsSer")
VEP_TEST(vep_mnv_substitution_trimmed, "599-600", "TV/TE", SUBSTITUTION, 600, 600, 'V', '\0', "E",
         0, "V600E", "p.Val600Glu")
VEP_TEST(vep_stop_gained_in_delins, "746-747", "EL/*", NONSENSE, 746, 746, 'E', '\0', "*", 0,
         "E746*", "p.Glu746Ter")
VEP_TEST(vep_stop_lost, "757", "*/L", EXTENSION, 757, 757, '*', '\0', "L", -1, "*757Lext*?",
         "p.Ter757LeuextTer?")
VEP_TEST(vep_start_lost, "1", "M/V", START_LOST, 1, 1, 'M', '\0', "", 0, "M1?", "p.Met1?")

VEP_REJECT_TEST(vep_reject_dash_position, "-", "V/E")
VEP_REJECT_TEST(vep_reject_empty_position, "", "V/E")
VEP_REJECT_TEST(vep_reject_partial_position, "?-750", "ELREA/-")
VEP_REJECT_TEST(vep_reject_partial_end, "746-?", "ELREA/-")
VEP_REJECT_TEST(vep_reject_empty_amino_acids, "600", "")
VEP_REJECT_TEST(vep_reject_empty_alt, "600", "V/")
VEP_REJECT_TEST(vep_reject_lowercase, "600", "v/e")
VEP_REJECT_TEST(vep_reject_codon_zero, "0", "V/E")
VEP_REJECT_TEST(vep_reject_length_mismatch, "746-750", "ELR/-")
VEP_REJECT_TEST(vep_reject_insertion_without_flanks, "770", "-/SVD")
VEP_REJECT_TEST(vep_reject_two_slashes, "600", "V/E/K")
VEP_REJECT_TEST(vep_reject_overflow, "2147483648", "V/E")

static void vep_fields_are_slices(void **state)
{
    (void)state;
    static const char csq[] = "600-601|V/E|extra";
    cm_protein_change c;
    assert_int_equal(cm_protein_change_from_vep(csq, 3, csq + 8, 3, &c), 0);
    assert_fields(&c, CM_PROTEIN_SUBSTITUTION, 600, 600, 'V', '\0', "E", 0, 0);
    assert_int_equal(cm_protein_change_from_vep(NULL, 0, "V/E", 3, &c), -1);
    assert_int_equal(cm_protein_change_from_vep("600", 3, "V/E", 3, NULL), -1);
}

static void vep_long_insertion_is_truncated(void **state)
{
    (void)state;
    cm_protein_change c;
    assert_int_equal(from_vep("770-771", "-/AAAAAAAAAACCCCCCCCCCGGGGGGGGGGTTTTTTTTTT", &c), 0);
    assert_int_equal(c.kind, CM_PROTEIN_INSERTION);
    assert_string_equal(c.alt, "AAAAAAAAAACCCCCCCCCCGGGGGGGGGGTT");
    assert_int_equal(c.is_truncated, 1);
}

// Formatting structs the parser did not make.
static void format_appends_and_skips_none(void **state)
{
    (void)state;
    kstring_t s = {0, 0, NULL};
    cm_protein_change c;
    memset(&c, 0, sizeof c);
    kputs("BRAF ", &s);
    cm_protein_change_format_short(&c, &s); // NONE adds nothing
    c.kind = CM_PROTEIN_UNPARSED;
    cm_protein_change_format_hgvs(&c, &s); // UNPARSED adds nothing
    assert_int_equal(parse("p.(Val600Glu)", &c), 0);
    cm_protein_change_format_short(&c, &s); // no parentheses in the short form
    kputc(' ', &s);
    cm_protein_change_format_hgvs(&c, &s);
    assert_string_equal(s.s, "BRAF V600E p.(Val600Glu)");
    cm_protein_change_format_short(NULL, &s);
    cm_protein_change_format_hgvs(&c, NULL);
    free(s.s);
}

static void amino_acid_tables(void **state)
{
    (void)state;
    assert_int_equal(cm_amino_acid_one_letter("Val"), 'V');
    assert_int_equal(cm_amino_acid_one_letter("Ter"), '*');
    assert_int_equal(cm_amino_acid_one_letter("Sec"), 'U');
    assert_int_equal(cm_amino_acid_one_letter("Pyl"), 'O');
    assert_int_equal(cm_amino_acid_one_letter("Xaa"), 'X');
    assert_int_equal(cm_amino_acid_one_letter("Trp"), 'W');
    assert_int_equal(cm_amino_acid_one_letter("Foo"), '\0');
    assert_int_equal(cm_amino_acid_one_letter("VAL"), '\0');
    assert_int_equal(cm_amino_acid_one_letter("Va"), '\0');
    assert_int_equal(cm_amino_acid_one_letter(""), '\0');
    assert_int_equal(cm_amino_acid_one_letter(NULL), '\0');
    assert_string_equal(cm_amino_acid_three_letter('V'), "Val");
    assert_string_equal(cm_amino_acid_three_letter('*'), "Ter");
    assert_string_equal(cm_amino_acid_three_letter('U'), "Sec");
    assert_string_equal(cm_amino_acid_three_letter('X'), "Xaa");
    assert_null(cm_amino_acid_three_letter('B'));
    assert_null(cm_amino_acid_three_letter('v'));
    assert_null(cm_amino_acid_three_letter('\0'));
}

// Patterns.
static void check_pattern(const char *text, cm_protein_pattern_kind kind, int32_t start,
                          int32_t end, char start_residue, char end_residue, const char *formatted)
{
    cm_protein_pattern pattern;
    const char *why = "unset";
    assert_int_equal(cm_protein_pattern_parse(text, strlen(text), &pattern, &why), 0);
    assert_null(why);
    assert_int_equal(pattern.kind, kind);
    assert_int_equal(pattern.change.start, start);
    assert_int_equal(pattern.change.end, end);
    assert_int_equal(pattern.change.start_residue, start_residue);
    assert_int_equal(pattern.change.end_residue, end_residue);
    kstring_t s = {0, 0, NULL};
    cm_protein_pattern_format(&pattern, &s);
    assert_string_equal(s.s, formatted);
    // The formatted pattern reads back as the same pattern.
    cm_protein_pattern again;
    assert_int_equal(cm_protein_pattern_parse(s.s, s.l, &again, &why), 0);
    assert_int_equal(again.kind, pattern.kind);
    assert_same_change(&again.change, &pattern.change, 0);
    free(s.s);
}

static void check_pattern_error(const char *text, const char *expected_why)
{
    cm_protein_pattern pattern;
    const char *why = NULL;
    assert_int_equal(cm_protein_pattern_parse(text, strlen(text), &pattern, &why), -1);
    assert_non_null(why);
    assert_string_equal(why, expected_why);
}

#define PATTERN_TEST(name, text, kind, start, end, sres, eres, formatted)                          \
    static void name(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        check_pattern(text, CM_PATTERN_##kind, start, end, sres, eres, formatted);                 \
    }

#define PATTERN_ERROR_TEST(name, text, why)                                                        \
    static void name(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        check_pattern_error(text, why);                                                            \
    }

PATTERN_TEST(pattern_exact_one_letter, "V600E", EXACT, 600, 600, 'V', '\0', "V600E")
PATTERN_TEST(pattern_exact_hgvs, "p.Val600Glu", EXACT, 600, 600, 'V', '\0', "V600E")
PATTERN_TEST(pattern_exact_deletion, "E746_A750del", EXACT, 746, 750, 'E', 'A', "E746_A750del")
PATTERN_TEST(pattern_exact_frameshift, "R97fs", EXACT, 97, 97, 'R', '\0', "R97fs")
PATTERN_TEST(pattern_exact_kras, "G12C", EXACT, 12, 12, 'G', '\0', "G12C")
PATTERN_TEST(pattern_codon_one_letter, "V600", CODON, 600, 600, 'V', '\0', "V600")
PATTERN_TEST(pattern_codon_with_p, "p.V600", CODON, 600, 600, 'V', '\0', "V600")
PATTERN_TEST(pattern_codon_three_letter, "Val600", CODON, 600, 600, 'V', '\0', "V600")
PATTERN_TEST(pattern_codon_three_letter_with_p, "p.Val600", CODON, 600, 600, 'V', '\0', "V600")
PATTERN_TEST(pattern_codon_bare_number, "600", CODON, 600, 600, '\0', '\0', "600")
PATTERN_TEST(pattern_range_one_letter, "E746_A750", RANGE, 746, 750, 'E', 'A', "E746_A750")
PATTERN_TEST(pattern_range_three_letter, "Glu746_Ala750", RANGE, 746, 750, 'E', 'A', "E746_A750")
PATTERN_TEST(pattern_range_with_p, "p.E746_A750", RANGE, 746, 750, 'E', 'A', "E746_A750")
PATTERN_TEST(pattern_range_bare_numbers, "746_750", RANGE, 746, 750, '\0', '\0', "746_750")

PATTERN_ERROR_TEST(pattern_error_empty, "", "empty protein pattern")
PATTERN_ERROR_TEST(pattern_error_unknown_codon_residue, "B600", "unknown amino acid")
PATTERN_ERROR_TEST(pattern_error_unknown_three_letter, "Xyz600", "unknown amino acid")
PATTERN_ERROR_TEST(pattern_error_unknown_alt, "V600Z", "unknown amino acid")
PATTERN_ERROR_TEST(pattern_error_unknown_inserted, "D770_N771insSJ", "unknown amino acid")
PATTERN_ERROR_TEST(pattern_error_codon_zero, "V0", "codon must be a positive number")
PATTERN_ERROR_TEST(pattern_error_bare_zero, "0", "codon must be a positive number")
PATTERN_ERROR_TEST(pattern_error_codon_overflow, "V99999999999", "codon must be a positive number")
PATTERN_ERROR_TEST(pattern_error_change_codon_zero, "V0E", "codon must be a positive number")
PATTERN_ERROR_TEST(pattern_error_range_reversed, "A750_E746", "end codon before start codon")
PATTERN_ERROR_TEST(pattern_error_change_reversed, "A750_E746del", "end codon before start codon")
PATTERN_ERROR_TEST(pattern_error_word, "banana", "not a protein change or pattern")
PATTERN_ERROR_TEST(pattern_error_list_in_string, "V600E,V600K", "not a protein change or pattern")
PATTERN_ERROR_TEST(pattern_error_no_codon, "p.?", "a protein pattern must name a codon")
PATTERN_ERROR_TEST(pattern_error_prefix, "ENSP00000288602.7:p.V600E",
                   "a protein pattern takes no transcript prefix")
PATTERN_ERROR_TEST(pattern_error_x_is_not_a_wildcard, "G12X",
                   "X as the new residue is ambiguous: write the codon alone (V600) for any "
                   "change, or * for a stop")
PATTERN_ERROR_TEST(pattern_error_x_is_not_a_stop, "p.Arg213Xaa",
                   "X as the new residue is ambiguous: write the codon alone (V600) for any "
                   "change, or * for a stop")
PATTERN_ERROR_TEST(pattern_error_insertion_flanks, "D770insS",
                   "insertion needs two adjacent flanking codons")

static void pattern_parse_null_arguments(void **state)
{
    (void)state;
    cm_protein_pattern pattern;
    const char *why = NULL;
    assert_int_equal(cm_protein_pattern_parse(NULL, 0, &pattern, &why), -1);
    assert_string_equal(why, "empty protein pattern");
    assert_int_equal(cm_protein_pattern_parse("V600", 4, NULL, &why), -1);
    assert_int_equal(cm_protein_pattern_parse("V600", 4, &pattern, NULL), 0);
    assert_int_equal(cm_protein_pattern_parse("V600", 3, &pattern, NULL), 0); // slice "V60"
    assert_int_equal(pattern.change.start, 60);
}

// Matching: a pattern against a list of changes that match and a list that do not.
static void check_matches(const char *pattern_text, const char *const *yes, const char *const *no)
{
    cm_protein_pattern pattern;
    const char *why;
    assert_int_equal(cm_protein_pattern_parse(pattern_text, strlen(pattern_text), &pattern, &why),
                     0);
    for (; *yes != NULL; yes++) {
        cm_protein_change c;
        assert_int_equal(parse(*yes, &c), 0);
        if (!cm_protein_pattern_matches(&pattern, &c))
            fail_msg("%s should match %s", pattern_text, *yes);
    }
    for (; *no != NULL; no++) {
        cm_protein_change c;
        parse(*no, &c);
        if (cm_protein_pattern_matches(&pattern, &c))
            fail_msg("%s should not match %s", pattern_text, *no);
    }
}

#define MATCH_TEST(name, pattern, yes_list, no_list)                                               \
    static void name(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        static const char *const yes[] = {yes_list, NULL};                                         \
        static const char *const no[] = {no_list, NULL};                                           \
        check_matches(pattern, yes, no);                                                           \
    }

#define L(...) __VA_ARGS__

MATCH_TEST(match_exact_substitution, "V600E", L("V600E", "p.Val600Glu", "p.(Val600Glu)"),
           L("V600K", "V601E", "V600=", "V600fs", "V600*", "V600del", "A600E", "", "junk"))
MATCH_TEST(match_exact_hgvs_pattern, "p.Val600Glu", L("V600E", "ENSP00000288602.7:p.Val600Glu"),
           L("V600D", "p.Val600Gly"))
MATCH_TEST(match_exact_deletion, "E746_A750del", L("p.Glu746_Ala750del", "E746_A750del"),
           L("E746_T751del", "L747_A750del", "E746_A750delinsK", "E746_A750dup"))
MATCH_TEST(match_exact_insertion, "D770_N771insSVD", L("p.Asp770_Asn771insSerValAsp"),
           L("D770_N771insSVG", "D770_N771insSV", "N771_P772insSVD", "D770_N771delinsSVD"))
MATCH_TEST(match_exact_delins, "L747_P753delinsS", L("p.Leu747_Pro753delinsSer"),
           L("L747_P753delinsQ", "L747_P753del", "L747_T751delinsS"))
MATCH_TEST(match_exact_frameshift_any, "R97fs",
           L("R97fs", "R97Pfs*23", "p.Arg97fsTer?", "p.Arg97LeufsTer5"),
           L("R98fs", "K97fs", "R97P", "R97*", "R97del"))
MATCH_TEST(match_exact_frameshift_full, "R97Pfs*23", L("R97Pfs*23", "p.(Arg97ProfsTer23)"),
           L("R97Pfs*24", "R97Lfs*23", "R97fs", "R97Pfs*?"))
MATCH_TEST(match_exact_nonsense, "R213*", L("p.Arg213Ter", "R213*"), L("R213Q", "R213fs", "R214*"))
MATCH_TEST(match_exact_extension, "*757Lext*12", L("p.Ter757LeuextTer12"),
           L("p.Ter757LeuextTer?", "p.Ter757GlnextTer12"))
MATCH_TEST(match_exact_start_lost, "M1?", L("p.Met1?", "p.(Met1?)"), L("M1V", "p.?"))
MATCH_TEST(match_codon, "V600",
           L("V600E", "V600K", "p.Val600Glu", "V600_K601delinsE", "V600del", "V600dup",
             "V600_K601insQ"),
           L("V600=", "V600*", "V600fs", "V601E", "A600E", "K599_V600del", "p.?", "", "junk"))
MATCH_TEST(match_codon_three_letter_pattern, "p.Val600", L("V600E", "p.Val600Met"),
           L("p.Val600Ter", "p.Val600="))
MATCH_TEST(match_codon_bare_number, "600", L("V600E", "A600E", "A600_L602del"),
           L("A601E", "V600fs", "*600Lext*5"))
MATCH_TEST(match_codon_unknown_residue_agrees, "V600", L("X600E"), L("A600_V601del"))
MATCH_TEST(match_range, "E746_A750",
           L("E746_A750del", "L747_P753delinsS", "E749_A750insQ", "E746K", "K745_E746del",
             "A750_T751dup", "E746_L747insQ"),
           L("K745_E746insQ", "A750_T751insQ", "T751I", "L747fs", "L747*", "L747=", "K745E",
             "Q746_A750del", "E746_A750V"))
MATCH_TEST(match_range_bare_numbers, "746_750", L("Q746_A750del", "L747V"), L("T751I", "K745del"))

// VEP-built changes with unknown flanking residues match by position.
static void match_vep_insertion(void **state)
{
    (void)state;
    cm_protein_pattern exact, codon, range;
    cm_protein_change c;
    const char *why;
    assert_int_equal(cm_protein_pattern_parse("D770_N771insSVD", 15, &exact, &why), 0);
    assert_int_equal(cm_protein_pattern_parse("D770", 4, &codon, &why), 0);
    assert_int_equal(cm_protein_pattern_parse("A767_V774", 9, &range, &why), 0);
    assert_int_equal(from_vep("770-771", "-/SVD", &c), 0);
    assert_true(cm_protein_pattern_matches(&exact, &c));
    assert_true(cm_protein_pattern_matches(&codon, &c));
    assert_true(cm_protein_pattern_matches(&range, &c));
    assert_int_equal(from_vep("770-771", "-/SVG", &c), 0);
    assert_false(cm_protein_pattern_matches(&exact, &c));
}

static void match_null_arguments(void **state)
{
    (void)state;
    cm_protein_pattern pattern;
    cm_protein_change c;
    const char *why;
    assert_int_equal(cm_protein_pattern_parse("V600", 4, &pattern, &why), 0);
    assert_int_equal(parse("V600E", &c), 0);
    assert_false(cm_protein_pattern_matches(NULL, &c));
    assert_false(cm_protein_pattern_matches(&pattern, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_substitution_three_letter),
        cmocka_unit_test(parse_substitution_one_letter),
        cmocka_unit_test(parse_substitution_one_letter_with_p),
        cmocka_unit_test(parse_substitution_three_letter_without_p),
        cmocka_unit_test(parse_substitution_predicted),
        cmocka_unit_test(parse_substitution_ensembl_prefix),
        cmocka_unit_test(parse_substitution_refseq_prefix_predicted),
        cmocka_unit_test(parse_substitution_kras_g12c),
        cmocka_unit_test(parse_substitution_selenocysteine),
        cmocka_unit_test(parse_substitution_pyrrolysine_one_letter),
        cmocka_unit_test(parse_substitution_unknown_alt_residue),
        cmocka_unit_test(parse_substitution_unknown_ref_residue),
        cmocka_unit_test(parse_substitution_mixed_spelling),
        cmocka_unit_test(parse_substitution_largest_codon),
        cmocka_unit_test(parse_synonymous),
        cmocka_unit_test(parse_synonymous_url_encoded),
        cmocka_unit_test(parse_synonymous_url_encoded_with_prefix),
        cmocka_unit_test(parse_synonymous_whole_protein),
        cmocka_unit_test(parse_synonymous_whole_protein_predicted),
        cmocka_unit_test(parse_synonymous_whole_protein_url_encoded),
        cmocka_unit_test(parse_synonymous_stop_retained),
        cmocka_unit_test(parse_synonymous_old_snpeff_spelling),
        cmocka_unit_test(parse_synonymous_stop_to_stop),
        cmocka_unit_test(parse_synonymous_range),
        cmocka_unit_test(parse_nonsense_ter),
        cmocka_unit_test(parse_nonsense_star),
        cmocka_unit_test(parse_nonsense_one_letter),
        cmocka_unit_test(parse_nonsense_predicted),
        cmocka_unit_test(parse_deletion_range),
        cmocka_unit_test(parse_deletion_single),
        cmocka_unit_test(parse_deletion_one_letter),
        cmocka_unit_test(parse_deletion_listing_residues),
        cmocka_unit_test(parse_deletion_listing_range_residues),
        cmocka_unit_test(parse_deletion_same_codon_twice),
        cmocka_unit_test(parse_insertion),
        cmocka_unit_test(parse_insertion_one_letter),
        cmocka_unit_test(parse_insertion_predicted),
        cmocka_unit_test(parse_delins_range),
        cmocka_unit_test(parse_delins_single),
        cmocka_unit_test(parse_delins_one_letter),
        cmocka_unit_test(parse_duplication_range),
        cmocka_unit_test(parse_duplication_single),
        cmocka_unit_test(parse_frameshift_vep),
        cmocka_unit_test(parse_frameshift_one_letter),
        cmocka_unit_test(parse_frameshift_short_snpeff),
        cmocka_unit_test(parse_frameshift_short_one_letter),
        cmocka_unit_test(parse_frameshift_unknown_stop),
        cmocka_unit_test(parse_frameshift_unknown_stop_star),
        cmocka_unit_test(parse_frameshift_old_x_stop),
        cmocka_unit_test(parse_frameshift_new_residue_no_stop),
        cmocka_unit_test(parse_frameshift_predicted),
        cmocka_unit_test(parse_extension_c_terminal),
        cmocka_unit_test(parse_extension_c_terminal_one_letter),
        cmocka_unit_test(parse_extension_unknown_stop),
        cmocka_unit_test(parse_extension_snpeff_mixed),
        cmocka_unit_test(parse_extension_n_terminal),
        cmocka_unit_test(parse_extension_n_terminal_one_upstream),
        cmocka_unit_test(parse_extension_n_terminal_new_residue),
        cmocka_unit_test(parse_extension_from_stop_substitution),
        cmocka_unit_test(parse_start_lost),
        cmocka_unit_test(parse_start_lost_predicted),
        cmocka_unit_test(parse_unknown),
        cmocka_unit_test(parse_unknown_predicted),
        cmocka_unit_test(parse_no_protein),
        cmocka_unit_test(parse_no_protein_uncertain),
        cmocka_unit_test(reject_p_alone),
        cmocka_unit_test(reject_codon_without_change),
        cmocka_unit_test(reject_end_before_start),
        cmocka_unit_test(reject_codon_zero),
        cmocka_unit_test(reject_codon_overflow),
        cmocka_unit_test(reject_codon_far_overflow),
        cmocka_unit_test(reject_unknown_ref_amino_acid),
        cmocka_unit_test(reject_unknown_alt_amino_acid),
        cmocka_unit_test(reject_ambiguity_code),
        cmocka_unit_test(reject_trailing_junk),
        cmocka_unit_test(reject_trailing_space),
        cmocka_unit_test(reject_trailing_semicolon),
        cmocka_unit_test(reject_unbalanced_parenthesis),
        cmocka_unit_test(reject_stray_parenthesis),
        cmocka_unit_test(reject_empty_parentheses),
        cmocka_unit_test(reject_insertion_single_codon),
        cmocka_unit_test(reject_insertion_not_adjacent),
        cmocka_unit_test(reject_insertion_without_residues),
        cmocka_unit_test(reject_delins_without_residues),
        cmocka_unit_test(reject_question_mark_not_at_start),
        cmocka_unit_test(reject_frameshift_stop_without_count),
        cmocka_unit_test(reject_frameshift_stop_zero),
        cmocka_unit_test(reject_frameshift_range),
        cmocka_unit_test(reject_extension_not_from_stop),
        cmocka_unit_test(reject_n_terminal_extension_not_codon_one),
        cmocka_unit_test(reject_lowercase_one_letter),
        cmocka_unit_test(reject_coding_dna),
        cmocka_unit_test(reject_allele_brackets),
        cmocka_unit_test(reject_deleted_residues_mismatch),
        cmocka_unit_test(reject_deleted_residue_count_mismatch),
        cmocka_unit_test(reject_prefix_only),
        cmocka_unit_test(reject_same_codon_two_residues),
        cmocka_unit_test(reject_vcf_missing_dot),
        cmocka_unit_test(reject_negative_codon),
        cmocka_unit_test(parse_empty_is_none),
        cmocka_unit_test(parse_null_arguments),
        cmocka_unit_test(parse_slice_ignores_trailing_bytes),
        cmocka_unit_test(parse_every_prefix_is_safe),
        cmocka_unit_test(parse_random_bytes_is_safe),
        cmocka_unit_test(parse_long_insertion_is_truncated),
        cmocka_unit_test(parse_long_three_letter_delins_is_truncated),
        cmocka_unit_test(parse_insertion_of_exactly_max_residues_is_whole),
        cmocka_unit_test(vep_substitution),
        cmocka_unit_test(vep_synonymous),
        cmocka_unit_test(vep_synonymous_stop),
        cmocka_unit_test(vep_nonsense),
        cmocka_unit_test(vep_deletion),
        cmocka_unit_test(vep_deletion_trimmed),
        cmocka_unit_test(vep_deletion_common_suffix),
        cmocka_unit_test(vep_delins_common_prefix_and_suffix),
        cmocka_unit_test(vep_insertion_common_suffix),
        cmocka_unit_test(vep_deletion_repeat_is_3_prime),
        cmocka_unit_test(vep_insertion_between_codons),
        cmocka_unit_test(vep_insertion_inside_codon),
        cmocka_unit_test(vep_frameshift),
        cmocka_unit_test(vep_frameshift_two_residues),
        cmocka_unit_test(vep_frameshift_with_new_residue),
        cmocka_unit_test(vep_delins),
        cmocka_unit_test(vep_delins_trimmed),
        cmocka_unit_test(vep_mnv_substitution_trimmed),
        cmocka_unit_test(vep_stop_gained_in_delins),
        cmocka_unit_test(vep_stop_lost),
        cmocka_unit_test(vep_start_lost),
        cmocka_unit_test(vep_reject_dash_position),
        cmocka_unit_test(vep_reject_empty_position),
        cmocka_unit_test(vep_reject_partial_position),
        cmocka_unit_test(vep_reject_partial_end),
        cmocka_unit_test(vep_reject_empty_amino_acids),
        cmocka_unit_test(vep_reject_empty_alt),
        cmocka_unit_test(vep_reject_lowercase),
        cmocka_unit_test(vep_reject_codon_zero),
        cmocka_unit_test(vep_reject_length_mismatch),
        cmocka_unit_test(vep_reject_insertion_without_flanks),
        cmocka_unit_test(vep_reject_two_slashes),
        cmocka_unit_test(vep_reject_overflow),
        cmocka_unit_test(vep_fields_are_slices),
        cmocka_unit_test(vep_long_insertion_is_truncated),
        cmocka_unit_test(format_appends_and_skips_none),
        cmocka_unit_test(amino_acid_tables),
        cmocka_unit_test(pattern_exact_one_letter),
        cmocka_unit_test(pattern_exact_hgvs),
        cmocka_unit_test(pattern_exact_deletion),
        cmocka_unit_test(pattern_exact_frameshift),
        cmocka_unit_test(pattern_exact_kras),
        cmocka_unit_test(pattern_codon_one_letter),
        cmocka_unit_test(pattern_codon_with_p),
        cmocka_unit_test(pattern_codon_three_letter),
        cmocka_unit_test(pattern_codon_three_letter_with_p),
        cmocka_unit_test(pattern_codon_bare_number),
        cmocka_unit_test(pattern_range_one_letter),
        cmocka_unit_test(pattern_range_three_letter),
        cmocka_unit_test(pattern_range_with_p),
        cmocka_unit_test(pattern_range_bare_numbers),
        cmocka_unit_test(pattern_error_empty),
        cmocka_unit_test(pattern_error_unknown_codon_residue),
        cmocka_unit_test(pattern_error_unknown_three_letter),
        cmocka_unit_test(pattern_error_unknown_alt),
        cmocka_unit_test(pattern_error_unknown_inserted),
        cmocka_unit_test(pattern_error_codon_zero),
        cmocka_unit_test(pattern_error_bare_zero),
        cmocka_unit_test(pattern_error_codon_overflow),
        cmocka_unit_test(pattern_error_change_codon_zero),
        cmocka_unit_test(pattern_error_range_reversed),
        cmocka_unit_test(pattern_error_change_reversed),
        cmocka_unit_test(pattern_error_word),
        cmocka_unit_test(pattern_error_list_in_string),
        cmocka_unit_test(pattern_error_no_codon),
        cmocka_unit_test(pattern_error_prefix),
        cmocka_unit_test(pattern_error_x_is_not_a_wildcard),
        cmocka_unit_test(pattern_error_x_is_not_a_stop),
        cmocka_unit_test(pattern_error_insertion_flanks),
        cmocka_unit_test(pattern_parse_null_arguments),
        cmocka_unit_test(match_exact_substitution),
        cmocka_unit_test(match_exact_hgvs_pattern),
        cmocka_unit_test(match_exact_deletion),
        cmocka_unit_test(match_exact_insertion),
        cmocka_unit_test(match_exact_delins),
        cmocka_unit_test(match_exact_frameshift_any),
        cmocka_unit_test(match_exact_frameshift_full),
        cmocka_unit_test(match_exact_nonsense),
        cmocka_unit_test(match_exact_extension),
        cmocka_unit_test(match_exact_start_lost),
        cmocka_unit_test(match_codon),
        cmocka_unit_test(match_codon_three_letter_pattern),
        cmocka_unit_test(match_codon_bare_number),
        cmocka_unit_test(match_codon_unknown_residue_agrees),
        cmocka_unit_test(match_range),
        cmocka_unit_test(match_range_bare_numbers),
        cmocka_unit_test(match_vep_insertion),
        cmocka_unit_test(match_null_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
