/*
 * The rule file's node tree (document.h). A collection's children are pushed
 * on one stack while it is open, and copied to a list of their own when it
 * closes, so no list is ever grown in place; text and lists come from large
 * blocks freed together.
 */
#include "document.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE ((size_t)64 << 10)

struct cm_document_block {
    cm_document_block *next;
    size_t used, size;
    max_align_t data[];
};

// n bytes (aligned for any object) from the document's blocks, or NULL.
static void *allocate(cm_document *doc, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    cm_document_block *block = doc->blocks;
    if (!block || block->size - block->used < n) {
        size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
        if (!(block = malloc(sizeof *block + size)))
            return NULL;
        block->used = 0;
        block->size = size;
        block->next = doc->blocks;
        doc->blocks = block;
    }
    void *p = (char *)block->data + block->used;
    block->used += n;
    return p;
}

// Makes room for need elements of size bytes in *array (capacity *m, doubled).
static int reserve(void **array, size_t *m, size_t need, size_t size)
{
    if (need <= *m)
        return 0;
    size_t n = *m ? *m : 64;
    while (n < need)
        n *= 2;
    void *grown = realloc(*array, n * size);
    if (!grown)
        return -1;
    *array = grown;
    *m = n;
    return 0;
}

void cm_document_init(cm_document *doc)
{
    memset(doc, 0, sizeof *doc);
}

void cm_document_free(cm_document *doc)
{
    for (cm_document_block *block = doc->blocks, *next; block; block = next) {
        next = block->next;
        free(block);
    }
    free(doc->nodes);
    free(doc->open);
    free(doc->first_child);
    free(doc->children);
    cm_document_init(doc);
}

yaml_node_t *cm_document_node(const cm_document *doc, int id)
{
    return id >= 1 && id <= doc->n_nodes ? &doc->nodes[id - 1] : NULL;
}

int cm_document_depth(const cm_document *doc)
{
    return doc->depth;
}

// Appends a node id to the children of the innermost open collection (none for the root).
static int push_child(cm_document *doc, int id)
{
    if (doc->depth == 0)
        return 0;
    if (reserve((void **)&doc->children, &doc->m_children, doc->n_children + 1, sizeof(int)) < 0)
        return -1;
    doc->children[doc->n_children++] = id;
    return 0;
}

int cm_document_add(cm_document *doc, const yaml_event_t *event)
{
    size_t m_nodes = (size_t)doc->m_nodes;
    if (doc->n_nodes == INT32_MAX ||
        reserve((void **)&doc->nodes, &m_nodes, (size_t)doc->n_nodes + 1, sizeof *doc->nodes) < 0)
        return 0;
    doc->m_nodes = (int)m_nodes;
    yaml_node_t node;
    memset(&node, 0, sizeof node);
    node.start_mark = event->start_mark;
    node.end_mark = event->end_mark;
    switch (event->type) {
    case YAML_SCALAR_EVENT: {
        size_t length = event->data.scalar.length;
        yaml_char_t *value = allocate(doc, length + 1);
        if (!value)
            return 0;
        memcpy(value, event->data.scalar.value, length);
        value[length] = '\0';
        node.type = YAML_SCALAR_NODE;
        node.data.scalar.value = value;
        node.data.scalar.length = length;
        node.data.scalar.style = event->data.scalar.style;
        break;
    }
    case YAML_SEQUENCE_START_EVENT:
        node.type = YAML_SEQUENCE_NODE;
        node.data.sequence.style = event->data.sequence_start.style;
        break;
    case YAML_MAPPING_START_EVENT:
        node.type = YAML_MAPPING_NODE;
        node.data.mapping.style = event->data.mapping_start.style;
        break;
    default:
        return 0;
    }
    int id = doc->n_nodes + 1;
    if (push_child(doc, id) < 0)
        return 0;
    doc->nodes[doc->n_nodes++] = node;
    if (node.type != YAML_SCALAR_NODE) {
        size_t m_depth = (size_t)doc->m_depth;
        size_t need = (size_t)doc->depth + 1;
        if (reserve((void **)&doc->open, &m_depth, need, sizeof *doc->open) < 0)
            return 0;
        m_depth = (size_t)doc->m_depth;
        if (reserve((void **)&doc->first_child, &m_depth, need, sizeof *doc->first_child) < 0)
            return 0;
        doc->m_depth = (int)m_depth;
        doc->open[doc->depth] = id;
        doc->first_child[doc->depth] = doc->n_children;
        doc->depth++;
    }
    return id;
}

int cm_document_close(cm_document *doc, const yaml_event_t *event)
{
    if (doc->depth == 0)
        return -1;
    doc->depth--;
    yaml_node_t *node = &doc->nodes[doc->open[doc->depth] - 1];
    size_t first = doc->first_child[doc->depth], n = doc->n_children - first;
    // (No child list yet when no collection so far had children: no pointer arithmetic on it.)
    const int *children = n > 0 ? doc->children + first : NULL;
    node->end_mark = event->end_mark;
    if (node->type == YAML_SEQUENCE_NODE) {
        yaml_node_item_t *items = allocate(doc, n * sizeof *items);
        if (!items)
            return -1;
        if (n > 0)
            memcpy(items, children, n * sizeof *items);
        node->data.sequence.items.start = items;
        node->data.sequence.items.top = node->data.sequence.items.end = items + n;
    } else {
        // Keys and values alternate; the parser never ends a mapping after a key alone.
        size_t n_pairs = n / 2;
        yaml_node_pair_t *pairs = allocate(doc, n_pairs * sizeof *pairs);
        if (!pairs)
            return -1;
        for (size_t i = 0; i < n_pairs; i++)
            pairs[i] = (yaml_node_pair_t){children[2 * i], children[2 * i + 1]};
        node->data.mapping.pairs.start = pairs;
        node->data.mapping.pairs.top = node->data.mapping.pairs.end = pairs + n_pairs;
    }
    doc->n_children = first;
    return 0;
}
