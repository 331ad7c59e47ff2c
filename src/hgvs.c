/*
 * HGVS protein changes: the parser for p. text as VEP and SnpEff write it,
 * the rebuild from VEP's Protein_position/Amino_acids pair, the two printed
 * forms, and the protein patterns of the rule language.
 *
 * The input text is a slice (pointer + length) into a VCF INFO field, never
 * NUL-terminated: every read is bounded by the slice end, and nothing here
 * allocates except the kstring appends of the formatters. A parse either
 * fills the whole struct or leaves it zeroed with kind CM_PROTEIN_UNPARSED;
 * no caller ever sees half a change.
 *
 * Normalisation done at parse time, so that matching compares like with
 * like: a substitution to the same residue (SnpEff's old "p.Leu54Leu") is
 * SYNONYMOUS; a substitution of the stop codon by a residue ("p.Ter757Leu")
 * is an EXTENSION with its new stop unknown; a written range whose two ends
 * are the same codon is a single-codon change.
 */
#include "cohortmatch/hgvs.h"

#include <string.h>

typedef struct amino_acid {
    char one;
    char three[4];
} amino_acid;

// The 20 standard residues, selenocysteine, pyrrolysine, the unknown residue Xaa
// and the stop. Ambiguity codes (Asx/B, Glx/Z) are not accepted: no annotator
// writes them into a p. change.
static const amino_acid amino_acid_table[] = {
    {'A', "Ala"}, {'R', "Arg"}, {'N', "Asn"}, {'D', "Asp"}, {'C', "Cys"}, {'Q', "Gln"},
    {'E', "Glu"}, {'G', "Gly"}, {'H', "His"}, {'I', "Ile"}, {'L', "Leu"}, {'K', "Lys"},
    {'M', "Met"}, {'F', "Phe"}, {'P', "Pro"}, {'S', "Ser"}, {'T', "Thr"}, {'W', "Trp"},
    {'Y', "Tyr"}, {'V', "Val"}, {'U', "Sec"}, {'O', "Pyl"}, {'X', "Xaa"}, {'*', "Ter"},
};

#define N_AMINO_ACIDS (sizeof amino_acid_table / sizeof amino_acid_table[0])

// Reasons handed back to rule authors through cm_protein_pattern_parse().
static const char why_not_protein[] = "not a protein change or pattern";
static const char why_unknown_residue[] = "unknown amino acid";
static const char why_bad_codon[] = "codon must be a positive number";
static const char why_end_before_start[] = "end codon before start codon";
static const char why_insertion_flanks[] = "insertion needs two adjacent flanking codons";

char cm_amino_acid_one_letter(const char *three)
{
    if (three == NULL)
        return '\0';
    for (size_t i = 0; i < N_AMINO_ACIDS; i++) {
        const char *code = amino_acid_table[i].three;
        if (three[0] == code[0] && three[0] != '\0' && three[1] == code[1] && three[1] != '\0' &&
            three[2] == code[2])
            return amino_acid_table[i].one;
    }
    return '\0';
}

const char *cm_amino_acid_three_letter(char one)
{
    if (one == '\0')
        return NULL;
    for (size_t i = 0; i < N_AMINO_ACIDS; i++)
        if (amino_acid_table[i].one == one)
            return amino_acid_table[i].three;
    return NULL;
}

static int is_one_letter(char c)
{
    return c != '\0' && cm_amino_acid_three_letter(c) != NULL;
}

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}
static int is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}
static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * The parser: a cursor over [p, end) and the reason of the first failure.
 * The grammar is read left to right without backtracking, except that a
 * residue tries its 3-letter spelling before its 1-letter one. That order is
 * safe because no 1-letter code followed by a keyword (del, ins, dup, fs,
 * ext) spells a 3-letter code.
 */
typedef struct cursor {
    const char *p;
    const char *end;
    const char *why;
} cursor;

static size_t remaining(const cursor *c)
{
    return (size_t)(c->end - c->p);
}

static int at_end(const cursor *c)
{
    return c->p >= c->end;
}

static char peek(const cursor *c, size_t ahead)
{
    return remaining(c) > ahead ? c->p[ahead] : '\0';
}

static int fail(cursor *c, const char *why)
{
    if (c->why == NULL)
        c->why = why;
    return -1;
}

// Consumes the literal word if the text continues with it.
static int accept(cursor *c, const char *word)
{
    size_t n = strlen(word);
    if (remaining(c) < n || memcmp(c->p, word, n) != 0)
        return 0;
    c->p += n;
    return 1;
}

// "=" or its URL-encoded form "%3D", as VEP writes it into INFO.
static int accept_equals(cursor *c)
{
    if (accept(c, "="))
        return 1;
    if (remaining(c) >= 3 && c->p[0] == '%' && c->p[1] == '3' &&
        (c->p[2] == 'D' || c->p[2] == 'd')) {
        c->p += 3;
        return 1;
    }
    return 0;
}

// Reads one residue, 3-letter first, then 1-letter. Returns 0 and leaves the
// cursor alone when the text does not start with a residue.
static int read_residue(cursor *c, char *residue)
{
    if (remaining(c) >= 3 && is_upper(c->p[0]) && is_lower(c->p[1]) && is_lower(c->p[2])) {
        char one = cm_amino_acid_one_letter(c->p);
        if (one != '\0') {
            *residue = one;
            c->p += 3;
            return 1;
        }
    }
    if (!at_end(c) && is_one_letter(c->p[0])) {
        *residue = c->p[0];
        c->p += 1;
        return 1;
    }
    return 0;
}

// Text the grammar cannot place: an unknown amino acid when it starts like one
// (a capital that is no residue code), otherwise just not a protein change.
static int fail_here(cursor *c)
{
    char residue;
    cursor probe = *c;
    if (!at_end(c) && is_upper(c->p[0]) && !read_residue(&probe, &residue))
        return fail(c, why_unknown_residue);
    return fail(c, why_not_protein);
}

// A reference residue always precedes a codon number, so a letter after it
// ("Vxl600") means the word was an unknown amino acid, not a residue and a keyword.
static int read_reference_residue(cursor *c, char *residue)
{
    if (!read_residue(c, residue))
        return fail_here(c);
    if (is_lower(peek(c, 0)) || is_upper(peek(c, 0)))
        return fail(c, why_unknown_residue);
    return 0;
}

// Reads a run of digits into a positive int32. Zero, no digits and overflow fail.
static int read_count(cursor *c, int32_t *out, const char *why)
{
    int64_t value = 0;
    if (at_end(c) || !is_digit(c->p[0]))
        return fail(c, why);
    while (!at_end(c) && is_digit(c->p[0])) {
        value = value * 10 + (c->p[0] - '0');
        if (value > INT32_MAX)
            return fail(c, why);
        c->p++;
    }
    if (value == 0)
        return fail(c, why);
    *out = (int32_t)value;
    return 0;
}

static int read_codon(cursor *c, int32_t *out)
{
    return read_count(c, out, why_bad_codon);
}

// Appends residues to out->alt until no residue follows; keeps the first
// CM_PROTEIN_MAX_RESIDUES and flags the rest. Returns how many were read.
static size_t read_residues(cursor *c, cm_protein_change *out)
{
    size_t n = strlen(out->alt), count = 0;
    char residue;
    while (read_residue(c, &residue)) {
        if (n < CM_PROTEIN_MAX_RESIDUES)
            out->alt[n++] = residue;
        else
            out->is_truncated = 1;
        count++;
    }
    out->alt[n] = '\0';
    return count;
}

// After "del" or "dup", the affected residues may be listed again (older HGVS,
// "p.Gly12delGly"). They must agree with the codons named.
static int skip_listed_residues(cursor *c, const cm_protein_change *change)
{
    char first = '\0', last = '\0', residue;
    int64_t count = 0;
    while (read_residue(c, &residue)) {
        if (count == 0)
            first = residue;
        last = residue;
        count++;
    }
    if (count == 0)
        return 0;
    char end_residue = change->end > change->start ? change->end_residue : change->start_residue;
    if (count != (int64_t)change->end - change->start + 1 || first != change->start_residue ||
        last != end_residue)
        return fail(c, why_not_protein);
    return 0;
}

// The stop after fs/ext: "Ter23", "*23", "X23" (X is the stop in pre-2016
// HGVS), "Ter?" / "*?" (new_stop -1), or nothing (new_stop 0).
static int read_new_stop(cursor *c, int32_t *new_stop)
{
    char residue;
    *new_stop = 0;
    if (at_end(c))
        return 0;
    if (!read_residue(c, &residue) || (residue != '*' && residue != 'X'))
        return fail(c, why_not_protein);
    if (accept(c, "?")) {
        *new_stop = -1;
        return 0;
    }
    return read_count(c, new_stop, why_not_protein);
}

// "ext" tail: C-terminal "*N" / "*?" after a stop codon, N-terminal "-N" at codon 1.
static int read_extension(cursor *c, cm_protein_change *out)
{
    out->kind = CM_PROTEIN_EXTENSION;
    if (accept(c, "-")) {
        int32_t upstream;
        if (out->start != 1 || read_count(c, &upstream, why_not_protein) != 0)
            return fail(c, why_not_protein);
        out->new_stop = -upstream;
        return 0;
    }
    if (out->start_residue != '*')
        return fail(c, why_not_protein);
    return read_new_stop(c, &out->new_stop);
}

// What follows a single position "Val600" / "V600".
static int read_single_suffix(cursor *c, cm_protein_change *out)
{
    char residue;
    if (accept_equals(c)) {
        out->kind = CM_PROTEIN_SYNONYMOUS;
        return 0;
    }
    if (accept(c, "?")) {
        if (out->start != 1)
            return fail(c, why_not_protein);
        out->kind = CM_PROTEIN_START_LOST;
        return 0;
    }
    if (accept(c, "delins")) {
        out->kind = CM_PROTEIN_DELINS;
        return read_residues(c, out) > 0 ? 0 : fail_here(c);
    }
    if (accept(c, "del")) {
        out->kind = CM_PROTEIN_DELETION;
        return skip_listed_residues(c, out);
    }
    if (accept(c, "dup")) {
        out->kind = CM_PROTEIN_DUPLICATION;
        return skip_listed_residues(c, out);
    }
    if (accept(c, "ins"))
        return fail(c, why_insertion_flanks);
    if (accept(c, "fs")) {
        out->kind = CM_PROTEIN_FRAMESHIFT;
        return read_new_stop(c, &out->new_stop);
    }
    if (accept(c, "ext"))
        return read_extension(c, out);
    if (!read_residue(c, &residue))
        return fail_here(c);
    out->alt[0] = residue;
    out->alt[1] = '\0';
    if (accept(c, "fs")) {
        out->kind = CM_PROTEIN_FRAMESHIFT;
        return read_new_stop(c, &out->new_stop);
    }
    if (accept(c, "ext"))
        return read_extension(c, out);
    if (residue == out->start_residue) {
        out->kind = CM_PROTEIN_SYNONYMOUS;
        out->alt[0] = '\0';
    } else if (out->start_residue == '*') {
        out->kind = CM_PROTEIN_EXTENSION; // stop lost, new stop not given
    } else {
        out->kind = residue == '*' ? CM_PROTEIN_NONSENSE : CM_PROTEIN_SUBSTITUTION;
    }
    return 0;
}

// What follows a range "Glu746_Ala750" / "E746_A750".
static int read_range_suffix(cursor *c, cm_protein_change *out)
{
    if (accept_equals(c)) {
        out->kind = CM_PROTEIN_SYNONYMOUS;
        return 0;
    }
    if (accept(c, "delins")) {
        out->kind = CM_PROTEIN_DELINS;
        return read_residues(c, out) > 0 ? 0 : fail_here(c);
    }
    if (accept(c, "del")) {
        out->kind = CM_PROTEIN_DELETION;
        return skip_listed_residues(c, out);
    }
    if (accept(c, "dup")) {
        out->kind = CM_PROTEIN_DUPLICATION;
        return skip_listed_residues(c, out);
    }
    if (accept(c, "ins")) {
        out->kind = CM_PROTEIN_INSERTION;
        if (out->end - 1 != out->start)
            return fail(c, why_insertion_flanks);
        return read_residues(c, out) > 0 ? 0 : fail_here(c);
    }
    return fail_here(c);
}

// Reads "Res<n>" or "Res<n>_Res<m>" into start/end and their residues.
static int read_positions(cursor *c, cm_protein_change *out, int *is_range)
{
    if (read_reference_residue(c, &out->start_residue) != 0 || read_codon(c, &out->start) != 0)
        return -1;
    out->end = out->start;
    *is_range = 0;
    if (!accept(c, "_"))
        return 0;
    if (read_reference_residue(c, &out->end_residue) != 0 || read_codon(c, &out->end) != 0)
        return -1;
    if (out->end < out->start)
        return fail(c, why_end_before_start);
    if (out->end == out->start) {
        // "V600_V600del" says one codon twice; it must name one residue.
        if (out->end_residue != out->start_residue)
            return fail(c, why_not_protein);
        out->end_residue = '\0';
        return 0;
    }
    *is_range = 1;
    return 0;
}

// Parses the text after "p." and its parentheses.
static int parse_body(cursor *c, cm_protein_change *out)
{
    int is_range;
    if (at_end(c))
        return fail(c, why_not_protein);
    if (accept_equals(c)) {
        out->kind = CM_PROTEIN_SYNONYMOUS;
    } else if (accept(c, "?")) {
        out->kind = CM_PROTEIN_UNKNOWN;
    } else if (peek(c, 0) == '0' &&
               (remaining(c) == 1 || (remaining(c) == 2 && peek(c, 1) == '?'))) {
        c->p = c->end; // p.0 / p.0?: no protein is made; we keep no more than "unknown"
        out->kind = CM_PROTEIN_UNKNOWN;
    } else {
        if (read_positions(c, out, &is_range) != 0)
            return -1;
        if ((is_range ? read_range_suffix(c, out) : read_single_suffix(c, out)) != 0)
            return -1;
    }
    if (!at_end(c))
        return fail_here(c);
    return 0;
}

// The parser with the failure reason; cm_protein_change_parse() and the pattern
// parser share it.
static int parse_change(const char *text, size_t len, cm_protein_change *out, const char **why)
{
    memset(out, 0, sizeof *out);
    *why = NULL;
    if (len == 0) {
        out->kind = CM_PROTEIN_NONE;
        return 0;
    }
    if (text == NULL) {
        out->kind = CM_PROTEIN_UNPARSED;
        *why = why_not_protein;
        return -1;
    }
    cursor c = {text, text + len, NULL};
    // A transcript or protein prefix ends at the last ':'.
    for (const char *p = c.end; p > c.p; p--)
        if (p[-1] == ':') {
            c.p = p;
            break;
        }
    accept(&c, "p.");
    if (peek(&c, 0) == '(') {
        if (remaining(&c) < 2 || c.end[-1] != ')') {
            fail(&c, why_not_protein);
            goto failed;
        }
        c.p++;
        c.end--;
        out->is_predicted = 1;
    }
    if (parse_body(&c, out) == 0)
        return 0;
failed:
    memset(out, 0, sizeof *out);
    out->kind = CM_PROTEIN_UNPARSED;
    *why = c.why != NULL ? c.why : why_not_protein;
    return -1;
}

int cm_protein_change_parse(const char *text, size_t len, cm_protein_change *out)
{
    const char *why;
    if (out == NULL)
        return -1;
    return parse_change(text, len, out, &why);
}

/*
 * VEP without --hgvs writes the affected codons ("600", "746-750", "770-771"
 * around an insertion) and the reference/alternate peptides ("V/E",
 * "KELREA/K", "-/SVD", "V" when synonymous, X for the frameshifted tail).
 * The peptides may carry flanking residues that did not change; trimming the
 * common prefix, then the common suffix, leaves the change at its 3'-most
 * position, as HGVS wants it.
 */
static int read_vep_position(const char *text, size_t len, int32_t *start, int32_t *end,
                             int *is_range)
{
    cursor c = {text, text + len, NULL};
    if (read_codon(&c, start) != 0)
        return -1;
    *end = *start;
    *is_range = 0;
    if (at_end(&c))
        return 0;
    if (!accept(&c, "-") || read_codon(&c, end) != 0 || !at_end(&c) || *end < *start)
        return -1;
    *is_range = 1;
    return 0;
}

// One side of Amino_acids: "-" is empty, otherwise 1-letter residues only.
static int check_vep_peptide(const char *text, size_t len, size_t *out_len)
{
    if (len == 1 && text[0] == '-') {
        *out_len = 0;
        return 0;
    }
    if (len == 0)
        return -1;
    for (size_t i = 0; i < len; i++)
        if (!is_one_letter(text[i]))
            return -1;
    *out_len = len;
    return 0;
}

static void set_alt(cm_protein_change *out, const char *residues, size_t n)
{
    size_t kept = n < CM_PROTEIN_MAX_RESIDUES ? n : CM_PROTEIN_MAX_RESIDUES;
    memcpy(out->alt, residues, kept);
    out->alt[kept] = '\0';
    out->is_truncated = n > kept;
}

static int vep_change(int32_t start, int32_t end, int is_range, const char *ref, size_t ref_len,
                      const char *alt, size_t alt_len, cm_protein_change *out)
{
    // Codon of ref[i]; with no reference residues the change lies after codon start.
    int64_t base = ref_len > 0 ? start : (int64_t)start + 1;
    if (ref_len > 0 && is_range && (int64_t)end - start + 1 != (int64_t)ref_len)
        return -1;
    if (ref_len > 0 && !is_range) {
        if ((int64_t)start + (int64_t)ref_len - 1 > INT32_MAX)
            return -1;
        end = (int32_t)(start + (int64_t)ref_len - 1);
    }
    if (ref_len == 0 && (!is_range || end - 1 != start))
        return -1;

    if (alt == NULL) {
        if (ref_len == 0)
            return -1;
        out->kind = CM_PROTEIN_SYNONYMOUS;
        out->start = start;
        out->end = end;
        out->start_residue = ref[0];
        out->end_residue = end > start ? ref[ref_len - 1] : '\0';
        return 0;
    }

    size_t prefix = 0;
    while (prefix < ref_len && prefix < alt_len && ref[prefix] == alt[prefix])
        prefix++;

    // A stop ends translation: nothing after it is part of the change.
    for (size_t i = prefix; i < alt_len; i++)
        if (alt[i] == '*') {
            alt_len = i + 1;
            break;
        }

    if (memchr(alt, 'X', alt_len) != NULL || (prefix < alt_len && alt[prefix] == '*')) {
        // Frameshift (VEP marks the shifted tail with X) or a new stop.
        if (prefix >= alt_len || base + (int64_t)prefix > INT32_MAX)
            return -1;
        out->start = out->end = (int32_t)(base + (int64_t)prefix);
        out->start_residue = prefix < ref_len ? ref[prefix] : '\0';
        if (alt[prefix] == '*') {
            out->kind = CM_PROTEIN_NONSENSE;
            out->alt[0] = '*';
        } else {
            out->kind = CM_PROTEIN_FRAMESHIFT;
            if (alt[prefix] != 'X')
                out->alt[0] = alt[prefix];
        }
    } else {
        size_t suffix = 0;
        while (suffix < ref_len - prefix && suffix < alt_len - prefix &&
               ref[ref_len - 1 - suffix] == alt[alt_len - 1 - suffix])
            suffix++;
        const char *r = ref + prefix, *a = alt + prefix;
        size_t r_len = ref_len - prefix - suffix, a_len = alt_len - prefix - suffix;
        int64_t first = base + (int64_t)prefix;
        if (r_len == 0 && a_len == 0) {
            if (ref_len == 0)
                return -1;
            out->kind = CM_PROTEIN_SYNONYMOUS;
            out->start = start;
            out->end = end;
            out->start_residue = ref[0];
            out->end_residue = end > start ? ref[ref_len - 1] : '\0';
            return 0;
        }
        if (r_len == 0) {
            // Between codons first-1 and first.
            if (first - 1 < 1 || first > INT32_MAX)
                return -1;
            out->kind = CM_PROTEIN_INSERTION;
            out->start = (int32_t)(first - 1);
            out->end = (int32_t)first;
            out->start_residue = prefix >= 1 && prefix - 1 < ref_len ? ref[prefix - 1] : '\0';
            out->end_residue = prefix < ref_len ? ref[prefix] : '\0';
            set_alt(out, a, a_len);
            return 0;
        }
        if (first + (int64_t)r_len - 1 > INT32_MAX)
            return -1;
        out->start = (int32_t)first;
        out->end = (int32_t)(first + (int64_t)r_len - 1);
        out->start_residue = r[0];
        out->end_residue = r_len > 1 ? r[r_len - 1] : '\0';
        if (a_len == 0) {
            out->kind = CM_PROTEIN_DELETION;
        } else if (r_len == 1 && a_len == 1 && r[0] == '*') {
            out->kind = CM_PROTEIN_EXTENSION; // stop lost; VEP does not say where the new stop is
            out->alt[0] = a[0];
            out->new_stop = -1;
        } else if (r_len == 1 && a_len == 1) {
            out->kind = CM_PROTEIN_SUBSTITUTION;
            out->alt[0] = a[0];
        } else {
            out->kind = CM_PROTEIN_DELINS;
            set_alt(out, a, a_len);
        }
    }

    // Any change of the initiator Met is start lost, written p.Met1? by HGVS.
    if (out->start == 1 && out->start_residue == 'M') {
        out->kind = CM_PROTEIN_START_LOST;
        out->end = 1;
        out->end_residue = '\0';
        memset(out->alt, 0, sizeof out->alt);
        out->new_stop = 0;
        out->is_truncated = 0;
    }
    return 0;
}

int cm_protein_change_from_vep(const char *position, size_t position_len, const char *amino_acids,
                               size_t amino_acids_len, cm_protein_change *out)
{
    int32_t start, end;
    int is_range;
    size_t ref_len, ref_field, alt_len = 0;
    const char *alt = NULL, *slash;
    if (out == NULL)
        return -1;
    memset(out, 0, sizeof *out);
    if (position == NULL || amino_acids == NULL)
        goto failed;
    if (read_vep_position(position, position_len, &start, &end, &is_range) != 0)
        goto failed;
    slash = memchr(amino_acids, '/', amino_acids_len);
    ref_field = slash != NULL ? (size_t)(slash - amino_acids) : amino_acids_len;
    if (check_vep_peptide(amino_acids, ref_field, &ref_len) != 0)
        goto failed;
    if (slash != NULL) {
        alt = slash + 1;
        if (check_vep_peptide(alt, amino_acids_len - ref_field - 1, &alt_len) != 0)
            goto failed;
    }
    if (vep_change(start, end, is_range, amino_acids, ref_len, alt, alt_len, out) == 0)
        return 0;
failed:
    memset(out, 0, sizeof *out);
    out->kind = CM_PROTEIN_UNPARSED;
    return -1;
}

/*
 * bcftools csq writes "<codon><ref peptide>[><codon><alt peptide>]": the same content as
 * VEP's Protein_position + Amino_acids, with the position repeated on both sides, no '-'
 * for an empty side and no 'X' for a frameshifted tail (the consequence says frameshift).
 */
static int read_bcsq_side(const char *text, size_t len, int32_t *codon, const char **peptide,
                          size_t *peptide_len)
{
    size_t i = 0;
    int64_t value = 0;
    while (i < len && is_digit(text[i])) {
        value = value * 10 + (text[i] - '0');
        if (value > INT32_MAX)
            return -1;
        i++;
    }
    if (i == 0 || value < 1)
        return -1;
    *codon = (int32_t)value;
    *peptide = text + i;
    *peptide_len = len - i;
    while (*peptide_len > 0 && (*peptide)[*peptide_len - 1] == '.')
        (*peptide_len)--;
    for (size_t k = 0; k < *peptide_len; k++)
        if (!is_one_letter((*peptide)[k]))
            return -1;
    return 0;
}

int cm_protein_change_from_bcsq(const char *text, size_t len, int is_frameshift,
                                cm_protein_change *out)
{
    if (out == NULL)
        return -1;
    memset(out, 0, sizeof *out);
    if (text == NULL || len == 0)
        return 0;
    const char *arrow = memchr(text, '>', len);
    int32_t start, alt_start;
    const char *ref, *alt = NULL;
    size_t ref_len, alt_len = 0;
    if (read_bcsq_side(text, arrow ? (size_t)(arrow - text) : len, &start, &ref, &ref_len) != 0 ||
        ref_len == 0)
        goto failed;
    if (arrow) {
        if (read_bcsq_side(arrow + 1, len - (size_t)(arrow + 1 - text), &alt_start, &alt,
                           &alt_len) != 0 ||
            alt_start != start)
            goto failed;
    }
    if (alt && is_frameshift) {
        size_t prefix = 0;
        while (prefix < ref_len && prefix < alt_len && ref[prefix] == alt[prefix])
            prefix++;
        if (prefix >= ref_len || (int64_t)start + (int64_t)prefix > INT32_MAX)
            goto failed;
        out->kind = CM_PROTEIN_FRAMESHIFT;
        out->start = out->end = (int32_t)(start + (int32_t)prefix);
        out->start_residue = ref[prefix];
        if (prefix < alt_len && alt[prefix] != '*')
            out->alt[0] = alt[prefix];
        return 0;
    }
    if (alt && alt_len == 0) { // the whole reference peptide is gone
        out->kind = CM_PROTEIN_DELETION;
        out->start = start;
        out->end = (int32_t)(start + (int32_t)ref_len - 1);
        out->start_residue = ref[0];
        out->end_residue = ref_len > 1 ? ref[ref_len - 1] : '\0';
        return 0;
    }
    if (vep_change(start, start, 0, ref, ref_len, alt, alt_len, out) == 0)
        return 0;
failed:
    memset(out, 0, sizeof *out);
    out->kind = CM_PROTEIN_UNPARSED;
    return -1;
}

/*
 * Formatting. One writer serves both forms: the short one uses 1-letter
 * residues and '*', the HGVS one 3-letter residues and "Ter". A residue the
 * change does not know ('\0', e.g. the flanks of a VEP insertion) is left
 * out, which leaves "770_771insSVD": readable, though not HGVS.
 */
static void put_residue(char residue, int three, kstring_t *out)
{
    if (residue == '\0')
        return;
    if (three) {
        const char *code = cm_amino_acid_three_letter(residue);
        if (code != NULL) {
            kputs(code, out);
            return;
        }
    }
    kputc(residue, out);
}

static void put_position(char residue, int32_t codon, int three, kstring_t *out)
{
    put_residue(residue, three, out);
    kputw(codon, out);
}

static void put_stop_count(int32_t new_stop, int three, kstring_t *out)
{
    if (new_stop == 0)
        return;
    kputs(three ? "Ter" : "*", out);
    if (new_stop < 0)
        kputc('?', out);
    else
        kputw(new_stop, out);
}

static void put_residues(const char *residues, int three, kstring_t *out)
{
    for (size_t i = 0; i < CM_PROTEIN_MAX_RESIDUES && residues[i] != '\0'; i++)
        put_residue(residues[i], three, out);
}

static void format_body(const cm_protein_change *change, int three, kstring_t *out)
{
    int is_range = change->end > change->start;
    switch (change->kind) {
    case CM_PROTEIN_NONE:
    case CM_PROTEIN_UNPARSED:
        return;
    case CM_PROTEIN_UNKNOWN:
        kputc('?', out);
        return;
    default:
        break;
    }
    if (change->kind == CM_PROTEIN_SYNONYMOUS && change->start == 0) {
        kputc('=', out);
        return;
    }
    put_position(change->start_residue, change->start, three, out);
    switch (change->kind) {
    case CM_PROTEIN_SYNONYMOUS:
    case CM_PROTEIN_DELETION:
    case CM_PROTEIN_DELINS:
    case CM_PROTEIN_DUPLICATION:
    case CM_PROTEIN_INSERTION:
        if (is_range || change->kind == CM_PROTEIN_INSERTION) {
            kputc('_', out);
            put_position(change->end_residue, change->end, three, out);
        }
        break;
    default:
        break;
    }
    switch (change->kind) {
    case CM_PROTEIN_SUBSTITUTION:
    case CM_PROTEIN_NONSENSE:
        put_residues(change->alt, three, out);
        break;
    case CM_PROTEIN_SYNONYMOUS:
        kputc('=', out);
        break;
    case CM_PROTEIN_DELETION:
        kputs("del", out);
        break;
    case CM_PROTEIN_INSERTION:
        kputs("ins", out);
        put_residues(change->alt, three, out);
        break;
    case CM_PROTEIN_DELINS:
        kputs("delins", out);
        put_residues(change->alt, three, out);
        break;
    case CM_PROTEIN_DUPLICATION:
        kputs("dup", out);
        break;
    case CM_PROTEIN_FRAMESHIFT:
        put_residues(change->alt, three, out);
        kputs("fs", out);
        put_stop_count(change->new_stop, three, out);
        break;
    case CM_PROTEIN_EXTENSION:
        put_residues(change->alt, three, out);
        kputs("ext", out);
        if (change->start_residue != '*' && change->new_stop < 0) {
            kputw(change->new_stop, out); // N-terminal: "-5"
        } else {
            put_stop_count(change->new_stop, three, out);
        }
        break;
    case CM_PROTEIN_START_LOST:
        kputc('?', out);
        break;
    default:
        break;
    }
}

void cm_protein_change_format_short(const cm_protein_change *change, kstring_t *out)
{
    if (change == NULL || out == NULL)
        return;
    format_body(change, 0, out);
}

void cm_protein_change_format_hgvs(const cm_protein_change *change, kstring_t *out)
{
    if (change == NULL || out == NULL || change->kind == CM_PROTEIN_NONE ||
        change->kind == CM_PROTEIN_UNPARSED)
        return;
    kputs(change->is_predicted ? "p.(" : "p.", out);
    format_body(change, 1, out);
    if (change->is_predicted)
        kputc(')', out);
}

/*
 * Patterns. A codon or a range is read here ("V600", "600", "E746_A750",
 * each with or without "p." and in 1- or 3-letter code); everything else must
 * be a full change and becomes an EXACT pattern. A pattern never takes a
 * transcript prefix (the leaf's gene and transcript policy choose the
 * transcript), must name a codon (not "p.?" or "p.="), and may not use X as a
 * new residue ("G12X" is "any" to some authors and "stop" to others).
 * CODON and RANGE patterns keep kind CM_PROTEIN_NONE in their change.
 */
static int is_position_shaped(const char *p, const char *end)
{
    cursor c = {p, end, NULL};
    char residue;
    for (int side = 0; side < 2; side++) {
        read_residue(&c, &residue);
        if (at_end(&c) || !is_digit(c.p[0]))
            return 0;
        while (!at_end(&c) && is_digit(c.p[0]))
            c.p++;
        if (at_end(&c))
            return 1;
        if (side == 1 || !accept(&c, "_"))
            return 0;
    }
    return 0;
}

static int fail_pattern(cm_protein_pattern *out, const char **why, const char *reason)
{
    memset(out, 0, sizeof *out);
    out->kind = CM_PATTERN_EXACT;
    out->change.kind = CM_PROTEIN_UNPARSED;
    if (why != NULL)
        *why = reason;
    return -1;
}

int cm_protein_pattern_parse(const char *text, size_t len, cm_protein_pattern *out,
                             const char **why)
{
    const char *reason;
    if (why != NULL)
        *why = NULL;
    if (out == NULL)
        return -1;
    if (text == NULL || len == 0)
        return fail_pattern(out, why, "empty protein pattern");
    if (memchr(text, ':', len) != NULL)
        return fail_pattern(out, why, "a protein pattern takes no transcript prefix");

    cursor c = {text, text + len, NULL};
    accept(&c, "p.");
    if (is_position_shaped(c.p, c.end)) {
        memset(out, 0, sizeof *out);
        cm_protein_change *change = &out->change;
        change->kind = CM_PROTEIN_NONE;
        if (!is_digit(peek(&c, 0)))
            read_residue(&c, &change->start_residue);
        if (read_codon(&c, &change->start) != 0)
            return fail_pattern(out, why, c.why);
        change->end = change->start;
        out->kind = CM_PATTERN_CODON;
        if (!accept(&c, "_"))
            return 0;
        if (!is_digit(peek(&c, 0)))
            read_residue(&c, &change->end_residue);
        if (read_codon(&c, &change->end) != 0)
            return fail_pattern(out, why, c.why);
        if (change->end < change->start)
            return fail_pattern(out, why, why_end_before_start);
        if (change->end == change->start) {
            if (change->end_residue != '\0' && change->start_residue != '\0' &&
                change->end_residue != change->start_residue)
                return fail_pattern(out, why, "two residues given for one codon");
            if (change->start_residue == '\0')
                change->start_residue = change->end_residue;
            change->end_residue = '\0';
            return 0;
        }
        out->kind = CM_PATTERN_RANGE;
        return 0;
    }

    memset(out, 0, sizeof *out);
    out->kind = CM_PATTERN_EXACT;
    if (parse_change(text, len, &out->change, &reason) != 0)
        return fail_pattern(out, why, reason);
    if (out->change.start == 0)
        return fail_pattern(out, why, "a protein pattern must name a codon");
    // "G12X" reads as "any residue" to some authors and as "stop" (old HGVS) to
    // others; as an exact Xaa it would silently never match.
    if (out->change.kind == CM_PROTEIN_SUBSTITUTION && out->change.alt[0] == 'X')
        return fail_pattern(out, why,
                            "X as the new residue is ambiguous: write the codon alone (V600) "
                            "for any change, or * for a stop");
    return 0;
}

// A reference residue the change wrote for this codon, or '\0'.
static char residue_at(const cm_protein_change *change, int32_t codon)
{
    if (codon == change->start)
        return change->start_residue;
    if (codon == change->end)
        return change->end_residue;
    return '\0';
}

// Reference residues agree unless both are known and differ; X (Xaa) is unknown.
static int residues_agree(char a, char b)
{
    return a == '\0' || b == '\0' || a == 'X' || b == 'X' || a == b;
}

static int keeps_frame_and_alters(cm_protein_kind kind)
{
    return kind == CM_PROTEIN_SUBSTITUTION || kind == CM_PROTEIN_DELETION ||
           kind == CM_PROTEIN_INSERTION || kind == CM_PROTEIN_DELINS ||
           kind == CM_PROTEIN_DUPLICATION;
}

static int alts_equal(const cm_protein_change *a, const cm_protein_change *b)
{
    return strncmp(a->alt, b->alt, sizeof a->alt) == 0 && a->is_truncated == b->is_truncated;
}

/*
 * Matching semantics (docs/rules.md repeats them for rule authors).
 *
 * Reference residues are compared only when both sides wrote one for the
 * same codon; an unwritten residue or X (Xaa) agrees with anything. Whether a
 * change was predicted ("p.(...)") never matters.
 *
 * EXACT (V600E, p.Val600Glu, E746_A750del, R97fs): the same kind, the same
 * start and end codon, agreeing reference residues, and for substitutions,
 * stop gains, insertions and delins the same alternate residues. A
 * frameshift pattern names what it cares about: R97fs matches every
 * frameshift that starts at codon 97; R97Pfs*23 also needs the new residue P
 * and the new stop 23. Extensions likewise compare the new residue and the
 * new stop only when the pattern gives them. So V600E matches neither V600K,
 * V601E, V600= nor V600fs.
 *
 * CODON (V600, 600): the change starts at that codon, its reference residue
 * agrees, and it keeps the reading frame while altering the protein:
 * substitution, deletion, insertion (whose start is its left flank),
 * delins or duplication. Never synonymous, stop gained, frameshift,
 * extension, start lost or unknown: a truncating change at an activating
 * hotspot is not that hotspot, and rules that want truncation say so with a
 * consequence leaf.
 *
 * RANGE (E746_A750): the same kinds as CODON, whose codons [start, end]
 * overlap the range; an insertion sits between its two flanks, so both flanks
 * must lie inside the range. Reference residues are compared at the codons
 * where both name one.
 */
int cm_protein_pattern_matches(const cm_protein_pattern *pattern, const cm_protein_change *change)
{
    if (pattern == NULL || change == NULL)
        return 0;
    const cm_protein_change *want = &pattern->change;

    switch (pattern->kind) {
    case CM_PATTERN_EXACT:
        if (want->kind != change->kind || want->kind == CM_PROTEIN_UNPARSED ||
            want->kind == CM_PROTEIN_NONE || want->start != change->start ||
            want->end != change->end ||
            !residues_agree(want->start_residue, change->start_residue) ||
            !residues_agree(want->end_residue, change->end_residue))
            return 0;
        switch (want->kind) {
        case CM_PROTEIN_SUBSTITUTION:
        case CM_PROTEIN_NONSENSE:
        case CM_PROTEIN_INSERTION:
        case CM_PROTEIN_DELINS:
            return alts_equal(want, change);
        case CM_PROTEIN_FRAMESHIFT:
        case CM_PROTEIN_EXTENSION:
            if (want->alt[0] != '\0' && !alts_equal(want, change))
                return 0;
            return want->new_stop == 0 || want->new_stop == change->new_stop;
        default:
            return 1;
        }

    case CM_PATTERN_CODON:
        return keeps_frame_and_alters(change->kind) && change->start == want->start &&
               residues_agree(want->start_residue, change->start_residue);

    case CM_PATTERN_RANGE:
        if (!keeps_frame_and_alters(change->kind))
            return 0;
        if (change->kind == CM_PROTEIN_INSERTION) {
            if (change->start < want->start || change->end > want->end)
                return 0;
        } else if (change->start > want->end || change->end < want->start) {
            return 0;
        }
        return residues_agree(want->start_residue, residue_at(change, want->start)) &&
               residues_agree(want->end_residue, residue_at(change, want->end));
    }
    return 0;
}

void cm_protein_pattern_format(const cm_protein_pattern *pattern, kstring_t *out)
{
    if (pattern == NULL || out == NULL)
        return;
    const cm_protein_change *change = &pattern->change;
    switch (pattern->kind) {
    case CM_PATTERN_EXACT:
        format_body(change, 0, out);
        return;
    case CM_PATTERN_RANGE:
        put_position(change->start_residue, change->start, 0, out);
        kputc('_', out);
        put_position(change->end_residue, change->end, 0, out);
        return;
    case CM_PATTERN_CODON:
        put_position(change->start_residue, change->start, 0, out);
        return;
    }
}
