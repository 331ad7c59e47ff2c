/*
 * The YAML node tree of one rule file, private to the loader (load*.c). Nodes
 * are libyaml's yaml_node_t, so the loader reads them as it would read a
 * yaml_document_t, but they are built from the parser's events into one
 * array and a block allocator: libyaml's document API allocates every
 * scalar, tag and child list on its own, which was a third of loading a
 * large rule file.
 */
#ifndef COHORTMATCH_RULES_DOCUMENT_H
#define COHORTMATCH_RULES_DOCUMENT_H

#include <stddef.h>

#include <yaml.h>

typedef struct cm_document_block cm_document_block;

typedef struct cm_document {
    yaml_node_t *nodes; // node id i (1-based, as libyaml's) is nodes[i - 1]
    int n_nodes, m_nodes;
    int *open;           // ids of the collections not yet closed, outermost first
    size_t *first_child; // where each open collection's children start in children
    int depth, m_depth;  //
    int *children;       // children of the open collections, in order
    size_t n_children, m_children;
    cm_document_block *blocks; // scalar text and child lists
} cm_document;

/// An empty document.
void cm_document_init(cm_document *doc);

/// Frees what the document holds; it may be initialised again.
void cm_document_free(cm_document *doc);

/// The node with this id, or NULL. The first node added is the root. A pointer stays valid
/// until the next node is added.
yaml_node_t *cm_document_node(const cm_document *doc, int id);

/// Adds the node of a scalar, sequence-start or mapping-start event (with its marks) as the
/// next child of the innermost open collection; a sequence or mapping stays open until
/// cm_document_close(). Returns the node id, or 0 when out of memory.
int cm_document_add(cm_document *doc, const yaml_event_t *event);

/// Closes the innermost open collection at a sequence-end or mapping-end event (its end mark
/// is the event's). Returns 0, or -1 when out of memory or nothing is open.
int cm_document_close(cm_document *doc, const yaml_event_t *event);

/// Number of collections open.
int cm_document_depth(const cm_document *doc);

#endif
