/*
 * What the annotation parsers (csq.c today; ann.c and bcsq.c later) share
 * behind include/cohortmatch/annot.h: the parser object, its reused output
 * buffers, the header field list and the preferred-transcript marking. Only
 * src/annot/ includes this.
 */
#ifndef COHORTMATCH_ANNOT_INTERNAL_H
#define COHORTMATCH_ANNOT_INTERNAL_H

#include "cohortmatch/annot.h"

typedef struct cm_preferred_index cm_preferred_index;

struct cm_annotation_parser {
    cm_annotation_kind kind;
    char *tag;
    // The header's field list: names point into field_text.
    char *field_text;
    char **field_names;
    int n_fields;
    // Parser-specific state (csq_format for VEP).
    void *impl;
    // Per-record output, grown and reused: entries[i] and group_keys[i] go together.
    cm_alteration *entries;
    cm_slice *group_keys;
    int *ordinals; // position of each entry among the INFO text's entries
    size_t n_entries, capacity;
    // Per-record token buffers, grown and reused.
    cm_slice *fields;      // one entry's fields, n_fields long
    cm_slice *vep_alleles; // the ALTs as the annotator writes them
    int alleles_capacity;
    cm_preferred_index *preferred;
    int release; // the annotator's release when the header says (VEP: ##VEP="v112"), else 0
};

/// Splits a header format list on '|' (trimming spaces and quotes) into parser->field_names.
/// Returns 0, or -1 when out of memory.
int cm_annotation_split_fields(cm_annotation_parser *parser, const char *list, size_t len);

/// Appends one empty alteration to parser->entries (initialised) and returns it, with its
/// group key in *key; NULL when out of memory.
cm_alteration *cm_annotation_push_entry(cm_annotation_parser *parser, cm_slice **key);

/// Makes room for n alleles in parser->vep_alleles. Returns 0, or -1 when out of memory.
int cm_annotation_reserve_alleles(cm_annotation_parser *parser, int n);

/// Marks is_preferred on the parser's entries: per ALT allele x group key (gene symbol, else
/// gene id; an empty key makes the entry a group of its own), the MANE Select entries if any,
/// else the canonical ones, else the picked ones, else all. Returns 0, or -1 when out of memory.
int cm_annotation_mark_preferred(cm_annotation_parser *parser);

/// Decodes %XX escapes in place (VEP writes '=' as %3D, ';' as %3B, ',' as %2C); returns the
/// new length.
int cm_annotation_url_decode(char *text, int len);

// VEP CSQ (csq.c).
int cm_csq_init(cm_annotation_parser *parser, const char *file, cm_error *err);
void cm_csq_free(cm_annotation_parser *parser);
int cm_csq_parse(cm_annotation_parser *parser, char *text, size_t len, char *const *alleles,
                 int n_alleles, const uint8_t *is_skipped, cm_annotation_counts *counts,
                 cm_error *err);

// SnpEff ANN (ann.c).
int cm_ann_init(cm_annotation_parser *parser, const char *file, cm_error *err);
void cm_ann_free(cm_annotation_parser *parser);
int cm_ann_parse(cm_annotation_parser *parser, char *text, size_t len, char *const *alleles,
                 int n_alleles, const uint8_t *is_skipped, cm_annotation_counts *counts,
                 cm_error *err);

// bcftools csq BCSQ (bcsq.c).
int cm_bcsq_init(cm_annotation_parser *parser, const char *file, cm_error *err);
void cm_bcsq_free(cm_annotation_parser *parser);
int cm_bcsq_parse(cm_annotation_parser *parser, char *text, size_t len, char *const *alleles,
                  int n_alleles, const uint8_t *is_skipped, cm_annotation_counts *counts,
                  cm_error *err);

// Hartwig PAVE IMPACT (pave.c): no state of its own.
int cm_pave_init(cm_annotation_parser *parser, const char *file, cm_error *err);
int cm_pave_parse(cm_annotation_parser *parser, char *text, size_t len, char *const *alleles,
                  int n_alleles, const uint8_t *is_skipped, cm_annotation_counts *counts,
                  cm_error *err);

// Shared tokenising helpers (annot.c).
/// Splits one entry (len bytes) on '|' into parser->fields; returns the number of fields found.
int cm_annotation_split_entry(cm_annotation_parser *parser, char *entry, int len);

/// The ','-separated entries of an annotation value, in order (number counts them from 1).
typedef struct cm_annotation_entries {
    char *next, *end;
    int number;
} cm_annotation_entries;

/// Starts at text[0, len).
void cm_annotation_entries_init(cm_annotation_entries *entries, char *text, size_t len);

/// Sets *entry and *len to the next entry; returns 0 after the last.
int cm_annotation_entries_next(cm_annotation_entries *entries, char **entry, int *len);

/// Splits entry number `number` into parser->fields. Returns its field count, 0 for an empty
/// entry (".", or a trailing comma: nothing to read), or -1 with err set when it has more
/// fields than the header declares, or fewer and exact is set.
int cm_annotation_read_entry(cm_annotation_parser *parser, char *entry, int len, int number,
                             int exact, cm_error *err);

/// Returns 1 when every ALT allele (index 1 ..) is marked skipped (is_skipped may be NULL).
int cm_annotation_every_alt_skipped(const uint8_t *is_skipped, int n_alleles);
/// Field index of parser->fields, or an empty slice when index < 0.
cm_slice cm_annotation_field(const cm_annotation_parser *parser, int index);
/// "3/11" (or "3-4/11": the first is kept) into number and count; 0/0 when absent or malformed.
void cm_annotation_parse_rank(cm_slice slice, int *number, int *count);

#endif
