/*
 * The OncoTree tumour-type tree.
 *
 * A code means itself and every code below it. The release bundled with the
 * tool is compiled in (data/oncotree/, CC BY 4.0); another release can be
 * loaded from its flat TSV. Two meta-codes exist beside the tree: SOLID
 * (everything outside the Myeloid and Lymphoid tissues) and LIQUID (inside
 * them). Lookups never allocate; "is X inside Y" costs O(depth).
 */
#ifndef COHORTMATCH_ONCOTREE_H
#define COHORTMATCH_ONCOTREE_H

#include <stddef.h>

#include <htslib/kstring.h>

#include "cohortmatch/error.h"

typedef struct cm_oncotree cm_oncotree;

/// Node numbers of the two meta-codes (real codes are 0 .. n-1).
enum { CM_ONCOTREE_SOLID = -2, CM_ONCOTREE_LIQUID = -3, CM_ONCOTREE_NOT_FOUND = -1 };

/// Loads the release compiled into the tool. Returns NULL (err filled) on failure;
/// the caller frees the tree with cm_oncotree_free().
cm_oncotree *cm_oncotree_load_bundled(cm_error *err);

/// Loads a flat TSV (columns code, name, main_type, tissue, parent, level, header first).
/// Returns NULL with err filled (file:line: what is wrong); free with cm_oncotree_free().
cm_oncotree *cm_oncotree_load_file(const char *path, cm_error *err);

/// Frees the tree; accepts NULL.
void cm_oncotree_free(cm_oncotree *tree);

/// Release name, e.g. "oncotree_2025_10_03" (borrowed).
const char *cm_oncotree_release(const cm_oncotree *tree);

/// Returns the node of a code (case-insensitive; SOLID and LIQUID give the meta nodes),
/// or CM_ONCOTREE_NOT_FOUND.
int cm_oncotree_find(const cm_oncotree *tree, const char *code);

/// Returns 1 if node lies inside (or is) ancestor; ancestor may be a meta node. node must
/// be a real code.
int cm_oncotree_is_within(const cm_oncotree *tree, int node, int ancestor);

/// Code, name and tissue of a node (borrowed; meta nodes give "SOLID"/"LIQUID").
const char *cm_oncotree_code(const cm_oncotree *tree, int node);
const char *cm_oncotree_name(const cm_oncotree *tree, int node);
const char *cm_oncotree_tissue(const cm_oncotree *tree, int node);

/// Parent node, or CM_ONCOTREE_NOT_FOUND at a root (TISSUE's children have TISSUE as parent).
int cm_oncotree_parent(const cm_oncotree *tree, int node);

/// Number of real codes.
size_t cm_oncotree_size(const cm_oncotree *tree);

/// Appends up to max codes closest to an unknown code (edit distance, then name match),
/// joined by ", ". Returns how many were appended.
int cm_oncotree_suggest(const cm_oncotree *tree, const char *code, int max, kstring_t *out);

#endif
