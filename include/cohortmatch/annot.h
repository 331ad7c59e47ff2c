/*
 * Annotation parsers: turn one record's INFO annotation (VEP CSQ today;
 * SnpEff ANN and bcftools BCSQ later, beside it) into alterations that carry
 * the annotation half of the record: allele, gene, transcript, consequence,
 * HGVS, exon/intron, transcript flags and the preferred-transcript mark.
 *
 * The parser knows nothing of htslib records or samples: it is given the
 * header's description of the tag once, then per record the INFO text and
 * the record's alleles. It tokenises the INFO text in place (the text is
 * modified: fields are URL-decoded where VEP escaped them) and never
 * allocates per record; the alterations it returns borrow from that text.
 */
#ifndef COHORTMATCH_ANNOT_H
#define COHORTMATCH_ANNOT_H

#include <stddef.h>
#include <stdint.h>

#include "cohortmatch/alteration.h"
#include "cohortmatch/error.h"

/// Which program wrote an INFO annotation.
typedef enum cm_annotation_kind {
    CM_ANNOTATION_NONE = 0,
    CM_ANNOTATION_VEP,    // Ensembl VEP: Description "... Format: Allele|Consequence|..."
    CM_ANNOTATION_SNPEFF, // SnpEff: Description "Functional annotations: 'Allele | ...'"
    CM_ANNOTATION_BCSQ,   // bcftools csq: Description "... BCFtools/csq ... Format: ..."
    CM_ANNOTATION_PAVE    // Hartwig PAVE: INFO/IMPACT "Variant Impact [Gene, Transcript, ...]"
} cm_annotation_kind;

/// Tells which program wrote an INFO field from its ID and its Description (quotes optional).
/// Returns CM_ANNOTATION_NONE for a field that is not an annotation.
cm_annotation_kind cm_annotation_detect(const char *tag, const char *description);

/// Name of an annotation program ("VEP", "SnpEff", "bcftools csq", "PAVE"); static storage.
const char *cm_annotation_kind_name(cm_annotation_kind kind);

/// Parses the --annotation word: "csq" (VEP), "ann" (SnpEff), "bcsq" (bcftools csq),
/// "pave" (Hartwig PAVE's IMPACT).
/// Returns 0 and sets *kind, or -1.
int cm_annotation_kind_parse(const char *text, cm_annotation_kind *kind);

/// Returns 1 if this build can parse annotations of that kind.
int cm_annotation_is_supported(cm_annotation_kind kind);

/// Per-record counts the parser adds to (the reader sums them into its statistics).
typedef struct cm_annotation_counts {
    uint64_t allele_unmatched; // entries whose Allele / ALLELE_NUM names no ALT of the record
    uint64_t unknown_terms;    // consequence terms outside the SO vocabulary (kept as "other")
    uint64_t references;       // entries that only point elsewhere and carry no consequence of
                               // their own: bcftools csq '@POS' (the compound consequence is on
                               // the record at POS) and '*' (downstream of a stop or frameshift),
                               // SnpEff -cancer 'ALT-REF' comparisons
} cm_annotation_counts;

typedef struct cm_annotation_parser cm_annotation_parser;

/// The position of entry i of the last parse among the comma-separated entries of the INFO
/// text (0-based; bcftools csq's FORMAT/BCSQ bitmask indexes them), or -1 when out of range.
int cm_annotation_entry_ordinal(const cm_annotation_parser *parser, size_t i);

/// Creates a parser for INFO/tag written by kind, whose header Description is description.
/// Errors (unsupported kind, a Format without Allele, Consequence or SYMBOL) are filled
/// into err with file set to `file`. Returns NULL on error; free with
/// cm_annotation_parser_free().
cm_annotation_parser *cm_annotation_parser_new(cm_annotation_kind kind, const char *tag,
                                               const char *description, const char *file,
                                               cm_error *err);

/// Frees a parser; accepts NULL.
void cm_annotation_parser_free(cm_annotation_parser *parser);

/// The INFO tag the parser reads (borrowed).
const char *cm_annotation_parser_tag(const cm_annotation_parser *parser);

/// The annotation program the parser reads.
cm_annotation_kind cm_annotation_parser_kind(const cm_annotation_parser *parser);

/// Tells the parser which VEP release wrote the file (the header's ##VEP="vNNN" line; 0 when
/// unknown). From 112 on, VEP annotates each breakend of a record separately: features at the
/// record's own position under "N." / ".N", features at the mate under the ALT string.
void cm_annotation_parser_set_release(cm_annotation_parser *parser, int release);

/// Number of fields the header declares.
int cm_annotation_parser_n_fields(const cm_annotation_parser *parser);

/// Name of field i as the header declares it (borrowed), or NULL when out of range.
const char *cm_annotation_parser_field_name(const cm_annotation_parser *parser, int i);

/// Position of a named field in the header's format (0-based), or -1 when absent.
int cm_annotation_parser_field_index(const cm_annotation_parser *parser, const char *name);

/// Parses a whole non-negative decimal number of len bytes (at most 9 digits); returns it,
/// or -1.
long cm_annotation_parse_count(const char *text, int len);

/// The ALTs (alleles[1..n_alleles-1]; alleles[0] is REF) as VEP writes them in its Allele
/// field, following VEP's Parser::VCF: when any ALT changes the length (an indel), and REF and
/// every ALT but '*' share their first base, that base is dropped from each ALT but '*' ("-"
/// when nothing is left). forms[i] points into alleles[i] (or a constant "-").
void cm_annotation_vep_allele_forms(cm_slice *forms, char *const *alleles, int n_alleles);

/// Parses one record's annotation text (len bytes, modified in place). alleles holds REF
/// then the ALTs (n_alleles in all, as htslib's bcf1_t d.allele); is_skipped, when not
/// NULL, flags ALTs the caller will not report (symbolic, '*'), so that their entries are
/// dropped without being counted as unmatched. On success sets *entries to one alteration
/// per entry that maps to an ALT (annotation fields, allele, is_preferred set; genome and
/// sample fields left as cm_alteration_init() sets them), borrowed from text and the
/// parser until the next call, and returns 0. Returns -1 with err->message set (no
/// file/line: the caller knows them) when the text is malformed.
int cm_annotation_parse(cm_annotation_parser *parser, char *text, size_t len, char *const *alleles,
                        int n_alleles, const uint8_t *is_skipped, const cm_alteration **entries,
                        size_t *n_entries, cm_annotation_counts *counts, cm_error *err);

#endif
