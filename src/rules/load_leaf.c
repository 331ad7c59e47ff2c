/*
 * The loader's expressions: leaves (the keys of leaf_fields), all/any/not, names of
 * the protocol's `alterations:` block, and that block itself with its reference cycles.
 *
 * A leaf is read key by key in file order; which kinds of keys it mixes then decides
 * what it is (an alteration or a fact about the sample) and what it may not be (a
 * fusion beside small-variant keys, a protein change without a gene ...). A leaf with
 * errors still becomes a leaf, so that the walk goes on: the file is rejected anyway.
 */
#include "load_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

cm_expr *cm_load_expr_new(cm_loader *L, cm_expr_kind kind, const yaml_node_t *node, int n_children)
{
    cm_expr *expr = calloc(1, sizeof *expr);
    if (expr && n_children > 0) {
        expr->children = calloc((size_t)n_children, sizeof *expr->children);
        if (!expr->children) {
            free(expr);
            expr = NULL;
        }
    }
    if (!expr) {
        L->out_of_memory = 1;
        return NULL;
    }
    expr->kind = kind;
    expr->leaf = -1;
    expr->n_children = n_children;
    expr->line = (int)node->start_mark.line + 1;
    expr->column = (int)node->start_mark.column + 1;
    return expr;
}

/* ---- what leaf keys hold ----------------------------------------------------------------- */

static int read_protein(cm_loader *L, yaml_node_t *item, const char *name, void *element,
                        const void *array, int n_stored)
{
    (void)name, (void)array, (void)n_stored;
    const char *text = scalar(item);
    const char *why = NULL;
    if (cm_protein_pattern_parse(text, strlen(text), element, &why) == 0)
        return 1;
    cm_load_error(L, item, "malformed protein pattern '%s': %s", cm_load_show(L, text),
                  why ? why : "not HGVS p. notation");
    return 0;
}

static const cm_item_kind protein_item = {sizeof(cm_protein_pattern), read_protein};

static int read_consequence(cm_loader *L, yaml_node_t *item, const char *name, void *bits,
                            const void *array, int n_stored)
{
    (void)name, (void)array, (void)n_stored;
    const char *text = scalar(item);
    cm_consequence set = cm_consequence_rule_lookup(text, strlen(text));
    if (set == 0) {
        size_t n_names;
        const char *const *names = cm_consequence_rule_names(&n_names);
        cm_load_unknown(L, item, "consequence", text, names, n_names);
    }
    // `truncating` asks for a change that truncates: an exon loss in frame is not one (an
    // activating skipping such as MET exon 14), unless the leaf names exon loss otherwise.
    cm_leaf *leaf = (cm_leaf *)((char *)bits - offsetof(cm_leaf, consequences));
    cm_consequence exon_loss = CM_SO_BIT(CM_SO_EXON_LOSS_VARIANT);
    int had_exon_loss = (leaf->consequences & exon_loss) != 0;
    if (strcmp(text, "truncating") == 0)
        leaf->exon_loss_if_truncated = !had_exon_loss;
    else if (set & exon_loss)
        leaf->exon_loss_if_truncated = 0;
    *(cm_consequence *)bits |= set;
    return 1;
}

// Only for cm_leaf.consequences: read_consequence() reaches the leaf from that member.
static const cm_item_kind consequence_item = {0, read_consequence};

static int read_hgvsc(cm_loader *L, yaml_node_t *item, const char *name, void *element,
                      const void *array, int n_stored)
{
    (void)name, (void)array, (void)n_stored;
    const char *text = scalar(item);
    // Compared without the transcript: "NM_004333.6:c.1799T>A" keeps "c.1799T>A".
    const char *colon = strrchr(text, ':');
    const char *c = colon ? colon + 1 : text;
    if (strncmp(c, "c.", 2) != 0 || !c[2]) {
        cm_load_error(L, item, "'hgvsc' must be c. notation like c.1799T>A, not '%s'",
                      cm_load_show(L, text));
        return 0;
    }
    char **copy = element;
    *copy = cm_load_copy(L, c);
    return *copy != NULL;
}

static const cm_item_kind hgvsc_item = {sizeof(char *), read_hgvsc};

static char *copy_upper(cm_loader *L, const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy) {
        L->out_of_memory = 1;
        return NULL;
    }
    for (size_t i = 0; i < len; i++)
        copy[i] = (char)toupper((unsigned char)s[i]);
    copy[len] = '\0';
    return copy;
}

// The build is the leaf's or the protocol's, set once the whole leaf is read.
static int read_variant(cm_loader *L, yaml_node_t *item, const char *name, void *element,
                        const void *array, int n_stored)
{
    (void)name, (void)array, (void)n_stored;
    const char *text = scalar(item);
    cm_variant_parts parts;
    if (cm_load_parse_variant(text, &parts) < 0) {
        cm_load_error(L, item,
                      "'variant' must be chrom:pos:ref:alt like chr7:140753336:A:T, not '%s'",
                      cm_load_show(L, text));
        return 0;
    }
    cm_variant_key *key = element;
    key->chrom = strndup(parts.chrom, parts.chrom_len);
    key->pos = parts.pos;
    key->ref = copy_upper(L, parts.ref, parts.ref_len);
    key->alt = copy_upper(L, parts.alt, parts.alt_len);
    if (!key->chrom)
        L->out_of_memory = 1;
    return 1;
}

static const cm_item_kind variant_item = {sizeof(cm_variant_key), read_variant};

static int read_cnv(cm_loader *L, yaml_node_t *item, const char *name, void *bits,
                    const void *array, int n_stored)
{
    (void)name, (void)array, (void)n_stored;
    const cm_choices *cnv = &cm_cnv_choices;
    int c = cm_load_choice(L, item, "cnv", cnv->names, cnv->n);
    if (c >= 0)
        *(unsigned *)bits |= (unsigned)cnv->values[c];
    return 1;
}

static const cm_item_kind cnv_item = {0, read_cnv};

// CTML's word for "any gene but not intergenic" (fusion_partner_hugo_symbol: any_gene).
static int is_any_gene(const char *text)
{
    return strcasecmp(text, "any_gene") == 0 || strcasecmp(text, "any gene") == 0;
}

// A side of a fusion in `gene`: a gene symbol; "intergenic" or "any_gene" name no gene.
static int read_fusion_gene(cm_loader *L, yaml_node_t *item, const char *name, void *element,
                            const void *array, int n_stored)
{
    const char *text = scalar(item);
    if (strcasecmp(text, CM_INTERGENIC) == 0 || is_any_gene(text)) {
        cm_load_error(L, item,
                      "'%s' names no gene: the fusion's gene is a gene symbol; write it as the "
                      "partner (fusion: {gene: NTRK1, partner: %s})",
                      cm_load_show(L, text),
                      strcasecmp(text, CM_INTERGENIC) == 0 ? CM_INTERGENIC : "any_gene");
        return 0;
    }
    return cm_item_gene.read(L, item, name, element, array, n_stored);
}

static const cm_item_kind fusion_gene_item = {sizeof(int), read_fusion_gene};

// A partner: a gene symbol, or `intergenic` (stored as the symbol CM_INTERGENIC, the way
// readers write a side in no gene, so that the gene index finds it), in any case. any_gene
// is read by read_partners.
static int read_partner(cm_loader *L, yaml_node_t *item, const char *name, void *element,
                        const void *array, int n_stored)
{
    const char *text = scalar(item);
    if (is_any_gene(text))
        return 0;
    if (strcasecmp(text, CM_INTERGENIC) != 0)
        return cm_item_gene.read(L, item, name, element, array, n_stored);
    return cm_load_store_gene(L, CM_INTERGENIC, element, array, n_stored);
}

static const cm_item_kind partner_item = {sizeof(int), read_partner};

static void read_partners(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_leaf *leaf = destination;
    if (cm_load_list(L, value, "partner", &partner_item, &leaf->fusion_partners,
                     &leaf->n_fusion_partners) < 0)
        return;
    int n = value->type == YAML_SEQUENCE_NODE ? n_items(value) : 1;
    for (int i = 0; i < n; i++) {
        const char *text = scalar(value->type == YAML_SEQUENCE_NODE ? item_at(L, value, i) : value);
        if (text && is_any_gene(text))
            leaf->fusion_any_gene = 1;
    }
}

static const cm_field fusion_fields[] = {
    CM_FIELD_LIST("gene", cm_leaf, fusion_genes, n_fusion_genes, &fusion_gene_item,
                  CM_FIELD_REQUIRED),
    CM_FIELD_CUSTOM("partner", read_partners, 0),
    CM_FIELD_BOOL("in_frame", cm_leaf, fusion_in_frame, 0),
};

static void read_fusion(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_leaf *leaf = destination;
    leaf->is_fusion = 1;
    cm_load_mapping(L, value, "fusion", fusion_fields, COUNT(fusion_fields), leaf);
}

/* ---- leaves ------------------------------------------------------------------------------ */

// Leaf keys, grouped: what they select, what only narrows, what is about the sample. The
// order is the table's and the order of "did you mean" among equally close keys.
enum leaf_key {
    K_GENE,
    K_PROTEIN,
    K_CONSEQUENCE,
    K_EXON,
    K_INTRON,
    K_HGVSC,
    K_VARIANT,
    K_COPY_NUMBER,
    K_CNV,
    K_FUSION,
    K_BUILD,
    K_MIN_VAF,
    K_MIN_DEPTH,
    K_MIN_COUNT,
    K_BIALLELIC,
    K_TMB,
    K_MSI,
    K_MMR,
    K_AGE,
    K_SEX,
    K_BIOMARKER,
    K_COUNT
};

// What a key says about its leaf (a row's table flags).
enum {
    SELECTS = CM_FIELD_TABLE_FLAGS,  // names something to match on its own
    SMALL_VARIANT = SELECTS << 1,    // describes a small variant
    COPY_NUMBER = SELECTS << 2,      // describes a copy-number call
    NEEDS_GENE = SELECTS << 3,       // means nothing without a gene, variant or fusion
    SAMPLE = SELECTS << 4,           // a fact about the sample (the leaf has sample scope)
    ALONE_WITH_FUSION = SELECTS << 5 // cannot stand beside `fusion:`
};

// build is read by parse_leaf itself: it applies to the leaf's variants (CUSTOM, no read).
static const cm_field leaf_fields[K_COUNT] = {
    [K_GENE] =
        CM_FIELD_LIST("gene", cm_leaf, genes, n_genes, &cm_item_gene, SELECTS | ALONE_WITH_FUSION),
    [K_PROTEIN] = CM_FIELD_LIST("protein", cm_leaf, proteins, n_proteins, &protein_item,
                                SELECTS | SMALL_VARIANT | NEEDS_GENE | ALONE_WITH_FUSION),
    [K_CONSEQUENCE] = CM_FIELD_BITS("consequence", cm_leaf, consequences, &consequence_item,
                                    SELECTS | SMALL_VARIANT | NEEDS_GENE | ALONE_WITH_FUSION),
    [K_EXON] = CM_FIELD_LIST("exon", cm_leaf, exons, n_exons, &cm_item_range,
                             SELECTS | SMALL_VARIANT | NEEDS_GENE | ALONE_WITH_FUSION),
    [K_INTRON] = CM_FIELD_LIST("intron", cm_leaf, introns, n_introns, &cm_item_range,
                               SELECTS | SMALL_VARIANT | NEEDS_GENE | ALONE_WITH_FUSION),
    [K_HGVSC] = CM_FIELD_LIST("hgvsc", cm_leaf, hgvsc, n_hgvsc, &hgvsc_item,
                              SELECTS | SMALL_VARIANT | NEEDS_GENE | ALONE_WITH_FUSION),
    [K_VARIANT] = CM_FIELD_LIST("variant", cm_leaf, variants, n_variants, &variant_item,
                                SELECTS | SMALL_VARIANT | ALONE_WITH_FUSION),
    [K_COPY_NUMBER] = CM_FIELD_BOUNDS("copy_number", cm_leaf, copy_number_min, copy_number_max,
                                      SELECTS | COPY_NUMBER | NEEDS_GENE | ALONE_WITH_FUSION),
    [K_CNV] = CM_FIELD_BITS("cnv", cm_leaf, cnv, &cnv_item,
                            SELECTS | COPY_NUMBER | NEEDS_GENE | ALONE_WITH_FUSION),
    [K_FUSION] = CM_FIELD_CUSTOM("fusion", read_fusion, SELECTS),
    [K_BUILD] = CM_FIELD_CUSTOM("build", NULL, 0),
    [K_MIN_VAF] = CM_FIELD_NUMBER("min_vaf", cm_leaf, min_vaf, 0, 1, 0),
    [K_MIN_DEPTH] = CM_FIELD_WHOLE("min_depth", cm_leaf, min_depth, 0, 0),
    [K_MIN_COUNT] = CM_FIELD_WHOLE("min_count", cm_leaf, min_count, 1, 0),
    [K_BIALLELIC] = CM_FIELD_BOOL("biallelic", cm_leaf, biallelic, NEEDS_GENE),
    [K_TMB] = CM_FIELD_BOUNDS("tmb", cm_leaf, tmb_min, tmb_max, SELECTS | SAMPLE),
    [K_MSI] = CM_FIELD_CHOICE("msi", cm_leaf, msi, &cm_msi_choices, SELECTS | SAMPLE),
    [K_MMR] = CM_FIELD_CHOICE("mmr", cm_leaf, mmr, &cm_mmr_choices, SELECTS | SAMPLE),
    [K_AGE] = CM_FIELD_BOUNDS("age", cm_leaf, age_min, age_max, SELECTS | SAMPLE),
    [K_SEX] = CM_FIELD_CHOICE("sex", cm_leaf, sex, &cm_sex_choices, SELECTS | SAMPLE),
    [K_BIOMARKER] = CM_FIELD_CUSTOM("biomarker", cm_load_biomarker, SELECTS | SAMPLE),
};

// The first key given (in table order) with any of flags, or -1.
static int first_with(yaml_node_t *const *keys, unsigned flags)
{
    for (int k = 0; k < K_COUNT; k++)
        if (keys[k] && (leaf_fields[k].flags & flags))
            return k;
    return -1;
}

// Which kinds of keys the leaf mixes decides what it is, and what it may not be. keys holds
// the key node of each key given; a misspelt key already explains a leaf that seems to lack
// its gene or selector.
static void check_leaf(cm_loader *L, cm_leaf *leaf, yaml_node_t *map, yaml_node_t *const *keys,
                       cm_genome_build build, int has_unknown_key)
{
    int first_sample = first_with(keys, SAMPLE);
    if (first_sample >= 0) {
        leaf->scope = CM_LEAF_SAMPLE;
        int first_alteration = -1;
        for (int k = 0; k < K_COUNT && first_alteration < 0; k++)
            if (keys[k] && !(leaf_fields[k].flags & SAMPLE))
                first_alteration = k;
        if (first_alteration >= 0)
            cm_load_error(L, map,
                          "a leaf cannot mix sample keys ('%s') with alteration keys ('%s'); "
                          "combine them with all:",
                          leaf_fields[first_sample].key, leaf_fields[first_alteration].key);
        return;
    }
    if (has_unknown_key)
        return;
    if (first_with(keys, SELECTS) < 0) {
        cm_load_error(L, map, "leaf names nothing to match (add gene, variant or fusion)");
        return;
    }
    int first_small = first_with(keys, SMALL_VARIANT), first_copy = first_with(keys, COPY_NUMBER);
    if (keys[K_FUSION]) {
        for (int k = 0; k < K_COUNT; k++)
            if (keys[k] && (leaf_fields[k].flags & ALONE_WITH_FUSION))
                cm_load_error(L, keys[k], "'%s' cannot stand beside 'fusion'%s", leaf_fields[k].key,
                              k == K_GENE ? " (write fusion: {gene: ...})"
                                          : "; combine two leaves with all:");
    } else if (first_small >= 0 && first_copy >= 0) {
        int later = first_small > first_copy ? first_small : first_copy;
        cm_load_error(L, keys[later],
                      "'%s' and '%s' describe different alterations; combine two leaves with "
                      "all:",
                      leaf_fields[first_copy].key, leaf_fields[first_small].key);
    }
    int needs_gene = first_with(keys, NEEDS_GENE);
    if (!keys[K_GENE] && !keys[K_VARIANT] && !keys[K_FUSION] && needs_gene >= 0)
        cm_load_error(L, keys[needs_gene], "'%s' needs a gene in the same leaf",
                      leaf_fields[needs_gene].key);
    if (keys[K_BUILD] && !keys[K_VARIANT])
        cm_load_error(L, keys[K_BUILD], "'build' is only allowed beside 'variant'");
    if (keys[K_VARIANT]) {
        if (build == CM_BUILD_UNKNOWN && !keys[K_BUILD])
            build = L->protocol->build;
        if (build == CM_BUILD_UNKNOWN && !keys[K_BUILD])
            cm_load_error(L, keys[K_VARIANT],
                          "'variant' needs a genome build: add 'build: GRCh38' to the leaf or "
                          "the protocol");
        for (int i = 0; i < leaf->n_variants; i++)
            leaf->variants[i].build = build;
    }
}

static cm_expr *parse_leaf(cm_loader *L, yaml_node_t *map)
{
    // Every key a mapping in expression position may hold, for "did you mean".
    static const cm_field operators[] = {CM_FIELD_CUSTOM("all", NULL, 0),
                                         CM_FIELD_CUSTOM("any", NULL, 0),
                                         CM_FIELD_CUSTOM("not", NULL, 0)};
    int errors_before = L->n_errors;
    cm_load_check_fields(L, map, "leaf", leaf_fields, K_COUNT, operators, COUNT(operators));
    int has_unknown_key = L->n_errors > errors_before;
    int id = cm_ruleset_add_leaf(L->rules, (int)map->start_mark.line + 1,
                                 (int)map->start_mark.column + 1);
    cm_expr *expr = cm_load_expr_new(L, CM_EXPR_LEAF, map, 0);
    if (id < 0 || !expr) {
        L->out_of_memory = 1;
        free(expr);
        return NULL;
    }
    expr->leaf = id;
    cm_leaf *leaf = &L->rules->leaves[id];
    leaf->file = L->protocol->path;
    yaml_node_t *keys[K_COUNT] = {0}; // key node of each key given (first occurrence)
    cm_genome_build build = CM_BUILD_UNKNOWN;
    for (int i = 0; i < n_pairs(map); i++) {
        const char *k = scalar(pair_key(L, map, i));
        const cm_field *field = k ? cm_field_find(leaf_fields, K_COUNT, k) : NULL;
        if (!field || keys[field - leaf_fields])
            continue; // unknown or duplicate: reported by the check
        keys[field - leaf_fields] = pair_key(L, map, i);
        if (field == &leaf_fields[K_BUILD])
            build = cm_load_enum(L, pair_value(L, map, i), "build", &cm_build_choices);
        else
            cm_load_field(L, field, pair_value(L, map, i), map, leaf);
    }
    check_leaf(L, leaf, map, keys, build, has_unknown_key);
    return expr;
}

static const cm_named_alteration *find_named(cm_loader *L, const char *name)
{
    int i = cm_load_index_get(L->named_index, name);
    return i < 0 ? NULL : &L->protocol->named[i];
}

static cm_expr *parse_reference(cm_loader *L, yaml_node_t *node)
{
    const char *name = scalar(node);
    const cm_named_alteration *target = find_named(L, name);
    if (!target) {
        const char **names = calloc((size_t)L->protocol->n_named + 1, sizeof *names);
        for (int i = 0; names && i < L->protocol->n_named; i++)
            names[i] = L->protocol->named[i].name;
        char hint[160];
        const char *suggestion =
            names ? cm_load_nearest(name, (const char *const *)names, (size_t)L->protocol->n_named)
                  : NULL;
        if (suggestion)
            cm_load_error(L, node, "unknown alteration '%s'%s", cm_load_show(L, name),
                          cm_load_did_you_mean(hint, sizeof hint, suggestion));
        else
            cm_load_error(L, node, "unknown alteration '%s' (not defined under 'alterations:')",
                          cm_load_show(L, name));
        free(names);
        return NULL;
    }
    cm_expr *expr = cm_load_expr_new(L, CM_EXPR_REF, node, 0);
    if (expr)
        expr->target = target;
    return expr;
}

// `all:` / `any:` / `not:` alone in their mapping.
static cm_expr *parse_compound(cm_loader *L, yaml_node_t *map, const char *op, yaml_node_t *value)
{
    if (n_pairs(map) != 1) {
        cm_load_error(L, map, "'%s' must be the only key of its mapping (put leaf keys inside it)",
                      op);
        return NULL;
    }
    if (strcmp(op, "not") == 0) {
        if (value && value->type == YAML_SEQUENCE_NODE) {
            cm_load_error(L, value,
                          "'not' takes one expression, not a list (write not: {any: [...]})");
            return NULL;
        }
        cm_expr *child = cm_load_expr(L, value, "not");
        if (!child)
            return NULL;
        cm_expr *expr = cm_load_expr_new(L, CM_EXPR_NOT, map, 1);
        if (!expr) {
            cm_expr_free(child);
            return NULL;
        }
        expr->children[0] = child;
        return expr;
    }
    if (!value || value->type != YAML_SEQUENCE_NODE || n_items(value) == 0) {
        if (value && value->type == YAML_SEQUENCE_NODE)
            cm_load_error(L, value, "'%s' needs at least one expression", op);
        else
            cm_load_error(L, value ? value : map, "'%s' takes a list of expressions", op);
        return NULL;
    }
    int n = n_items(value);
    cm_expr *expr = cm_load_expr_new(L, strcmp(op, "all") == 0 ? CM_EXPR_ALL : CM_EXPR_ANY, map, n);
    if (!expr)
        return NULL;
    for (int i = 0; i < n; i++)
        expr->children[i] = cm_load_expr(L, item_at(L, value, i), op);
    return expr;
}

cm_expr *cm_load_expr(cm_loader *L, yaml_node_t *node, const char *name)
{
    if (!node || cm_load_is_null(node)) {
        cm_load_error(L, node, "'%s' is empty", name);
        return NULL;
    }
    switch (node->type) {
    case YAML_SCALAR_NODE:
        return parse_reference(L, node);
    case YAML_SEQUENCE_NODE: {
        int n = n_items(node);
        if (n == 0) {
            cm_load_error(L, node, "'%s' is an empty list", name);
            return NULL;
        }
        cm_expr *expr = cm_load_expr_new(L, CM_EXPR_ANY, node, n);
        if (!expr)
            return NULL;
        for (int i = 0; i < n; i++)
            expr->children[i] = cm_load_expr(L, item_at(L, node, i), name);
        return expr;
    }
    case YAML_MAPPING_NODE: {
        static const char *const operators[] = {"all", "any", "not"};
        if (n_pairs(node) == 0) {
            cm_load_error(L, node, "'%s' is an empty mapping", name);
            return NULL;
        }
        for (size_t i = 0; i < COUNT(operators); i++) {
            yaml_node_t *value = cm_load_get(L, node, operators[i]);
            if (value || cm_load_get_key(L, node, operators[i]))
                return parse_compound(L, node, operators[i], value);
        }
        return parse_leaf(L, node);
    }
    default:
        cm_load_error(L, node, "'%s' must be a name, a leaf or all/any/not", name);
        return NULL;
    }
}

/* ---- named alterations ------------------------------------------------------------------ */

// Calls visit on every named alteration an expression refers to, directly.
typedef void (*ref_visitor)(cm_loader *L, const cm_expr *ref, void *context);

static void each_reference(cm_loader *L, const cm_expr *expr, ref_visitor visit, void *context)
{
    if (!expr)
        return;
    if (expr->kind == CM_EXPR_REF && expr->target)
        visit(L, expr, context);
    for (int i = 0; i < expr->n_children; i++)
        each_reference(L, expr->children[i], visit, context);
}

typedef struct cycle_search {
    int *state; // 0 not seen, 1 on the path, 2 done
    int *path;
    int depth;
} cycle_search;

static void cycle_visit(cm_loader *L, const cm_expr *ref, void *context);

static void cycle_from(cm_loader *L, cycle_search *search, int i)
{
    search->state[i] = 1;
    search->path[search->depth++] = i;
    each_reference(L, L->protocol->named[i].expr, cycle_visit, search);
    search->depth--;
    search->state[i] = 2;
}

static void cycle_visit(cm_loader *L, const cm_expr *ref, void *context)
{
    cycle_search *search = context;
    int j = (int)(ref->target - L->protocol->named);
    if (search->state[j] == 0) {
        cycle_from(L, search, j);
    } else if (search->state[j] == 1) {
        // Back to a name on the path: the cycle runs from it to here and back.
        kstring_t names = {0, 0, NULL};
        int start = search->depth - 1;
        while (start > 0 && search->path[start] != j)
            start--;
        for (int p = start; p < search->depth; p++) {
            kputs(L->protocol->named[search->path[p]].name, &names);
            kputs(" -> ", &names);
        }
        kputs(L->protocol->named[j].name, &names);
        const cm_named_alteration *named = &L->protocol->named[j];
        cm_load_error_mark(L, named->line, named->column,
                           "reference cycle among named alterations: %s", names.s ? names.s : "");
        free(names.s);
    }
}

static void find_cycles(cm_loader *L)
{
    int n = L->protocol->n_named;
    cycle_search search = {calloc((size_t)n + 1, sizeof(int)), calloc((size_t)n + 1, sizeof(int)),
                           0};
    if (!search.state || !search.path) {
        L->out_of_memory = 1;
    } else {
        for (int i = 0; i < n; i++)
            if (search.state[i] == 0)
                cycle_from(L, &search, i);
    }
    free(search.state);
    free(search.path);
}

static void mark_used(cm_loader *L, const cm_expr *ref, void *context)
{
    (void)context;
    cm_named_alteration *named = &L->protocol->named[ref->target - L->protocol->named];
    if (named->is_used)
        return;
    named->is_used = 1;
    each_reference(L, named->expr, mark_used, NULL);
}

void cm_load_mark_used(cm_loader *L, const cm_expr *expr)
{
    each_reference(L, expr, mark_used, NULL);
}

void cm_load_named(cm_loader *L, yaml_node_t *map)
{
    if (map->type != YAML_MAPPING_NODE) {
        cm_load_error(L, map, "'alterations' must be a mapping of name: definition");
        return;
    }
    cm_load_check_duplicates(L, map, "named alteration");
    int n = n_pairs(map);
    cm_protocol *protocol = L->protocol;
    protocol->named = calloc((size_t)n + 1, sizeof *protocol->named);
    if (!protocol->named) {
        L->out_of_memory = 1;
        return;
    }
    // Names first, so that definitions may refer to names further down.
    int *index = calloc((size_t)n + 1, sizeof *index); // pair -> named entry, -1 if skipped
    if (!index) {
        L->out_of_memory = 1;
        return;
    }
    for (int i = 0; i < n; i++) {
        yaml_node_t *key = pair_key(L, map, i);
        const char *name = scalar(key);
        index[i] = -1;
        if (!name || find_named(L, name))
            continue; // reported by cm_load_check_duplicates
        if (!*name) {
            cm_load_error(L, key, "a named alteration needs a name");
            continue;
        }
        cm_named_alteration *named = &protocol->named[protocol->n_named];
        named->name = cm_load_copy(L, name);
        named->line = (int)key->start_mark.line + 1;
        named->column = (int)key->start_mark.column + 1;
        if (named->name &&
            cm_load_index_put(L, &L->named_index, named->name, protocol->n_named) == -1)
            index[i] = protocol->n_named++;
    }
    for (int i = 0; i < n; i++)
        if (index[i] >= 0)
            protocol->named[index[i]].expr =
                cm_load_expr(L, pair_value(L, map, i), protocol->named[index[i]].name);
    free(index);
    find_cycles(L);
}
