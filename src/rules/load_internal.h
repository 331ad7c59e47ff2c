/*
 * What the files of the YAML rule loader share and nothing else sees:
 *
 *   load.c           entry points (file, folder, string), the top-level walk, protocol, defaults
 *   load_document.c  composing the YAML document, diagnostics, "did you mean", key checks
 *   load_value.c     scalar readers, the list reader and the key-table reader
 *   load_leaf.c      expressions, leaves (the leaf key table), named alterations
 *   load_biomarker.c the `biomarker:` leaf key (named sample biomarkers)
 *   load_arm.c       arms, tumour types, evidence, cohorts
 *   load_test.c      the `tests:` block
 *
 * How to add a key: a mapping's keys are a table of cm_field rows (leaf_fields in
 * load_leaf.c, protocol_fields in load.c, arm_fields / cohort_fields in load_arm.c,
 * test_fields in load_test.c ...). Add a row with the key, how its value is read (a
 * cm_value_type) and where it goes (the CM_FIELD_* macros take the struct and member); the
 * row also makes the key allowed, so that a misspelling of it gets "did you mean". A
 * list-valued key reads a scalar or a list of scalars with a cm_item_kind (the shared ones
 * are declared below; a new element type is one read function). A key whose reading needs
 * more than its own value is a CM_VALUE_CUSTOM row with a read function. A leaf key also
 * needs its enum leaf_key entry and group flags (SAMPLE, SELECTS ...), which decide what a
 * leaf may mix. Then document it in docs/rules.md and give it tests
 * (tests/unit/test_rules.c, and bad-input cases for its errors).
 */
#ifndef COHORTMATCH_RULES_LOAD_INTERNAL_H
#define COHORTMATCH_RULES_LOAD_INTERNAL_H

#include <stddef.h>
#include <string.h>

#include <htslib/khash.h>
#include <yaml.h>

#include "internal.h"
#include "document.h"

#define CM_LOAD_MAX_FILE_SIZE ((size_t)16 << 20)
#define CM_LOAD_MAX_DEPTH 64
#define CM_LOAD_MAX_DIAGNOSTICS 200 // per file; the rest are counted, not listed
#define CM_LOAD_MAX_KEYS 32         // keys one mapping may allow

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

// Text -> index, for duplicate checks and name look-ups that must stay linear in the file.
KHASH_MAP_INIT_STR(cm_str_index, int)

typedef struct cm_loader {
    cm_ruleset *rules;
    cm_diagnostics *diag;
    const char *file;
    const char *text;
    size_t len;
    cm_document doc;
    cm_protocol *protocol;
    int n_errors;
    int n_listed;                           // diagnostics added to diag (at most the cap)
    int n_hidden_errors, n_hidden_warnings; // diagnostics past the cap
    int out_of_memory;
    khash_t(cm_str_index) * named_index; // name -> index in protocol->named
    khash_t(cm_str_index) * arm_index;   // arm id -> index in protocol->arms
    khash_t(cm_str_index) * other_arms;  // arm id -> protocol index, for earlier files
    char shown[4][96];                   // ring of quoted values for messages
    int next_shown;
} cm_loader;

/* ---- YAML nodes (borrowed from L->doc) --------------------------------------------------- */

static inline yaml_node_t *node_at(const cm_loader *L, int id)
{
    return cm_document_node(&L->doc, id);
}

static inline const char *scalar(const yaml_node_t *node)
{
    return node && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value : NULL;
}

static inline int n_pairs(const yaml_node_t *map)
{
    return (int)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

static inline int n_items(const yaml_node_t *seq)
{
    return (int)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

static inline yaml_node_t *item_at(const cm_loader *L, const yaml_node_t *seq, int i)
{
    return node_at(L, seq->data.sequence.items.start[i]);
}

static inline yaml_node_t *pair_key(const cm_loader *L, const yaml_node_t *map, int i)
{
    return node_at(L, map->data.mapping.pairs.start[i].key);
}

static inline yaml_node_t *pair_value(const cm_loader *L, const yaml_node_t *map, int i)
{
    return node_at(L, map->data.mapping.pairs.start[i].value);
}

/// 1 if node is `key:` with nothing after it, `~` or `null` (plain, not quoted), or NULL.
int cm_load_is_null(const yaml_node_t *node);

/// The value of key in map (its first occurrence), or NULL.
yaml_node_t *cm_load_get(const cm_loader *L, const yaml_node_t *map, const char *key);

/// The key node of key in map (its first occurrence), or NULL (for positions).
yaml_node_t *cm_load_get_key(const cm_loader *L, const yaml_node_t *map, const char *key);

/* ---- diagnostics (load_document.c) ------------------------------------------------------- */

/// Adds an error at node's position (0:0 for NULL).
__attribute__((format(printf, 3, 4))) void cm_load_error(cm_loader *L, const yaml_node_t *node,
                                                         const char *fmt, ...);

/// Adds a warning at node's position (0:0 for NULL).
__attribute__((format(printf, 3, 4))) void cm_load_warning(cm_loader *L, const yaml_node_t *node,
                                                           const char *fmt, ...);

/// Adds an error at a 1-based line and column (0 for none).
__attribute__((format(printf, 4, 5))) void cm_load_error_mark(cm_loader *L, int line, int column,
                                                              const char *fmt, ...);

/// Adds a warning at a 1-based line and column (0 for none).
__attribute__((format(printf, 4, 5))) void cm_load_warning_mark(cm_loader *L, int line, int column,
                                                                const char *fmt, ...);

/// A value as a message shows it (at most 60 bytes, control characters as '?'); borrowed,
/// valid for the next three calls.
const char *cm_load_show(cm_loader *L, const char *value);

/// The name closest to word (case-insensitive), or NULL when none is close enough to be a
/// typo. NULL names are skipped.
const char *cm_load_nearest(const char *word, const char *const *names, size_t n);

/// " (did you mean 'x'?)" in buffer, or "" when suggestion is NULL.
const char *cm_load_did_you_mean(char *buffer, size_t size, const char *suggestion);

/// Reports "unknown <what> 'word'", with the closest of names if one is close enough.
void cm_load_unknown(cm_loader *L, const yaml_node_t *node, const char *what, const char *word,
                     const char *const *names, size_t n);

/* ---- keys (load_document.c) -------------------------------------------------------------- */

/// Adds key -> value to *index unless key is there. Returns the index already stored, -1 if
/// key was new, or -2 when out of memory. key must outlive the index.
int cm_load_index_put(cm_loader *L, khash_t(cm_str_index) * *index, const char *key, int value);

/// The value stored for key, or -1.
int cm_load_index_get(khash_t(cm_str_index) * index, const char *key);

/// Reports keys that are not text and keys written twice; kind names the entries in the
/// message ("key", "named alteration").
void cm_load_check_duplicates(cm_loader *L, const yaml_node_t *map, const char *kind);

/// Reports unknown and duplicate keys of a mapping. Returns 0 if node is a mapping, else
/// reports that it must be one (what says where) and returns -1.
int cm_load_check_mapping(cm_loader *L, const yaml_node_t *node, const char *what,
                          const char *const *allowed, size_t n_allowed);

/// Composes L->doc from L->text, reporting syntax errors and refusing aliases, anchors,
/// deep nesting and several documents. Returns the number of errors; L->doc is
/// initialised either way.
int cm_load_compose(cm_loader *L);

/* ---- scalar values (load_value.c) -------------------------------------------------------- */

/// A copy of s; NULL (out of memory noted) on failure.
char *cm_load_copy(cm_loader *L, const char *s);

/// A text value, borrowed from the document, or NULL after reporting.
const char *cm_load_text(cm_loader *L, const yaml_node_t *node, const char *name);

/// Replaces *out with a copy of the text value. Returns 0, or -1 after reporting.
int cm_load_string(cm_loader *L, const yaml_node_t *node, const char *name, char **out);

/// Parses a whole decimal number (sign and digits only). Returns 0 or -1.
int cm_load_parse_whole(const char *text, long long *out);

/// A number in [min, max] (max may be INFINITY). Returns 0, or -1 after reporting.
int cm_load_number(cm_loader *L, const yaml_node_t *node, const char *name, double min, double max,
                   double *out);

/// A whole number >= min. Returns 0, or -1 after reporting.
int cm_load_whole(cm_loader *L, const yaml_node_t *node, const char *name, int min, int *out);

/// true or false (plain). Returns 0, or -1 after reporting.
int cm_load_bool(cm_loader *L, const yaml_node_t *node, const char *name, int *out);

/// One of options (case-insensitive). Returns its index, or -1 after reporting
/// "'name' must be a, b or c".
int cm_load_choice(cm_loader *L, const yaml_node_t *node, const char *name,
                   const char *const *options, int n);

/// A {min, max} mapping of numbers >= 0, at least one given, min <= max. Returns 0, or -1
/// after reporting.
int cm_load_bounds(cm_loader *L, yaml_node_t *node, const char *name, double *min, double *max);

/// An OncoTree code. Returns its node, or CM_ONCOTREE_NOT_FOUND after reporting.
int cm_load_oncotree(cm_loader *L, const yaml_node_t *node, const char *name);

/// "chrom:pos:ref:alt", as slices of the text.
typedef struct cm_variant_parts {
    const char *chrom, *ref, *alt;
    size_t chrom_len, ref_len, alt_len;
    long long pos;
} cm_variant_parts;

/// Splits "chrom:pos:ref:alt" (bases ACGTN) into slices of text. Returns 0 or -1.
int cm_load_parse_variant(const char *text, cm_variant_parts *out);

/// Names and stored values of a closed set of words (an enum key).
typedef struct cm_choices {
    const char *names[8];
    int values[8];
    int n;
    int unset; // stored when the word is not one of names
} cm_choices;

extern const cm_choices cm_build_choices; // GRCh37, GRCh38
extern const cm_choices cm_msi_choices;   // high, stable
extern const cm_choices cm_mmr_choices;   // deficient, proficient
extern const cm_choices cm_sex_choices;   // female, male
extern const cm_choices cm_cnv_choices;   // amplification ... homozygous_deletion: CM_CNV_* bits

/// The value of the word node holds (case-insensitive), or choices->unset after reporting.
int cm_load_enum(cm_loader *L, const yaml_node_t *node, const char *name,
                 const cm_choices *choices);

/* ---- lists (load_value.c) ---------------------------------------------------------------- */

/// How to read one element of a list-valued key.
typedef struct cm_item_kind {
    size_t size; // bytes of one element; 0: no array, each item is folded into the destination
    /// Reads item (a non-empty scalar) into element, the next free slot of the array
    /// (zeroed), or folds it into the destination itself when size is 0; array holds the
    /// n_stored elements read so far (NULL when size is 0). Returns 1 if it stored an
    /// element, 0 if not (after reporting, or a repeat).
    int (*read)(cm_loader *L, yaml_node_t *item, const char *name, void *element, const void *array,
                int n_stored);
} cm_item_kind;

extern const cm_item_kind cm_item_text; // char *: a copy
extern const cm_item_kind cm_item_gene; // int: an interned gene symbol, each once

/// Interns symbol (checked by the caller) into element unless the n_stored ids of array hold
/// it already. Returns 1 if stored, 0 if a repeat or out of memory (noted).
int cm_load_store_gene(cm_loader *L, const char *symbol, void *element, const void *array,
                       int n_stored);
extern const cm_item_kind cm_item_range;    // cm_range: "19" or "18-21"
extern const cm_item_kind cm_item_oncotree; // int: an OncoTree node

/// Reads a value that is one scalar or a list of scalars ("any of"), each with kind.
/// With kind->size > 0, *(T **)destination gets a new array and *n_out the number of
/// elements stored (items that failed are left out, after reporting); with size 0 every
/// item is folded into destination. Returns 0, or -1 after reporting when the value is not
/// a scalar or a list of non-empty scalars (nothing is stored then).
int cm_load_list(cm_loader *L, yaml_node_t *node, const char *name, const cm_item_kind *kind,
                 void *destination, int *n_out);

/* ---- key tables (load_value.c) ----------------------------------------------------------- */

typedef enum cm_value_type {
    CM_VALUE_TEXT,   // char *: a copy of the text
    CM_VALUE_SLICE,  // cm_slice: the text, borrowed from the document
    CM_VALUE_LIST,   // T * and int count (at2): a scalar or a list of scalars, read by item
    CM_VALUE_BITS,   // bits folded in by item from a scalar or a list of scalars
    CM_VALUE_NUMBER, // double in [min, max]
    CM_VALUE_WHOLE,  // int >= min
    CM_VALUE_BOOL,   // int: true or false
    CM_VALUE_CHOICE, // an enum (int-sized): choices->values[i], or choices->unset when wrong
    CM_VALUE_BOUNDS, // two doubles, min (at) and max (at2): {min, max}
    CM_VALUE_CUSTOM  // read(L, destination, value, map)
} cm_value_type;

enum {
    CM_FIELD_REQUIRED = 1,        // "missing required key 'k' in <what>" when absent
    CM_FIELD_TABLE_FLAGS = 1 << 8 // bits from here on are the table's own
};

/// One key of a mapping: how its value is read and where it goes in the destination.
typedef struct cm_field {
    const char *key;
    cm_value_type type;
    unsigned flags;
    size_t at, at2;            // offsets in the destination (see cm_value_type)
    double min, max;           // NUMBER: the range; WHOLE: min
    const cm_item_kind *item;  // LIST, BITS
    const cm_choices *choices; // CHOICE
    /// CUSTOM: reads value (never NULL) into destination; map is the mapping the key is in.
    void (*read)(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map);
} cm_field;

/// offsetof(type, member), refused at compile time unless the member has member_type's size.
#define CM_AT(type, member, member_type)                                                           \
    (offsetof(type, member) +                                                                      \
     0 * sizeof(char[sizeof(((type *)0)->member) == sizeof(member_type) ? 1 : -1]))

#define CM_FIELD_TEXT(key, type, member, flags)                                                    \
    {                                                                                              \
        key, CM_VALUE_TEXT, flags, CM_AT(type, member, char *), 0, 0, 0, NULL, NULL, NULL          \
    }
#define CM_FIELD_SLICE(key, type, member, flags)                                                   \
    {                                                                                              \
        key, CM_VALUE_SLICE, flags, CM_AT(type, member, cm_slice), 0, 0, 0, NULL, NULL, NULL       \
    }
#define CM_FIELD_LIST(key, type, array, count, item, flags)                                        \
    {                                                                                              \
        key, CM_VALUE_LIST, flags, CM_AT(type, array, void *), CM_AT(type, count, int), 0, 0,      \
            item, NULL, NULL                                                                       \
    }
#define CM_FIELD_BITS(key, type, member, item, flags)                                              \
    {                                                                                              \
        key, CM_VALUE_BITS, flags, offsetof(type, member), 0, 0, 0, item, NULL, NULL               \
    }
#define CM_FIELD_NUMBER(key, type, member, min, max, flags)                                        \
    {                                                                                              \
        key, CM_VALUE_NUMBER, flags, CM_AT(type, member, double), 0, min, max, NULL, NULL, NULL    \
    }
#define CM_FIELD_WHOLE(key, type, member, min, flags)                                              \
    {                                                                                              \
        key, CM_VALUE_WHOLE, flags, CM_AT(type, member, int), 0, min, 0, NULL, NULL, NULL          \
    }
#define CM_FIELD_BOOL(key, type, member, flags)                                                    \
    {                                                                                              \
        key, CM_VALUE_BOOL, flags, CM_AT(type, member, int), 0, 0, 0, NULL, NULL, NULL             \
    }
#define CM_FIELD_CHOICE(key, type, member, choices, flags)                                         \
    {                                                                                              \
        key, CM_VALUE_CHOICE, flags, CM_AT(type, member, int), 0, 0, 0, NULL, choices, NULL        \
    }
#define CM_FIELD_BOUNDS(key, type, min, max, flags)                                                \
    {                                                                                              \
        key, CM_VALUE_BOUNDS, flags, CM_AT(type, min, double), CM_AT(type, max, double), 0, 0,     \
            NULL, NULL, NULL                                                                       \
    }
#define CM_FIELD_CUSTOM(key, read, flags)                                                          \
    {                                                                                              \
        key, CM_VALUE_CUSTOM, flags, 0, 0, 0, 0, NULL, NULL, read                                  \
    }

/// The row of key, or NULL.
const cm_field *cm_field_find(const cm_field *fields, size_t n, const char *key);

/// Reports unknown and duplicate keys of a mapping whose keys are those of fields and then
/// of more (n_more 0 for none), as cm_load_check_mapping(). Returns 0, or -1 if node is not a
/// mapping.
int cm_load_check_fields(cm_loader *L, const yaml_node_t *node, const char *what,
                         const cm_field *fields, size_t n, const cm_field *more, size_t n_more);

/// Reads value as field says into destination. Returns 0, or -1 after reporting.
int cm_load_field(cm_loader *L, const cm_field *field, yaml_node_t *value, yaml_node_t *map,
                  void *destination);

/// Reads the keys of map that the table lists, in table order (each key's first
/// occurrence), reporting absent required keys "in <what>". Returns the number of keys that
/// failed.
int cm_load_fields(cm_loader *L, yaml_node_t *map, const char *what, const cm_field *fields,
                   size_t n, void *destination);

/// cm_load_check_fields() and cm_load_fields() for a mapping of one table. Returns the number
/// of keys that failed, or -1 if map is not a mapping.
int cm_load_mapping(cm_loader *L, yaml_node_t *map, const char *what, const cm_field *fields,
                    size_t n, void *destination);

/// A sequence of n_items(node) zeroed elements of size bytes for a key that must be a list
/// ("'name' must be a list" otherwise). Returns NULL (and *n 0) for an empty list, after
/// reporting, or when out of memory (noted).
void *cm_load_sequence(cm_loader *L, const yaml_node_t *node, const char *name, size_t size,
                       int *n);

/* ---- the parts of a protocol ------------------------------------------------------------- */

/// Any expression (load_leaf.c): a name, a list (any of), all/any/not, or a leaf. Returns
/// NULL after reporting (or when a child failed: the file is rejected anyway).
cm_expr *cm_load_expr(cm_loader *L, yaml_node_t *node, const char *name);

/// A new expression node of kind at node's position with n_children NULL children, or NULL
/// (out of memory noted).
cm_expr *cm_load_expr_new(cm_loader *L, cm_expr_kind kind, const yaml_node_t *node, int n_children);

/// The `alterations:` block: named alterations, then reference cycles among them.
void cm_load_named(cm_loader *L, yaml_node_t *map);

/// Marks the named alterations expr refers to (directly or through others) as used.
void cm_load_mark_used(cm_loader *L, const cm_expr *expr);

/// The quality-gate keys that arms and `defaults` share (load_arm.c), into a cm_gates.
extern const cm_field cm_gate_fields[];
extern const size_t cm_n_gate_fields;

/// One arm (load_arm.c), the index-th of the protocol.
void cm_load_arm(cm_loader *L, yaml_node_t *map, int index);

/// The arm of this file with this id, or NULL.
const cm_arm *cm_load_find_arm(cm_loader *L, const char *id);

/// The `biomarker:` leaf key (load_biomarker.c): {name, is | min | max} into a cm_leaf.
void cm_load_biomarker(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map);

/// A biomarker name (load_biomarker.c): a lower-case copy, or NULL after reporting a name
/// that is not letters, digits, '_', '-', '.' or that is a built-in fact (tmb, msi ...).
char *cm_load_biomarker_name(cm_loader *L, const yaml_node_t *node);

/// One test (load_test.c), appended to the protocol's tests unless map is not a mapping.
void cm_load_test(cm_loader *L, yaml_node_t *map);

#endif
