/*
 * The loader's `tests:` block: cases a protocol carries for `cohortmatch test`, each a
 * tumour type, sample facts, inline alterations (written as an annotation would give
 * them, so that they are matched exactly like real ones) and what to expect of every arm.
 * Expected arms must be arms of the same file; reasons must be the JSON result's.
 */
#include "load_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const reasons[] = {"excluded_by_alteration",
                                      "tumour_type_excluded",
                                      "tumour_type_not_included",
                                      "cohort_closed",
                                      "below_min_vaf",
                                      "below_min_depth",
                                      "filtered",
                                      "biomarker_missing",
                                      "age_out_of_range"};

static cm_consequence consequence_of(cm_protein_kind kind)
{
    switch (kind) {
    case CM_PROTEIN_SUBSTITUTION:
        return CM_SO_BIT(CM_SO_MISSENSE_VARIANT);
    case CM_PROTEIN_NONSENSE:
        return CM_SO_BIT(CM_SO_STOP_GAINED);
    case CM_PROTEIN_SYNONYMOUS:
        return CM_SO_BIT(CM_SO_SYNONYMOUS_VARIANT);
    case CM_PROTEIN_FRAMESHIFT:
        return CM_SO_BIT(CM_SO_FRAMESHIFT_VARIANT);
    case CM_PROTEIN_DELETION:
        return CM_SO_BIT(CM_SO_INFRAME_DELETION);
    case CM_PROTEIN_INSERTION:
    case CM_PROTEIN_DUPLICATION:
        return CM_SO_BIT(CM_SO_INFRAME_INSERTION);
    case CM_PROTEIN_DELINS:
        return CM_SO_BIT(CM_SO_PROTEIN_ALTERING_VARIANT);
    case CM_PROTEIN_START_LOST:
        return CM_SO_BIT(CM_SO_START_LOST);
    case CM_PROTEIN_EXTENSION:
        return CM_SO_BIT(CM_SO_STOP_LOST);
    default:
        return 0;
    }
}

/* ---- test alterations -------------------------------------------------------------------- */

static void read_protein(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_alteration *a = destination;
    const char *text = cm_load_text(L, value, "protein");
    if (!text)
        return;
    a->hgvsp = (cm_slice){text, (int)strlen(text)};
    if (cm_protein_change_parse(text, strlen(text), &a->protein) < 0)
        cm_load_error(L, value, "cannot read protein change '%s' (HGVS p. notation expected)",
                      cm_load_show(L, text));
}

static int read_so_term(cm_loader *L, yaml_node_t *item, const char *name, void *bits,
                        const void *array, int n_stored)
{
    (void)name, (void)array, (void)n_stored;
    const char *text = scalar(item);
    int term = cm_so_term_lookup(text, strlen(text));
    if (term >= 0 && term != CM_SO_OTHER) {
        *(cm_consequence *)bits |= CM_SO_BIT(term);
        return 1;
    }
    const char *names[CM_SO_COUNT];
    for (int t = 0; t < CM_SO_COUNT; t++)
        names[t] = t == CM_SO_OTHER ? NULL : cm_so_term_name(t);
    cm_load_unknown(L, item, "consequence term", text, names, CM_SO_COUNT);
    return 1;
}

static const cm_item_kind so_term_item = {0, read_so_term};

static void read_variant(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_alteration *a = destination;
    const char *text = cm_load_text(L, value, "variant");
    cm_variant_parts parts;
    if (!text)
        return;
    if (cm_load_parse_variant(text, &parts) < 0) {
        cm_load_error(L, value,
                      "'variant' must be chrom:pos:ref:alt like chr7:140753336:A:T, not '%s'",
                      cm_load_show(L, text));
        return;
    }
    a->chrom = (cm_slice){parts.chrom, (int)parts.chrom_len};
    a->pos = parts.pos;
    a->ref = (cm_slice){parts.ref, (int)parts.ref_len};
    a->alt = (cm_slice){parts.alt, (int)parts.alt_len};
}

static void read_filter(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    const char *text = cm_load_text(L, value, "filter");
    if (text)
        ((cm_alteration *)destination)->is_pass =
            strcmp(text, "PASS") == 0 || strcmp(text, ".") == 0;
}

static const cm_field fusion_fields[] = {
    CM_FIELD_SLICE("gene", cm_alteration, gene, CM_FIELD_REQUIRED),
    CM_FIELD_SLICE("partner", cm_alteration, partner, 0),
    CM_FIELD_BOOL("in_frame", cm_alteration, in_frame, 0),
};

static int same_text(cm_slice a, cm_slice b)
{
    return a.len == b.len && memcmp(a.s, b.s, (size_t)a.len) == 0;
}

static void intergenic_as_readers_write(cm_slice *side)
{
    size_t len = strlen(CM_INTERGENIC);
    if (side->len == (int)len && strncasecmp(side->s, CM_INTERGENIC, len) == 0)
        *side = (cm_slice){CM_INTERGENIC, (int)len};
}

static void read_fusion(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    cm_alteration *a = destination;
    cm_slice side = a->gene;
    if (cm_load_get(L, map, "copy_number") || cm_load_get(L, map, "cnv"))
        cm_load_error(L, map,
                      "a test alteration is a small variant, a copy-number call or a "
                      "fusion, not several");
    a->kind = CM_ALTERATION_FUSION;
    a->gene = (cm_slice){NULL, 0};
    cm_load_mapping(L, value, "fusion", fusion_fields, COUNT(fusion_fields), a);
    // A side in no gene, as readers write it (`partner: intergenic`, in any case).
    intergenic_as_readers_write(&a->gene);
    intergenic_as_readers_write(&a->partner);
    // `gene` beside `fusion` says which side the alteration is read from.
    if (side.len > 0 && a->gene.len > 0) {
        if (same_text(side, a->partner)) {
            a->partner = a->gene;
            a->gene = side;
        } else if (!same_text(side, a->gene)) {
            cm_load_error(L, cm_load_get(L, map, "gene"),
                          "'gene' beside 'fusion' must name one of its genes");
        }
    }
}

static const cm_field alteration_fields[] = {
    CM_FIELD_SLICE("gene", cm_alteration, gene, 0),
    CM_FIELD_CUSTOM("protein", read_protein, 0),
    CM_FIELD_BITS("consequence", cm_alteration, consequence, &so_term_item, 0),
    CM_FIELD_WHOLE("exon", cm_alteration, exon, 1, 0),
    CM_FIELD_WHOLE("intron", cm_alteration, intron, 1, 0),
    CM_FIELD_SLICE("hgvsc", cm_alteration, hgvsc, 0),
    CM_FIELD_SLICE("transcript", cm_alteration, transcript, 0),
    CM_FIELD_CUSTOM("variant", read_variant, 0),
    CM_FIELD_NUMBER("vaf", cm_alteration, vaf, 0, 1, 0),
    CM_FIELD_WHOLE("depth", cm_alteration, depth, 0, 0),
    CM_FIELD_CUSTOM("filter", read_filter, 0),
    CM_FIELD_BOOL("homozygous", cm_alteration, is_homozygous, 0),
    CM_FIELD_NUMBER("copy_number", cm_alteration, copy_number, 0, INFINITY, 0),
    CM_FIELD_CHOICE("cnv", cm_alteration, cnv, &cm_cnv_choices, 0),
    CM_FIELD_CUSTOM("fusion", read_fusion, 0), // last: it looks at gene, copy_number and cnv
};

static void parse_test_alteration(cm_loader *L, cm_rule_test *test, yaml_node_t *map)
{
    if (cm_load_check_fields(L, map, "test alteration", alteration_fields, COUNT(alteration_fields),
                             NULL, 0) < 0)
        return;
    int errors_before = L->n_errors;
    cm_alteration a;
    cm_alteration_init(&a);
    a.allele = 1;
    cm_load_fields(L, map, "test alteration", alteration_fields, COUNT(alteration_fields), &a);
    if (!cm_load_get(L, map, "consequence"))
        a.consequence = consequence_of(a.protein.kind);
    int is_fusion = cm_load_get(L, map, "fusion") != NULL;
    if (!is_fusion && (cm_load_get(L, map, "copy_number") || cm_load_get(L, map, "cnv"))) {
        a.kind = CM_ALTERATION_COPY_NUMBER;
        const cm_cnv_thresholds *t = &L->protocol->cnv_thresholds;
        if (!a.cnv && !isnan(a.copy_number))
            a.cnv = a.copy_number >= t->amplification_min ? CM_CNV_AMPLIFICATION
                    : a.copy_number >= t->gain_min        ? CM_CNV_GAIN
                    : a.copy_number <= t->homozygous_max  ? CM_CNV_HOMOZYGOUS_DELETION
                    : a.copy_number <= t->deletion_max    ? CM_CNV_DELETION
                                                          : 0;
    }
    if (!is_fusion && !cm_load_get(L, map, "gene") && !cm_load_get(L, map, "variant"))
        cm_load_error(L, map, "a test alteration needs 'gene', 'variant' or 'fusion'");
    if (L->n_errors != errors_before)
        return;
    cm_test_alteration *t = &test->alterations[test->n_alterations];
    t->line = (int)map->start_mark.line + 1;
    t->column = (int)map->start_mark.column + 1;
    if (cm_alteration_copy(&a, &t->owned) < 0)
        L->out_of_memory = 1;
    else
        test->n_alterations++;
}

/* ---- expectations ------------------------------------------------------------------------ */

static int arm_exists(cm_loader *L, yaml_node_t *node)
{
    const char *id = cm_load_text(L, node, "arm");
    if (!id)
        return 0;
    if (cm_load_find_arm(L, id))
        return 1;
    const char **ids = calloc((size_t)L->protocol->n_arms + 1, sizeof *ids);
    for (int i = 0; ids && i < L->protocol->n_arms; i++)
        ids[i] = L->protocol->arms[i].id;
    cm_load_unknown(L, node, "arm", id, ids, ids ? (size_t)L->protocol->n_arms : 0);
    free(ids);
    return 0;
}

// An arm of this file, each once.
static int read_arm_ref(cm_loader *L, yaml_node_t *item, const char *name, void *element,
                        const void *array, int n_stored)
{
    (void)name;
    if (!arm_exists(L, item))
        return 0;
    const char *id = scalar(item);
    char *const *ids = array;
    for (int j = 0; j < n_stored; j++)
        if (strcmp(ids[j], id) == 0) {
            cm_load_error(L, item, "arm '%s' is listed twice", cm_load_show(L, id));
            return 0;
        }
    char **copy = element;
    *copy = cm_load_copy(L, id);
    return *copy != NULL;
}

static const cm_item_kind arm_ref_item = {sizeof(char *), read_arm_ref};

/// Reads a list of arm ids of this file (each once) into *out; [] gives none.
static void arm_list(cm_loader *L, yaml_node_t *v, const char *what, char ***out, int *n_out)
{
    if (v->type != YAML_SEQUENCE_NODE || n_items(v) > 0)
        cm_load_list(L, v, what, &arm_ref_item, out, n_out);
}

static void parse_expect(cm_loader *L, cm_rule_test *test, yaml_node_t *map)
{
    static const char *const keys[] = {"candidates", "ruled_out", "absent"};
    if (cm_load_check_mapping(L, map, "expect", keys, COUNT(keys)) < 0)
        return;
    yaml_node_t *v = cm_load_get(L, map, "candidates");
    if (!v && !cm_load_get_key(L, map, "candidates"))
        cm_load_error(L, map, "missing required key 'candidates' in expect (write [] for none)");
    else if (v)
        arm_list(L, v, "candidates", &test->expect_candidates, &test->n_expect_candidates);
    if ((v = cm_load_get(L, map, "absent")))
        arm_list(L, v, "absent", &test->expect_absent, &test->n_expect_absent);
    if (!(v = cm_load_get(L, map, "ruled_out")))
        return;
    if (v->type != YAML_SEQUENCE_NODE) {
        cm_load_error(L, v, "'ruled_out' must be a list of {arm, reason}");
        return;
    }
    if (n_items(v) == 0)
        return;
    test->expect_ruled_out = calloc((size_t)n_items(v), sizeof *test->expect_ruled_out);
    if (!test->expect_ruled_out) {
        L->out_of_memory = 1;
        return;
    }
    static const char *const entry_keys[] = {"arm", "reason"};
    for (int i = 0; i < n_items(v); i++) {
        yaml_node_t *entry = item_at(L, v, i);
        if (cm_load_check_mapping(L, entry, "ruled_out entry", entry_keys, COUNT(entry_keys)) < 0)
            continue;
        yaml_node_t *arm = cm_load_get(L, entry, "arm"), *reason = cm_load_get(L, entry, "reason");
        int ok = 1;
        if (!arm) {
            cm_load_error(L, entry, "missing required key 'arm' in ruled_out entry");
            ok = 0;
        } else if (!arm_exists(L, arm)) {
            ok = 0;
        }
        if (!reason) {
            cm_load_error(L, entry, "missing required key 'reason' in ruled_out entry");
            ok = 0;
        } else {
            const char *text = cm_load_text(L, reason, "reason");
            int found = 0;
            for (size_t r = 0; text && r < COUNT(reasons) && !found; r++)
                found = strcmp(text, reasons[r]) == 0;
            if (text && !found)
                cm_load_unknown(L, reason, "reason", text, reasons, COUNT(reasons));
            ok &= found;
        }
        if (ok) {
            cm_expected_ruled_out *e = &test->expect_ruled_out[test->n_expect_ruled_out++];
            e->arm = cm_load_copy(L, scalar(arm));
            e->reason = cm_load_copy(L, scalar(reason));
        }
    }
}

/* ---- tests ------------------------------------------------------------------------------- */

static void read_name(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_rule_test *test = destination;
    if (cm_load_string(L, value, "name", &test->name) < 0)
        return;
    const cm_protocol *p = L->protocol;
    for (const cm_rule_test *earlier = p->tests; earlier < test; earlier++)
        if (earlier->name && strcmp(earlier->name, test->name) == 0) {
            cm_load_error(L, value, "duplicate test name '%s' (first at line %d)",
                          cm_load_show(L, test->name), earlier->line);
            break;
        }
}

static void read_tumour_type(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_rule_test *test = destination;
    const char *code = scalar(value);
    test->tumour_node = cm_load_oncotree(L, value, "tumour_type");
    if (code && (test->tumour_node == CM_ONCOTREE_SOLID || test->tumour_node == CM_ONCOTREE_LIQUID))
        cm_load_error(L, value, "a test's tumour_type must be a real OncoTree code, not %s", code);
    if (code && !cm_load_is_null(value))
        test->tumour_type = cm_load_copy(L, code);
}

static void read_alterations(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_rule_test *test = destination;
    if (cm_load_is_null(value))
        return;
    int n;
    test->alterations = cm_load_sequence(L, value, "alterations", sizeof *test->alterations, &n);
    for (int i = 0; i < n; i++)
        parse_test_alteration(L, test, item_at(L, value, i));
}

// `biomarkers: {hrd: deficient, signatures: [apobec, pole], pdl1_tps: 60}`: named sample
// biomarkers, a list giving several values (one entry each).
static void read_biomarkers(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_rule_test *test = destination;
    if (value->type != YAML_MAPPING_NODE) {
        cm_load_error(L, value, "'biomarkers' must be a mapping of name: value");
        return;
    }
    cm_load_check_duplicates(L, value, "key");
    int n_values = 0;
    for (int i = 0; i < n_pairs(value); i++) {
        yaml_node_t *v = pair_value(L, value, i);
        n_values += v && v->type == YAML_SEQUENCE_NODE ? n_items(v) : 1;
    }
    test->biomarkers = calloc((size_t)n_values + 1, sizeof *test->biomarkers);
    if (!test->biomarkers) {
        L->out_of_memory = 1;
        return;
    }
    for (int i = 0; i < n_pairs(value); i++) {
        yaml_node_t *key = pair_key(L, value, i), *v = pair_value(L, value, i);
        char *name = cm_load_biomarker_name(L, key);
        if (!name)
            continue;
        int n = v->type == YAML_SEQUENCE_NODE ? n_items(v) : 1;
        if (v->type == YAML_MAPPING_NODE || n == 0) {
            cm_load_error(L, v, "biomarker '%s' must be a value or a list of values",
                          cm_load_show(L, name));
            free(name);
            continue;
        }
        for (int k = 0; k < n; k++) {
            yaml_node_t *item = v->type == YAML_SEQUENCE_NODE ? item_at(L, v, k) : v;
            const char *text = cm_load_text(L, item, name);
            if (text && !*text)
                cm_load_error(L, item, "'%s' is empty", cm_load_show(L, name));
            if (!text || !*text)
                continue;
            cm_test_biomarker *b = &test->biomarkers[test->n_biomarkers++];
            b->name = cm_load_copy(L, name);
            b->value = cm_load_copy(L, text);
            b->line = (int)item->start_mark.line + 1;
            b->column = (int)item->start_mark.column + 1;
        }
        free(name);
    }
}

static void read_expect(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    parse_expect(L, destination, value);
}

static const cm_field test_fields[] = {
    CM_FIELD_CUSTOM("name", read_name, CM_FIELD_REQUIRED),
    CM_FIELD_CUSTOM("tumour_type", read_tumour_type, CM_FIELD_REQUIRED),
    CM_FIELD_NUMBER("tmb", cm_rule_test, tmb, 0, INFINITY, 0),
    CM_FIELD_CHOICE("msi", cm_rule_test, msi, &cm_msi_choices, 0),
    CM_FIELD_CHOICE("mmr", cm_rule_test, mmr, &cm_mmr_choices, 0),
    CM_FIELD_NUMBER("age", cm_rule_test, age, 0, INFINITY, 0),
    CM_FIELD_CHOICE("sex", cm_rule_test, sex, &cm_sex_choices, 0),
    CM_FIELD_CUSTOM("biomarkers", read_biomarkers, 0),
    CM_FIELD_CUSTOM("alterations", read_alterations, 0),
    CM_FIELD_CUSTOM("expect", read_expect, CM_FIELD_REQUIRED),
};

void cm_load_test(cm_loader *L, yaml_node_t *map)
{
    cm_protocol *p = L->protocol;
    if (cm_load_check_fields(L, map, "test", test_fields, COUNT(test_fields), NULL, 0) < 0)
        return;
    cm_rule_test *test = &p->tests[p->n_tests++];
    test->line = (int)map->start_mark.line + 1;
    test->column = (int)map->start_mark.column + 1;
    test->tumour_node = CM_ONCOTREE_NOT_FOUND;
    test->tmb = NAN;
    test->age = NAN;
    cm_load_fields(L, map, "test", test_fields, COUNT(test_fields), test);
}
