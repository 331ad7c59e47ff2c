/*
 * The matcher. It owns the alterations that satisfied some leaf's selectors
 * and one transcript of each variant in a gene some rule names, for the
 * reports (copies; nothing else is kept from the stream), and the per-sample
 * verdicts.
 *
 * Two facts shape it. Quality gates depend on the arm (arm overrides, leaf
 * thresholds), so cm_matcher_add() records selector hits without gating and
 * the gates are applied per arm at the end; an arm that holds only without
 * the gates is reported with the gate that stopped it. And sample-level
 * leaves (TMB, MSI, ...) may be unknown, so expressions are evaluated in
 * three-valued (Kleene) logic: an arm that can be decided only with a missing
 * biomarker is reported as biomarker_missing, never dropped.
 */
#include "cohortmatch/match.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/khash.h>
#include <htslib/kstring.h>

KHASH_MAP_INIT_STR(variant_ids, int)
KHASH_SET_INIT_INT(variant_set)

static const char *const reason_names[] = {
    [CM_REASON_EXCLUDED_BY_ALTERATION] = "excluded_by_alteration",
    [CM_REASON_TUMOUR_TYPE_EXCLUDED] = "tumour_type_excluded",
    [CM_REASON_TUMOUR_TYPE_NOT_INCLUDED] = "tumour_type_not_included",
    [CM_REASON_COHORT_CLOSED] = "cohort_closed",
    [CM_REASON_BELOW_MIN_VAF] = "below_min_vaf",
    [CM_REASON_BELOW_MIN_DEPTH] = "below_min_depth",
    [CM_REASON_FILTERED] = "filtered",
    [CM_REASON_BIOMARKER_MISSING] = "biomarker_missing",
    [CM_REASON_AGE_OUT_OF_RANGE] = "age_out_of_range",
};

#define N_REASONS (sizeof reason_names / sizeof reason_names[0])

const char *cm_reason_name(cm_reason reason)
{
    return (size_t)reason < N_REASONS ? reason_names[reason] : "unknown";
}

int cm_reason_parse(const char *name, cm_reason *reason)
{
    for (size_t i = 0; i < N_REASONS; i++)
        if (strcmp(name, reason_names[i]) == 0) {
            *reason = (cm_reason)i;
            return 0;
        }
    return -1;
}

/// One alteration that satisfied one leaf's selectors.
typedef struct hit {
    int sample;
    int leaf;
    int stored; // index in matcher->store
} hit;

/// A stored alteration and the distinct variant/event it belongs to.
typedef struct stored_alteration {
    cm_owned_alteration owned;
    int variant;    // same id for every transcript of one sample x allele (or event)
    int is_counted; // satisfied a leaf's selectors (or completes a bi-allelic hit): it counts
                    // in the gate statistics; 0 when kept only for the alteration table
} stored_alteration;

/// An alteration kept for the reports' table of the sample's alterations in rule genes.
typedef struct listed_alteration {
    int sample;
    int stored;
} listed_alteration;

typedef enum truth { FALSE_ = 0, TRUE_ = 1, UNKNOWN_ = 2 } truth;

/// The gates in force for one arm, all fields set.
typedef struct arm_gates {
    double min_vaf;
    int min_depth;
    int pass_only;
    cm_transcript_policy transcripts;
} arm_gates;

typedef struct evidence_list {
    cm_evidence_item *items;
    size_t n, m;
} evidence_list;

struct cm_matcher {
    const cm_ruleset *rules;
    const cm_sample_profile **profiles; // borrowed; the array grows with cm_matcher_add_sample()
    size_t n_samples, m_samples;
    cm_gates overrides;
    cm_genome_build genome_build;
    int is_listing; // keep the alterations in rule genes (cm_matcher_list_alterations)
    const cm_cnv_thresholds **leaf_thresholds; // per leaf: its protocol's CNV thresholds

    stored_alteration *store;
    size_t n_store, m_store;
    hit *hits;
    size_t n_hits, m_hits;
    int *losses; // stored copy-number losses of genes a rule names (for biallelic)
    size_t n_losses, m_losses;
    listed_alteration *listed; // the alterations in rule genes, in the order offered
    size_t n_listed, m_listed;
    khash_t(variant_set) * listed_variants; // variants listed (or counted as not kept)
    size_t *n_listed_of, *n_not_kept_of;    // per sample (capacity m_samples)
    khash_t(variant_ids) * variant_ids;
    kstring_t key;
    // Per variant id, the last counting pass that counted it (eval_alteration_leaf): the same
    // variant read from two inputs is stored twice and must count once.
    unsigned *variant_marks;
    size_t m_variant_marks;
    unsigned mark;

    size_t *leaf_hits; // after finish: hits of (sample, leaf) are [leaf_hits[k], leaf_hits[k+1])
    cm_sample_result *results;
    cm_gate_counts gate_counts;
    int is_finished;
};

#define GROW(array, n, m)                                                                          \
    ((n) < (m) ? 0 : grow_array((void **)&(array), &(m), sizeof *(array), (n) + 1))

static int grow_array(void **array, size_t *capacity, size_t item_size, size_t needed)
{
    size_t capacity_new = *capacity ? *capacity : 16;
    while (capacity_new < needed)
        capacity_new *= 2;
    void *grown = realloc(*array, capacity_new * item_size);
    if (!grown)
        return -1;
    *array = grown;
    *capacity = capacity_new;
    return 0;
}

static void mark_leaf_thresholds(cm_matcher *matcher, const cm_expr *expr,
                                 const cm_cnv_thresholds *thresholds)
{
    if (!expr)
        return;
    switch (expr->kind) {
    case CM_EXPR_LEAF:
        matcher->leaf_thresholds[expr->leaf] = thresholds;
        break;
    case CM_EXPR_REF:
        mark_leaf_thresholds(matcher, expr->target->expr, thresholds);
        break;
    default:
        for (int i = 0; i < expr->n_children; i++)
            mark_leaf_thresholds(matcher, expr->children[i], thresholds);
    }
}

cm_matcher *cm_matcher_new(const cm_ruleset *rules, const cm_sample_profile *profiles,
                           size_t n_samples, const cm_gates *overrides)
{
    cm_matcher *matcher = calloc(1, sizeof *matcher);
    if (!matcher)
        return NULL;
    matcher->rules = rules;
    if (overrides)
        matcher->overrides = *overrides;
    else
        cm_gates_unset(&matcher->overrides);
    size_t n_leaves = cm_ruleset_n_leaves(rules);
    matcher->leaf_thresholds = calloc(n_leaves ? n_leaves : 1, sizeof *matcher->leaf_thresholds);
    matcher->variant_ids = kh_init(variant_ids);
    matcher->listed_variants = kh_init(variant_set);
    if (!matcher->leaf_thresholds || !matcher->variant_ids || !matcher->listed_variants) {
        cm_matcher_free(matcher);
        return NULL;
    }
    for (size_t i = 0; i < n_samples; i++)
        if (cm_matcher_add_sample(matcher, &profiles[i]) < 0) {
            cm_matcher_free(matcher);
            return NULL;
        }
    for (size_t p = 0; p < cm_ruleset_n_protocols(rules); p++) {
        const cm_protocol *protocol = cm_ruleset_protocol(rules, p);
        for (int a = 0; a < protocol->n_arms; a++) {
            mark_leaf_thresholds(matcher, protocol->arms[a].match, &protocol->cnv_thresholds);
            mark_leaf_thresholds(matcher, protocol->arms[a].exclude, &protocol->cnv_thresholds);
        }
    }
    return matcher;
}

int cm_matcher_add_sample(cm_matcher *matcher, const cm_sample_profile *profile)
{
    if (matcher->is_finished)
        return -1;
    if (matcher->n_samples == matcher->m_samples) {
        // The per-sample arrays grow together (doubling: a MAF adds its samples one at a time).
        size_t m = matcher->m_samples ? matcher->m_samples * 2 : 4;
        const cm_sample_profile **profiles =
            realloc(matcher->profiles, m * sizeof *matcher->profiles);
        if (!profiles)
            return -1;
        matcher->profiles = profiles;
        size_t *listed = realloc(matcher->n_listed_of, m * sizeof *listed);
        if (!listed)
            return -1;
        matcher->n_listed_of = listed;
        size_t *not_kept = realloc(matcher->n_not_kept_of, m * sizeof *not_kept);
        if (!not_kept)
            return -1;
        matcher->n_not_kept_of = not_kept;
        matcher->m_samples = m;
    }
    matcher->profiles[matcher->n_samples] = profile;
    matcher->n_listed_of[matcher->n_samples] = 0;
    matcher->n_not_kept_of[matcher->n_samples] = 0;
    return (int)matcher->n_samples++;
}

int cm_matcher_set_samples(cm_matcher *matcher, const cm_sample_profile *profiles, size_t n_samples)
{
    if (matcher->is_finished || n_samples < matcher->n_samples)
        return -1;
    // The array may have moved: every sample points into it again, and the new ones are added.
    for (size_t i = 0; i < matcher->n_samples; i++)
        matcher->profiles[i] = &profiles[i];
    while (matcher->n_samples < n_samples)
        if (cm_matcher_add_sample(matcher, &profiles[matcher->n_samples]) < 0)
            return -1;
    return 0;
}

static void free_result(cm_sample_result *result)
{
    for (size_t i = 0; i < result->n_candidates; i++) {
        free(result->candidates[i].matched);
        for (size_t k = 0; k < result->candidates[i].n_notes; k++)
            free(result->candidates[i].notes[k]);
        free(result->candidates[i].notes);
    }
    free(result->candidates);
    for (size_t i = 0; i < result->n_ruled_out; i++) {
        free(result->ruled_out[i].detail);
        free(result->ruled_out[i].matched);
    }
    free(result->ruled_out);
    free((void *)result->alterations);
}

void cm_matcher_free(cm_matcher *matcher)
{
    if (!matcher)
        return;
    for (size_t i = 0; i < matcher->n_store; i++)
        cm_owned_alteration_free(&matcher->store[i].owned);
    free(matcher->store);
    free(matcher->hits);
    free(matcher->losses);
    free(matcher->listed);
    if (matcher->listed_variants)
        kh_destroy(variant_set, matcher->listed_variants);
    free(matcher->n_listed_of);
    free(matcher->n_not_kept_of);
    if (matcher->variant_ids) {
        for (khint_t k = kh_begin(matcher->variant_ids); k != kh_end(matcher->variant_ids); k++)
            if (kh_exist(matcher->variant_ids, k))
                free((char *)kh_key(matcher->variant_ids, k));
        kh_destroy(variant_ids, matcher->variant_ids);
    }
    free(matcher->key.s);
    free(matcher->leaf_hits);
    if (matcher->results) {
        for (size_t i = 0; i < matcher->n_samples; i++)
            free_result(&matcher->results[i]);
        free(matcher->results);
    }
    free(matcher->leaf_thresholds);
    free(matcher->profiles);
    free(matcher->variant_marks);
    free(matcher);
}

/* ---- Selectors: does one alteration satisfy a leaf, gates aside? ---- */

static int slice_equals_case(cm_slice slice, const char *text)
{
    size_t len = strlen(text);
    if ((size_t)slice.len != len)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char a = slice.s[i], b = text[i];
        if (a >= 'a' && a <= 'z')
            a = (char)(a - 'a' + 'A');
        if (b >= 'a' && b <= 'z')
            b = (char)(b - 'a' + 'A');
        if (a != b)
            return 0;
    }
    return 1;
}

/// Chromosome names equal with or without a "chr" prefix (chr7 = 7, chrM = MT).
static int chrom_equals(cm_slice chrom, const char *text)
{
    if (chrom.len >= 3 && strncmp(chrom.s, "chr", 3) == 0) {
        chrom.s += 3;
        chrom.len -= 3;
    }
    if (strncmp(text, "chr", 3) == 0)
        text += 3;
    if (cm_slice_equals(chrom, "M") || cm_slice_equals(chrom, "MT"))
        return strcmp(text, "M") == 0 || strcmp(text, "MT") == 0;
    return cm_slice_equals(chrom, text);
}

static int in_ranges(int value, const cm_range *ranges, int n)
{
    if (value <= 0)
        return 0;
    for (int i = 0; i < n; i++)
        if (value >= ranges[i].min && value <= ranges[i].max)
            return 1;
    return 0;
}

// Whether one of the alteration's exons (exon..exon_last, an exon deletion or duplication; else
// exon alone) is in one of the ranges.
static int exons_in_ranges(const cm_alteration *alteration, const cm_range *ranges, int n)
{
    int first = alteration->exon,
        last = alteration->exon_last > first ? alteration->exon_last : first;
    if (first <= 0)
        return 0;
    for (int i = 0; i < n; i++)
        if (first <= ranges[i].max && last >= ranges[i].min)
            return 1;
    return 0;
}

// Whether the gene id (0: no gene, or one no rule names) is one of ids.
static int gene_in(int id, const int *ids, int n)
{
    if (id == 0)
        return 0;
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

static unsigned cnv_class(const cm_alteration *alteration, const cm_cnv_thresholds *thresholds)
{
    if (alteration->cnv)
        return alteration->cnv;
    double copies = alteration->copy_number;
    if (isnan(copies) || !thresholds)
        return 0;
    // One class, as docs/rules.md says: a homozygous deletion is not also a `deletion`.
    if (copies >= thresholds->amplification_min)
        return CM_CNV_AMPLIFICATION;
    if (copies >= thresholds->gain_min)
        return CM_CNV_GAIN;
    if (copies <= thresholds->homozygous_max)
        return CM_CNV_HOMOZYGOUS_DELETION;
    if (copies <= thresholds->deletion_max)
        return CM_CNV_DELETION;
    return 0;
}

static int hgvsc_equals(cm_slice hgvsc, const char *want)
{
    // Compare without the transcript prefix on either side.
    for (int i = hgvsc.len - 1; i >= 0; i--)
        if (hgvsc.s[i] == ':') {
            hgvsc.s += i + 1;
            hgvsc.len -= i + 1;
            break;
        }
    const char *colon = strrchr(want, ':');
    return cm_slice_equals(hgvsc, colon ? colon + 1 : want);
}

/// Whether the other side of a fusion (its rule-set id and its text) is a partner the leaf
/// allows: any when the leaf names none (intergenic too, as MatchMiner's structured SV query
/// leaves the partner unconstrained), one it lists (`intergenic` is listed as a symbol), or,
/// for `any_gene`, a side that names a gene.
static int partner_selects(const cm_leaf *leaf, int id, cm_slice side)
{
    if (leaf->n_fusion_partners == 0 && !leaf->fusion_any_gene)
        return 1;
    if (gene_in(id, leaf->fusion_partners, leaf->n_fusion_partners))
        return 1;
    return leaf->fusion_any_gene && side.len > 0 && !cm_slice_equals(side, CM_INTERGENIC);
}

// gene and partner are the rule-set ids of the alteration's gene and fusion partner (0 for
// none), looked up once per alteration rather than once per leaf.
static int leaf_selects(const cm_matcher *matcher, const cm_leaf *leaf,
                        const cm_alteration *alteration, int gene, int partner)
{
    int wants_fusion = leaf->is_fusion;
    int wants_copy_number =
        leaf->cnv != 0 || !isnan(leaf->copy_number_min) || !isnan(leaf->copy_number_max);
    cm_alteration_kind kind = wants_fusion        ? CM_ALTERATION_FUSION
                              : wants_copy_number ? CM_ALTERATION_COPY_NUMBER
                                                  : CM_ALTERATION_SMALL;
    if (alteration->kind != kind)
        return 0;
    if (wants_fusion) {
        int forward = gene_in(gene, leaf->fusion_genes, leaf->n_fusion_genes) &&
                      partner_selects(leaf, partner, alteration->partner);
        int reverse = gene_in(partner, leaf->fusion_genes, leaf->n_fusion_genes) &&
                      partner_selects(leaf, gene, alteration->gene);
        if (!forward && !reverse)
            return 0;
        // A caller that does not give the frame is not proof of the wrong frame.
        if (leaf->fusion_in_frame >= 0 && alteration->in_frame >= 0 &&
            alteration->in_frame != leaf->fusion_in_frame)
            return 0;
    }
    if (leaf->n_genes > 0 && !gene_in(gene, leaf->genes, leaf->n_genes))
        return 0;
    if (leaf->n_proteins > 0) {
        int any = 0;
        for (int i = 0; i < leaf->n_proteins && !any; i++)
            any = cm_protein_pattern_matches(&leaf->proteins[i], &alteration->protein);
        if (!any)
            return 0;
    }
    if (leaf->consequences) {
        cm_consequence wanted = leaf->consequences;
        // An exon loss that keeps the frame (LINX EXON_DEL_DUP) is not `truncating`.
        if (leaf->exon_loss_if_truncated && alteration->in_frame == 1)
            wanted &= ~CM_SO_BIT(CM_SO_EXON_LOSS_VARIANT);
        if (!(wanted & alteration->consequence))
            return 0;
    }
    if (leaf->n_exons > 0 && !exons_in_ranges(alteration, leaf->exons, leaf->n_exons))
        return 0;
    if (leaf->n_introns > 0 && !in_ranges(alteration->intron, leaf->introns, leaf->n_introns))
        return 0;
    if (leaf->n_hgvsc > 0) {
        int any = 0;
        for (int i = 0; i < leaf->n_hgvsc && !any; i++)
            any = hgvsc_equals(alteration->hgvsc, leaf->hgvsc[i]);
        if (!any)
            return 0;
    }
    if (leaf->n_variants > 0) {
        int any = 0;
        for (int i = 0; i < leaf->n_variants && !any; i++) {
            const cm_variant_key *key = &leaf->variants[i];
            if (key->build != CM_BUILD_UNKNOWN && matcher->genome_build != CM_BUILD_UNKNOWN &&
                key->build != matcher->genome_build)
                continue;
            any = alteration->pos == key->pos && chrom_equals(alteration->chrom, key->chrom) &&
                  slice_equals_case(alteration->ref, key->ref) &&
                  slice_equals_case(alteration->alt, key->alt);
        }
        if (!any)
            return 0;
    }
    if (wants_copy_number) {
        double copies = alteration->copy_number;
        if (!isnan(leaf->copy_number_min) && !(copies >= leaf->copy_number_min))
            return 0;
        if (!isnan(leaf->copy_number_max) && !(copies <= leaf->copy_number_max))
            return 0;
        if (leaf->cnv && !(leaf->cnv & cnv_class(alteration, matcher->leaf_thresholds[leaf->id])))
            return 0;
    }
    return 1;
}

void cm_matcher_list_alterations(cm_matcher *matcher, int is_on)
{
    matcher->is_listing = is_on;
}

void cm_matcher_set_genome_build(cm_matcher *matcher, cm_genome_build build)
{
    matcher->genome_build = build;
}

/* ---- Streaming ---- */

/// The id of the variant or event an alteration belongs to: every transcript of one
/// sample x allele shares it, so that counts and reports see variants, not transcripts. The
/// same variant read from two inputs (a PURPLE VCF and ORANGE, chr7 or 7) shares it too; a
/// copy-number change or fusion is one event per gene (pair), whichever records or files
/// describe it.
static int variant_id(cm_matcher *matcher, const cm_alteration *alteration)
{
    kstring_t *key = &matcher->key;
    key->l = 0;
    cm_alteration_identity(alteration, key);
    int absent;
    khint_t k = kh_put(variant_ids, matcher->variant_ids, key->s, &absent);
    if (absent < 0)
        return -1;
    if (absent) {
        char *copy = strdup(key->s);
        if (!copy) {
            kh_del(variant_ids, matcher->variant_ids, k);
            return -1;
        }
        kh_key(matcher->variant_ids, k) = copy;
        kh_value(matcher->variant_ids, k) = (int)kh_size(matcher->variant_ids) - 1;
    }
    return kh_value(matcher->variant_ids, k);
}

static int store_alteration(cm_matcher *matcher, const cm_alteration *alteration, int is_counted)
{
    if (GROW(matcher->store, matcher->n_store, matcher->m_store) < 0)
        return -1;
    int variant = variant_id(matcher, alteration);
    if (variant < 0)
        return -1;
    stored_alteration *stored = &matcher->store[matcher->n_store];
    if (cm_alteration_copy(alteration, &stored->owned) < 0)
        return -1;
    stored->variant = variant;
    stored->is_counted = is_counted;
    return (int)matcher->n_store++;
}

/// Keeps an alteration of a rule gene for the reports' alteration table, unless another
/// transcript of its variant is kept already or its sample has reached the limit (then it
/// is counted).
static int list_alteration(cm_matcher *matcher, const cm_alteration *alteration, int *stored)
{
    int variant = *stored >= 0 ? matcher->store[*stored].variant : variant_id(matcher, alteration);
    if (variant < 0)
        return -1;
    int absent;
    kh_put(variant_set, matcher->listed_variants, variant, &absent);
    if (absent < 0)
        return -1;
    if (!absent)
        return 0;
    size_t sample = (size_t)alteration->sample;
    if (matcher->n_listed_of[sample] >= CM_MATCH_MAX_SAMPLE_ALTERATIONS) {
        matcher->n_not_kept_of[sample]++;
        return 0;
    }
    if (*stored < 0 && (*stored = store_alteration(matcher, alteration, 0)) < 0)
        return -1;
    if (GROW(matcher->listed, matcher->n_listed, matcher->m_listed) < 0)
        return -1;
    matcher->listed[matcher->n_listed++] = (listed_alteration){alteration->sample, *stored};
    matcher->n_listed_of[sample]++;
    return 0;
}

static int add_hit(cm_matcher *matcher, int leaf, const cm_alteration *alteration, int *stored)
{
    if (*stored < 0) {
        if ((*stored = store_alteration(matcher, alteration, 1)) < 0)
            return -1;
        // Reports show the class a copy number was read as (under this leaf's protocol).
        cm_alteration *copy = &matcher->store[*stored].owned.alteration;
        if (copy->kind == CM_ALTERATION_COPY_NUMBER && !copy->cnv)
            copy->cnv = cnv_class(copy, matcher->leaf_thresholds[leaf]);
    }
    if (GROW(matcher->hits, matcher->n_hits, matcher->m_hits) < 0)
        return -1;
    matcher->hits[matcher->n_hits++] = (hit){alteration->sample, leaf, *stored};
    return 0;
}

int cm_matcher_add(cm_matcher *matcher, const cm_alteration *alteration)
{
    if (alteration->sample < 0 || (size_t)alteration->sample >= matcher->n_samples)
        return 0;
    int stored = -1;
    const cm_ruleset *rules = matcher->rules;
    int gene = alteration->gene.len
                   ? cm_ruleset_gene_lookup(rules, alteration->gene.s, (size_t)alteration->gene.len)
                   : 0;
    int partner =
        alteration->kind == CM_ALTERATION_FUSION && alteration->partner.len
            ? cm_ruleset_gene_lookup(rules, alteration->partner.s, (size_t)alteration->partner.len)
            : 0;
    size_t n = 0;
    const int *leaves = gene ? cm_ruleset_gene_leaves(rules, gene, &n) : NULL;
    for (size_t i = 0; i < n; i++)
        if (leaf_selects(matcher, cm_ruleset_leaf(rules, leaves[i]), alteration, gene, partner) &&
            add_hit(matcher, leaves[i], alteration, &stored) < 0)
            return -1;
    // A fusion is indexed under both of its genes: look the partner up too.
    if (partner) {
        const int *partner_leaves = cm_ruleset_gene_leaves(rules, partner, &n);
        for (size_t i = 0; partner_leaves && i < n; i++) {
            int already = 0;
            for (size_t h = matcher->n_hits;
                 h-- > 0 && matcher->hits[h].stored == stored && stored >= 0;)
                if (matcher->hits[h].leaf == partner_leaves[i])
                    already = 1;
            if (!already &&
                leaf_selects(matcher, cm_ruleset_leaf(rules, partner_leaves[i]), alteration, gene,
                             partner) &&
                add_hit(matcher, partner_leaves[i], alteration, &stored) < 0)
                return -1;
        }
    }
    const int *geneless = cm_ruleset_geneless_leaves(rules, &n);
    for (size_t i = 0; i < n; i++)
        if (leaf_selects(matcher, cm_ruleset_leaf(rules, geneless[i]), alteration, gene, partner) &&
            add_hit(matcher, geneless[i], alteration, &stored) < 0)
            return -1;
    // Losses of a gene some rule names complete a bi-allelic hit (one mutation + deletion).
    if (gene && alteration->kind == CM_ALTERATION_COPY_NUMBER) {
        static const cm_cnv_thresholds default_thresholds = {6, 3, 1, 0.5};
        if (cnv_class(alteration, &default_thresholds) &
            (CM_CNV_DELETION | CM_CNV_HOMOZYGOUS_DELETION)) {
            if (stored < 0 && (stored = store_alteration(matcher, alteration, 1)) < 0)
                return -1;
            matcher->store[stored].is_counted = 1;
            if (GROW(matcher->losses, matcher->n_losses, matcher->m_losses) < 0)
                return -1;
            matcher->losses[matcher->n_losses++] = stored;
        }
    }
    // Every variant in a rule gene, once (its first preferred transcript), for the reports.
    int partner_is_gene = partner && !cm_slice_equals(alteration->partner, CM_INTERGENIC);
    if (matcher->is_listing && (gene || partner_is_gene) &&
        (alteration->kind != CM_ALTERATION_SMALL || alteration->is_preferred))
        return list_alteration(matcher, alteration, &stored);
    return 0;
}

/* ---- Evaluation ---- */

static arm_gates gates_for_arm(const cm_matcher *matcher, const cm_arm *arm)
{
    cm_gates gates;
    cm_arm_gates(arm, &matcher->overrides, &gates);
    return (arm_gates){gates.min_vaf, gates.min_depth, gates.pass_only, gates.transcripts};
}

/// The VAF gate of a leaf under an arm's gates: the leaf's own, else the arm's (NAN: none).
static double leaf_min_vaf(const cm_leaf *leaf, const arm_gates *gates)
{
    return isnan(leaf->min_vaf) ? gates->min_vaf : leaf->min_vaf;
}

/// The first gate an alteration fails for a leaf under an arm's gates, or -1 if it passes.
static int failed_gate(const cm_leaf *leaf, const arm_gates *gates, const cm_alteration *alt)
{
    double min_vaf = leaf_min_vaf(leaf, gates);
    int min_depth = leaf->min_depth >= 0 ? leaf->min_depth : gates->min_depth;
    if (gates->pass_only && !alt->is_pass)
        return CM_REASON_FILTERED;
    if (alt->depth >= 0 && min_depth > 0 && alt->depth < min_depth)
        return CM_REASON_BELOW_MIN_DEPTH;
    if (!isnan(alt->vaf) && !isnan(min_vaf) && alt->vaf < min_vaf)
        return CM_REASON_BELOW_MIN_VAF;
    return -1;
}

typedef struct eval_context {
    cm_matcher *matcher;
    size_t sample;
    const arm_gates *gates;
    int gated;               // apply the quality gates
    int optimistic;          // resolve an unknown sample fact the way that makes the whole true
    int polarity;            // 1, or 0 under an odd number of `not`s
    evidence_list *evidence; // where witnesses of a true result go (NULL: none wanted)
} eval_context;

static int push_evidence(evidence_list *list, const cm_alteration *alteration, int leaf)
{
    if (!list)
        return 0;
    if (GROW(list->items, list->n, list->m) < 0)
        return -1;
    list->items[list->n++] = (cm_evidence_item){alteration, NULL, leaf};
    return 0;
}

static int counts_for_policy(const arm_gates *gates, const cm_alteration *alteration)
{
    return gates->transcripts != CM_TRANSCRIPTS_PREFERRED || alteration->is_preferred;
}

/// The profile's named biomarker (names are stored lower case, as leaves hold them), or NULL.
static const cm_biomarker *find_biomarker(const cm_sample_profile *profile, const char *name)
{
    for (size_t i = 0; i < profile->n_biomarkers; i++)
        if (strcmp(profile->biomarkers[i].name, name) == 0)
            return &profile->biomarkers[i];
    return NULL;
}

/// Whether any value of the biomarker is any of the leaf's `is` words.
static int biomarker_is(const cm_leaf *leaf, const cm_biomarker *biomarker)
{
    for (int v = 0; v < biomarker->n_values; v++)
        for (int w = 0; w < leaf->n_biomarker_is; w++)
            if (cm_biomarker_value_is(leaf->biomarker, biomarker->values[v], leaf->biomarker_is[w]))
                return 1;
    return 0;
}

static int has_biomarker_bounds(const cm_leaf *leaf)
{
    return !isnan(leaf->biomarker_min) || !isnan(leaf->biomarker_max);
}

static truth eval_sample_leaf(const cm_leaf *leaf, const cm_sample_profile *profile)
{
    truth result = TRUE_;
#define CHECK(known, holds)                                                                        \
    do {                                                                                           \
        if (!(known))                                                                              \
            result = result == FALSE_ ? FALSE_ : UNKNOWN_;                                         \
        else if (!(holds))                                                                         \
            result = FALSE_;                                                                       \
    } while (0)
    if (!isnan(leaf->tmb_min) || !isnan(leaf->tmb_max))
        CHECK(!isnan(profile->tmb), (isnan(leaf->tmb_min) || profile->tmb >= leaf->tmb_min) &&
                                        (isnan(leaf->tmb_max) || profile->tmb <= leaf->tmb_max));
    if (leaf->msi != CM_MSI_UNSET)
        CHECK(profile->msi != CM_MSI_UNSET, profile->msi == leaf->msi);
    if (leaf->mmr != CM_MMR_UNSET)
        CHECK(profile->mmr != CM_MMR_UNSET, profile->mmr == leaf->mmr);
    if (!isnan(leaf->age_min) || !isnan(leaf->age_max))
        CHECK(!isnan(profile->age), (isnan(leaf->age_min) || profile->age >= leaf->age_min) &&
                                        (isnan(leaf->age_max) || profile->age <= leaf->age_max));
    if (leaf->sex != CM_SEX_UNSET)
        CHECK(profile->sex != CM_SEX_UNSET, profile->sex == leaf->sex);
    if (leaf->biomarker) {
        // A value that is not a number is not given for min/max (docs/rules.md).
        const cm_biomarker *b = find_biomarker(profile, leaf->biomarker);
        if (leaf->n_biomarker_is > 0)
            CHECK(b != NULL, biomarker_is(leaf, b));
        if (has_biomarker_bounds(leaf))
            CHECK(b && !isnan(b->number),
                  (isnan(leaf->biomarker_min) || b->number >= leaf->biomarker_min) &&
                      (isnan(leaf->biomarker_max) || b->number <= leaf->biomarker_max));
    }
#undef CHECK
    return result;
}

/// Is there a copy-number loss of this gene in the sample?
static const cm_alteration *gene_loss(const cm_matcher *matcher, size_t sample, cm_slice gene)
{
    for (size_t i = 0; i < matcher->n_losses; i++) {
        const cm_alteration *loss = &matcher->store[matcher->losses[i]].owned.alteration;
        if ((size_t)loss->sample == sample && loss->gene.len == gene.len &&
            memcmp(loss->gene.s, gene.s, (size_t)gene.len) == 0)
            return loss;
    }
    return NULL;
}

static int same_gene(cm_slice a, cm_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, (size_t)a.len) == 0);
}

/// An alteration leaf holds when, in one gene, at least min_count distinct variants pass
/// the selectors and gates (and, for biallelic, both copies are hit). Counting is per gene:
/// a BRCA1 hit and a BRCA2 hit are not two hits of one gene.
static truth eval_alteration_leaf(eval_context *context, const cm_leaf *leaf)
{
    cm_matcher *matcher = context->matcher;
    size_t n_leaves = cm_ruleset_n_leaves(matcher->rules);
    size_t slot = context->sample * n_leaves + (size_t)leaf->id;
    size_t begin = matcher->leaf_hits[slot], end = matcher->leaf_hits[slot + 1];
    int min_count = leaf->min_count > 0 ? leaf->min_count : 1;
    int holds = 0;
    size_t evidence_start = context->evidence ? context->evidence->n : 0;
    // Hits are sorted by store index and a variant's transcripts are stored together,
    // preferred first, so the first qualifying hit of each variant stands for it.
    for (size_t g = begin; g < end; g++) {
        const cm_alteration *lead = &matcher->store[matcher->hits[g].stored].owned.alteration;
        int is_first_of_gene = 1;
        for (size_t k = begin; k < g && is_first_of_gene; k++)
            is_first_of_gene = !same_gene(
                matcher->store[matcher->hits[k].stored].owned.alteration.gene, lead->gene);
        if (!is_first_of_gene)
            continue;
        int distinct = 0, homozygous = 0;
        unsigned mark = ++matcher->mark;
        if (mark == 0) { // the counter wrapped: forget every old mark
            memset(matcher->variant_marks, 0,
                   matcher->m_variant_marks * sizeof *matcher->variant_marks);
            mark = matcher->mark = 1;
        }
        size_t gene_evidence_start = context->evidence ? context->evidence->n : 0;
        for (size_t h = g; h < end; h++) {
            const stored_alteration *stored = &matcher->store[matcher->hits[h].stored];
            const cm_alteration *alteration = &stored->owned.alteration;
            if (!same_gene(alteration->gene, lead->gene) ||
                !counts_for_policy(context->gates, alteration) ||
                (context->gated && failed_gate(leaf, context->gates, alteration) >= 0) ||
                matcher->variant_marks[stored->variant] == mark)
                continue;
            matcher->variant_marks[stored->variant] = mark;
            distinct++;
            homozygous |= alteration->is_homozygous;
            if (push_evidence(context->evidence, alteration, leaf->id) < 0)
                return UNKNOWN_;
        }
        int gene_holds = distinct >= min_count;
        if (gene_holds && leaf->biallelic && distinct < 2 && !homozygous) {
            const cm_alteration *loss = gene_loss(matcher, context->sample, lead->gene);
            gene_holds = loss != NULL;
            if (loss && push_evidence(context->evidence, loss, leaf->id) < 0)
                return UNKNOWN_;
        }
        if (!gene_holds && context->evidence)
            context->evidence->n = gene_evidence_start;
        holds |= gene_holds;
    }
    if (!holds && context->evidence)
        context->evidence->n = evidence_start;
    return holds ? TRUE_ : FALSE_;
}

static truth eval_expr(eval_context *context, const cm_expr *expr)
{
    evidence_list *evidence = context->evidence;
    size_t start = evidence ? evidence->n : 0;
    truth result;
    switch (expr->kind) {
    case CM_EXPR_LEAF: {
        const cm_leaf *leaf = cm_ruleset_leaf(context->matcher->rules, expr->leaf);
        if (leaf->scope == CM_LEAF_SAMPLE) {
            result = eval_sample_leaf(leaf, context->matcher->profiles[context->sample]);
            if (result == UNKNOWN_ && context->optimistic) {
                result = context->polarity ? TRUE_ : FALSE_;
                break; // an assumed fact is no evidence
            }
            // A sample fact that holds is evidence too (alteration NULL: a biomarker).
            if (result == TRUE_ && push_evidence(evidence, NULL, leaf->id) < 0)
                result = UNKNOWN_;
        } else {
            result = eval_alteration_leaf(context, leaf);
        }
        break;
    }
    case CM_EXPR_REF:
        result = eval_expr(context, expr->target->expr);
        // Name the witnesses after the innermost named alteration they satisfied.
        for (size_t i = start; evidence && i < evidence->n; i++)
            if (!evidence->items[i].name)
                evidence->items[i].name = expr->target->name;
        break;
    case CM_EXPR_ALL:
        result = TRUE_;
        for (int i = 0; i < expr->n_children; i++) {
            truth child = eval_expr(context, expr->children[i]);
            if (child == FALSE_)
                result = FALSE_;
            else if (child == UNKNOWN_ && result == TRUE_)
                result = UNKNOWN_;
        }
        break;
    case CM_EXPR_ANY:
        result = FALSE_;
        for (int i = 0; i < expr->n_children; i++) {
            size_t child_start = evidence ? evidence->n : 0;
            truth child = eval_expr(context, expr->children[i]);
            if (child == TRUE_)
                result = TRUE_;
            else {
                if (child == UNKNOWN_ && result == FALSE_)
                    result = UNKNOWN_;
                if (evidence)
                    evidence->n = child_start; // only true branches explain the result
            }
        }
        break;
    case CM_EXPR_NOT: {
        context->evidence = NULL; // what is absent explains nothing
        context->polarity = !context->polarity;
        truth child = eval_expr(context, expr->children[0]);
        context->polarity = !context->polarity;
        context->evidence = evidence;
        result = child == UNKNOWN_ ? UNKNOWN_ : child == TRUE_ ? FALSE_ : TRUE_;
        break;
    }
    default:
        result = FALSE_;
    }
    if (result != TRUE_ && evidence)
        evidence->n = start;
    return result;
}

enum { STRICT = 0, OPTIMISTIC = 1 };

static truth evaluate(cm_matcher *matcher, size_t sample, const arm_gates *gates, int gated,
                      int optimistic, const cm_expr *expr, evidence_list *evidence)
{
    eval_context context = {matcher, sample, gates, gated, optimistic, 1, evidence};
    if (evidence)
        evidence->n = 0;
    return expr ? eval_expr(&context, expr) : FALSE_;
}

/* ---- Verdicts ---- */

/// Keeps one evidence item per distinct stored variant, in order; copies into *out.
static int take_evidence(const evidence_list *list, cm_evidence_item **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    if (list->n == 0)
        return 0;
    cm_evidence_item *items = malloc(list->n * sizeof *items);
    // The variants already taken, in a set: a pairwise scan made an arm with 200,000
    // matching records take minutes (issue 7).
    khash_t(variant_set) *taken = kh_init(variant_set);
    if (!items || !taken) {
        free(items);
        if (taken)
            kh_destroy(variant_set, taken);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++) {
        // Every alteration here points into the matcher's store (a stored_alteration).
        const cm_alteration *alteration = list->items[i].alteration;
        int duplicate = 0;
        if (alteration) {
            const stored_alteration *stored = (const stored_alteration *)(const void *)alteration;
            int absent;
            kh_put(variant_set, taken, stored->variant, &absent);
            if (absent < 0) {
                free(items);
                kh_destroy(variant_set, taken);
                return -1;
            }
            duplicate = absent == 0;
        } else {
            // A sample-level leaf (TMB, MSI, ...): one item per leaf; these are few.
            for (size_t k = 0; k < n && !duplicate; k++)
                duplicate = !items[k].alteration && items[k].leaf == list->items[i].leaf;
        }
        if (!duplicate)
            items[n++] = list->items[i];
    }
    kh_destroy(variant_set, taken);
    *out = items;
    *n_out = n;
    return 0;
}

static void describe_alteration(const cm_alteration *alteration, kstring_t *out)
{
    if (alteration->kind != CM_ALTERATION_FUSION)
        kputsn(alteration->gene.s, (size_t)alteration->gene.len, out);
    if (alteration->kind == CM_ALTERATION_FUSION) {
        // "5'::3'" only when the caller said which side is 5' (as the text report writes it).
        int partner_first = alteration->is_five_prime == 0;
        cm_slice first = partner_first ? alteration->partner : alteration->gene;
        cm_slice second = partner_first ? alteration->gene : alteration->partner;
        kputsn(first.s, (size_t)first.len, out);
        kputs(alteration->is_five_prime >= 0 ? "::" : "/", out);
        kputsn(second.s, (size_t)second.len, out);
        kputs(" fusion", out);
    } else if (alteration->kind == CM_ALTERATION_COPY_NUMBER) {
        kputs(" copy number ", out);
        if (isnan(alteration->copy_number))
            kputs("change", out);
        else
            ksprintf(out, "%g", alteration->copy_number);
    } else if (alteration->protein.kind != CM_PROTEIN_NONE &&
               alteration->protein.kind != CM_PROTEIN_UNPARSED) {
        kputc(' ', out);
        cm_protein_change_format_hgvs(&alteration->protein, out);
    } else if (alteration->hgvsc.len) {
        kputc(' ', out);
        kputsn(alteration->hgvsc.s, (size_t)alteration->hgvsc.len, out);
    } else {
        ksprintf(out, " %.*s:%lld:%.*s:%.*s", alteration->chrom.len, alteration->chrom.s,
                 (long long)alteration->pos, alteration->ref.len, alteration->ref.s,
                 alteration->alt.len, alteration->alt.s);
    }
}

static void describe_biomarker(const cm_leaf *leaf, kstring_t *out)
{
    if (!isnan(leaf->tmb_min) || !isnan(leaf->tmb_max))
        kputs("TMB", out);
    else if (leaf->msi != CM_MSI_UNSET)
        kputs(leaf->msi == CM_MSI_HIGH ? "MSI-high" : "MSS", out);
    else if (leaf->mmr != CM_MMR_UNSET)
        kputs(leaf->mmr == CM_MMR_DEFICIENT ? "dMMR" : "pMMR", out);
    else if (!isnan(leaf->age_min) || !isnan(leaf->age_max))
        kputs("age", out);
    else if (leaf->biomarker)
        kputs(leaf->biomarker, out);
    else
        kputs("sex", out);
}

static void describe_evidence(const cm_ruleset *rules, const cm_evidence_item *item, kstring_t *out)
{
    if (item->alteration)
        describe_alteration(item->alteration, out);
    else
        describe_biomarker(cm_ruleset_leaf(rules, item->leaf), out);
    if (item->name)
        ksprintf(out, " (%s)", item->name);
}

/// When FORMAT/AF and FORMAT/AD fall on different sides of the leaf's VAF gate, appends
/// which value decided and why (the value used is AF: docs/alterations.md) and returns 1;
/// else appends nothing and returns 0.
static int describe_vaf_choice(const cm_leaf *leaf, const arm_gates *gates, const cm_alteration *a,
                               kstring_t *out)
{
    double min_vaf = leaf_min_vaf(leaf, gates);
    if (a->vaf_source != CM_VAF_ALLELE_FRACTION || isnan(a->vaf_ad) || isnan(min_vaf))
        return 0;
    int passes = a->vaf >= min_vaf;
    if (passes == (a->vaf_ad >= min_vaf))
        return 0;
    ksprintf(out,
             "VAF %.4g from FORMAT/AF %s min_vaf %.4g, FORMAT/AD gives %.4g, which would %s;"
             " FORMAT/AF, the caller's estimate, is used when present",
             a->vaf, passes ? "passes" : "is below", min_vaf, a->vaf_ad,
             passes ? "not pass" : "pass");
    return 1;
}

static void describe_gate(const cm_leaf *leaf, const arm_gates *gates,
                          const cm_alteration *alteration, int reason, kstring_t *out)
{
    describe_alteration(alteration, out);
    double min_vaf = leaf_min_vaf(leaf, gates);
    int min_depth = leaf->min_depth >= 0 ? leaf->min_depth : gates->min_depth;
    switch (reason) {
    case CM_REASON_FILTERED:
        kputs(": FILTER is not PASS", out);
        break;
    case CM_REASON_BELOW_MIN_DEPTH:
        ksprintf(out, ": depth %d < min_depth %d", alteration->depth, min_depth);
        break;
    default:
        kputs(": ", out);
        if (!describe_vaf_choice(leaf, gates, alteration, out))
            ksprintf(out, "VAF %.4g < min_vaf %.4g", alteration->vaf, min_vaf);
    }
}

/// Writes into out (emptied first) "<alteration>: <describe_vaf_choice>" for an evidence
/// item whose VAF choice decided its gate. Returns 1 if it wrote one, else 0.
static int vaf_choice_note(const cm_ruleset *rules, const cm_evidence_item *item,
                           const arm_gates *gates, kstring_t *out)
{
    out->l = 0;
    if (!item->alteration)
        return 0;
    describe_alteration(item->alteration, out);
    kputs(": ", out);
    if (describe_vaf_choice(cm_ruleset_leaf(rules, item->leaf), gates, item->alteration, out))
        return 1;
    out->l = 0;
    return 0;
}

static void add_name_once(kstring_t *out, const char *name)
{
    // Whole names only: "hrd" is not given by "hrd_score".
    size_t len = strlen(name);
    for (const char *p = out->s; p && (p = strstr(p, name)) != NULL; p += len)
        if ((p == out->s || p[-1] == ' ') && (p[len] == ',' || p[len] == '\0'))
            return;
    if (out->l)
        kputs(", ", out);
    kputs(name, out);
}

/// Lists the sample facts an expression needs and the sample lacks ("TMB", "MSI status").
static void missing_biomarkers(const cm_matcher *matcher, size_t sample, const cm_expr *expr,
                               kstring_t *out)
{
    if (!expr)
        return;
    if (expr->kind == CM_EXPR_REF) {
        missing_biomarkers(matcher, sample, expr->target->expr, out);
        return;
    }
    if (expr->kind != CM_EXPR_LEAF) {
        for (int i = 0; i < expr->n_children; i++)
            missing_biomarkers(matcher, sample, expr->children[i], out);
        return;
    }
    const cm_leaf *leaf = cm_ruleset_leaf(matcher->rules, expr->leaf);
    const cm_sample_profile *profile = matcher->profiles[sample];
    if (leaf->scope != CM_LEAF_SAMPLE)
        return;
    if ((!isnan(leaf->tmb_min) || !isnan(leaf->tmb_max)) && isnan(profile->tmb))
        add_name_once(out, "TMB");
    if (leaf->msi != CM_MSI_UNSET && profile->msi == CM_MSI_UNSET)
        add_name_once(out, "MSI status");
    if (leaf->mmr != CM_MMR_UNSET && profile->mmr == CM_MMR_UNSET)
        add_name_once(out, "MMR status");
    if ((!isnan(leaf->age_min) || !isnan(leaf->age_max)) && isnan(profile->age))
        add_name_once(out, "age");
    if (leaf->sex != CM_SEX_UNSET && profile->sex == CM_SEX_UNSET)
        add_name_once(out, "sex");
    if (leaf->biomarker) {
        const cm_biomarker *b = find_biomarker(profile, leaf->biomarker);
        if (!b) {
            add_name_once(out, leaf->biomarker);
        } else if (has_biomarker_bounds(leaf) && isnan(b->number)) {
            kstring_t name = {0, 0, NULL};
            ksprintf(&name, "%s (not a number: '%s')", leaf->biomarker,
                     b->n_values == 1 ? b->values[0] : "several values");
            if (name.s)
                add_name_once(out, name.s);
            free(name.s);
        }
    }
}

static int node_depth(const cm_oncotree *tree, int node)
{
    int depth = 0;
    while (node >= 0) {
        node = cm_oncotree_parent(tree, node);
        depth++;
    }
    return depth;
}

const cm_cohort *cm_arm_find_cohort(const cm_oncotree *tree, const cm_arm *arm, int tumour)
{
    const cm_cohort *best = NULL;
    int best_depth = -1;
    for (int i = 0; i < arm->n_cohorts; i++) {
        const cm_cohort *cohort = &arm->cohorts[i];
        if (!cm_oncotree_is_within(tree, tumour, cohort->node))
            continue;
        int depth = cohort->node >= 0 ? node_depth(tree, cohort->node) : 0;
        if (depth > best_depth) {
            best = cohort;
            best_depth = depth;
        }
    }
    return best;
}

/// The first of nodes that contains node, or CM_ONCOTREE_NOT_FOUND.
static int containing_node(const cm_oncotree *tree, int node, const int *nodes, int n)
{
    for (int i = 0; i < n; i++)
        if (cm_oncotree_is_within(tree, node, nodes[i]))
            return nodes[i];
    return CM_ONCOTREE_NOT_FOUND;
}

static void list_codes(const cm_oncotree *tree, const int *nodes, int n, kstring_t *out)
{
    for (int i = 0; i < n; i++) {
        if (i)
            kputs(", ", out);
        kputs(cm_oncotree_code(tree, nodes[i]), out);
    }
}

static int age_within(const cm_arm *arm, double age)
{
    return (isnan(arm->age_min) || age >= arm->age_min) &&
           (isnan(arm->age_max) || age <= arm->age_max);
}

/// "age 12 or over", "age 18 to 65", "age up to 17".
static void describe_age_range(const cm_arm *arm, kstring_t *out)
{
    if (!isnan(arm->age_min) && !isnan(arm->age_max))
        ksprintf(out, "age %g to %g", arm->age_min, arm->age_max);
    else if (!isnan(arm->age_min))
        ksprintf(out, "age %g or over", arm->age_min);
    else if (!isnan(arm->age_max))
        ksprintf(out, "age up to %g", arm->age_max);
    else
        kputs("any age", out);
}

/// "age 9: the arm requires age 12 or over".
static void describe_age_limit(const cm_arm *arm, double age, kstring_t *out)
{
    ksprintf(out, "age %g: the arm requires ", age);
    describe_age_range(arm, out);
}

typedef struct verdict_lists {
    cm_candidate *candidates;
    size_t n_candidates, m_candidates;
    cm_ruled_out *ruled_out;
    size_t n_ruled_out, m_ruled_out;
} verdict_lists;

/// Appends to detail, after "; ", each VAF note (vaf_choice_note) of the evidence, once.
static int append_vaf_notes(const cm_ruleset *rules, const arm_gates *gates,
                            const evidence_list *evidence, kstring_t *detail)
{
    kstring_t note = {0, 0, NULL};
    int status = 0;
    for (size_t i = 0; evidence && i < evidence->n; i++)
        if (vaf_choice_note(rules, &evidence->items[i], gates, &note) && note.s &&
            !(detail->s && strstr(detail->s, note.s)) &&
            ksprintf(detail, "%s%s", detail->l ? "; " : "", note.s) < 0)
            status = -1;
    free(note.s);
    return status;
}

/// Adds a ruled-out entry; the VAF notes of its evidence (append_vaf_notes) join detail.
static int rule_out(verdict_lists *lists, const cm_ruleset *rules, const arm_gates *gates,
                    const cm_arm *arm, cm_reason reason, kstring_t *detail,
                    const evidence_list *evidence)
{
    if (append_vaf_notes(rules, gates, evidence, detail) < 0)
        return -1;
    if (GROW(lists->ruled_out, lists->n_ruled_out, lists->m_ruled_out) < 0)
        return -1;
    cm_ruled_out *out = &lists->ruled_out[lists->n_ruled_out];
    memset(out, 0, sizeof *out);
    out->arm = arm;
    out->reason = reason;
    out->detail = strdup(detail->s ? detail->s : "");
    if (!out->detail)
        return -1;
    if (evidence && take_evidence(evidence, &out->matched, &out->n_matched) < 0) {
        free(out->detail);
        return -1;
    }
    lists->n_ruled_out++;
    return 0;
}

static int add_note(cm_candidate *candidate, const char *text)
{
    for (size_t i = 0; i < candidate->n_notes; i++)
        if (strcmp(candidate->notes[i], text) == 0)
            return 0; // two leaves, one variant: one note
    char **notes = realloc(candidate->notes, (candidate->n_notes + 1) * sizeof *notes);
    if (!notes)
        return -1;
    candidate->notes = notes;
    if (!(notes[candidate->n_notes] = strdup(text)))
        return -1;
    candidate->n_notes++;
    return 0;
}

/// Decides one arm for one sample. Arms with no trace of their biomarker are not listed.
static int judge_arm(cm_matcher *matcher, size_t sample, const cm_arm *arm, verdict_lists *lists,
                     evidence_list *evidence, kstring_t *detail)
{
    const cm_oncotree *tree = cm_ruleset_oncotree(matcher->rules);
    const cm_sample_profile *profile = matcher->profiles[sample];
    arm_gates gates = gates_for_arm(matcher, arm);
    detail->l = 0;
    if (detail->s)
        detail->s[0] = '\0';

    // Could the arm hold at all, whatever the missing sample facts are? If not, it is
    // not reported: an arm with no trace of its biomarker is no news for the board.
    if (evaluate(matcher, sample, &gates, 0, OPTIMISTIC, arm->match, evidence) == FALSE_)
        return 0;
    int tumour = profile->tumour_node;
    if (arm->n_include > 0 && containing_node(tree, tumour, arm->include_nodes, arm->n_include) ==
                                  CM_ONCOTREE_NOT_FOUND) {
        ksprintf(detail, "%s is not within ", profile->tumour_type);
        list_codes(tree, arm->include_nodes, arm->n_include, detail);
        return rule_out(lists, matcher->rules, &gates, arm, CM_REASON_TUMOUR_TYPE_NOT_INCLUDED,
                        detail, NULL);
    }
    int excluded_by = containing_node(tree, tumour, arm->exclude_nodes, arm->n_exclude);
    if (excluded_by != CM_ONCOTREE_NOT_FOUND) {
        if (excluded_by == tumour)
            ksprintf(detail, "%s is excluded", profile->tumour_type);
        else
            ksprintf(detail, "%s is within excluded %s", profile->tumour_type,
                     cm_oncotree_code(tree, excluded_by));
        return rule_out(lists, matcher->rules, &gates, arm, CM_REASON_TUMOUR_TYPE_EXCLUDED, detail,
                        NULL);
    }
    // The arm's (or protocol's) age limit: a known age outside it rules the arm out; an
    // unknown age is decided last, below, as a missing biomarker (Kleene logic: a patient
    // whose age is not given is never assumed to be within an age limit).
    if (arm->has_age_limit && !isnan(profile->age) && !age_within(arm, profile->age)) {
        describe_age_limit(arm, profile->age, detail);
        return rule_out(lists, matcher->rules, &gates, arm, CM_REASON_AGE_OUT_OF_RANGE, detail,
                        NULL);
    }
    // A gate that fails whatever the missing facts are is the stronger reason.
    if (evaluate(matcher, sample, &gates, 1, OPTIMISTIC, arm->match, NULL) == FALSE_) {
        evaluate(matcher, sample, &gates, 0, OPTIMISTIC, arm->match, evidence);
        int reason = CM_REASON_BELOW_MIN_VAF;
        for (size_t i = 0; i < evidence->n; i++) {
            if (!evidence->items[i].alteration)
                continue;
            const cm_leaf *leaf = cm_ruleset_leaf(matcher->rules, evidence->items[i].leaf);
            int failed = failed_gate(leaf, &gates, evidence->items[i].alteration);
            if (failed >= 0) {
                reason = failed;
                describe_gate(leaf, &gates, evidence->items[i].alteration, failed, detail);
                break;
            }
        }
        return rule_out(lists, matcher->rules, &gates, arm, (cm_reason)reason, detail, evidence);
    }
    // Kleene logic: a strict result is TRUE or UNKNOWN here (FALSE would be FALSE optimistically).
    if (evaluate(matcher, sample, &gates, 1, STRICT, arm->match, evidence) != TRUE_) {
        missing_biomarkers(matcher, sample, arm->match, detail);
        kputs(" not given", detail);
        return rule_out(lists, matcher->rules, &gates, arm, CM_REASON_BIOMARKER_MISSING, detail,
                        NULL);
    }
    evidence_list exclusion = {0};
    truth excluded = evaluate(matcher, sample, &gates, 1, STRICT, arm->exclude,
                              arm->exclude ? &exclusion : NULL);
    if (excluded == TRUE_) {
        for (size_t i = 0; i < exclusion.n; i++) {
            if (i)
                kputs("; ", detail);
            describe_evidence(matcher->rules, &exclusion.items[i], detail);
        }
        int status = rule_out(lists, matcher->rules, &gates, arm, CM_REASON_EXCLUDED_BY_ALTERATION,
                              detail, &exclusion);
        free(exclusion.items);
        return status;
    }
    if (excluded == UNKNOWN_) {
        missing_biomarkers(matcher, sample, arm->exclude, detail);
        kputs(" not given (needed to rule out an exclusion)", detail);
        free(exclusion.items);
        return rule_out(lists, matcher->rules, &gates, arm, CM_REASON_BIOMARKER_MISSING, detail,
                        NULL);
    }
    if (arm->protocol->is_closed) {
        ksprintf(detail, "protocol %s is closed to accrual", arm->protocol->id);
        free(exclusion.items);
        return rule_out(lists, matcher->rules, &gates, arm, CM_REASON_COHORT_CLOSED, detail,
                        evidence);
    }
    const cm_cohort *cohort = cm_arm_find_cohort(tree, arm, tumour);
    // A suspended cohort takes no patient now either; the detail names its state.
    if (cohort && (cohort->status == CM_COHORT_CLOSED || cohort->status == CM_COHORT_SUSPENDED)) {
        ksprintf(detail, "cohort %s is %s", cohort->tumour_type,
                 cohort->status == CM_COHORT_CLOSED ? "closed" : "suspended");
        if (cohort->note)
            ksprintf(detail, " (%s)", cohort->note);
        free(exclusion.items);
        return rule_out(lists, matcher->rules, &gates, arm, CM_REASON_COHORT_CLOSED, detail,
                        evidence);
    }
    if (arm->has_age_limit && isnan(profile->age)) {
        kputs("age not given; the arm requires ", detail);
        describe_age_range(arm, detail);
        free(exclusion.items);
        return rule_out(lists, matcher->rules, &gates, arm, CM_REASON_BIOMARKER_MISSING, detail,
                        NULL);
    }
    if (GROW(lists->candidates, lists->n_candidates, lists->m_candidates) < 0) {
        free(exclusion.items);
        return -1;
    }
    cm_candidate *candidate = &lists->candidates[lists->n_candidates];
    memset(candidate, 0, sizeof *candidate);
    candidate->arm = arm;
    candidate->cohort = cohort;
    candidate->status = cohort ? cohort->status : CM_COHORT_NEW;
    candidate->cohort_tumour_type = cohort ? cohort->tumour_type : profile->tumour_type;
    if (take_evidence(evidence, &candidate->matched, &candidate->n_matched) < 0) {
        free(exclusion.items);
        return -1;
    }
    lists->n_candidates++;
    // An exclusion that holds only below the quality gates is shown, not hidden.
    size_t n_exclusion_shown = 0;
    if (arm->exclude &&
        evaluate(matcher, sample, &gates, 0, STRICT, arm->exclude, &exclusion) == TRUE_) {
        n_exclusion_shown = exclusion.n;
        detail->l = 0;
        kputs("below the quality gates but present: ", detail);
        for (size_t i = 0; i < exclusion.n; i++) {
            if (i)
                kputs("; ", detail);
            describe_evidence(matcher->rules, &exclusion.items[i], detail);
            int failed = exclusion.items[i].alteration
                             ? failed_gate(cm_ruleset_leaf(matcher->rules, exclusion.items[i].leaf),
                                           &gates, exclusion.items[i].alteration)
                             : -1;
            if (failed >= 0)
                ksprintf(detail, " [%s]", cm_reason_name((cm_reason)failed));
        }
        kputs(", which would exclude this arm", detail);
        if (add_note(candidate, detail->s) < 0) {
            free(exclusion.items);
            return -1;
        }
    }
    // Where FORMAT/AF and FORMAT/AD disagree across a VAF gate, for what matched and for
    // an exclusion shown above, say which value decided.
    int status = 0;
    for (size_t i = 0; status == 0 && i < candidate->n_matched + n_exclusion_shown; i++) {
        const cm_evidence_item *item = i < candidate->n_matched
                                           ? &candidate->matched[i]
                                           : &exclusion.items[i - candidate->n_matched];
        if (vaf_choice_note(matcher->rules, item, &gates, detail) && detail->s)
            status = add_note(candidate, detail->s);
    }
    free(exclusion.items);
    return status;
}

static int compare_arms(const cm_arm *a, const cm_arm *b)
{
    int c = strcmp(a->protocol->id, b->protocol->id);
    return c ? c : strcmp(a->id, b->id);
}

static int compare_candidates(const void *pa, const void *pb)
{
    const cm_candidate *a = pa, *b = pb;
    int ra = cm_arm_evidence_rank(a->arm), rb = cm_arm_evidence_rank(b->arm);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    return compare_arms(a->arm, b->arm);
}

static int compare_ruled_out(const void *pa, const void *pb)
{
    const cm_ruled_out *a = pa, *b = pb;
    return compare_arms(a->arm, b->arm);
}

static int compare_hits(const void *pa, const void *pb)
{
    const hit *a = pa, *b = pb;
    if (a->sample != b->sample)
        return a->sample < b->sample ? -1 : 1;
    if (a->leaf != b->leaf)
        return a->leaf < b->leaf ? -1 : 1;
    return (a->stored > b->stored) - (a->stored < b->stored);
}

/// Moves each variant's preferred transcripts first among a leaf's hits, so that the
/// evidence of a variant shows its preferred annotation.
static void order_preferred_first(cm_matcher *matcher)
{
    for (size_t i = 1; i < matcher->n_hits; i++) {
        hit item = matcher->hits[i];
        size_t j = i;
        const stored_alteration *mine = &matcher->store[item.stored];
        while (j > 0) {
            hit *before = &matcher->hits[j - 1];
            const stored_alteration *other = &matcher->store[before->stored];
            if (before->sample != item.sample || before->leaf != item.leaf ||
                other->variant != mine->variant || other->owned.alteration.is_preferred ||
                !mine->owned.alteration.is_preferred)
                break;
            matcher->hits[j] = *before;
            j--;
        }
        matcher->hits[j] = item;
    }
}

static void count_gate_failures(cm_matcher *matcher)
{
    // Under the command line's gates over the built-in ones: what a user would call skipped.
    cm_gates gates = matcher->overrides, builtin;
    cm_gates_builtin(&builtin);
    cm_gates_inherit(&gates, &builtin);
    arm_gates global = {gates.min_vaf, gates.min_depth, gates.pass_only, gates.transcripts};
    cm_leaf no_thresholds;
    memset(&no_thresholds, 0, sizeof no_thresholds);
    no_thresholds.min_vaf = NAN;
    no_thresholds.min_depth = -1;
    unsigned mark = ++matcher->mark; // the marks are fresh: no wrap here
    for (size_t i = 0; i < matcher->n_store; i++) {
        const stored_alteration *stored = &matcher->store[i];
        if (!stored->is_counted || matcher->variant_marks[stored->variant] == mark)
            continue;
        matcher->variant_marks[stored->variant] = mark;
        switch (failed_gate(&no_thresholds, &global, &stored->owned.alteration)) {
        case CM_REASON_FILTERED:
            matcher->gate_counts.filtered++;
            break;
        case CM_REASON_BELOW_MIN_DEPTH:
            matcher->gate_counts.below_depth++;
            break;
        case CM_REASON_BELOW_MIN_VAF:
            matcher->gate_counts.below_vaf++;
            break;
        default:
            break;
        }
    }
}

/// Gives each sample's result its alterations in rule genes, in the order they were offered.
static int list_sample_alterations(cm_matcher *matcher)
{
    for (size_t sample = 0; sample < matcher->n_samples; sample++) {
        cm_sample_result *result = &matcher->results[sample];
        result->n_alterations_not_kept = matcher->n_not_kept_of[sample];
        if (matcher->n_listed_of[sample] > 0 &&
            !(result->alterations = malloc(matcher->n_listed_of[sample] * sizeof(void *))))
            return -1;
    }
    for (size_t i = 0; i < matcher->n_listed; i++) {
        cm_sample_result *result = &matcher->results[matcher->listed[i].sample];
        ((const cm_alteration **)result->alterations)[result->n_alterations++] =
            &matcher->store[matcher->listed[i].stored].owned.alteration;
    }
    return 0;
}

int cm_matcher_finish(cm_matcher *matcher)
{
    if (matcher->is_finished)
        return 0;
    matcher->is_finished = 1;
    size_t n_leaves = cm_ruleset_n_leaves(matcher->rules);
    size_t n_slots = matcher->n_samples * n_leaves;
    if (matcher->n_hits > 1)
        qsort(matcher->hits, matcher->n_hits, sizeof *matcher->hits, compare_hits);
    order_preferred_first(matcher);
    matcher->m_variant_marks = kh_size(matcher->variant_ids) + 1;
    matcher->variant_marks = calloc(matcher->m_variant_marks, sizeof *matcher->variant_marks);
    if (!matcher->variant_marks)
        return -1;
    matcher->leaf_hits = calloc(n_slots + 1, sizeof *matcher->leaf_hits);
    matcher->results =
        calloc(matcher->n_samples ? matcher->n_samples : 1, sizeof *matcher->results);
    if (!matcher->leaf_hits || !matcher->results)
        return -1;
    for (size_t h = 0; h < matcher->n_hits; h++)
        matcher->leaf_hits[(size_t)matcher->hits[h].sample * n_leaves +
                           (size_t)matcher->hits[h].leaf + 1]++;
    for (size_t k = 0; k < n_slots; k++)
        matcher->leaf_hits[k + 1] += matcher->leaf_hits[k];
    count_gate_failures(matcher);
    if (list_sample_alterations(matcher) < 0)
        return -1;

    evidence_list evidence = {0};
    kstring_t detail = {0, 0, NULL};
    int status = 0;
    for (size_t sample = 0; sample < matcher->n_samples && status == 0; sample++) {
        verdict_lists lists = {0};
        for (size_t p = 0; p < cm_ruleset_n_protocols(matcher->rules) && status == 0; p++) {
            const cm_protocol *protocol = cm_ruleset_protocol(matcher->rules, p);
            for (int a = 0; a < protocol->n_arms && status == 0; a++)
                status = judge_arm(matcher, sample, &protocol->arms[a], &lists, &evidence, &detail);
        }
        if (lists.n_candidates > 1)
            qsort(lists.candidates, lists.n_candidates, sizeof *lists.candidates,
                  compare_candidates);
        if (lists.n_ruled_out > 1)
            qsort(lists.ruled_out, lists.n_ruled_out, sizeof *lists.ruled_out, compare_ruled_out);
        cm_sample_result *result = &matcher->results[sample];
        result->profile = matcher->profiles[sample];
        result->candidates = lists.candidates;
        result->n_candidates = lists.n_candidates;
        result->ruled_out = lists.ruled_out;
        result->n_ruled_out = lists.n_ruled_out;
    }
    free(evidence.items);
    free(detail.s);
    return status;
}

const cm_sample_result *cm_matcher_result(const cm_matcher *matcher, size_t i)
{
    return matcher->is_finished && i < matcher->n_samples ? &matcher->results[i] : NULL;
}

cm_gate_counts cm_matcher_gate_counts(const cm_matcher *matcher)
{
    return matcher->gate_counts;
}
