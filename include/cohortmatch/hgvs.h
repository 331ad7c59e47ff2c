/*
 * HGVS protein changes (p. notation) and the protein patterns rules use.
 *
 * Parses what VEP, SnpEff and bcftools csq write (3-letter or 1-letter,
 * with or without "p.", parentheses, a transcript/protein prefix, "%3D")
 * into a small value type. Never allocates; never fails hard: text it
 * cannot read comes back as CM_PROTEIN_UNPARSED with the input kept by the
 * caller. No other module parses protein text.
 */
#ifndef COHORTMATCH_HGVS_H
#define COHORTMATCH_HGVS_H

#include <stddef.h>
#include <stdint.h>

#include <htslib/kstring.h>

/// Longest run of residues kept for insertions/delins (longer ones are truncated, flagged).
#define CM_PROTEIN_MAX_RESIDUES 32

typedef enum cm_protein_kind {
    CM_PROTEIN_NONE = 0,     // no protein change given (empty field)
    CM_PROTEIN_SUBSTITUTION, // V600E (alt is one residue, not '*')
    CM_PROTEIN_NONSENSE,     // R213* / Arg213Ter (substitution to a stop)
    CM_PROTEIN_SYNONYMOUS,   // V600= / Val600%3D / p.=
    CM_PROTEIN_DELETION,     // E746_A750del, G12del
    CM_PROTEIN_INSERTION,    // D770_N771insSVD
    CM_PROTEIN_DELINS,       // L747_P753delinsS
    CM_PROTEIN_DUPLICATION,  // A767_V769dup
    CM_PROTEIN_FRAMESHIFT,   // R97fs, R97Pfs*23, Arg97ProfsTer23
    CM_PROTEIN_EXTENSION,    // *757Lext*?, Ter757LeuextTer12, M1ext-5
    CM_PROTEIN_START_LOST,   // M1? / p.Met1?
    CM_PROTEIN_UNKNOWN,      // p.? / p.(?) : effect unknown
    CM_PROTEIN_UNPARSED      // text that is not HGVS p. notation we know
} cm_protein_kind;

/// One parsed protein change. Residues are 1-letter codes, '*' for a stop.
typedef struct cm_protein_change {
    cm_protein_kind kind;
    int32_t start;                         // first codon affected (1-based), 0 when none
    int32_t end;                           // last codon affected; == start for single-codon changes
    char start_residue;                    // reference residue at start ('\0' when not written)
    char end_residue;                      // reference residue at end ('\0' when not written)
    char alt[CM_PROTEIN_MAX_RESIDUES + 1]; // alternate residues, NUL-terminated
                                           // (substitution: 1; ins/delins: inserted;
                                           // frameshift: first new residue or "")
    int32_t new_stop;                      // fs*N / ext*N: N; 0 when not written; -1 for "*?"
    uint8_t is_predicted;                  // written in parentheses: p.(Val600Glu)
    uint8_t is_truncated;                  // alt held more than CM_PROTEIN_MAX_RESIDUES residues
} cm_protein_change;

/// Parses len bytes of protein text. Returns 0 on success, or -1 (out->kind ==
/// CM_PROTEIN_UNPARSED) when the text is not HGVS p. notation; an empty text gives
/// CM_PROTEIN_NONE and 0. Accepts a "prefix:" (ENSP00000288602.7:p.Val600Glu) and "%3D".
int cm_protein_change_parse(const char *text, size_t len, cm_protein_change *out);

/// Rebuilds a change from VEP's Protein_position ("600", "746-750") and Amino_acids
/// ("V/E", "ELREA/-", "-/SVD", "R/*", "V") fields, for VEP runs without --hgvs.
/// Returns 0 on success, -1 when the fields do not describe a change (out UNPARSED).
int cm_protein_change_from_vep(const char *position, size_t position_len, const char *amino_acids,
                               size_t amino_acids_len, cm_protein_change *out);

/// Reads bcftools csq's amino_acid_change ("600V>600E", "60S" when synonymous, "210S>210*",
/// "745KELREA>745K", "770DN>770DNSVD", "226VGLHFWTM*>226VDSTFGQC"; a trailing ".." marks a
/// shortened peptide). is_frameshift (the entry's consequence says frameshift) makes the first
/// differing residue the frameshift's start. Returns 0, or -1 (out UNPARSED) when the text is
/// not of that form.
int cm_protein_change_from_bcsq(const char *text, size_t len, int is_frameshift,
                                cm_protein_change *out);

/// Appends the short 1-letter form without "p." (V600E, E746_A750del, R97Pfs*23, V600=).
void cm_protein_change_format_short(const cm_protein_change *change, kstring_t *out);

/// Appends the HGVS 3-letter form with "p." (p.Val600Glu, p.Glu746_Ala750del).
void cm_protein_change_format_hgvs(const cm_protein_change *change, kstring_t *out);

/// Returns the 1-letter code for a 3-letter amino acid ("Val" -> 'V', "Ter" -> '*'),
/// or '\0' if unknown.
char cm_amino_acid_one_letter(const char *three);

/// Returns the 3-letter code for a 1-letter one ('V' -> "Val", '*' -> "Ter"), or NULL.
const char *cm_amino_acid_three_letter(char one);

/// How a rule's protein pattern matches.
typedef enum cm_protein_pattern_kind {
    CM_PATTERN_EXACT, // V600E, p.Val600Glu, E746_A750del: this change exactly
    CM_PATTERN_CODON, // V600: any change starting at codon 600 whose reference residue is V
    CM_PATTERN_RANGE  // E746_A750: any change overlapping codons 746..750
} cm_protein_pattern_kind;

typedef struct cm_protein_pattern {
    cm_protein_pattern_kind kind;
    cm_protein_change change; // EXACT: the change; CODON/RANGE: start/end and residues
} cm_protein_pattern;

/// Parses a rule's protein pattern. Returns 0, or -1 with a reason in why (static text).
int cm_protein_pattern_parse(const char *text, size_t len, cm_protein_pattern *out,
                             const char **why);

/// Returns 1 if the change satisfies the pattern (semantics in docs/rules.md), else 0.
int cm_protein_pattern_matches(const cm_protein_pattern *pattern, const cm_protein_change *change);

/// Appends the pattern as a rule would write it (V600, E746_A750, V600E).
void cm_protein_pattern_format(const cm_protein_pattern *pattern, kstring_t *out);

#endif
