/*
 * Unit tests of the rule loader and the compiled index: a protocol that uses
 * every construct is loaded and its structures checked field by field; then
 * error cases check the exact diagnostics (file, line, column, message),
 * that every error of a file is reported, and that a file with errors adds
 * nothing to the rule set.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cohortmatch/rules.h"

// Every construct of the rule language; sha256sum of these bytes is FULL_SHA256.
static const char full_rules[] =
    "cohortmatch: 1\n"
    "protocol:\n"
    "  id: DRUP\n"
    "  name: Drug Rediscovery Protocol\n"
    "  version: \"2025-06\"\n"
    "  registry: [NCT02925234, EUCTR2015-004398-33]\n"
    "  source: https://drupstudy.nl\n"
    "  build: GRCh38\n"
    "defaults:\n"
    "  min_vaf: 0.1\n"
    "  min_depth: 50\n"
    "  amplification_min: 8\n"
    "alterations:\n"
    "  BRAF_V600: {gene: BRAF, protein: V600}\n"
    "  EGFR_EX19_DEL: {gene: EGFR, exon: 19, consequence: inframe_deletion}\n"
    "  RAS_HOTSPOT:\n"
    "    any:\n"
    "      - {gene: [KRAS, NRAS], protein: [G12, G13, Q61]}\n"
    "  EGFR_EX20: {gene: EGFR, exon: [20, 18-21], protein: [D770_N771insSVD, E746_A750]}\n"
    "  NTRK_FUSION: {fusion: {gene: [NTRK1, NTRK2], partner: ETV6, in_frame: true}}\n"
    "  HOTSPOT_VARIANT: {variant: \"chr7:140753336:a:t\", min_vaf: 0.2}\n"
    "  TMB_HIGH: {tmb: {min: 10}}\n"
    "arms:\n"
    "  - id: VEM-COBI-BRAF\n"
    "    drugs: [vemurafenib, cobimetinib]\n"
    "    match: BRAF_V600\n"
    "    exclude: RAS_HOTSPOT\n"
    "    tumour_types: {include: [SOLID], exclude: [MEL, THPA]}\n"
    "    evidence: {escat: III-A, oncokb: 3a}\n"
    "    source: NCT02925234\n"
    "    min_vaf: 0.02\n"
    "    pass_only: false\n"
    "    cohorts:\n"
    "      - {tumour_type: COADREAD, status: closed, note: \"stage 1: 0/8 benefit\"}\n"
    "      - {tumour_type: NSCLC, status: open, stage: 2, enrolled: 14, target: 24}\n"
    "  - id: COMBO\n"
    "    drugs: olaparib\n"
    "    match:\n"
    "      all:\n"
    "        - EGFR_EX19_DEL\n"
    "        - any: [EGFR_EX20, NTRK_FUSION, HOTSPOT_VARIANT]\n"
    "        - not: TMB_HIGH\n"
    "        - {gene: BRCA2, consequence: [truncating, missense], biallelic: true, min_count: 2}\n"
    "    transcripts: any\n"
    "    evidence: {escat: IA}\n"
    "  - id: CNV-ARM\n"
    "    drugs: [trastuzumab]\n"
    "    match: [{gene: ERBB2, cnv: amplification}, {gene: ERBB2, copy_number: {min: 6, max: "
    "100}}]\n"
    "    exclude: [{msi: high}, {sex: male}]\n"
    "    evidence: {oncokb: R1}\n"
    "tests:\n"
    "  - name: braf lung\n"
    "    tumour_type: LUAD\n"
    "    tmb: 12.5\n"
    "    msi: stable\n"
    "    age: 61\n"
    "    sex: female\n"
    "    alterations:\n"
    "      - {gene: BRAF, protein: p.Val600Glu, vaf: 0.31, depth: 120, transcript: "
    "ENST00000646891,\n"
    "         exon: 15, hgvsc: \"c.1799T>A\", variant: \"chr7:140753336:A:T\"}\n"
    "      - {gene: KRAS, protein: G12*, filter: LowQual, homozygous: true}\n"
    "      - {gene: ERBB2, copy_number: 7}\n"
    "      - {fusion: {gene: NTRK1, partner: ETV6, in_frame: false}}\n"
    "      - {gene: BRCA2, protein: K1691fs, consequence: [frameshift_variant, "
    "splice_region_variant]}\n"
    "    expect:\n"
    "      candidates: [VEM-COBI-BRAF]\n"
    "      ruled_out: [{arm: CNV-ARM, reason: biomarker_missing}]\n"
    "  - name: nothing\n"
    "    tumour_type: BRCA\n"
    "    expect: {candidates: []}\n";
#define FULL_SHA256 "9bd5f1cee2b9e9d38d62ae5de36ffb33f017612e259c0abda8bc68e8eb0c576a"

// A file whose first arm's match (line 6, column 12) is the text after it.
#define ARM_PREFIX "cohortmatch: 1\nprotocol: {id: X}\narms:\n  - id: A\n    drugs: d\n    match: "

typedef struct fixture {
    cm_oncotree *tree;
    cm_ruleset *rules;
    cm_diagnostics diag;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    cm_error err;
    cm_error_clear(&err);
    if (!f || !(f->tree = cm_oncotree_load_bundled(&err)) ||
        !(f->rules = cm_ruleset_new(f->tree))) {
        if (f)
            cm_oncotree_free(f->tree);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cm_ruleset_free(f->rules);
    cm_oncotree_free(f->tree);
    cm_diagnostics_clear(&f->diag);
    free(f);
    return 0;
}

static int load(fixture *f, const char *name, const char *text)
{
    return cm_ruleset_load_string(f->rules, name, text, strlen(text), &f->diag);
}

static void print_diagnostics(const cm_diagnostics *d)
{
    kstring_t line = {0, 0, NULL};
    for (size_t i = 0; i < d->n; i++) {
        line.l = 0;
        cm_diagnostic_format(&d->items[i], &line);
        print_message("  %s\n", line.s);
    }
    free(line.s);
}

static void assert_diagnostic(const fixture *f, size_t i, cm_severity severity, const char *file,
                              int line, int column, const char *message)
{
    if (i >= f->diag.n)
        print_diagnostics(&f->diag);
    assert_true(i < f->diag.n);
    const cm_diagnostic *d = &f->diag.items[i];
    if (d->line != line || d->column != column || strcmp(d->message, message) != 0)
        print_diagnostics(&f->diag);
    assert_int_equal(d->severity, severity);
    assert_string_equal(d->file, file);
    assert_int_equal(d->line, line);
    assert_int_equal(d->column, column);
    assert_string_equal(d->message, message);
}

// Loads text as "t.yaml", expecting exactly one error at line:column with message.
static void assert_one_error(void **state, const char *text, int line, int column,
                             const char *message)
{
    fixture *f = *state;
    cm_diagnostics_clear(&f->diag);
    assert_int_equal(load(f, "t.yaml", text), 1);
    if (f->diag.n != 1)
        print_diagnostics(&f->diag);
    assert_int_equal(f->diag.n, 1);
    assert_diagnostic(f, 0, CM_SEVERITY_ERROR, "t.yaml", line, column, message);
}

static int gene(const fixture *f, const char *symbol)
{
    return cm_ruleset_gene_lookup(f->rules, symbol, strlen(symbol));
}

static void assert_gene_leaves(const fixture *f, const char *symbol, const int *expected, size_t n)
{
    size_t got;
    const int *leaves = cm_ruleset_gene_leaves(f->rules, gene(f, symbol), &got);
    assert_int_equal(got, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(leaves[i], expected[i]);
}

static const cm_leaf *leaf_of(const fixture *f, const cm_expr *expr)
{
    assert_non_null(expr);
    assert_int_equal(expr->kind, CM_EXPR_LEAF);
    return cm_ruleset_leaf(f->rules, expr->leaf);
}

/* ---- the full protocol ------------------------------------------------------------------ */

static void test_full_protocol(void **state)
{
    fixture *f = *state;
    assert_int_equal(load(f, "full.yaml", full_rules), 0);
    if (f->diag.n)
        print_diagnostics(&f->diag);
    assert_int_equal(f->diag.n, 0);
    assert_int_equal(cm_ruleset_compile(f->rules), 0);
    assert_int_equal(cm_ruleset_n_protocols(f->rules), 1);
    assert_int_equal(cm_ruleset_n_files(f->rules), 1);
    const cm_protocol *p = cm_ruleset_protocol(f->rules, 0);
    assert_string_equal(p->path, "full.yaml");
    assert_string_equal(p->sha256, FULL_SHA256);
    assert_string_equal(p->id, "DRUP");
    assert_string_equal(p->name, "Drug Rediscovery Protocol");
    assert_string_equal(p->version, "2025-06");
    assert_string_equal(p->source, "https://drupstudy.nl");
    assert_int_equal(p->build, CM_BUILD_GRCH38);
    assert_int_equal(p->n_registry, 2);
    assert_string_equal(p->registry[0], "NCT02925234");
    assert_string_equal(p->registry[1], "EUCTR2015-004398-33");

    // Defaults: what is written, the rest unset; copy-number thresholds default.
    assert_true(p->defaults.min_vaf == 0.1);
    assert_int_equal(p->defaults.min_depth, 50);
    assert_int_equal(p->defaults.pass_only, -1);
    assert_int_equal(p->defaults.transcripts, CM_TRANSCRIPTS_UNSET);
    assert_true(p->cnv_thresholds.amplification_min == 8);
    assert_true(p->cnv_thresholds.gain_min == 3);
    assert_true(p->cnv_thresholds.deletion_max == 1);
    assert_true(p->cnv_thresholds.homozygous_max == 0.5);

    // Named alterations, in file order, each used.
    static const char *const names[] = {"BRAF_V600", "EGFR_EX19_DEL", "RAS_HOTSPOT",
                                        "EGFR_EX20", "NTRK_FUSION",   "HOTSPOT_VARIANT",
                                        "TMB_HIGH"};
    assert_int_equal(p->n_named, 7);
    for (int i = 0; i < 7; i++) {
        assert_string_equal(p->named[i].name, names[i]);
        assert_int_equal(p->named[i].is_used, 1);
        assert_int_equal(p->named[i].line, 14 + i + (i >= 3 ? 2 : 0));
        assert_int_equal(p->named[i].column, 3);
    }

    // Leaves: one per mapping of leaf keys, in the order met.
    assert_int_equal(cm_ruleset_n_leaves(f->rules), 12);
    const cm_leaf *braf = leaf_of(f, p->named[0].expr);
    assert_int_equal(braf->id, 0);
    assert_string_equal(braf->file, "full.yaml");
    assert_int_equal(braf->line, 14);
    assert_int_equal(braf->column, 14);
    assert_int_equal(braf->scope, CM_LEAF_ALTERATION);
    assert_int_equal(braf->n_genes, 1);
    assert_string_equal(cm_ruleset_gene_name(f->rules, braf->genes[0]), "BRAF");
    assert_int_equal(braf->n_proteins, 1);
    assert_int_equal(braf->proteins[0].kind, CM_PATTERN_CODON);
    assert_int_equal(braf->proteins[0].change.start, 600);
    assert_int_equal(braf->proteins[0].change.end, 600);
    assert_int_equal(braf->proteins[0].change.start_residue, 'V');
    assert_int_equal(braf->consequences, 0);
    assert_true(isnan(braf->min_vaf));
    assert_int_equal(braf->min_depth, -1);
    assert_int_equal(braf->min_count, 1);
    assert_int_equal(braf->biallelic, 0);
    assert_true(isnan(braf->copy_number_min) && isnan(braf->copy_number_max));
    assert_int_equal(braf->is_fusion, 0);

    const cm_leaf *ex19 = leaf_of(f, p->named[1].expr);
    assert_int_equal(ex19->n_exons, 1);
    assert_int_equal(ex19->exons[0].min, 19);
    assert_int_equal(ex19->exons[0].max, 19);
    assert_int_equal(ex19->consequences, CM_SO_BIT(CM_SO_INFRAME_DELETION));

    const cm_expr *ras = p->named[2].expr;
    assert_int_equal(ras->kind, CM_EXPR_ANY);
    assert_int_equal(ras->n_children, 1);
    assert_int_equal(ras->line, 17);
    assert_int_equal(ras->column, 5);
    const cm_leaf *ras_leaf = leaf_of(f, ras->children[0]);
    assert_int_equal(ras_leaf->n_genes, 2);
    assert_int_equal(ras_leaf->genes[0], gene(f, "KRAS"));
    assert_int_equal(ras_leaf->genes[1], gene(f, "NRAS"));
    assert_int_equal(ras_leaf->n_proteins, 3);
    assert_int_equal(ras_leaf->proteins[2].change.start, 61);
    assert_int_equal(ras_leaf->proteins[2].change.start_residue, 'Q');

    const cm_leaf *ex20 = leaf_of(f, p->named[3].expr);
    assert_int_equal(ex20->n_exons, 2);
    assert_int_equal(ex20->exons[1].min, 18);
    assert_int_equal(ex20->exons[1].max, 21);
    assert_int_equal(ex20->proteins[0].kind, CM_PATTERN_EXACT);
    assert_int_equal(ex20->proteins[0].change.kind, CM_PROTEIN_INSERTION);
    assert_int_equal(ex20->proteins[0].change.start, 770);
    assert_int_equal(ex20->proteins[0].change.end, 771);
    assert_string_equal(ex20->proteins[0].change.alt, "SVD");
    assert_int_equal(ex20->proteins[1].kind, CM_PATTERN_RANGE);
    assert_int_equal(ex20->proteins[1].change.start, 746);
    assert_int_equal(ex20->proteins[1].change.end, 750);

    const cm_leaf *ntrk = leaf_of(f, p->named[4].expr);
    assert_int_equal(ntrk->is_fusion, 1);
    assert_int_equal(ntrk->n_genes, 0);
    assert_int_equal(ntrk->n_fusion_genes, 2);
    assert_int_equal(ntrk->fusion_genes[1], gene(f, "NTRK2"));
    assert_int_equal(ntrk->n_fusion_partners, 1);
    assert_int_equal(ntrk->fusion_partners[0], gene(f, "ETV6"));
    assert_int_equal(ntrk->fusion_in_frame, 1);

    const cm_leaf *hotspot = leaf_of(f, p->named[5].expr);
    assert_int_equal(hotspot->n_variants, 1);
    assert_int_equal(hotspot->variants[0].build, CM_BUILD_GRCH38);
    assert_string_equal(hotspot->variants[0].chrom, "chr7");
    assert_int_equal(hotspot->variants[0].pos, 140753336);
    assert_string_equal(hotspot->variants[0].ref, "A");
    assert_string_equal(hotspot->variants[0].alt, "T");
    assert_true(hotspot->min_vaf == 0.2);

    const cm_leaf *tmb = leaf_of(f, p->named[6].expr);
    assert_int_equal(tmb->scope, CM_LEAF_SAMPLE);
    assert_true(tmb->tmb_min == 10);
    assert_true(isnan(tmb->tmb_max));

    // Arms.
    assert_int_equal(p->n_arms, 3);
    const cm_arm *vem = &p->arms[0];
    assert_string_equal(vem->id, "VEM-COBI-BRAF");
    assert_ptr_equal(vem->protocol, p);
    assert_int_equal(vem->line, 24);
    assert_int_equal(vem->column, 5);
    assert_int_equal(vem->n_drugs, 2);
    assert_string_equal(vem->drugs[0], "vemurafenib");
    assert_string_equal(vem->drugs[1], "cobimetinib");
    assert_int_equal(vem->match->kind, CM_EXPR_REF);
    assert_ptr_equal(vem->match->target, &p->named[0]);
    assert_int_equal(vem->exclude->kind, CM_EXPR_ANY); // a single name is wrapped
    assert_int_equal(vem->exclude->n_children, 1);
    assert_ptr_equal(vem->exclude->children[0]->target, &p->named[2]);
    assert_int_equal(vem->n_include, 1);
    assert_int_equal(vem->include_nodes[0], CM_ONCOTREE_SOLID);
    assert_int_equal(vem->n_exclude, 2);
    assert_int_equal(vem->exclude_nodes[0], cm_oncotree_find(f->tree, "MEL"));
    assert_int_equal(vem->exclude_nodes[1], cm_oncotree_find(f->tree, "THPA"));
    assert_string_equal(vem->escat, "IIIA");
    assert_string_equal(vem->oncokb, "3A");
    assert_string_equal(vem->source, "NCT02925234");
    assert_int_equal(vem->n_cohorts, 2);
    assert_string_equal(vem->cohorts[0].tumour_type, "COADREAD");
    assert_int_equal(vem->cohorts[0].node, cm_oncotree_find(f->tree, "COADREAD"));
    assert_int_equal(vem->cohorts[0].status, CM_COHORT_CLOSED);
    assert_string_equal(vem->cohorts[0].note, "stage 1: 0/8 benefit");
    assert_int_equal(vem->cohorts[0].line, 34);
    assert_int_equal(vem->cohorts[1].status, CM_COHORT_OPEN);
    assert_int_equal(vem->cohorts[1].stage, 2);
    assert_int_equal(vem->cohorts[1].enrolled, 14);
    assert_int_equal(vem->cohorts[1].target, 24);
    assert_null(vem->cohorts[1].note);

    // Gates: arm > protocol defaults > built-in.
    assert_true(vem->gates.min_vaf == 0.02);
    assert_int_equal(vem->gates.min_depth, -1);
    assert_int_equal(vem->gates.pass_only, 0);
    assert_int_equal(vem->gates.transcripts, CM_TRANSCRIPTS_UNSET);
    cm_gates gates = vem->gates, builtin;
    cm_gates_builtin(&builtin);
    cm_gates_inherit(&gates, &p->defaults);
    cm_gates_inherit(&gates, &builtin);
    assert_true(gates.min_vaf == 0.02);
    assert_int_equal(gates.min_depth, 50);
    assert_int_equal(gates.pass_only, 0);
    assert_int_equal(gates.transcripts, CM_TRANSCRIPTS_PREFERRED);

    const cm_arm *combo = &p->arms[1];
    assert_int_equal(combo->n_drugs, 1);
    assert_string_equal(combo->drugs[0], "olaparib");
    assert_int_equal(combo->gates.transcripts, CM_TRANSCRIPTS_ANY);
    assert_null(combo->exclude);
    assert_int_equal(combo->n_include, 0);
    assert_string_equal(combo->escat, "IA");
    assert_null(combo->oncokb);
    const cm_expr *all = combo->match;
    assert_int_equal(all->kind, CM_EXPR_ALL);
    assert_int_equal(all->n_children, 4);
    assert_ptr_equal(all->children[0]->target, &p->named[1]);
    assert_int_equal(all->children[1]->kind, CM_EXPR_ANY);
    assert_int_equal(all->children[1]->n_children, 3);
    assert_ptr_equal(all->children[1]->children[2]->target, &p->named[5]);
    assert_int_equal(all->children[2]->kind, CM_EXPR_NOT);
    assert_int_equal(all->children[2]->n_children, 1);
    assert_ptr_equal(all->children[2]->children[0]->target, &p->named[6]);
    const cm_leaf *brca = leaf_of(f, all->children[3]);
    assert_int_equal(brca->id, 7);
    assert_int_equal(brca->consequences, cm_consequence_rule_lookup("truncating", 10) |
                                             CM_SO_BIT(CM_SO_MISSENSE_VARIANT));
    assert_int_equal(brca->biallelic, 1);
    assert_int_equal(brca->min_count, 2);

    const cm_arm *cnv = &p->arms[2];
    assert_null(cnv->escat);
    assert_string_equal(cnv->oncokb, "R1");
    assert_int_equal(cnv->match->kind, CM_EXPR_ANY);
    const cm_leaf *amp = leaf_of(f, cnv->match->children[0]);
    assert_int_equal(amp->cnv, CM_CNV_AMPLIFICATION);
    const cm_leaf *copies = leaf_of(f, cnv->match->children[1]);
    assert_true(copies->copy_number_min == 6 && copies->copy_number_max == 100);
    assert_int_equal(cnv->exclude->kind, CM_EXPR_ANY);
    assert_int_equal(cnv->exclude->n_children, 2);
    assert_int_equal(leaf_of(f, cnv->exclude->children[0])->msi, CM_MSI_HIGH);
    assert_int_equal(leaf_of(f, cnv->exclude->children[1])->sex, CM_SEX_MALE);
    assert_int_equal(leaf_of(f, cnv->exclude->children[1])->scope, CM_LEAF_SAMPLE);

    // Evidence order: ESCAT first, then OncoKB, then none.
    assert_true(cm_arm_evidence_rank(combo) < cm_arm_evidence_rank(vem));
    assert_true(cm_arm_evidence_rank(vem) < cm_arm_evidence_rank(cnv));

    // Genes and the index.
    static const char *const symbols[] = {NULL,    "BRAF",  "EGFR", "KRAS",  "NRAS",
                                          "NTRK1", "NTRK2", "ETV6", "BRCA2", "ERBB2"};
    assert_int_equal(cm_ruleset_n_genes(f->rules), 10);
    assert_null(cm_ruleset_gene_name(f->rules, 0));
    for (int i = 1; i < 10; i++) {
        assert_string_equal(cm_ruleset_gene_name(f->rules, i), symbols[i]);
        assert_int_equal(gene(f, symbols[i]), i);
    }
    assert_int_equal(gene(f, "TP53"), 0);
    assert_int_equal(cm_ruleset_gene_lookup(f->rules, "BRAFX", 4), gene(f, "BRAF"));
    assert_gene_leaves(f, "BRAF", (int[]){0}, 1);
    assert_gene_leaves(f, "EGFR", (int[]){1, 3}, 2);
    assert_gene_leaves(f, "KRAS", (int[]){2}, 1);
    assert_gene_leaves(f, "NRAS", (int[]){2}, 1);
    assert_gene_leaves(f, "NTRK1", (int[]){4}, 1);
    assert_gene_leaves(f, "NTRK2", (int[]){4}, 1);
    assert_gene_leaves(f, "ETV6", (int[]){4}, 1); // the partner side too
    assert_gene_leaves(f, "BRCA2", (int[]){7}, 1);
    assert_gene_leaves(f, "ERBB2", (int[]){8, 9}, 2);
    size_t n;
    const int *geneless = cm_ruleset_geneless_leaves(f->rules, &n);
    assert_int_equal(n, 1);
    assert_int_equal(geneless[0], 5);
    assert_null(cm_ruleset_gene_leaves(f->rules, 0, &n));
    assert_int_equal(n, 0);

    // Tests.
    assert_int_equal(p->n_tests, 2);
    const cm_rule_test *t = &p->tests[0];
    assert_string_equal(t->name, "braf lung");
    assert_int_equal(t->line, 52);
    assert_int_equal(t->column, 5);
    assert_string_equal(t->tumour_type, "LUAD");
    assert_int_equal(t->tumour_node, cm_oncotree_find(f->tree, "LUAD"));
    assert_true(t->tmb == 12.5);
    assert_int_equal(t->msi, CM_MSI_STABLE);
    assert_int_equal(t->mmr, CM_MMR_UNSET);
    assert_true(t->age == 61);
    assert_int_equal(t->sex, CM_SEX_FEMALE);
    assert_int_equal(t->n_alterations, 5);
    const cm_alteration *a = &t->alterations[0].owned.alteration;
    assert_int_equal(t->alterations[0].line, 59);
    assert_int_equal(a->kind, CM_ALTERATION_SMALL);
    assert_true(cm_slice_equals(a->gene, "BRAF"));
    assert_true(cm_slice_equals(a->hgvsp, "p.Val600Glu"));
    assert_int_equal(a->protein.kind, CM_PROTEIN_SUBSTITUTION);
    assert_int_equal(a->protein.start, 600);
    assert_int_equal(a->protein.alt[0], 'E');
    assert_int_equal(a->consequence, CM_SO_BIT(CM_SO_MISSENSE_VARIANT)); // derived
    assert_true(a->vaf == 0.31);
    assert_int_equal(a->depth, 120);
    assert_true(cm_slice_equals(a->transcript, "ENST00000646891"));
    assert_int_equal(a->exon, 15);
    assert_true(cm_slice_equals(a->hgvsc, "c.1799T>A"));
    assert_true(cm_slice_equals(a->chrom, "chr7"));
    assert_int_equal(a->pos, 140753336);
    assert_true(cm_slice_equals(a->ref, "A"));
    assert_true(cm_slice_equals(a->alt, "T"));
    assert_int_equal(a->is_pass, 1);
    assert_int_equal(a->is_homozygous, 0);
    a = &t->alterations[1].owned.alteration;
    assert_int_equal(a->protein.kind, CM_PROTEIN_NONSENSE);
    assert_int_equal(a->consequence, CM_SO_BIT(CM_SO_STOP_GAINED));
    assert_int_equal(a->is_pass, 0);
    assert_int_equal(a->is_homozygous, 1);
    assert_true(isnan(a->vaf));
    assert_int_equal(a->depth, -1);
    a = &t->alterations[2].owned.alteration;
    assert_int_equal(a->kind, CM_ALTERATION_COPY_NUMBER);
    assert_true(a->copy_number == 7);
    assert_int_equal(a->cnv, CM_CNV_GAIN); // 7 < amplification_min 8
    a = &t->alterations[3].owned.alteration;
    assert_int_equal(a->kind, CM_ALTERATION_FUSION);
    assert_true(cm_slice_equals(a->gene, "NTRK1"));
    assert_true(cm_slice_equals(a->partner, "ETV6"));
    assert_int_equal(a->in_frame, 0);
    a = &t->alterations[4].owned.alteration;
    assert_int_equal(a->protein.kind, CM_PROTEIN_FRAMESHIFT);
    assert_int_equal(a->consequence, CM_SO_BIT(CM_SO_FRAMESHIFT_VARIANT) |
                                         CM_SO_BIT(CM_SO_SPLICE_REGION_VARIANT)); // as written
    assert_int_equal(t->n_expect_candidates, 1);
    assert_string_equal(t->expect_candidates[0], "VEM-COBI-BRAF");
    assert_int_equal(t->n_expect_ruled_out, 1);
    assert_string_equal(t->expect_ruled_out[0].arm, "CNV-ARM");
    assert_string_equal(t->expect_ruled_out[0].reason, "biomarker_missing");
    t = &p->tests[1];
    assert_string_equal(t->name, "nothing");
    assert_int_equal(t->n_alterations, 0);
    assert_int_equal(t->n_expect_candidates, 0);
    assert_true(isnan(t->tmb) && isnan(t->age));
}

/* ---- small values ----------------------------------------------------------------------- */

static void test_gates(void **state)
{
    (void)state;
    cm_gates g, fallback;
    cm_gates_unset(&g);
    assert_true(isnan(g.min_vaf));
    assert_int_equal(g.min_depth, -1);
    assert_int_equal(g.pass_only, -1);
    assert_int_equal(g.transcripts, CM_TRANSCRIPTS_UNSET);
    cm_gates_builtin(&fallback);
    assert_true(fallback.min_vaf == 0.05);
    assert_int_equal(fallback.min_depth, 30);
    assert_int_equal(fallback.pass_only, 1);
    assert_int_equal(fallback.transcripts, CM_TRANSCRIPTS_PREFERRED);
    g.min_depth = 0; // set, even though 0
    g.pass_only = 0;
    cm_gates_inherit(&g, &fallback);
    assert_true(g.min_vaf == 0.05);
    assert_int_equal(g.min_depth, 0);
    assert_int_equal(g.pass_only, 0);
    assert_int_equal(g.transcripts, CM_TRANSCRIPTS_PREFERRED);
}

static void test_evidence_spellings_and_rank(void **state)
{
    fixture *f = *state;
    // Every tier and level, in the order they rank; spelled in the forms authors use.
    static const char *const written[][2] = {
        {"I-A", "R2"},   {"ib", NULL},   {"IC", NULL}, {"II-A", NULL}, {"IIB", NULL},
        {"III-A", NULL}, {"IIIB", NULL}, {"IV", NULL}, {"V", NULL},    {"X", "1"},
        {NULL, "1"},     {NULL, "2"},    {NULL, "3A"}, {NULL, "3b"},   {NULL, "LEVEL_4"},
        {NULL, "R1"},    {NULL, "R2"},   {NULL, NULL}};
    static const char *const stored[] = {"IA",   "IB",   "IC", "IIA", "IIB",
                                         "IIIA", "IIIB", "IV", "V",   "X"};
    kstring_t text = {0, 0, NULL};
    kputs("cohortmatch: 1\nprotocol: {id: E}\nalterations: {B: {gene: BRAF}}\narms:\n", &text);
    size_t n = sizeof written / sizeof written[0];
    for (size_t i = 0; i < n; i++) {
        ksprintf(&text, "  - {id: A%zu, drugs: d, match: B, evidence: {", i);
        if (written[i][0])
            ksprintf(&text, "escat: \"%s\"%s", written[i][0], written[i][1] ? ", " : "");
        if (written[i][1])
            ksprintf(&text, "oncokb: \"%s\"", written[i][1]);
        kputs("}}\n", &text);
    }
    assert_int_equal(load(f, "e.yaml", text.s), 0);
    free(text.s);
    const cm_protocol *p = cm_ruleset_protocol(f->rules, 0);
    assert_int_equal(p->n_arms, (int)n);
    for (size_t i = 0; i < n; i++) {
        if (i < 10)
            assert_string_equal(p->arms[i].escat, stored[i]);
        if (i > 0)
            assert_true(cm_arm_evidence_rank(&p->arms[i - 1]) < cm_arm_evidence_rank(&p->arms[i]));
    }
    assert_string_equal(p->arms[13].oncokb, "3B");
    assert_string_equal(p->arms[14].oncokb, "4");
}

/* ---- lifetime and files ----------------------------------------------------------------- */

static void test_free_accepts_null(void **state)
{
    (void)state;
    cm_ruleset_free(NULL);
    cm_diagnostics_clear(NULL);
    cm_ruleset *empty = cm_ruleset_new(NULL);
    assert_non_null(empty);
    assert_int_equal(cm_ruleset_compile(empty), 0);
    size_t n = 99;
    assert_null(cm_ruleset_geneless_leaves(empty, &n));
    assert_int_equal(n, 0);
    assert_null(cm_ruleset_protocol(empty, 0));
    assert_null(cm_ruleset_leaf(empty, 0));
    cm_ruleset_free(empty);
}

static void test_failed_file_adds_nothing(void **state)
{
    fixture *f = *state;
    assert_int_equal(load(f, "good.yaml", ARM_PREFIX "{gene: BRAF}\n"), 0);
    size_t leaves = cm_ruleset_n_leaves(f->rules), genes = cm_ruleset_n_genes(f->rules);
    // Valid leaves with new genes, then one error: none of it stays.
    assert_int_equal(load(f, "bad.yaml",
                          "cohortmatch: 1\nprotocol: {id: Y}\narms:\n"
                          "  - {id: B, drugs: d, match: [{gene: KRAS}, {gene: NRAS}]}\n"
                          "  - {id: C, drugs: d, match: {gene: TP53, protein: X}}\n"),
                     1);
    assert_int_equal(cm_ruleset_n_protocols(f->rules), 1);
    assert_int_equal(cm_ruleset_n_leaves(f->rules), leaves);
    assert_int_equal(cm_ruleset_n_genes(f->rules), genes);
    assert_int_equal(gene(f, "KRAS"), 0);
    assert_int_equal(gene(f, "BRAF"), 1);
    // The symbols can be interned again afterwards.
    assert_int_equal(load(f, "good2.yaml",
                          "cohortmatch: 1\nprotocol: {id: Z}\narms:\n"
                          "  - {id: D, drugs: d, match: {gene: [NRAS, BRAF]}}\n"),
                     0);
    assert_int_equal(gene(f, "NRAS"), 2);
    assert_int_equal(cm_ruleset_compile(f->rules), 0);
    assert_gene_leaves(f, "BRAF", (int[]){0, 1}, 2);
    assert_int_equal(cm_ruleset_n_files(f->rules), 3);
}

static void test_duplicates_across_files(void **state)
{
    fixture *f = *state;
    assert_int_equal(load(f, "one.yaml", ARM_PREFIX "{gene: BRAF}\n"), 0);
    assert_int_equal(load(f, "two.yaml", ARM_PREFIX "{gene: BRAF}\n"), 2);
    assert_diagnostic(f, 0, CM_SEVERITY_ERROR, "two.yaml", 2, 16,
                      "duplicate protocol id 'X' (first in one.yaml)");
    assert_diagnostic(f, 1, CM_SEVERITY_ERROR, "two.yaml", 4, 9,
                      "duplicate arm id 'A' (first in one.yaml:4)");
    assert_int_equal(cm_ruleset_n_protocols(f->rules), 1);
}

static void test_load_folder(void **state)
{
    fixture *f = *state;
    char dir[] = "/tmp/test_rules.XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    static const char *const files[] = {"b.yaml", "a.yml", "notes.txt"};
    static const char *const ids[] = {"B", "A", "N"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        FILE *fp = fopen(path, "w");
        assert_non_null(fp);
        fprintf(
            fp,
            "cohortmatch: 1\nprotocol: {id: %s}\narms: [{id: %s, drugs: d, match: {gene: G}}]\n",
            ids[i], ids[i]);
        fclose(fp);
    }
    assert_int_equal(cm_ruleset_load(f->rules, dir, &f->diag), 0);
    assert_int_equal(cm_ruleset_n_files(f->rules), 2);
    assert_int_equal(cm_ruleset_n_protocols(f->rules), 2);
    assert_string_equal(cm_ruleset_protocol(f->rules, 0)->id, "A"); // name order: a.yml first
    snprintf(path, sizeof path, "%s/a.yml", dir);
    assert_string_equal(cm_ruleset_protocol(f->rules, 0)->path, path);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    // An empty folder and a missing path are errors without a line.
    assert_int_equal(cm_ruleset_load(f->rules, dir, &f->diag), 1);
    assert_diagnostic(f, 0, CM_SEVERITY_ERROR, dir, 0, 0,
                      "no rule files (*.yaml, *.yml) in this folder");
    rmdir(dir);
    assert_int_equal(cm_ruleset_load(f->rules, dir, &f->diag), 1);
    assert_diagnostic(f, 1, CM_SEVERITY_ERROR, dir, 0, 0, "cannot read: no such file or directory");
}

/* ---- errors ----------------------------------------------------------------------------- */

static void test_error_unknown_key(void **state)
{
    assert_one_error(state, ARM_PREFIX "{gen: BRAF}\n", 6, 13,
                     "unknown key 'gen' in leaf (did you mean 'gene'?)");
    assert_one_error(state, ARM_PREFIX "{gene: BRAF}\n    tumor_types: {include: [LUAD]}\n", 7, 5,
                     "unknown key 'tumor_types' in arm (did you mean 'tumour_types'?)");
    assert_one_error(state, ARM_PREFIX "{gene: BRAF}\nextra: 1\n", 7, 1,
                     "unknown key 'extra' in rule file");
}

static void test_error_version(void **state)
{
    assert_one_error(
        state, "cohortmatch: 2\nprotocol: {id: X}\narms: [{id: A, drugs: d, match: {gene: G}}]\n",
        1, 14, "unsupported rule-language version 2 (this build reads 1)");
    assert_one_error(state, "protocol: {id: X}\narms: [{id: A, drugs: d, match: {gene: G}}]\n", 1,
                     1, "missing required key 'cohortmatch' (the rule-language version, 1)");
    assert_one_error(
        state, "cohortmatch: one\nprotocol: {id: X}\narms: [{id: A, drugs: d, match: {gene: G}}]\n",
        1, 14, "'cohortmatch' must be the rule-language version, 1");
}

static void test_error_leaves(void **state)
{
    assert_one_error(state, ARM_PREFIX "{gene: BRAF, protein: V600EE}\n", 6, 34,
                     "malformed protein pattern 'V600EE': not a protein change or pattern");
    assert_one_error(state, ARM_PREFIX "{gene: BRAF, consequence: misense}\n", 6, 38,
                     "unknown consequence 'misense' (did you mean 'missense'?)");
    assert_one_error(state, ARM_PREFIX "{protein: V600}\n", 6, 13,
                     "'protein' needs a gene in the same leaf");
    assert_one_error(state, ARM_PREFIX "{min_vaf: 0.1}\n", 6, 12,
                     "leaf names nothing to match (add gene, variant or fusion)");
    assert_one_error(state, ARM_PREFIX "{gene: BRAF, tmb: {min: 10}}\n", 6, 12,
                     "a leaf cannot mix sample keys ('tmb') with alteration keys ('gene'); "
                     "combine them with all:");
    assert_one_error(state, ARM_PREFIX "{variant: \"7:140753336:A:T\"}\n", 6, 13,
                     "'variant' needs a genome build: add 'build: GRCh38' to the leaf or the "
                     "protocol");
    assert_one_error(state, ARM_PREFIX "{variant: \"7:14x:A:T\", build: GRCh38}\n", 6, 22,
                     "'variant' must be chrom:pos:ref:alt like chr7:140753336:A:T, not "
                     "'7:14x:A:T'");
    assert_one_error(state, ARM_PREFIX "{gene: EGFR, exon: 21-18}\n", 6, 31,
                     "'exon' must be a number >= 1 or a range like 18-21, not '21-18'");
    assert_one_error(state, ARM_PREFIX "{fusion: {partner: EML4}}\n", 6, 21,
                     "missing required key 'gene' in fusion");
    assert_one_error(state, ARM_PREFIX "{tmb: {min: 20, max: 10}}\n", 6, 18,
                     "'tmb' min 20 is greater than max 10");
    assert_one_error(state, ARM_PREFIX "{msi: hi}\n", 6, 18, "'msi' must be high or stable");
    assert_one_error(state, ARM_PREFIX "{gene: ERBB2, cnv: amp}\n", 6, 31,
                     "'cnv' must be amplification, gain, deletion or homozygous_deletion");
    assert_one_error(state, ARM_PREFIX "{gene: BRAF, build: GRCh38}\n", 6, 25,
                     "'build' is only allowed beside 'variant'");
    assert_one_error(state, ARM_PREFIX "{gene: BRAF, gene: KRAS}\n", 6, 25,
                     "duplicate key 'gene' (first at line 6)");
}

static void test_error_expressions(void **state)
{
    assert_one_error(state, ARM_PREFIX "[]\n", 6, 12, "'match' is an empty list");
    assert_one_error(state, ARM_PREFIX "\n", 6, 11, "'match' is empty");
    assert_one_error(state, ARM_PREFIX "{all: []}\n", 6, 18, "'all' needs at least one expression");
    assert_one_error(state, ARM_PREFIX "{not: [{gene: A}, {gene: B}]}\n", 6, 18,
                     "'not' takes one expression, not a list (write not: {any: [...]})");
    assert_one_error(state,
                     "cohortmatch: 1\nprotocol: {id: X}\nalterations: {BRAF_V600: {gene: BRAF}}\n"
                     "arms: [{id: A, drugs: d, match: BRAF_V60}]\n",
                     4, 33, "unknown alteration 'BRAF_V60' (did you mean 'BRAF_V600'?)");
    assert_one_error(state,
                     "cohortmatch: 1\nprotocol: {id: X}\nalterations:\n  A: [B]\n  B: {not: A}\n"
                     "arms: [{id: A, drugs: d, match: A}]\n",
                     4, 3, "reference cycle among named alterations: A -> B -> A");
}

static void test_error_yaml(void **state)
{
    assert_one_error(state, "cohortmatch: 1\nprotocol:\n\tid: X\n", 3, 1,
                     "invalid YAML: tab character (indent with spaces)");
    assert_one_error(state, "cohortmatch: 1\nprotocol: {id: \"X}\n", 3, 1,
                     "invalid YAML: found unexpected end of stream (while scanning a quoted "
                     "scalar at line 2)");
    assert_one_error(state, "cohortmatch: 1\nprotocol: {id: X\xff}\n", 2, 17,
                     "invalid UTF-8 (byte 0xff): save the file as UTF-8");
    assert_one_error(state, ARM_PREFIX "&a {gene: BRAF}\n", 6, 12,
                     "YAML anchors are not allowed in rule files");
    assert_one_error(state, "", 0, 0, "empty rule file");
    // 65 nested lists: stopped at the 64th level, whatever follows.
    char deep[512] = ARM_PREFIX;
    size_t len = strlen(deep);
    for (int i = 0; i < 100; i++)
        deep[len++] = '[';
    deep[len] = '\0';
    assert_one_error(state, deep, 6, 73, "nesting deeper than 64 levels");
}

static void test_error_oncotree(void **state)
{
    assert_one_error(state, ARM_PREFIX "{gene: BRAF}\n    tumour_types: {include: [LUDA]}\n", 7, 30,
                     "unknown OncoTree code 'LUDA' (did you mean LUAD?)");
    assert_one_error(
        state, ARM_PREFIX "{gene: BRAF}\n    cohorts: [{tumour_type: NSCLC, status: opened}]\n", 7,
        44, "'status' must be open, closed or suspended");
}

static void test_error_tests_block(void **state)
{
    assert_one_error(state,
                     ARM_PREFIX "{gene: BRAF}\ntests:\n  - name: t\n    tumour_type: LUAD\n"
                                "    alterations: [{gene: BRAF, protein: V600?X}]\n"
                                "    expect: {candidates: [A]}\n",
                     10, 41, "cannot read protein change 'V600?X' (HGVS p. notation expected)");
    assert_one_error(state,
                     ARM_PREFIX "{gene: BRAF}\ntests:\n  - name: t\n    tumour_type: LUAD\n"
                                "    expect: {candidates: [B], ruled_out: []}\n",
                     10, 27, "unknown arm 'B' (did you mean 'A'?)");
    assert_one_error(state,
                     ARM_PREFIX
                     "{gene: BRAF}\ntests:\n  - name: t\n    tumour_type: LUAD\n"
                     "    expect: {candidates: [], ruled_out: [{arm: A, reason: closed}]}\n",
                     10, 59, "unknown reason 'closed'");
    assert_one_error(state,
                     ARM_PREFIX "{gene: BRAF}\ntests:\n  - name: t\n    tumour_type: SOLID\n"
                                "    expect: {candidates: []}\n",
                     9, 18, "a test's tumour_type must be a real OncoTree code, not SOLID");
}

static void test_every_error_of_a_file(void **state)
{
    fixture *f = *state;
    const char *text = "cohortmatch: 1\n"
                       "protocol: {id: X, build: hg19}\n"
                       "defaults: {min_vaf: 2, min_depth: many}\n"
                       "arms:\n"
                       "  - id: A\n"
                       "    match: {gene: BRAF, protein: V600EE}\n"
                       "  - id: A\n"
                       "    drugs: d\n"
                       "    match: {gene: KRAS, consequence: misense}\n";
    assert_int_equal(load(f, "many.yaml", text), 7);
    assert_int_equal(f->diag.n_errors, 7);
    assert_diagnostic(f, 0, CM_SEVERITY_ERROR, "many.yaml", 2, 26,
                      "'build' must be GRCh37 or GRCh38");
    assert_diagnostic(f, 1, CM_SEVERITY_ERROR, "many.yaml", 3, 21,
                      "'min_vaf' must be a number between 0 and 1");
    assert_diagnostic(f, 2, CM_SEVERITY_ERROR, "many.yaml", 3, 35,
                      "'min_depth' must be a whole number >= 0");
    assert_diagnostic(f, 3, CM_SEVERITY_ERROR, "many.yaml", 5, 5,
                      "missing required key 'drugs' in arm");
    assert_diagnostic(f, 4, CM_SEVERITY_ERROR, "many.yaml", 6, 34,
                      "malformed protein pattern 'V600EE': not a protein change or pattern");
    assert_diagnostic(f, 5, CM_SEVERITY_ERROR, "many.yaml", 7, 9,
                      "duplicate arm id 'A' (first at line 5)");
    assert_diagnostic(f, 6, CM_SEVERITY_ERROR, "many.yaml", 9, 38,
                      "unknown consequence 'misense' (did you mean 'missense'?)");
    assert_int_equal(cm_ruleset_n_protocols(f->rules), 0);
    assert_int_equal(cm_ruleset_n_leaves(f->rules), 0);
    assert_int_equal(cm_ruleset_n_genes(f->rules), 1);
}

static void test_warnings(void **state)
{
    fixture *f = *state;
    const char *text = "cohortmatch: 1\n"
                       "protocol: {id: X}\n"
                       "alterations:\n"
                       "  USED: {gene: BRAF}\n"
                       "  UNUSED: {gene: KRAS}\n"
                       "arms:\n"
                       "  - id: A\n"
                       "    drugs: d\n"
                       "    match: USED\n"
                       "    tumour_types: {include: [LUAD, LUSC], exclude: [NSCLC]}\n";
    assert_int_equal(load(f, "w.yaml", text), 0);
    assert_int_equal(f->diag.n_warnings, 2);
    assert_diagnostic(f, 0, CM_SEVERITY_WARNING, "w.yaml", 10, 19,
                      "arm 'A' can never match: every tumour type it includes is excluded");
    assert_diagnostic(f, 1, CM_SEVERITY_WARNING, "w.yaml", 5, 3,
                      "named alteration 'UNUSED' is never used");
    assert_int_equal(cm_ruleset_n_protocols(f->rules), 1); // warnings do not reject a file

    // Cohorts the arm's own tumour types rule out.
    cm_diagnostics_clear(&f->diag);
    assert_int_equal(load(f, "c.yaml",
                          "cohortmatch: 1\nprotocol: {id: C}\narms:\n"
                          "  - id: C\n    drugs: d\n    match: {gene: BRAF}\n"
                          "    tumour_types: {include: [NSCLC, BOWEL], exclude: [LUSC]}\n"
                          "    cohorts:\n"
                          "      - {tumour_type: LUAD, status: open}\n"
                          "      - {tumour_type: LUSC, status: open}\n"
                          "      - {tumour_type: MEL, status: open}\n"
                          "      - {tumour_type: LIQUID, status: closed}\n"),
                     0);
    assert_int_equal(f->diag.n, 3);
    assert_diagnostic(f, 0, CM_SEVERITY_WARNING, "c.yaml", 10, 23,
                      "cohort 'LUSC' lies inside the arm's excluded tumour types");
    assert_diagnostic(f, 1, CM_SEVERITY_WARNING, "c.yaml", 11, 23,
                      "cohort 'MEL' lies outside the arm's included tumour types");
    assert_diagnostic(f, 2, CM_SEVERITY_WARNING, "c.yaml", 12, 23,
                      "cohort 'LIQUID' lies outside the arm's included tumour types");
}

int main(void)
{
#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        TEST(test_full_protocol),
        TEST(test_gates),
        TEST(test_evidence_spellings_and_rank),
        TEST(test_free_accepts_null),
        TEST(test_failed_file_adds_nothing),
        TEST(test_duplicates_across_files),
        TEST(test_load_folder),
        TEST(test_error_unknown_key),
        TEST(test_error_version),
        TEST(test_error_leaves),
        TEST(test_error_expressions),
        TEST(test_error_yaml),
        TEST(test_error_oncotree),
        TEST(test_error_tests_block),
        TEST(test_every_error_of_a_file),
        TEST(test_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
