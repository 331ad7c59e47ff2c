/*
 * The loader's `biomarker:` leaf key: `{name, is | min | max}` tests one named sample
 * biomarker (hrd, signatures, purity, ploidy, pdl1_tps, or any sample-sheet column).
 * What it checks: the name is a biomarker name and not a built-in fact (those have keys
 * of their own), `is` words and min/max bounds are not mixed, a known biomarker is
 * tested the way its values are (words for hrd and signatures, numbers for purity,
 * ploidy and pdl1_tps, within their ranges), and a name one typo away from a known one
 * is warned about, since any other name is a free sample-sheet column and a misspelt
 * one would never be given.
 */
#include "load_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

// Sample facts with keys of their own: `biomarker: {name: tmb}` would never be given.
static const char *const builtin_facts[] = {"tumour_type", "tumor_type", "tmb", "msi",
                                            "mmr",         "age",        "sex"};

char *cm_load_biomarker_name(cm_loader *L, const yaml_node_t *node)
{
    const char *text = cm_load_text(L, node, "biomarker: name");
    if (!text)
        return NULL;
    for (const char *p = text; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.') {
            cm_load_error(L, node,
                          "a biomarker name must be letters, digits, '_', '-' or '.' (a "
                          "sample-sheet column), not '%s'",
                          cm_load_show(L, text));
            return NULL;
        }
    for (size_t i = 0; i < COUNT(builtin_facts); i++)
        if (strcasecmp(text, builtin_facts[i]) == 0) {
            const char *key = i < 2 ? "tumour_types" : builtin_facts[i];
            cm_load_error(L, node, "'%s' is not a named biomarker: write the '%s' key", text, key);
            return NULL;
        }
    char *name = cm_load_copy(L, text);
    for (char *p = name; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return name;
}

// A name one typo away from a known biomarker is most likely that one misspelt.
static void check_known_name(cm_loader *L, const yaml_node_t *node, const char *name)
{
    size_t n;
    const char *const *known = cm_known_biomarkers(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(known[i], name) == 0)
            return;
    const char *nearest = cm_load_nearest(name, known, n);
    if (nearest)
        cm_load_warning(L, node,
                        "biomarker '%s' is not a known one (did you mean '%s'?); any other "
                        "name must be a sample-sheet column",
                        cm_load_show(L, name), nearest);
}

// `is` words of a biomarker whose states are listed (hrd: an error when not one of
// them; signatures: other names are allowed, a typo of a listed one is warned about).
static void check_words(cm_loader *L, yaml_node_t *is, const cm_leaf *leaf)
{
    const char *states[16];
    size_t n_states = cm_biomarker_state_names(leaf->biomarker, states, COUNT(states));
    if (n_states == 0)
        return;
    int is_closed = strcmp(leaf->biomarker, "hrd") == 0;
    for (int i = 0; i < leaf->n_biomarker_is; i++) {
        const char *word = leaf->biomarker_is[i];
        yaml_node_t *node =
            is->type == YAML_SEQUENCE_NODE && i < n_items(is) ? item_at(L, is, i) : is;
        if (cm_biomarker_state_name(leaf->biomarker, word))
            continue;
        if (is_closed) {
            cm_load_error(L, node, "'is' for hrd must be deficient or proficient, not '%s'",
                          cm_load_show(L, word));
            continue;
        }
        const char *nearest = cm_load_nearest(word, states, n_states);
        if (nearest)
            cm_load_warning(L, node,
                            "signature '%s' is not a known one (did you mean '%s'?); it "
                            "matches only a sample value written the same way",
                            cm_load_show(L, word), nearest);
    }
}

// Numbers of the known numeric biomarkers: purity is a fraction (PURPLE), PD-L1 TPS a
// percentage; a bound outside would never hold (a purity of "30" meant as 30 %).
static void check_bound(cm_loader *L, const yaml_node_t *node, const char *name, double value)
{
    if (strcmp(name, "purity") == 0 && value > 1)
        cm_load_error(L, node, "purity is a fraction between 0 and 1 (30%% is 0.3), not %g", value);
    else if (strcmp(name, "pdl1_tps") == 0 && value > 100)
        cm_load_error(L, node, "pdl1_tps is a percentage between 0 and 100, not %g", value);
}

void cm_load_biomarker(cm_loader *L, void *destination, yaml_node_t *value, yaml_node_t *map)
{
    (void)map;
    static const char *const keys[] = {"name", "is", "min", "max"};
    cm_leaf *leaf = destination;
    if (value->type != YAML_MAPPING_NODE) {
        cm_load_error(L, value,
                      "'biomarker' must be a mapping {name, is} or {name, min, max}, like "
                      "{name: hrd, is: deficient}");
        return;
    }
    if (cm_load_check_mapping(L, value, "'biomarker'", keys, COUNT(keys)) < 0)
        return;
    yaml_node_t *name = cm_load_get(L, value, "name"), *is = cm_load_get(L, value, "is");
    yaml_node_t *min = cm_load_get(L, value, "min"), *max = cm_load_get(L, value, "max");
    if (!name) {
        cm_load_error(L, value, "missing required key 'name' in biomarker");
        return;
    }
    if (!(leaf->biomarker = cm_load_biomarker_name(L, name)))
        return;
    check_known_name(L, name, leaf->biomarker);
    if (!is && !min && !max) {
        cm_load_error(L, value, "'biomarker' needs 'is' (a value) or 'min'/'max' (a number)");
        return;
    }
    if (is && (min || max)) {
        cm_load_error(L, cm_load_get_key(L, value, min ? "min" : "max"),
                      "'is' and '%s' cannot stand in one biomarker; combine two leaves with all:",
                      min ? "min" : "max");
        return;
    }
    int is_number = strcmp(leaf->biomarker, "purity") == 0 ||
                    strcmp(leaf->biomarker, "ploidy") == 0 ||
                    strcmp(leaf->biomarker, "pdl1_tps") == 0;
    if (is) {
        if (is_number) {
            cm_load_error(L, is, "%s is a number: test it with min/max", leaf->biomarker);
            return;
        }
        if (cm_load_list(L, is, "is", &cm_item_text, &leaf->biomarker_is, &leaf->n_biomarker_is) ==
            0)
            check_words(L, is, leaf);
        return;
    }
    if (strcmp(leaf->biomarker, "signatures") == 0) {
        cm_load_error(L, cm_load_get_key(L, value, min ? "min" : "max"),
                      "signatures are names: test them with 'is'");
        return;
    }
    if (min && cm_load_number(L, min, "biomarker: min", 0, INFINITY, &leaf->biomarker_min) == 0)
        check_bound(L, min, leaf->biomarker, leaf->biomarker_min);
    if (max && cm_load_number(L, max, "biomarker: max", 0, INFINITY, &leaf->biomarker_max) == 0)
        check_bound(L, max, leaf->biomarker, leaf->biomarker_max);
    if (leaf->biomarker_min > leaf->biomarker_max)
        cm_load_error(L, value, "'biomarker' min %g is greater than max %g", leaf->biomarker_min,
                      leaf->biomarker_max);
}
