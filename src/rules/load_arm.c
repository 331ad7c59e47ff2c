/*
 * The loader's arms: id (unique across the rule set), drugs, match and exclude
 * expressions, tumour types, evidence levels, cohorts and the quality gates an arm
 * shares with the protocol's `defaults`. Tumour types and cohorts are checked against
 * each other (an arm that excludes all it includes, a cohort outside the arm's types),
 * which gives warnings, not errors.
 */
#include "load_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const cm_choices transcript_choices = {
    {"preferred", "any"}, {CM_TRANSCRIPTS_PREFERRED, CM_TRANSCRIPTS_ANY}, 2, CM_TRANSCRIPTS_UNSET};

const cm_field cm_gate_fields[] = {
    CM_FIELD_NUMBER("min_vaf", cm_gates, min_vaf, 0, 1, 0),
    CM_FIELD_WHOLE("min_depth", cm_gates, min_depth, 0, 0),
    CM_FIELD_BOOL("pass_only", cm_gates, pass_only, 0),
    CM_FIELD_CHOICE("transcripts", cm_gates, transcripts, &transcript_choices, 0),
};
const size_t cm_n_gate_fields = COUNT(cm_gate_fields);

const cm_arm *cm_load_find_arm(cm_loader *L, const char *id)
{
    int i = cm_load_index_get(L->arm_index, id);
    return i < 0 ? NULL : &L->protocol->arms[i];
}

static void read_arm_id(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_arm *arm = destination;
    if (cm_load_string(L, value, "id", &arm->id) < 0)
        return;
    int first = cm_load_index_put(L, &L->arm_index, arm->id, (int)(arm - L->protocol->arms));
    if (first >= 0) {
        cm_load_error(L, value, "duplicate arm id '%s' (first at line %d)",
                      cm_load_show(L, arm->id), L->protocol->arms[first].line);
        return;
    }
    if (!L->other_arms) {
        // Arm ids are unique across the rule set: index the files loaded before this one.
        for (size_t p = 0; p < L->rules->n_protocols; p++)
            for (int a = 0; a < L->rules->protocols[p]->n_arms; a++)
                cm_load_index_put(L, &L->other_arms, L->rules->protocols[p]->arms[a].id, (int)p);
        if (!L->other_arms && !(L->other_arms = kh_init(cm_str_index)))
            L->out_of_memory = 1;
    }
    int p = cm_load_index_get(L->other_arms, arm->id);
    if (p >= 0) {
        const cm_protocol *other = L->rules->protocols[p];
        const cm_arm *earlier = NULL;
        for (int a = 0; a < other->n_arms && !earlier; a++)
            if (strcmp(other->arms[a].id, arm->id) == 0)
                earlier = &other->arms[a];
        cm_load_error(L, value, "duplicate arm id '%s' (first in %s:%d)", cm_load_show(L, arm->id),
                      other->path, earlier ? earlier->line : 0);
    }
}

static void read_match(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    ((cm_arm *)destination)->match = cm_load_expr(L, value, "match");
}

static void read_exclude(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_expr *exclude = cm_load_expr(L, value, "exclude");
    if (exclude && exclude->kind != CM_EXPR_ANY) {
        // Always an ANY, so that the report can name which exclusion hit.
        cm_expr *any = cm_load_expr_new(L, CM_EXPR_ANY, value, 1);
        if (any)
            any->children[0] = exclude;
        else
            cm_expr_free(exclude);
        exclude = any;
    }
    ((cm_arm *)destination)->exclude = exclude;
}

/* ---- tumour types ------------------------------------------------------------------------ */

// Node a is inside node b (either may be a meta node).
static int node_within(const cm_oncotree *tree, int a, int b)
{
    if (a == b)
        return 1;
    if (a < 0)
        return 0; // a meta node lies inside nothing but itself
    return cm_oncotree_is_within(tree, a, b);
}

static const cm_field tumour_type_fields[] = {
    CM_FIELD_LIST("include", cm_arm, include_nodes, n_include, &cm_item_oncotree, 0),
    CM_FIELD_LIST("exclude", cm_arm, exclude_nodes, n_exclude, &cm_item_oncotree, 0),
};

static void read_tumour_types(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_arm *arm = destination;
    if (cm_load_mapping(L, value, "tumour_types", tumour_type_fields, COUNT(tumour_type_fields),
                        arm) != 0 ||
        arm->n_include == 0 || arm->n_exclude == 0 || !L->rules->tree)
        return;
    for (int i = 0; i < arm->n_include; i++) {
        int covered = 0;
        for (int e = 0; e < arm->n_exclude && !covered; e++)
            covered = node_within(L->rules->tree, arm->include_nodes[i], arm->exclude_nodes[e]);
        if (!covered)
            return;
    }
    cm_load_warning(L, value, "arm '%s' can never match: every tumour type it includes is excluded",
                    arm->id ? cm_load_show(L, arm->id) : "?");
}

/* ---- evidence ---------------------------------------------------------------------------- */

// ESCAT tiers as written (I-A, IA, iii-a ...) -> the stored spelling (IA ... X).
static int normalise_escat(const char *text, char out[8])
{
    static const char *const tiers[] = {"IA",   "IB",   "IC", "IIA", "IIB",
                                        "IIIA", "IIIB", "IV", "V",   "X"};
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '-' || *p == ' ')
            continue;
        if (n >= 7)
            return -1;
        out[n++] = (char)toupper((unsigned char)*p);
    }
    out[n] = '\0';
    for (size_t i = 0; i < COUNT(tiers); i++)
        if (strcmp(out, tiers[i]) == 0)
            return 0;
    return -1;
}

static void read_escat(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    char tier[8];
    const char *text = scalar(value);
    if (!text || normalise_escat(text, tier) < 0)
        cm_load_error(L, value,
                      "'escat' must be an ESCAT tier: I-A, I-B, I-C, II-A, II-B, III-A, III-B, "
                      "IV, V or X");
    else
        ((cm_arm *)destination)->escat = cm_load_copy(L, tier);
}

static void read_oncokb(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    static const char *const levels[] = {"1", "2", "3A", "3B", "4", "R1", "R2"};
    const char *text = scalar(value);
    if (text && strncasecmp(text, "LEVEL_", 6) == 0)
        text += 6;
    int found = -1;
    for (int i = 0; text && i < (int)COUNT(levels) && found < 0; i++)
        if (strcasecmp(text, levels[i]) == 0)
            found = i;
    if (found < 0)
        cm_load_error(L, value, "'oncokb' must be an OncoKB level: 1, 2, 3A, 3B, 4, R1 or R2");
    else
        ((cm_arm *)destination)->oncokb = cm_load_copy(L, levels[found]);
}

static const cm_field evidence_fields[] = {
    CM_FIELD_CUSTOM("escat", read_escat, 0),
    CM_FIELD_CUSTOM("oncokb", read_oncokb, 0),
};

static void read_evidence(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_load_mapping(L, value, "evidence", evidence_fields, COUNT(evidence_fields), destination);
}

/* ---- cohorts ----------------------------------------------------------------------------- */

static const cm_choices cohort_statuses = {{"open", "closed", "suspended"},
                                           {CM_COHORT_OPEN, CM_COHORT_CLOSED, CM_COHORT_SUSPENDED},
                                           3,
                                           CM_COHORT_NEW};

static void read_enrolled(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_cohort *cohort = destination;
    cohort->is_enrolled_known = cm_load_whole(L, value, "enrolled", 0, &cohort->enrolled) == 0;
}

// tumour_type is read by parse_cohort itself: its checks need the arm.
static const cm_field cohort_fields[] = {
    CM_FIELD_CUSTOM("tumour_type", NULL, CM_FIELD_REQUIRED),
    CM_FIELD_CHOICE("status", cm_cohort, status, &cohort_statuses, CM_FIELD_REQUIRED),
    CM_FIELD_WHOLE("stage", cm_cohort, stage, 0, 0),
    CM_FIELD_CUSTOM("enrolled", read_enrolled, 0),
    CM_FIELD_WHOLE("target", cm_cohort, target, 0, 0),
    CM_FIELD_TEXT("note", cm_cohort, note, 0),
};

static void cohort_tumour_type(cm_loader *L, cm_arm *arm, cm_cohort *cohort, yaml_node_t *v)
{
    cohort->node = cm_load_oncotree(L, v, "tumour_type");
    if (scalar(v) && !cm_load_is_null(v))
        cohort->tumour_type = cm_load_copy(L, scalar(v));
    for (int i = 0; cohort->node != CM_ONCOTREE_NOT_FOUND && i < arm->n_cohorts - 1; i++)
        if (arm->cohorts[i].node == cohort->node) {
            cm_load_error(L, v, "duplicate cohort for '%s' (first at line %d)",
                          cm_load_show(L, scalar(v)), arm->cohorts[i].line);
            break;
        }
    if (cohort->node == CM_ONCOTREE_NOT_FOUND || !L->rules->tree)
        return;
    // A cohort the arm's own tumour types rule out can never be offered.
    const cm_oncotree *tree = L->rules->tree;
    int included = arm->n_include == 0, excluded = 0;
    for (int i = 0; i < arm->n_include && !included; i++)
        included = node_within(tree, cohort->node, arm->include_nodes[i]);
    for (int i = 0; i < arm->n_exclude && !excluded; i++)
        excluded = node_within(tree, cohort->node, arm->exclude_nodes[i]);
    if (!included)
        cm_load_warning(L, v, "cohort '%s' lies outside the arm's included tumour types",
                        cm_load_show(L, cohort->tumour_type));
    else if (excluded)
        cm_load_warning(L, v, "cohort '%s' lies inside the arm's excluded tumour types",
                        cm_load_show(L, cohort->tumour_type));
}

static void parse_cohort(cm_loader *L, cm_arm *arm, yaml_node_t *map)
{
    if (cm_load_check_fields(L, map, "cohort", cohort_fields, COUNT(cohort_fields), NULL, 0) < 0)
        return;
    cm_cohort *cohort = &arm->cohorts[arm->n_cohorts++];
    cohort->node = CM_ONCOTREE_NOT_FOUND;
    cohort->line = (int)map->start_mark.line + 1;
    cohort->column = (int)map->start_mark.column + 1;
    yaml_node_t *v = cm_load_get(L, map, "tumour_type");
    if (v)
        cohort_tumour_type(L, arm, cohort, v);
    else
        cm_load_error(L, map, "missing required key 'tumour_type' in cohort");
    cm_load_fields(L, map, "cohort", cohort_fields + 1, COUNT(cohort_fields) - 1, cohort);
}

static void read_cohorts(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_arm *arm = destination;
    int n;
    arm->cohorts = cm_load_sequence(L, value, "cohorts", sizeof *arm->cohorts, &n);
    for (int i = 0; i < n; i++)
        parse_cohort(L, arm, item_at(L, value, i));
}

/* ---- arms -------------------------------------------------------------------------------- */

static const cm_choices criteria_choices = {
    {"stated", "inferred"}, {CM_CRITERIA_STATED, CM_CRITERIA_INFERRED}, 2, CM_CRITERIA_STATED};

static void read_arm_age(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    cm_arm *arm = destination;
    arm->age_min = arm->age_max = NAN;
    arm->has_age_limit = cm_load_bounds(L, value, "age", &arm->age_min, &arm->age_max) == 0;
}

static const cm_field arm_fields[] = {
    CM_FIELD_CUSTOM("id", read_arm_id, CM_FIELD_REQUIRED),
    CM_FIELD_LIST("drugs", cm_arm, drugs, n_drugs, &cm_item_text, CM_FIELD_REQUIRED),
    CM_FIELD_CUSTOM("match", read_match, CM_FIELD_REQUIRED),
    CM_FIELD_CUSTOM("exclude", read_exclude, 0),
    CM_FIELD_CUSTOM("tumour_types", read_tumour_types, 0),
    CM_FIELD_CUSTOM("evidence", read_evidence, 0),
    CM_FIELD_TEXT("source", cm_arm, source, 0),
    CM_FIELD_CUSTOM("cohorts", read_cohorts, 0),
    CM_FIELD_CHOICE("criteria", cm_arm, criteria, &criteria_choices, 0),
    CM_FIELD_TEXT("note", cm_arm, note, 0),
    CM_FIELD_CUSTOM("age", read_arm_age, 0),
};

void cm_load_arm(cm_loader *L, yaml_node_t *map, int index)
{
    cm_arm *arm = &L->protocol->arms[index];
    arm->protocol = L->protocol;
    cm_gates_unset(&arm->gates);
    arm->line = (int)map->start_mark.line + 1;
    arm->column = (int)map->start_mark.column + 1;
    if (cm_load_check_fields(L, map, "arm", arm_fields, COUNT(arm_fields), cm_gate_fields,
                             cm_n_gate_fields) < 0)
        return;
    cm_load_fields(L, map, "arm", arm_fields, COUNT(arm_fields), arm);
    // A board must be told what an inferred biomarker was inferred from.
    if (arm->criteria == CM_CRITERIA_INFERRED && !arm->note)
        cm_load_error(L, cm_load_get(L, map, "criteria"),
                      "'criteria: inferred' needs a 'note' saying what the biomarker was inferred "
                      "from");
    // The gates in file order, each key's first occurrence.
    for (int i = 0; i < n_pairs(map); i++) {
        const char *key = scalar(pair_key(L, map, i));
        const cm_field *gate = key ? cm_field_find(cm_gate_fields, cm_n_gate_fields, key) : NULL;
        if (gate && cm_load_get(L, map, key) == pair_value(L, map, i))
            cm_load_field(L, gate, pair_value(L, map, i), map, &arm->gates);
    }
}
