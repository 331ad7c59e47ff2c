/*
 * The rule set's lifetime: creation, the interned gene symbols, the leaf
 * table, protocols and every free function, plus the small value helpers of
 * rules.h (gates, evidence rank). Parsing lives in load*.c (load_internal.h
 * says which file reads what), the index in compile.c. Nothing here reads YAML or prints.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

cm_ruleset *cm_ruleset_new(const cm_oncotree *tree)
{
    cm_ruleset *rules = calloc(1, sizeof *rules);
    if (!rules)
        return NULL;
    rules->tree = tree;
    rules->gene_ids = kh_init(cm_gene);
    rules->gene_names = calloc(16, sizeof *rules->gene_names);
    if (!rules->gene_ids || !rules->gene_names) {
        cm_ruleset_free(rules);
        return NULL;
    }
    rules->genes_capacity = 16;
    rules->n_genes = 1; // id 0 is "no gene"
    return rules;
}

static void leaf_free(cm_leaf *leaf)
{
    free(leaf->genes);
    free(leaf->proteins);
    free(leaf->exons);
    free(leaf->introns);
    for (int i = 0; i < leaf->n_hgvsc; i++)
        free(leaf->hgvsc[i]);
    free(leaf->hgvsc);
    for (int i = 0; i < leaf->n_variants; i++) {
        free(leaf->variants[i].chrom);
        free(leaf->variants[i].ref);
        free(leaf->variants[i].alt);
    }
    free(leaf->variants);
    free(leaf->fusion_genes);
    free(leaf->fusion_partners);
    free(leaf->biomarker);
    for (int i = 0; i < leaf->n_biomarker_is; i++)
        free(leaf->biomarker_is[i]);
    free(leaf->biomarker_is);
}

void cm_ruleset_free(cm_ruleset *rules)
{
    if (!rules)
        return;
    cm_ruleset_drop_index(rules);
    for (size_t i = 0; i < rules->n_protocols; i++)
        cm_protocol_free(rules->protocols[i]);
    free(rules->protocols);
    cm_ruleset_truncate_leaves(rules, 0);
    free(rules->leaves);
    if (rules->gene_names) {
        for (size_t i = 1; i < rules->n_genes; i++)
            free(rules->gene_names[i]);
        free(rules->gene_names);
    }
    if (rules->gene_ids)
        kh_destroy(cm_gene, rules->gene_ids);
    free(rules);
}

int cm_ruleset_intern_gene(cm_ruleset *rules, const char *symbol, size_t len)
{
    cm_gene_key key = {symbol, len};
    khint_t k = kh_get(cm_gene, rules->gene_ids, key);
    if (k != kh_end(rules->gene_ids))
        return kh_val(rules->gene_ids, k);
    if (rules->n_genes == rules->genes_capacity) {
        size_t capacity = rules->genes_capacity * 2;
        char **names = realloc(rules->gene_names, capacity * sizeof *names);
        if (!names)
            return -1;
        rules->gene_names = names;
        rules->genes_capacity = capacity;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, symbol, len);
    copy[len] = '\0';
    int absent;
    // The hash key points at the rule set's own copy, which lives as long as the entry.
    k = kh_put(cm_gene, rules->gene_ids, ((cm_gene_key){copy, len}), &absent);
    if (absent < 0) {
        free(copy);
        return -1;
    }
    int id = (int)rules->n_genes;
    kh_val(rules->gene_ids, k) = id;
    rules->gene_names[rules->n_genes++] = copy;
    return id;
}

void cm_ruleset_truncate_genes(cm_ruleset *rules, size_t n_genes)
{
    while (rules->n_genes > n_genes && rules->n_genes > 1) {
        char *name = rules->gene_names[--rules->n_genes];
        khint_t k = kh_get(cm_gene, rules->gene_ids, ((cm_gene_key){name, strlen(name)}));
        if (k != kh_end(rules->gene_ids))
            kh_del(cm_gene, rules->gene_ids, k);
        free(name);
        rules->gene_names[rules->n_genes] = NULL;
    }
}

int cm_ruleset_add_leaf(cm_ruleset *rules, int line, int column)
{
    if (rules->n_leaves == rules->leaves_capacity) {
        size_t capacity = rules->leaves_capacity ? rules->leaves_capacity * 2 : 64;
        cm_leaf *leaves = realloc(rules->leaves, capacity * sizeof *leaves);
        if (!leaves)
            return -1;
        rules->leaves = leaves;
        rules->leaves_capacity = capacity;
    }
    cm_leaf *leaf = &rules->leaves[rules->n_leaves];
    memset(leaf, 0, sizeof *leaf);
    leaf->id = (int)rules->n_leaves;
    leaf->line = line;
    leaf->column = column;
    leaf->scope = CM_LEAF_ALTERATION;
    leaf->min_vaf = NAN;
    leaf->min_depth = -1;
    leaf->copy_number_min = leaf->copy_number_max = NAN;
    leaf->fusion_in_frame = -1;
    leaf->min_count = 1;
    leaf->tmb_min = leaf->tmb_max = NAN;
    leaf->biomarker_min = leaf->biomarker_max = NAN;
    leaf->age_min = leaf->age_max = NAN;
    return (int)rules->n_leaves++;
}

void cm_ruleset_truncate_leaves(cm_ruleset *rules, size_t n_leaves)
{
    while (rules->n_leaves > n_leaves)
        leaf_free(&rules->leaves[--rules->n_leaves]);
}

int cm_ruleset_add_protocol(cm_ruleset *rules, cm_protocol *protocol)
{
    if (rules->n_protocols == rules->protocols_capacity) {
        size_t capacity = rules->protocols_capacity ? rules->protocols_capacity * 2 : 8;
        cm_protocol **protocols = realloc(rules->protocols, capacity * sizeof *protocols);
        if (!protocols)
            return -1;
        rules->protocols = protocols;
        rules->protocols_capacity = capacity;
    }
    rules->protocols[rules->n_protocols++] = protocol;
    cm_ruleset_drop_index(rules);
    return 0;
}

void cm_expr_free(cm_expr *expr)
{
    if (!expr)
        return;
    for (int i = 0; i < expr->n_children; i++)
        cm_expr_free(expr->children[i]);
    free(expr->children);
    free(expr);
}

static void strings_free(char **strings, int n)
{
    for (int i = 0; i < n; i++)
        free(strings[i]);
    free(strings);
}

static void arm_free(cm_arm *arm)
{
    free(arm->id);
    strings_free(arm->drugs, arm->n_drugs);
    cm_expr_free(arm->match);
    cm_expr_free(arm->exclude);
    free(arm->include_nodes);
    free(arm->exclude_nodes);
    free(arm->escat);
    free(arm->oncokb);
    free(arm->source);
    free(arm->note);
    for (int i = 0; i < arm->n_cohorts; i++) {
        free(arm->cohorts[i].tumour_type);
        free(arm->cohorts[i].note);
        free(arm->cohorts[i].updated);
    }
    free(arm->cohorts);
}

static void test_free(cm_rule_test *test)
{
    free(test->name);
    free(test->tumour_type);
    for (int i = 0; i < test->n_alterations; i++)
        cm_owned_alteration_free(&test->alterations[i].owned);
    free(test->alterations);
    for (int i = 0; i < test->n_biomarkers; i++) {
        free(test->biomarkers[i].name);
        free(test->biomarkers[i].value);
    }
    free(test->biomarkers);
    strings_free(test->expect_candidates, test->n_expect_candidates);
    for (int i = 0; i < test->n_expect_ruled_out; i++) {
        free(test->expect_ruled_out[i].arm);
        free(test->expect_ruled_out[i].reason);
    }
    free(test->expect_ruled_out);
    for (int i = 0; i < test->n_expect_absent; i++)
        free(test->expect_absent[i]);
    free(test->expect_absent);
}

void cm_protocol_free(cm_protocol *protocol)
{
    if (!protocol)
        return;
    free(protocol->path);
    free(protocol->sha256);
    free(protocol->id);
    free(protocol->name);
    free(protocol->version);
    free(protocol->source);
    free(protocol->country);
    free(protocol->network);
    strings_free(protocol->registry, protocol->n_registry);
    for (int i = 0; i < protocol->n_named; i++) {
        free(protocol->named[i].name);
        cm_expr_free(protocol->named[i].expr);
    }
    free(protocol->named);
    for (int i = 0; i < protocol->n_arms; i++)
        arm_free(&protocol->arms[i]);
    free(protocol->arms);
    for (int i = 0; i < protocol->n_tests; i++)
        test_free(&protocol->tests[i]);
    free(protocol->tests);
    free(protocol);
}

size_t cm_ruleset_n_protocols(const cm_ruleset *rules)
{
    return rules->n_protocols;
}

const cm_protocol *cm_ruleset_protocol(const cm_ruleset *rules, size_t i)
{
    return i < rules->n_protocols ? rules->protocols[i] : NULL;
}

size_t cm_ruleset_n_leaves(const cm_ruleset *rules)
{
    return rules->n_leaves;
}

const cm_leaf *cm_ruleset_leaf(const cm_ruleset *rules, int id)
{
    return id >= 0 && (size_t)id < rules->n_leaves ? &rules->leaves[id] : NULL;
}

const char *cm_ruleset_gene_name(const cm_ruleset *rules, int gene_id)
{
    return gene_id > 0 && (size_t)gene_id < rules->n_genes ? rules->gene_names[gene_id] : NULL;
}

size_t cm_ruleset_n_genes(const cm_ruleset *rules)
{
    return rules->n_genes;
}

size_t cm_ruleset_n_files(const cm_ruleset *rules)
{
    return rules->n_files;
}

int cm_ruleset_gene_lookup(const cm_ruleset *rules, const char *symbol, size_t len)
{
    khint_t k = kh_get(cm_gene, rules->gene_ids, ((cm_gene_key){symbol, len}));
    return k == kh_end(rules->gene_ids) ? 0 : kh_val(rules->gene_ids, k);
}

const cm_oncotree *cm_ruleset_oncotree(const cm_ruleset *rules)
{
    return rules->tree;
}

void cm_gates_unset(cm_gates *gates)
{
    gates->min_vaf = NAN;
    gates->min_depth = -1;
    gates->pass_only = -1;
    gates->transcripts = CM_TRANSCRIPTS_UNSET;
}

void cm_gates_builtin(cm_gates *gates)
{
    gates->min_vaf = 0.05;
    gates->min_depth = 30;
    gates->pass_only = 1;
    gates->transcripts = CM_TRANSCRIPTS_PREFERRED;
}

void cm_gates_inherit(cm_gates *gates, const cm_gates *fallback)
{
    if (isnan(gates->min_vaf))
        gates->min_vaf = fallback->min_vaf;
    if (gates->min_depth < 0)
        gates->min_depth = fallback->min_depth;
    if (gates->pass_only < 0)
        gates->pass_only = fallback->pass_only;
    if (gates->transcripts == CM_TRANSCRIPTS_UNSET)
        gates->transcripts = fallback->transcripts;
}

void cm_arm_gates(const cm_arm *arm, const cm_gates *overrides, cm_gates *gates)
{
    cm_gates builtin;
    if (overrides)
        *gates = *overrides;
    else
        cm_gates_unset(gates);
    cm_gates_inherit(gates, &arm->gates);
    if (arm->protocol)
        cm_gates_inherit(gates, &arm->protocol->defaults);
    cm_gates_builtin(&builtin);
    cm_gates_inherit(gates, &builtin);
}

// Strongest first; the loader stores tiers in these spellings.
static const char *const escat_tiers[] = {"IA",   "IB",   "IC", "IIA", "IIB",
                                          "IIIA", "IIIB", "IV", "V",   "X"};
static const char *const oncokb_levels[] = {"1", "2", "3A", "3B", "4", "R1", "R2"};
#define N_ESCAT (int)(sizeof escat_tiers / sizeof escat_tiers[0])
#define N_ONCOKB (int)(sizeof oncokb_levels / sizeof oncokb_levels[0])

static int rank_of(const char *value, const char *const *names, int n)
{
    if (value)
        for (int i = 0; i < n; i++)
            if (strcmp(value, names[i]) == 0)
                return i;
    return n; // not given: after every level
}

int cm_arm_evidence_rank(const cm_arm *arm)
{
    return rank_of(arm->escat, escat_tiers, N_ESCAT) * (N_ONCOKB + 1) +
           rank_of(arm->oncokb, oncokb_levels, N_ONCOKB);
}
