/*
 * The compiled index: gene id -> the alteration leaves that name the gene (in
 * `gene`, or either side of a `fusion`), plus the leaves that name no gene
 * (`variant:` alone) and must be tried on every alteration. The matcher asks
 * it once per alteration; it never walks the rules themselves.
 */
#include "internal.h"

#include <stdlib.h>

void cm_ruleset_drop_index(cm_ruleset *rules)
{
    if (rules->gene_leaves) {
        for (size_t i = 0; i < rules->n_indexed_genes; i++)
            free(rules->gene_leaves[i]);
        free(rules->gene_leaves);
    }
    free(rules->n_gene_leaves);
    free(rules->geneless_leaves);
    rules->gene_leaves = NULL;
    rules->n_gene_leaves = NULL;
    rules->n_indexed_genes = 0;
    rules->geneless_leaves = NULL;
    rules->n_geneless_leaves = 0;
}

// Writes the distinct genes a leaf is indexed under (its genes, fusion genes and partners)
// to out; a gene named twice by one leaf (a fusion of a gene with itself) is listed once.
static int leaf_genes(const cm_leaf *leaf, int *out, int max)
{
    int n = 0;
    const int *lists[3] = {leaf->genes, leaf->fusion_genes, leaf->fusion_partners};
    int sizes[3] = {leaf->n_genes, leaf->n_fusion_genes, leaf->n_fusion_partners};
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < sizes[l]; i++) {
            int gene = lists[l][i], seen = 0;
            for (int j = 0; j < n && !seen; j++)
                seen = out[j] == gene;
            if (!seen && gene > 0 && n < max)
                out[n++] = gene;
        }
    return n;
}

int cm_ruleset_compile(cm_ruleset *rules)
{
    cm_ruleset_drop_index(rules);
    size_t n_genes = rules->n_genes;
    rules->gene_leaves = calloc(n_genes, sizeof *rules->gene_leaves);
    rules->n_gene_leaves = calloc(n_genes, sizeof *rules->n_gene_leaves);
    size_t *capacity = calloc(n_genes, sizeof *capacity);
    if (!rules->gene_leaves || !rules->n_gene_leaves || !capacity)
        goto out_of_memory;
    rules->n_indexed_genes = n_genes;
    size_t geneless_capacity = 0;
    for (size_t id = 0; id < rules->n_leaves; id++) {
        const cm_leaf *leaf = &rules->leaves[id];
        if (leaf->scope != CM_LEAF_ALTERATION)
            continue;
        int n_total = leaf->n_genes + leaf->n_fusion_genes + leaf->n_fusion_partners;
        if (n_total == 0) {
            if (rules->n_geneless_leaves == geneless_capacity) {
                geneless_capacity = geneless_capacity ? geneless_capacity * 2 : 8;
                int *grown = realloc(rules->geneless_leaves,
                                     geneless_capacity * sizeof *rules->geneless_leaves);
                if (!grown)
                    goto out_of_memory;
                rules->geneless_leaves = grown;
            }
            rules->geneless_leaves[rules->n_geneless_leaves++] = (int)id;
            continue;
        }
        int *genes = malloc((size_t)n_total * sizeof *genes);
        if (!genes)
            goto out_of_memory;
        int n = leaf_genes(leaf, genes, n_total);
        for (int i = 0; i < n; i++) {
            size_t g = (size_t)genes[i];
            if (rules->n_gene_leaves[g] == capacity[g]) {
                capacity[g] = capacity[g] ? capacity[g] * 2 : 4;
                int *grown =
                    realloc(rules->gene_leaves[g], capacity[g] * sizeof *rules->gene_leaves[g]);
                if (!grown) {
                    free(genes);
                    goto out_of_memory;
                }
                rules->gene_leaves[g] = grown;
            }
            rules->gene_leaves[g][rules->n_gene_leaves[g]++] = (int)id;
        }
        free(genes);
    }
    free(capacity);
    return 0;
out_of_memory:
    free(capacity);
    cm_ruleset_drop_index(rules);
    return -1;
}

const int *cm_ruleset_gene_leaves(const cm_ruleset *rules, int gene_id, size_t *n)
{
    if (gene_id <= 0 || (size_t)gene_id >= rules->n_indexed_genes) {
        *n = 0;
        return NULL;
    }
    *n = rules->n_gene_leaves[gene_id];
    return rules->gene_leaves[gene_id];
}

const int *cm_ruleset_geneless_leaves(const cm_ruleset *rules, size_t *n)
{
    *n = rules->n_geneless_leaves;
    return rules->geneless_leaves;
}
