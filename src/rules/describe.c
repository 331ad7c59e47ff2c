/*
 * Rules in words: a compiled expression or leaf written back as short text
 * ("BRAF V600", "KRAS or NRAS G12, G13", "TMB >= 10"), for `cohortmatch
 * list` and the generated protocol tables. Reads the rule set, never changes it.
 */
#include <math.h>
#include <string.h>

#include "cohortmatch/rules.h"

static void join_genes(const cm_ruleset *rules, const int *genes, int n, kstring_t *out)
{
    for (int i = 0; i < n; i++) {
        if (i)
            kputs(i + 1 == n ? " or " : ", ", out);
        kputs(cm_ruleset_gene_name(rules, genes[i]), out);
    }
}

static void put_ranges(const char *what, const cm_range *ranges, int n, kstring_t *out)
{
    if (n == 0)
        return;
    ksprintf(out, " %s ", what);
    for (int i = 0; i < n; i++) {
        if (i)
            kputs(", ", out);
        if (ranges[i].min == ranges[i].max)
            kputw(ranges[i].min, out);
        else
            ksprintf(out, "%d-%d", ranges[i].min, ranges[i].max);
    }
}

static void put_bounds(const char *what, double min, double max, kstring_t *out)
{
    if (!isnan(min) && !isnan(max))
        ksprintf(out, "%s %g-%g", what, min, max);
    else if (!isnan(min))
        ksprintf(out, "%s >= %g", what, min);
    else
        ksprintf(out, "%s <= %g", what, max);
}

static const char *const cnv_names[] = {"amplification", "gain", "deletion", "homozygous deletion"};

static void describe_leaf(const cm_ruleset *rules, const cm_leaf *leaf, kstring_t *out)
{
    size_t start = out->l;
    if (leaf->scope == CM_LEAF_SAMPLE) {
        if (!isnan(leaf->tmb_min) || !isnan(leaf->tmb_max))
            put_bounds("TMB", leaf->tmb_min, leaf->tmb_max, out);
        if (leaf->msi != CM_MSI_UNSET) {
            if (out->l > start)
                kputs(", ", out);
            kputs(leaf->msi == CM_MSI_HIGH ? "MSI-high" : "MSS", out);
        }
        if (leaf->mmr != CM_MMR_UNSET) {
            if (out->l > start)
                kputs(", ", out);
            kputs(leaf->mmr == CM_MMR_DEFICIENT ? "dMMR" : "pMMR", out);
        }
        if (!isnan(leaf->age_min) || !isnan(leaf->age_max)) {
            if (out->l > start)
                kputs(", ", out);
            put_bounds("age", leaf->age_min, leaf->age_max, out);
        }
        if (leaf->sex != CM_SEX_UNSET) {
            if (out->l > start)
                kputs(", ", out);
            kputs(leaf->sex == CM_SEX_FEMALE ? "female" : "male", out);
        }
        if (leaf->biomarker) {
            // "hrd deficient", "signatures apobec or pole", "pdl1_tps >= 50"
            if (out->l > start)
                kputs(", ", out);
            if (leaf->n_biomarker_is == 0)
                put_bounds(leaf->biomarker, leaf->biomarker_min, leaf->biomarker_max, out);
            else
                kputs(leaf->biomarker, out);
            for (int i = 0; i < leaf->n_biomarker_is; i++) {
                kputs(i == 0 ? " " : i + 1 == leaf->n_biomarker_is ? " or " : ", ", out);
                kputs(leaf->biomarker_is[i], out);
            }
        }
        return;
    }
    if (leaf->is_fusion) {
        join_genes(rules, leaf->fusion_genes, leaf->n_fusion_genes, out);
        if (leaf->n_fusion_partners || leaf->fusion_any_gene) {
            kputs("::", out);
            join_genes(rules, leaf->fusion_partners, leaf->n_fusion_partners, out);
            if (leaf->fusion_any_gene)
                kputs(leaf->n_fusion_partners ? " or any gene" : "any gene", out);
        }
        kputs(leaf->fusion_in_frame == 1 ? " in-frame fusion" : " fusion", out);
        return;
    }
    join_genes(rules, leaf->genes, leaf->n_genes, out);
    for (int i = 0; i < leaf->n_proteins; i++) {
        kputs(i ? ", " : " ", out);
        cm_protein_pattern_format(&leaf->proteins[i], out);
    }
    put_ranges("exon", leaf->exons, leaf->n_exons, out);
    put_ranges("intron", leaf->introns, leaf->n_introns, out);
    if (leaf->consequences) {
        kputc(' ', out);
        // Name the class when the set is exactly one, else list the terms.
        size_t n_names;
        const char *const *names = cm_consequence_rule_names(&n_names);
        int named = 0;
        for (size_t i = 0; i < n_names && !named; i++)
            if (cm_consequence_rule_lookup(names[i], strlen(names[i])) == leaf->consequences) {
                kputs(names[i], out);
                named = 1;
            }
        if (!named)
            cm_consequence_format(leaf->consequences, out);
    }
    for (int i = 0; i < leaf->n_hgvsc; i++) {
        kputs(i ? ", " : " ", out);
        kputs(leaf->hgvsc[i], out);
    }
    for (int i = 0; i < leaf->n_variants; i++) {
        const cm_variant_key *key = &leaf->variants[i];
        if (out->l > start)
            kputs(i ? ", " : " ", out);
        ksprintf(out, "%s:%lld:%s:%s", key->chrom, key->pos, key->ref, key->alt);
    }
    if (leaf->cnv) {
        int first = 1;
        for (int bit = 0; bit < 4; bit++)
            if (leaf->cnv & (1u << bit)) {
                kputs(first ? " " : " or ", out);
                kputs(cnv_names[bit], out);
                first = 0;
            }
    }
    if (!isnan(leaf->copy_number_min) || !isnan(leaf->copy_number_max)) {
        kputc(' ', out);
        put_bounds("copy number", leaf->copy_number_min, leaf->copy_number_max, out);
    }
    if (leaf->min_count > 1)
        ksprintf(out, " (at least %d)", leaf->min_count);
    if (leaf->biallelic)
        kputs(" (bi-allelic)", out);
    if (!isnan(leaf->min_vaf))
        ksprintf(out, " (VAF >= %g)", leaf->min_vaf);
    if (leaf->min_depth >= 0)
        ksprintf(out, " (depth >= %d)", leaf->min_depth);
}

void cm_expr_describe(const cm_ruleset *rules, const cm_expr *expr, int expand_names,
                      kstring_t *out)
{
    if (!expr)
        return;
    switch (expr->kind) {
    case CM_EXPR_LEAF:
        describe_leaf(rules, cm_ruleset_leaf(rules, expr->leaf), out);
        break;
    case CM_EXPR_REF:
        if (expand_names)
            cm_expr_describe(rules, expr->target->expr, expand_names, out);
        else
            kputs(expr->target->name, out);
        break;
    case CM_EXPR_NOT: {
        const cm_expr *child = expr->children[0];
        while (expand_names && child->kind == CM_EXPR_REF)
            child = child->target->expr;
        int parenthesise =
            (child->kind == CM_EXPR_ALL || child->kind == CM_EXPR_ANY) && child->n_children > 1;
        kputs(parenthesise ? "not (" : "not ", out);
        cm_expr_describe(rules, expr->children[0], expand_names, out);
        if (parenthesise)
            kputc(')', out);
        break;
    }
    default:
        for (int i = 0; i < expr->n_children; i++) {
            if (i)
                kputs(expr->kind == CM_EXPR_ALL ? " and " : "; or ", out);
            const cm_expr *child = expr->children[i];
            while (expand_names && child->kind == CM_EXPR_REF)
                child = child->target->expr;
            int parenthesise =
                (child->kind == CM_EXPR_ALL || child->kind == CM_EXPR_ANY) && child->n_children > 1;
            if (parenthesise)
                kputc('(', out);
            cm_expr_describe(rules, expr->children[i], expand_names, out);
            if (parenthesise)
                kputc(')', out);
        }
    }
}
