/*
 * What the rule-set files (rules.c, load*.c, compile.c) share and nothing else
 * sees: the rule set itself, gene interning and the lifetime helpers. The
 * public view is include/cohortmatch/rules.h.
 */
#ifndef COHORTMATCH_RULES_INTERNAL_H
#define COHORTMATCH_RULES_INTERNAL_H

#include <stddef.h>
#include <string.h>

#include <htslib/khash.h>

#include "cohortmatch/rules.h"

/// A gene symbol as a key: pointer + length, so that look-ups need no NUL and no copy.
typedef struct cm_gene_key {
    const char *s;
    size_t len;
} cm_gene_key;

static inline khint_t cm_gene_key_hash(cm_gene_key key)
{
    khint_t h = 0;
    for (size_t i = 0; i < key.len; i++)
        h = (h << 5) - h + (khint_t)(unsigned char)key.s[i];
    return h;
}

static inline int cm_gene_key_equal(cm_gene_key a, cm_gene_key b)
{
    return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
}

KHASH_INIT(cm_gene, cm_gene_key, int, 1, cm_gene_key_hash, cm_gene_key_equal)

struct cm_ruleset {
    const cm_oncotree *tree; // borrowed
    cm_protocol **protocols; // pointers, so that arms' borrowed protocol pointers stay put
    size_t n_protocols, protocols_capacity;
    cm_leaf *leaves;
    size_t n_leaves, leaves_capacity;
    char **gene_names; // id -> symbol; [0] is NULL (reserved)
    size_t n_genes, genes_capacity;
    khash_t(cm_gene) * gene_ids;
    size_t n_files; // files cm_ruleset_load() read, with or without errors
    // The compiled index (cm_ruleset_compile).
    int **gene_leaves; // gene id -> leaf ids
    size_t *n_gene_leaves;
    size_t n_indexed_genes; // genes the index covers (n_genes when compiled)
    int *geneless_leaves;
    size_t n_geneless_leaves;
};

/// Interns a symbol (len bytes). Returns its id (>= 1), or -1 when out of memory.
int cm_ruleset_intern_gene(cm_ruleset *rules, const char *symbol, size_t len);

/// Drops genes interned after the first n_genes (a file that failed to load).
void cm_ruleset_truncate_genes(cm_ruleset *rules, size_t n_genes);

/// Appends a leaf with every key unset. Returns its id, or -1 when out of memory.
int cm_ruleset_add_leaf(cm_ruleset *rules, int line, int column);

/// Frees leaves from n_leaves on (a file that failed to load).
void cm_ruleset_truncate_leaves(cm_ruleset *rules, size_t n_leaves);

/// Appends a loaded protocol (takes ownership). Returns 0, or -1 when out of memory.
int cm_ruleset_add_protocol(cm_ruleset *rules, cm_protocol *protocol);

/// Frees an expression tree (not the named alterations REF nodes point to); accepts NULL.
void cm_expr_free(cm_expr *expr);

/// Frees a protocol and everything it owns; accepts NULL.
void cm_protocol_free(cm_protocol *protocol);

/// Drops the compiled index (the rule set changed).
void cm_ruleset_drop_index(cm_ruleset *rules);

/// The state a word names for a biomarker with states of its own (signatures, hrd): its
/// rule name ("uv" for "UVA"), or NULL when the word is none of its names (biomarker.c).
const char *cm_biomarker_state_name(const char *name, const char *word);

/// Writes the rule names of a biomarker's states (at most max) to out; returns how many
/// (0: the biomarker takes any word).
size_t cm_biomarker_state_names(const char *name, const char **out, size_t max);

#endif
